"""Celery tasks of the complaints app: thin wrappers of services.

``complaint_reminders`` runs daily from Celery beat; ``complaints.0002_reminder_schedule`` ships
its django-celery-beat row (08:10 Asia/Shanghai), which the CB may change in the admin site."""

from celery import shared_task

from . import services


@shared_task(name="complaints.tasks.complaint_reminders")
def complaint_reminders() -> dict[str, int]:
    return {"sent": services.complaint_reminders_send().sent}
