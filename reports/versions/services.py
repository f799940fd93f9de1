"""Rules of the report PDFs: report numbers, render requests, issuing, running a render.

Views, the Celery task (``reports.versions.tasks``) and the ``render_report`` command call these;
none re-implements a rule. The stored PDFs are ``core.issued`` PDFs: written once with their
hashes, issued ones never deleted.

* ``render_request`` — someone asks for a PDF: a draft (the audit's team or a CB
  administrator) or the issued report (the team leader, once the report is approved; a second
  issue in the same language is a correction: it needs a reason and replaces the issue in
  force). The report row is locked and at most one job per report may be queued or rendering
  (a partial unique constraint backs the check), so asking twice returns the running job.
  The Celery task is queued with ``transaction.on_commit``. Refusals: ``PermissionDenied`` for
  who, ``ValidationError`` with a code for what and when.
* ``render_job_run`` — the task's body (and the command's): claims the job, reads the data,
  renders, stores an immutable ``ReportVersion`` with both hashes; a refusal (the report was
  reopened meanwhile …) fails the job at once, any other error is retried by the task with
  back-off and, after the last attempt, shown with its reason.
* ``report_number_assign`` — the report number, once per report, at its first render:
  ``<CB code>-<systems>-<year>-<serial>``: the CB's three-digit code (``CB`` while it is not
  set), the audit's systems as Q/E/S letters (the seed's "Q/J/E/S" convention), the year of the
  audit's last day, and a four-digit serial counted per prefix and year, e.g. ``CB-Q-2020-0001``.
"""

from __future__ import annotations

import datetime
import gc
import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audits.models import CertificationBody
from core.access import Role
from core.issued import ISSUED_PDF_VARIANT, RetryLater, storing
from core.issued import pdf_languages as pdf_languages

from ..models import (
    ACTIVE_RENDER_STATUSES,
    RenderJob,
    RenderStatus,
    Report,
    ReportNumber,
    ReportStatus,
    ReportVersion,
    VersionKind,
)
from ..rules import is_leader, team_assignment_of
from .render import build_print_document, load_report, render_report

logger = logging.getLogger(__name__)

SYSTEM_LETTERS = {"QMS": "Q", "EMS": "E", "OHSMS": "S"}
#: A job left "rendering" this long (its worker died) may be claimed again. A CB setting
#: (``REPORT_PDF_STALE_SECONDS``): a render takes seconds, a minute at worst (bench/pdf.py).
RENDER_STALE_AFTER = datetime.timedelta(minutes=15)
#: A job queued this long and never started (its message was lost: the broker was down when it
#: was asked for) is sent again. A CB setting (``REPORT_PDF_RESEND_SECONDS``).
RENDER_RESEND_AFTER = datetime.timedelta(minutes=2)
#: How many times a job is claimed before a dead worker fails it: the task's attempts.
MAX_ATTEMPTS = 4


def stale_after() -> datetime.timedelta:
    seconds = getattr(settings, "REPORT_PDF_STALE_SECONDS", None)
    return RENDER_STALE_AFTER if seconds is None else datetime.timedelta(seconds=seconds)


def resend_after() -> datetime.timedelta:
    seconds = getattr(settings, "REPORT_PDF_RESEND_SECONDS", None)
    return RENDER_RESEND_AFTER if seconds is None else datetime.timedelta(seconds=seconds)


class RenderRetryable(RetryLater):
    """The render failed for a reason that may pass (the task retries it)."""


def default_language(report: Report | None = None) -> str:
    """The language a report is rendered in unless someone picks another: the report's own
    language (``Report.language``, set with the report's choices), else the CB's (LANGUAGE_CODE)."""
    language = getattr(report, "language", "") if report is not None else ""
    return language if language in pdf_languages() else settings.LANGUAGE_CODE


# --- who ---------------------------------------------------------------------------------------


def may_render_draft(*, report: Report, user: Any) -> bool:
    """The audit's team and CB administrators may render draft PDFs."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.role == Role.CB_ADMIN:
        return True
    return (
        user.role in (Role.AUDITOR, Role.TEAM_LEADER) and team_assignment_of(audit=report.audit, user=user) is not None
    )


def may_issue(*, report: Report, user: Any) -> bool:
    """Only the audit's team leader issues the report."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return is_leader(audit=report.audit, user=user)


