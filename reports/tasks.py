"""Celery tasks of the reports app: thin wrappers around ``reports.version_services``.

``render_report_version`` is queued by ``version_services.render_request`` with
``transaction.on_commit`` (never before the job row is committed). Failures other than a
refusal are retried with exponential back-off (``REPORT_PDF_RETRY_SECONDS`` × 2^n, default 30 s,
60 s, 120 s) and then shown on the job with their reason. Run workers with
``--max-tasks-per-child`` (and a memory limit, see the README) so WeasyPrint's memory is
returned to the system regularly.
"""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from . import version_services

MAX_RETRIES = 3


def retry_countdown(retries):
    base = getattr(settings, "REPORT_PDF_RETRY_SECONDS", 30)
    return base * (2**retries)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, ignore_result=True)
def render_report_version(self, job_id, language=None):
    """Render job ``job_id``. ``language``: the requester's interface language, in which the job's
    messages are written (a worker has no request; the PDF's own language is the job's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run(self, job_id)


def _run(self, job_id):
    if self.request.is_eager:
        # Eager mode (no broker: development, the default set-up) runs the attempts in turn,
        # without sleeping between them: there is no worker to wait in.
        for attempt in range(self.max_retries + 1):
            try:
                version_services.render_job_run(job_id=job_id, final_attempt=attempt == self.max_retries)
                return
            except version_services.RenderRetryable:
                continue
        return
    final = self.request.retries >= self.max_retries
    try:
        version_services.render_job_run(job_id=job_id, final_attempt=final)
    except version_services.RenderRetryable as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
