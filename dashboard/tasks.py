"""Celery tasks of the dashboard app: thin wrappers.

``weekly_digest`` runs from Celery beat; ``dashboard.0002_weekly_digest_schedule`` ships its
django-celery-beat row (Mondays 07:30 Asia/Shanghai), which the CB may change in the admin site.
Running it twice in a week sends nothing more (``dashboard.models.DigestSent``)."""

from celery import shared_task

from . import digest


@shared_task(name="dashboard.tasks.weekly_digest")
def weekly_digest() -> dict[str, int]:
    run = digest.weekly_digest_send()
    return {"sent": run.sent, "skipped": run.skipped}