def issue_refusal(*, report: Report, user: Any) -> str | None:
    """Why ``user`` may not issue ``report`` now, or None."""
    if not may_issue(report=report, user=user):
        return _("Only the audit's team leader may issue the report.")
    if report.status != ReportStatus.APPROVED:
        return _("The report can be issued once the team leader has approved it.")
    return None


def issued_in_force(*, report: Report, language: str) -> ReportVersion | None:
    """The issued version of ``report`` in ``language`` that no correction has replaced."""
    return ReportVersion.objects.in_force().filter(report=report, language=language).order_by("-issue").first()


# --- report number -----------------------------------------------------------------------------


def _number_parts(report: Report) -> tuple[str, str, int]:
    cb = CertificationBody.objects.current()
    prefix = (cb.cb_code if cb is not None else "") or "CB"
    audit = report.audit
    systems = "".join(SYSTEM_LETTERS.get(family, family[:1]) for family in audit.families) or "X"
    return prefix, systems, audit.end_date.year


@transaction.atomic
def report_number_assign(*, report: Report) -> ReportNumber:
    """The report's number, assigned on first use (the caller holds the report's row lock)."""
    existing = ReportNumber.objects.filter(report=report).first()
    if existing is not None:
        return existing
    prefix, systems, year = _number_parts(report)
    for _attempt in range(10):
        last = ReportNumber.objects.filter(prefix=prefix, year=year).aggregate(m=Max("serial"))["m"] or 0
        serial = last + 1
        number = f"{prefix}-{systems}-{year}-{serial:04d}"
        try:
            with transaction.atomic():
                return ReportNumber.objects.create(
                    report=report, prefix=prefix, systems=systems, year=year, serial=serial, number=number
                )
        except IntegrityError:
            # Another report took this serial at the same moment: count again.
            existing = ReportNumber.objects.filter(report=report).first()
            if existing is not None:
                return existing
    raise ValidationError(_("No report number could be assigned; try again."), code="number")


# --- requests ----------------------------------------------------------------------------------


def _enqueue(job_id: int, language: str | None = None) -> None:
    """Send the task (after commit). ``language``: the requester's interface language, which the
    task's messages (failures, retries) are written in. If the broker cannot be reached the job
    stays queued and says it is waiting for the queue (the request does not fail):
    ``render_jobs_resume``, run by beat every minute, sends it again once the broker is back."""
    from .tasks import render_report_version  # the task module imports this one

    try:
        render_report_version.delay(job_id, language=language)
    except Exception as exc:
        logger.warning("render job %s could not be queued: %s", job_id, exc)
        RenderJob.objects.filter(pk=job_id, status=RenderStatus.QUEUED).update(
            message=_(
                "Waiting for the job queue, which cannot be reached (%(reason)s): the PDF will be rendered "
                "as soon as it is back. Nothing needs to be asked again."
            )
            % {"reason": exc.__class__.__name__}
        )
    else:
        RenderJob.objects.filter(pk=job_id, status=RenderStatus.QUEUED, attempts=0).exclude(message="").update(
            message=""
        )


def _check_issue(*, report: Report, by: Any, language: str, correction_reason: str) -> ReportVersion | None:
    """Refuse an issue ``by`` may not make now; returns the issue in force it corrects, if any."""
    if by is not None and not may_issue(report=report, user=by):
        raise PermissionDenied(_("Only the audit's team leader may issue the report."))
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("The report can be issued once the team leader has approved it."), code="wrong_status")
    replaces = issued_in_force(report=report, language=language)
    if replaces is not None and not correction_reason:
        raise ValidationError(
            _("Issue %(issue)s is in force: say why it is corrected, the new issue will replace it.")
            % {"issue": replaces.issue},
            code="reason_required",
        )
    return replaces


