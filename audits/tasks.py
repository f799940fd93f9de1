"""Celery tasks of the audits app: thin wrappers around services.

``refresh_programme_next_due`` runs nightly from Celery beat: the migration
``audits.0019_next_due_refresh_schedule`` created its django-celery-beat ``PeriodicTask`` (every
day at 02:30, Asia/Shanghai), which the CB can change or disable in the admin site (Periodic
tasks). Each programme's stored next due date is kept current by signals on every save; bulk
updates send no signal and the calendar moves on without a save, so this refreshes them all.
"""

from celery import shared_task

from . import services


@shared_task(name="audits.tasks.refresh_programme_next_due")
def refresh_programme_next_due() -> dict[str, int]:
    """Refresh every active programme's next due date, in batches; running it twice changes nothing more."""
    return {"programmes": services.programme_next_due_refresh_all()}
