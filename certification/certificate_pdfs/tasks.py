"""Celery task of the certificate PDFs: a thin wrapper around ``certificate_pdfs.services``.

``issue_certificate_pdfs(certificate_ids, user_id)`` renders the issued PDF of each certificate
in every language (zh-hans and en). It is queued on commit by the decision's approval
(``certification.services``) and by the staff page (``services.pdf_request``, which may ask for
drafts: ``kind="draft"``). It is idempotent for issued PDFs: a language already issued is
skipped, so a redelivered or repeated task adds nothing.

WeasyPrint is imported only when a PDF is rendered (``core.pdf.render_pdf``), never when
this module is imported. Renders that fail for a reason that may pass (a font cache busy, the
storage unreachable) are retried with exponential back-off (``core.issued.run_with_retries``)
— ``CERTIFICATE_PDF_RETRY_SECONDS`` (default: ``REPORT_PDF_RETRY_SECONDS`` or 30 s) × 2^n — and,
after the last attempt, logged with their reason. Run workers with ``--max-tasks-per-child``
(see the README).

The task keeps the name it had as ``certification.pdf_tasks.issue_certificate_pdfs``, so
messages queued before a deploy still find it; ``certification.tasks`` imports this module so a
worker registers it.
"""

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings

from core.issued import RetryLater, VersionKind, run_with_retries
from core.issued import retry_countdown as _countdown

from . import services

MAX_RETRIES = 3


def retry_base_seconds() -> float:
    return getattr(settings, "CERTIFICATE_PDF_RETRY_SECONDS", getattr(settings, "REPORT_PDF_RETRY_SECONDS", 30))


def retry_countdown(retries: int) -> float:
    return _countdown(retry_base_seconds(), retries)


@shared_task(
    name="certification.pdf_tasks.issue_certificate_pdfs",
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    ignore_result=True,
)
def issue_certificate_pdfs(
    self,
    certificate_ids: list[int],
    user_id: int | None,
    kind: str = VersionKind.ISSUED,
    languages: Iterable[str] | None = None,
    replace: bool = False,
    pending: Iterable[Iterable] | None = None,
) -> None:
    """Render the PDFs of ``certificate_ids`` as user ``user_id`` (None: the system).

    ``pending`` is for the task's own retries: the (certificate id, language) pairs still to do."""
    if pending is None:
        pending = services.pending_renders(certificate_ids=certificate_ids, languages=languages)
    left = [tuple(pair) for pair in pending]

    def attempt(final: bool) -> None:
        nonlocal left
        left = services.certificate_pdfs_run(
            pending=left, user_id=user_id, kind=kind, replace=replace, final_attempt=final
        )
        if left:
            raise RetryLater(
                task_kwargs={
                    "kind": kind,
                    "languages": languages,
                    "replace": replace,
                    "pending": [list(pair) for pair in left],
                }
            )

    run_with_retries(self, attempt, base_seconds=retry_base_seconds())