@transaction.atomic
def render_request(
    *,
    report: Report,
    by: Any,
    kind: str = VersionKind.DRAFT,
    language: str | None = None,
    correction_reason: str = "",
    enqueue: bool = True,
) -> tuple[RenderJob, bool]:
    """Ask for a PDF of ``report``. Returns ``(job, created)``: while a render of the report is
    queued or running, that job is returned and nothing new starts. ``by=None``: the command line.

    Refused with ``PermissionDenied`` when ``by`` may not render (drafts: the audit's team and CB
    administrators; issues: the team leader), with ``ValidationError`` when the report is not
    approved (an issue), a correction gives no reason, or the language or kind is unknown."""
    language = language or default_language(report)
    if language not in pdf_languages():
        raise ValidationError(_("Unknown language for the PDF."), code="language")
    report = Report.objects.select_for_update().select_related("audit").get(pk=report.pk)
    replaces = None
    correction_reason = (correction_reason or "").strip()
    if kind == VersionKind.ISSUED:
        replaces = _check_issue(report=report, by=by, language=language, correction_reason=correction_reason)
        if replaces is None:
            correction_reason = ""
    elif kind == VersionKind.DRAFT:
        if by is not None and not may_render_draft(report=report, user=by):
            raise PermissionDenied(_("Only the audit's team and CB administrators may render draft PDFs."))
    else:
        raise ValidationError(_("Unknown kind of PDF."), code="kind")

    active = RenderJob.objects.filter(report=report, status__in=ACTIVE_RENDER_STATUSES).first()
    if active is not None:
        if active.status == RenderStatus.RENDERING and _reclaim(active.pk, timezone.now(), MAX_ATTEMPTS):
            # Its worker died: asking again queues it again (render_jobs_resume would, in a minute).
            stale_id, messages_language = active.pk, translation.get_language() or settings.LANGUAGE_CODE
            transaction.on_commit(lambda: _enqueue(stale_id, messages_language))
            active.refresh_from_db()
        return active, False
    report_number_assign(report=report)
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(
                report=report,
                kind=kind,
                language=language,
                requested_by=by,
                replaces=replaces,
                correction_reason=correction_reason,
            )
    except IntegrityError:
        active = RenderJob.objects.filter(report=report, status__in=ACTIVE_RENDER_STATUSES).first()
        if active is None:
            raise
        return active, False
    if enqueue:
        messages_language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: _enqueue(job.pk, messages_language))
    return job, True


# --- running a job -----------------------------------------------------------------------------
# A job's status (queued → rendering → ready / failed, back to queued for a retry) is the
# progress of a background computation, not a record's lifecycle: only the functions below
# write it, with conditional updates under the job's row lock. Running a job is therefore not one
# transaction: the claim, the stored version and a failure each commit on their own, so the job
# shows its progress and a failed render keeps its reason.


@transaction.atomic
def _claim(job_id: int) -> RenderJob | None:
    job = RenderJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        return None
    stale = job.status == RenderStatus.RENDERING and job.started_at and job.started_at < timezone.now() - stale_after()
    if job.status != RenderStatus.QUEUED and not stale:
        return None  # already done, or running elsewhere (a redelivered message)
    job.status = RenderStatus.RENDERING
    job.attempts += 1
    job.started_at = timezone.now()
    job.save(update_fields=["status", "attempts", "started_at"])
    return job


class Superseded(Exception):
    """This attempt's claim on the job was given to another (its worker was taken for dead)."""


def _ours(job: RenderJob) -> Any:
    """The job's row while this attempt still holds it: rendering, and claimed by this attempt
    (``attempts`` is the claim's fencing token: a reclaim counts one more)."""
    return RenderJob.objects.filter(pk=job.pk, status=RenderStatus.RENDERING, attempts=job.attempts)


def _finish(job: RenderJob, status: str, message: str = "") -> RenderJob:
    """Record the attempt's outcome, unless the job was reclaimed meanwhile (then untouched)."""
    finished = None if status == RenderStatus.QUEUED else timezone.now()
    _ours(job).update(status=status, message=message[:2000], finished_at=finished)
    job.refresh_from_db()
    return job


def version_label(*, kind: str, sequence: int, issue: int | None, language: str) -> str:
    """The label the PDF prints: ``sequence`` is the version's number in its language."""
    with translation.override(language):
        if kind == VersionKind.ISSUED:
            return _("Issue %(issue)s") % {"issue": issue}
        return _("Draft, version %(sequence)s") % {"sequence": sequence}


