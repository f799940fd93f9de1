"""Celery tasks of the audits app: thin wrappers around services (DESIGN.md "Code habits").

``send_nc_reminders`` runs daily from Celery beat. The schedule is data, not settings: the
migration ``audits.00xx_nc_reminder_schedule`` creates the django-celery-beat ``PeriodicTask``
"nonconformity reminders" (every day at 08:00, Asia/Shanghai), which the CB can change or
disable in the admin site (Periodic tasks). Run beat with ``celery -A auditbody beat``.
"""

from celery import shared_task


@shared_task(name="audits.tasks.send_nc_reminders")
def send_nc_reminders():
    """Mail the reminders due today; running it twice sends nothing more."""
    from . import nc_services

    run = nc_services.nonconformity_reminders_send()
    return {"sent": run.sent, "already_sent": run.already_sent, "no_recipient": run.skipped_no_recipient}
