"""Celery tasks of the certification app: thin wrappers around services.

``certification_daily`` runs every day from Celery beat: the migration
``certification.0003_daily_task`` creates its django-celery-beat ``PeriodicTask`` (00:05
Asia/Shanghai), which the CB can change or disable in the admin site (Periodic tasks).
"""

import datetime

from celery import shared_task

from . import services


@shared_task(name="certification.tasks.certification_daily")
def certification_daily(today=None):
    """Expire certificates past their expiry and flag overdue matters to the committee; it never
    decides. Running it twice the same day changes nothing. ``today``: an ISO date (tests)."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.certification_daily(today=day).as_dict()


from .certificate_pdfs.tasks import issue_certificate_pdfs  # noqa: F401,E402 (the worker registers the certificate-PDF task)