def _next_numbers(report: Report, kind: str, language: str) -> tuple[int, int, int | None]:
    """The report-wide sequence, the version's number in its language (the first English render
    is version 1 however many Chinese ones came before), and the issue number (per language)."""
    sequence = (ReportVersion.objects.filter(report=report).aggregate(m=Max("sequence"))["m"] or 0) + 1
    language_version = (
        ReportVersion.objects.filter(report=report, language=language).aggregate(m=Max("language_version"))["m"] or 0
    ) + 1
    issue = None
    if kind == VersionKind.ISSUED:
        issue = (
            ReportVersion.objects.filter(report=report, kind=VersionKind.ISSUED, language=language).aggregate(
                m=Max("issue")
            )["m"]
            or 0
        ) + 1
    return sequence, language_version, issue


def _still_issuable(report: Report) -> None:
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(
            _("The report is no longer approved (it was reopened): it was not issued."), code="wrong_status"
        )


def _render_and_store(job: RenderJob, *, strict_glyphs: bool = False) -> ReportVersion:
    report = load_report(job.report_id)
    if job.kind == VersionKind.ISSUED:
        _still_issuable(report)
    number = ReportNumber.objects.get(report=report).number
    sequence, language_version, issue = _next_numbers(report, job.kind, job.language)
    draft = job.kind == VersionKind.DRAFT
    started = time.perf_counter()
    document = build_print_document(report=report, language=job.language, number=number)
    data_seconds = time.perf_counter() - started
    now = timezone.now()
    rendered = render_report(
        report=report,
        language=job.language,
        number=number,
        draft=draft,
        issue=issue,
        replaces=job.replaces.issue if job.replaces is not None else None,
        version_label=version_label(kind=job.kind, sequence=language_version, issue=issue, language=job.language),
        issued_at=now,
        issued_by=(job.requested_by.get_full_name() or job.requested_by.username) if job.requested_by else "",
        strict_glyphs=strict_glyphs,
        document=document,
        data_seconds=data_seconds,
    )
    result = rendered.result
    version = ReportVersion(
        report=report,
        kind=job.kind,
        sequence=sequence,
        language_version=language_version,
        issue=issue,
        language=job.language,
        report_number=number,
        report_status=report.status,
        sha256=result.sha256,
        size=result.size,
        pages=result.pages,
        pdf_variant="" if draft else ISSUED_PDF_VARIANT,
        data=rendered.snapshot,
        data_sha256=rendered.data_sha256,
        replaces=job.replaces,
        correction_reason=job.correction_reason,
        created_by=job.requested_by,
        created_at=now,
        data_seconds=rendered.data_seconds,
        html_seconds=result.html_seconds,
        render_seconds=result.render_seconds,
        warnings=list(result.warnings) + [f"refused: {url}" for url in result.refused_urls],
    )
    with storing(version, result.pdf):
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not _ours(job).select_for_update().exists():
            # A worker taken for dead finished after all: the reclaimed attempt stores the PDF.
            raise Superseded(job.pk)
        if (
            job.kind == VersionKind.ISSUED
            and job.replaces_id is None
            and issued_in_force(report=locked, language=job.language)
        ):
            raise ValidationError(_("The report has already been issued in this language."), code="issued")
        if job.kind == VersionKind.ISSUED:
            _still_issuable(locked)
            if job.replaces_id and ReportVersion.objects.filter(replaces_id=job.replaces_id).exists():
                raise ValidationError(_("That issue has already been corrected."), code="replaced")
        version.save()
        RenderJob.objects.filter(pk=job.pk).update(
            status=RenderStatus.READY, version=version, message="", finished_at=timezone.now()
        )
    job.refresh_from_db()
    return version


