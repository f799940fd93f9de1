"""Celery tasks of the findings app: thin wrappers around services (DESIGN.md "Code habits").

``send_nc_reminders`` runs daily from Celery beat. The schedule is data, not settings: the
migration ``audits.0004_nc_reminder_schedule`` created the django-celery-beat ``PeriodicTask``
"nonconformity reminders" (every day at 08:00, Asia/Shanghai), which the CB can change or
disable in the admin site (Periodic tasks). Run beat with ``celery -A auditbody beat``.

The task keeps the name it had in the audits app: the stored beat row and any message already
queued under that name still reach it.
"""

from celery import shared_task

from . import services


@shared_task(name="audits.tasks.send_nc_reminders")
def send_nc_reminders() -> dict[str, int]:
    """Mail the reminders due today; running it twice sends nothing more."""
    run = services.nonconformity_reminders_send()
    return {"sent": run.sent, "already_sent": run.already_sent, "no_recipient": run.skipped_no_recipient}
