"""Celery task of the report PDFs: a thin wrapper around ``reports.versions.services``.

``render_report_version`` is queued by ``services.render_request`` with
``transaction.on_commit`` (never before the job row is committed). Failures other than a
refusal are retried with exponential back-off (``REPORT_PDF_RETRY_SECONDS`` × 2^n, default 30 s,
60 s, 120 s; ``core.issued.run_with_retries``) and then shown on the job with their reason. Run
workers with ``--max-tasks-per-child`` (and a memory limit, see the README) so WeasyPrint's
memory is returned to the system regularly.

The task keeps the name it had as ``reports.tasks.render_report_version``, so messages queued
before a deploy still find it; ``reports.apps`` imports this module so a worker registers it.
"""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from core.issued import retry_countdown as _countdown
from core.issued import run_with_retries

from . import services

MAX_RETRIES = 3
assert services.MAX_ATTEMPTS == MAX_RETRIES + 1


def retry_base_seconds() -> float:
    return getattr(settings, "REPORT_PDF_RETRY_SECONDS", 30)


def retry_countdown(retries: int) -> float:
    return _countdown(retry_base_seconds(), retries)


@shared_task(
    name="reports.tasks.render_report_version", bind=True, max_retries=MAX_RETRIES, acks_late=True, ignore_result=True
)
def render_report_version(self, job_id: int, language: str | None = None) -> None:
    """Render job ``job_id``. ``language``: the requester's interface language, in which the job's
    messages are written (a worker has no request; the PDF's own language is the job's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        run_with_retries(
            self,
            lambda final: services.render_job_run(job_id=job_id, final_attempt=final),
            base_seconds=retry_base_seconds(),
        )


@shared_task(name="reports.tasks.resume_render_jobs", ignore_result=True)
def resume_render_jobs() -> None:
    """The beat job (every minute, ``CELERY_BEAT_SCHEDULE``): send again the render jobs whose
    message was lost while the broker was down, queue again those whose worker died."""
    services.render_jobs_resume()
