"""Rules of the certificate PDFs: who may render them, rendering and storing a version, and
the batch the Celery task runs (``certification.certificate_pdfs.tasks.issue_certificate_pdfs``).

* ``certificate_pdf_render`` — renders one certificate in one language and stores an immutable
  ``CertificateVersion`` (``core.issued``: SHA-256, size, pages, the data snapshot). A draft carries the DRAFT
  mark; the issued PDF is PDF/A-3b with the certificate's data attached as ``certificate.json``.
  Only a valid certificate (01) is issued, once per language: asking again returns a refusal
  (``already_issued``) unless ``replace`` is given, which stores a new issued PDF that names the
  one it replaces (client users then see only the new one; staff keep both).
* ``pdf_request`` — a CB administrator asks for PDFs from a page: queued (Celery, on commit),
  never rendered in the request; asking again while the same PDFs are queued does nothing.
* ``certificate_pdfs_run`` — the task's body: renders what is pending, drops refusals, keeps
  what failed for a reason that may pass (the task retries it with back-off).
* ``pdf_jobs_create`` — with a decision's approval, one queued ``CertificatePdfJob`` per new
  certificate; the task moves it to rendering, then ready or failed (or back to queued for a
  retry), with conditional updates, as ``reports.RenderJob`` goes. The decision page polls them.

Who: CB administrators render drafts and issue; the approver of the decision (permission
``certification.approve_decision``) issues — the task queued on approval runs as them;
``by=None`` is the system. Views, the task and the demo call these; none re-implements a rule.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Role
from core.issued import ISSUED_PDF_VARIANT, VersionKind, storing
from core.issued import pdf_languages as pdf_languages

from ..models import Certificate, CertificatePdfJob, CertificateStatus, CertificateVersion
from ..models.pdf_job import RenderStatus
from .render import load_certificate, render_certificate

logger = logging.getLogger(__name__)

#: How long a queued request blocks the same request (seconds); the task clears it when done.
REQUEST_LOCK_SECONDS = 600


# --- who -------------------------------------------------------------------------------------------


def may_render(*, user: Any, kind: str) -> bool:
    """CB administrators render drafts and issue; holders of ``certification.approve_decision``
    issue (the PDFs of the certificates their approval creates). ``None`` is the system."""
    if user is None:
        return True
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.role == Role.CB_ADMIN:
        return True
    return kind == VersionKind.ISSUED and user.has_perm("certification.approve_decision")


def issued_in_force(*, certificate: Certificate, language: str) -> CertificateVersion | None:
    """The issued PDF of ``certificate`` in ``language`` that no later one replaces."""
    return (
        CertificateVersion.objects.in_force()
        .filter(certificate=certificate, language=language)
        .order_by("-sequence")
        .first()
    )


def issue_refusal(*, certificate: Certificate, language: str | None = None, replace: bool = False) -> str | None:
    """Why ``certificate`` may not be issued (in ``language``) now, or None."""
    if certificate.status != CertificateStatus.VALID:
        return _("Only a valid certificate is issued; this one is %(status)s.") % {
            "status": certificate.get_status_display()
        }
    if language is not None and not replace and issued_in_force(certificate=certificate, language=language):
        return _("The certificate has already been issued in this language.")
    return None


# --- rendering and storing -------------------------------------------------------------------------


def _check(*, certificate: Certificate, language: str, kind: str, by: Any, replace: bool) -> None:
    if language not in pdf_languages():
        raise ValidationError(_("Unknown language for the PDF."), code="language")
    if kind not in VersionKind.values:
        raise ValidationError(_("Unknown kind of PDF."), code="kind")
    if not may_render(user=by, kind=kind):
        raise PermissionDenied(
            _("Only CB administrators render certificate PDFs (and the approver issues the certificates approved).")
        )
    if kind == VersionKind.ISSUED:
        refusal = issue_refusal(certificate=certificate, language=language, replace=replace)
        if refusal:
            code = "already_issued" if certificate.status == CertificateStatus.VALID else "wrong_status"
            raise ValidationError(refusal, code=code)


def certificate_pdf_render(
    *,
    certificate: Certificate,
    language: str,
    kind: str,
    by: Any,
    replace: bool = False,
    strict_glyphs: bool = False,
) -> CertificateVersion:
    """Render ``certificate`` in ``language`` (``kind`` draft or issued) and store the version.

    Rendering (about a second) runs outside any transaction; the version is then stored in one,
    with the certificate's row locked and the rules checked again, so two renders at the same
    time never share a sequence number and never issue the same language twice. Returns the
    ``CertificateVersion``."""
    _check(certificate=certificate, language=language, kind=kind, by=by, replace=replace)
    certificate = load_certificate(certificate.pk)
    draft = kind == VersionKind.DRAFT
    now = timezone.now()
    rendered = render_certificate(
        certificate=certificate,
        language=language,
        draft=draft,
        issued_at=now,
        issued_by=(by.get_full_name() or by.username) if by is not None else "",
        strict_glyphs=strict_glyphs,
    )
    result = rendered.result
    version = CertificateVersion(
        certificate=certificate,
        kind=kind,
        language=language,
        sha256=result.sha256,
        size=result.size,
        pages=result.pages,
        pdf_variant="" if draft else ISSUED_PDF_VARIANT,
        data=rendered.snapshot,
        created_by=by,
        created_at=now,
    )
    with storing(version, result.pdf):
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if kind == VersionKind.ISSUED:
            _check(certificate=locked, language=language, kind=kind, by=by, replace=replace)
            version.replaces = issued_in_force(certificate=locked, language=language) if replace else None
        version.sequence = (
            CertificateVersion.objects.filter(certificate=locked).aggregate(m=Max("sequence"))["m"] or 0
        ) + 1
        version.save()
    logger.info(
        "certificate %s %s PDF (%s) v%s: %s pages, %s bytes, data %.2f s, template %.2f s, WeasyPrint %.2f s",
        certificate.number,
        kind,
        language,
        version.sequence,
        result.pages,
        result.size,
        rendered.data_seconds,
        result.html_seconds,
        result.render_seconds,
    )
    if result.glyph_warnings:
        logger.warning(
            "certificate %s PDF (%s): missing glyphs: %s", certificate.number, language, result.glyph_warnings
        )
    return version


# --- requests and the task's body ------------------------------------------------------------------


def _lock_key(certificate_id: int, kind: str) -> str:
    return f"certification:pdf-request:{certificate_id}:{kind}"


def pdf_request(
    *,
    certificate: Certificate,
    kind: str,
    by: Any,
    languages: Iterable[str] | None = None,
    replace: bool = False,
) -> bool:
    """Queue the PDFs of ``certificate`` (Celery, after the transaction commits). Returns True
    when queued, False when the same request is still queued or running (nothing new starts).

    Checked here, before queueing: the user's right, and for issued PDFs that the certificate is
    valid and (without ``replace``) not issued yet in at least one of the languages."""
    languages = list(languages or pdf_languages())
    for language in languages:
        if language not in pdf_languages():
            raise ValidationError(_("Unknown language for the PDF."), code="language")
    if not may_render(user=by, kind=kind):
        raise PermissionDenied(_("Only CB administrators render certificate PDFs."))
    if kind == VersionKind.ISSUED:
        refusal = issue_refusal(certificate=certificate)
        if refusal:
            raise ValidationError(refusal, code="wrong_status")
        if not replace:
            languages = [lang for lang in languages if issued_in_force(certificate=certificate, language=lang) is None]
            if not languages:
                raise ValidationError(
                    _("The certificate has already been issued in every language."), code="already_issued"
                )
    if not cache.add(_lock_key(certificate.pk, kind), 1, REQUEST_LOCK_SECONDS):
        return False
    user_id = by.pk if by is not None else None
    transaction.on_commit(lambda: _enqueue(certificate.pk, user_id, kind, languages, replace))
    return True


def _enqueue(certificate_id: int, user_id: int | None, kind: str, languages: list[str], replace: bool) -> None:
    from .tasks import issue_certificate_pdfs  # the task module imports this one

    try:
        issue_certificate_pdfs.delay([certificate_id], user_id, kind=kind, languages=languages, replace=replace)
    except Exception:
        logger.exception("certificate PDFs of %s could not be queued", certificate_id)
        cache.delete(_lock_key(certificate_id, kind))


def issued_pdfs_send(*, certificate_ids: list[int], user_id: int | None) -> bool:
    """Queue the issued PDFs of newly issued certificates (a decision's approval, after commit).
    When the broker cannot be reached the error is logged, not raised: the approval is saved, its
    PDF jobs fail with that reason, and the certificate's PDF page shows the PDFs as not issued,
    with the button that asks again."""
    from .tasks import issue_certificate_pdfs  # the task module imports this one

    try:
        issue_certificate_pdfs.delay(certificate_ids, user_id)
    except Exception:
        logger.exception("the issued PDFs of certificates %s could not be queued", certificate_ids)
        _jobs(certificate_ids, RenderStatus.QUEUED).update(
            status=RenderStatus.FAILED,
            message=_(
                "The PDFs could not be queued (the job queue is unreachable); ask for them on the certificate's PDF page."
            ),
            finished_at=timezone.now(),
        )
        return False
    return True


# --- the progress shown on the decision page -------------------------------------------------------


@transaction.atomic
def pdf_jobs_create(*, decision: Any, certificates: Sequence[Certificate], by: Any) -> list[CertificatePdfJob]:
    """One queued job per certificate whose issued PDFs an approval asks for (in its transaction)."""
    return CertificatePdfJob.objects.bulk_create(
        CertificatePdfJob(certificate=certificate, decision=decision, requested_by=by) for certificate in certificates
    )


def _jobs(certificate_ids: Iterable[int], *statuses: str) -> Any:
    return CertificatePdfJob.objects.filter(certificate_id__in=list(certificate_ids), status__in=statuses)


def _job_outcomes(
    pending: Sequence[tuple[int, str]], outcomes: dict[int, str], left: Sequence[tuple[int, str]]
) -> None:
    """Write each certificate's job: back to queued when some of its PDFs are retried, failed with
    the reason when one could not be rendered, ready otherwise (already issued counts as done)."""
    now = timezone.now()
    retried = {pk for pk, _language in left}
    for certificate_id in dict.fromkeys(pk for pk, _language in pending):
        jobs = _jobs([certificate_id], RenderStatus.RENDERING)
        if certificate_id in retried:
            jobs.update(status=RenderStatus.QUEUED, message=_("Failed; it will be tried again shortly."))
        elif certificate_id in outcomes:
            jobs.update(status=RenderStatus.FAILED, message=outcomes[certificate_id], finished_at=now)
        else:
            jobs.update(status=RenderStatus.READY, message="", finished_at=now)


def pending_renders(*, certificate_ids: Iterable[int], languages: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """[(certificate id, language), …] for every certificate and language."""
    languages = list(languages or pdf_languages())
    return [(int(pk), language) for pk in certificate_ids for language in languages]


def certificate_pdfs_run(
    *,
    pending: Sequence[tuple[int, str]],
    user_id: int | None,
    kind: str = VersionKind.ISSUED,
    replace: bool = False,
    final_attempt: bool = True,
) -> list[tuple[int, str]]:
    """Render every ``(certificate id, language)`` in ``pending``. Returns what is left to retry
    (empty when done). A refusal (no such certificate, not valid, already issued, not allowed)
    is logged and dropped; any other error keeps the render pending, or on the final attempt
    is logged as a failure."""
    # Not one transaction: each PDF is stored in its own (certificate_pdf_render), so one that
    # fails is retried without undoing those already issued.
    by = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    if user_id is not None and by is None:
        logger.error("certificate PDFs: user %s no longer exists; nothing rendered", user_id)
        return []
    left: list[tuple[int, str]] = []
    #: certificate id -> why one of its PDFs was not rendered (the job's message)
    outcomes: dict[int, str] = {}
    track = kind == VersionKind.ISSUED  # jobs follow the issued PDFs an approval asked for
    if track:
        _jobs({pk for pk, _language in pending}, RenderStatus.QUEUED).update(
            status=RenderStatus.RENDERING, started_at=timezone.now()
        )
    try:
        for certificate_id, language in pending:
            certificate = Certificate.objects.filter(pk=certificate_id).first()
            if certificate is None:
                logger.error("certificate PDF: no certificate %s", certificate_id)
                continue
            try:
                certificate_pdf_render(certificate=certificate, language=language, kind=kind, by=by, replace=replace)
            except ValidationError as exc:
                already = getattr(exc, "code", "") == "already_issued"
                if not already:
                    outcomes[certificate_id] = " ".join(exc.messages)
                logger.log(
                    logging.INFO if already else logging.WARNING,
                    "certificate %s PDF (%s) not rendered: %s",
                    certificate.number,
                    language,
                    " ".join(exc.messages),
                )
            except PermissionDenied as exc:
                outcomes[certificate_id] = str(exc)
                logger.warning("certificate %s PDF (%s) refused: %s", certificate.number, language, exc)
            except Exception as exc:
                if final_attempt:
                    outcomes[certificate_id] = _("The PDF could not be produced: %(reason)s") % {
                        "reason": str(exc) or exc.__class__.__name__
                    }
                    logger.exception("certificate %s PDF (%s) failed; giving up", certificate.number, language)
                else:
                    logger.warning(
                        "certificate %s PDF (%s) failed; will retry", certificate.number, language, exc_info=True
                    )
                    left.append((certificate_id, language))
    finally:
        # WeasyPrint and fontTools leave reference cycles holding the parsed CJK fonts.
        gc.collect()
    if track:
        _job_outcomes(pending, outcomes, left)
    if not left or final_attempt:
        for certificate_id in {pk for pk, _language in pending}:
            cache.delete(_lock_key(certificate_id, kind))
    return left


@transaction.atomic
def issued_pdfs_queue(*, decision: Any, certificates: list[Certificate], by: Any) -> None:
    """Render the new certificates' PDFs once the approval is committed (a broker that cannot be
    reached does not turn the saved approval into an error: ``issued_pdfs_send``); their jobs,
    queued with the approval, show the progress on the decision page."""
    pdf_jobs_create(decision=decision, certificates=certificates, by=by)
    ids, user_id = [c.pk for c in certificates], (by.pk if by else None)
    transaction.on_commit(lambda: issued_pdfs_send(certificate_ids=ids, user_id=user_id))