def render_job_run(*, job_id: int, final_attempt: bool = True, strict_glyphs: bool = False) -> RenderJob | None:
    """Run one render job (the Celery task's body; the command calls it directly).

    Returns the job (None when it is not there). A refusal fails the job with its message; any
    other error fails it on the final attempt and otherwise raises ``RenderRetryable`` after
    putting the job back in the queue with the reason."""
    job = _claim(job_id)
    if job is None:
        return RenderJob.objects.filter(pk=job_id).first()
    try:
        _render_and_store(job, strict_glyphs=strict_glyphs)
    except Superseded:
        logger.warning("render job %s: attempt %s was superseded by a reclaim", job.pk, job.attempts)
        return RenderJob.objects.filter(pk=job_id).first()
    except ValidationError as exc:
        return _finish(job, RenderStatus.FAILED, " ".join(exc.messages))
    except Exception as exc:
        logger.exception("render job %s failed (attempt %s)", job.pk, job.attempts)
        reason = f"{exc.__class__.__name__}: {exc}"
        if final_attempt:
            return _finish(
                job, RenderStatus.FAILED, _("The PDF could not be produced: %(reason)s") % {"reason": reason}
            )
        _finish(
            job,
            RenderStatus.QUEUED,
            _("Attempt %(attempt)s failed (%(reason)s); trying again.") % {"attempt": job.attempts, "reason": reason},
        )
        raise RenderRetryable(reason) from exc
    finally:
        # WeasyPrint and fontTools leave reference cycles holding the parsed CJK font tables
        # (tens of MiB); collecting now keeps a worker at ~115 MiB between renders instead of
        # 200-380 MiB (bench/pdf.py).
        gc.collect()
    return job


@transaction.atomic
def _reclaim(job_id: int, now: datetime.datetime, max_attempts: int) -> bool:
    """A job left "rendering" by a worker that died: queued again with a message (True), or,
    after ``max_attempts`` claims, failed with its reason."""
    job = RenderJob.objects.select_for_update().filter(pk=job_id, status=RenderStatus.RENDERING).first()
    if job is None or job.started_at is None or job.started_at >= now - stale_after():
        return False
    if job.attempts >= max_attempts:
        job.status, job.finished_at = RenderStatus.FAILED, now
        job.message = _(
            "The PDF could not be produced: the worker rendering it stopped %(n)s times. Ask for it again."
        ) % {"n": job.attempts}
        job.save(update_fields=["status", "finished_at", "message"])
        return False
    job.status = RenderStatus.QUEUED
    job.message = _("The worker rendering it stopped (attempt %(attempt)s); trying again.") % {"attempt": job.attempts}
    job.save(update_fields=["status", "message"])
    return True


def render_jobs_resume(*, now: datetime.datetime | None = None, max_attempts: int = MAX_ATTEMPTS) -> list[int]:
    """Nothing asked for is lost (the beat job, every minute): a job queued and never started for
    ``resend_after()`` (its message was lost: the broker was down) is sent again, and a job left
    "rendering" for ``stale_after()`` (its worker was killed) is queued again — or failed with its
    reason after ``max_attempts`` claims (the task's attempts). A duplicate message is harmless:
    a job is claimed once. Returns the ids of the jobs sent."""
    now = now or timezone.now()
    send = list(
        RenderJob.objects.filter(
            status=RenderStatus.QUEUED, attempts=0, requested_at__lt=now - resend_after()
        ).values_list("pk", flat=True)
    )
    stale = RenderJob.objects.filter(status=RenderStatus.RENDERING, started_at__lt=now - stale_after())
    send += [pk for pk in stale.values_list("pk", flat=True) if _reclaim(pk, now, max_attempts)]
    for pk in send:
        _enqueue(pk, settings.LANGUAGE_CODE)
    return send


def render_now(
    *,
    report: Report,
    by: Any,
    kind: str = VersionKind.DRAFT,
    language: str | None = None,
    correction_reason: str = "",
    strict_glyphs: bool = False,
) -> RenderJob | None:
    """Request and run a render in this process (the ``render_report`` command, the benchmark):
    the same request and run as the task, without the queue."""
    job, created = render_request(
        report=report, by=by, kind=kind, language=language, correction_reason=correction_reason, enqueue=False
    )
    if not created:
        raise ValidationError(
            _("A PDF of this report is already being rendered; try again when it is done."), code="busy"
        )
    return render_job_run(job_id=job.pk, final_attempt=True, strict_glyphs=strict_glyphs)
