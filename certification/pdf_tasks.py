"""Celery task of the certificate PDFs: a thin wrapper around ``certification.pdf_services``.

``issue_certificate_pdfs(certificate_ids, user_id)`` renders the issued PDF of each certificate
in every language (zh-hans and en). It is queued on commit by the decision's approval
(``certification.services``) and by the staff page (``pdf_services.pdf_request``, which may
ask for drafts: ``kind="draft"``). It is idempotent for issued PDFs: a language already issued
is skipped, so a redelivered or repeated task adds nothing.

WeasyPrint is imported only when a PDF is rendered (``core.pdf.render_pdf``), never when
this module is imported. Renders that fail for a reason that may pass (a font cache busy, the
storage unreachable) are retried with exponential back-off — ``CERTIFICATE_PDF_RETRY_SECONDS``
(default: ``REPORT_PDF_RETRY_SECONDS`` or 30 s) × 2^n — and, after the last attempt, logged with
their reason. Run workers with ``--max-tasks-per-child`` (see the README).
"""

from celery import shared_task
from django.conf import settings

from . import pdf_services
from .models.certificate import VersionKind

MAX_RETRIES = 3


def retry_countdown(retries):
    base = getattr(settings, "CERTIFICATE_PDF_RETRY_SECONDS", getattr(settings, "REPORT_PDF_RETRY_SECONDS", 30))
    return base * (2**retries)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, ignore_result=True)
def issue_certificate_pdfs(
    self, certificate_ids, user_id, kind=VersionKind.ISSUED, languages=None, replace=False, pending=None
):
    """Render the PDFs of ``certificate_ids`` as user ``user_id`` (None: the system).

    ``pending`` is for the task's own retries: the (certificate id, language) pairs still to do."""
    if pending is None:
        pending = pdf_services.pending_renders(certificate_ids=certificate_ids, languages=languages)
    pending = [tuple(pair) for pair in pending]
    if self.request.is_eager:
        # Eager mode (no broker: development, the default set-up) runs the attempts in turn,
        # without sleeping between them: there is no worker to wait in.
        for attempt in range(self.max_retries + 1):
            pending = pdf_services.certificate_pdfs_run(
                pending=pending, user_id=user_id, kind=kind, replace=replace, final_attempt=attempt == self.max_retries
            )
            if not pending:
                return
        return
    left = pdf_services.certificate_pdfs_run(
        pending=pending,
        user_id=user_id,
        kind=kind,
        replace=replace,
        final_attempt=self.request.retries >= self.max_retries,
    )
    if left:
        raise self.retry(
            args=(certificate_ids, user_id),
            kwargs={"kind": kind, "languages": languages, "replace": replace, "pending": [list(pair) for pair in left]},
            countdown=retry_countdown(self.request.retries),
        )
