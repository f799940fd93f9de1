"""Reads of the certification app (pages, the report, the programme schedule), each at a fixed
number of queries whatever the row count. Decisions, reviews, issues and flags are read through
their ``restrict()`` (``certification.models.access``): what a user may not see is not there."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from audits import programme_rules
from audits.models import Audit, AuditProgramme, AuditType
from audits.models.audit import ON_SITE_DONE_STATUSES
from audits.rule_texts import translated
from audits.selectors import ScheduleEntry
from core.dates import local_today

from .models import (
    CHECKLIST,
    ApprovalConclusion,
    Certificate,
    CertificatePdfJob,
    CertificateStatus,
    CertificateStatusChange,
    CertificateVersion,
    CommitteeFlag,
    Decision,
    DecisionScope,
    DecisionStatus,
    EvaluationConclusion,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    TechnicalReview,
)
from .models.certificate import LIVE_STATUSES


def today() -> datetime.date:
    return local_today()


# --- certificates ---------------------------------------------------------------------------


def certificate_list(*, user: Any) -> QuerySet:
    """Certificates the user may see, with what a list shows (one query)."""
    return (
        Certificate.objects.restrict(user, "view")
        .select_related("client", "standard", "programme", "main_certificate")
        .order_by("-issued_on", "number", "reissue")
    )


def certificate_detail(*, user: Any, pk: int) -> Certificate:
    """One certificate the user may see, with its status changes (reason, decision-maker), its
    sub-certificates, the certificate it replaces and the one replacing it, its PDFs and flags;
    raises Certificate.DoesNotExist."""
    certificate = (
        Certificate.objects.restrict(user, "view")
        .select_related(
            "client", "standard", "programme", "decision", "main_certificate", "replaces", "site", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=CertificateStatusChange.objects.select_related("reason", "by", "decision").order_by(
                    "at", "pk"
                ),
            ),
            Prefetch("sub_certificates", queryset=Certificate.objects.order_by("number", "reissue")),
            "pdf_versions",
        )
        .get(pk=pk)
    )
    certificate.replacement = Certificate.objects.filter(replaces=certificate).first()
    certificate.requirement = certificate_requirement(certificate=certificate)
    return certificate


def certificate_requirement(*, certificate: Certificate, on: datetime.date | None = None) -> dict | None:
    """What the programme's rules require now for this certificate: None while it is valid or
    suspended (or replaced, withdrawn); after expiry the path, its message and source
    (audits.programme_rules.recertification_after_expiry), translated."""
    if certificate.status != CertificateStatus.EXPIRED:
        return None
    requirement = programme_rules.recertification_after_expiry(
        rule_set=programme_rules.RuleSet(certificate.programme.rule_set),
        expiry_date=certificate.expires_on,
        today=on or today(),
    )
    return {
        "path": requirement.path.value,
        "expired": requirement.expired,
        "restoration_deadline": requirement.restoration_deadline,
        "message": translated(requirement.message),
        "source": translated(requirement.source),
    }


def live_certificates(*, user: Any, client: Any) -> QuerySet:
    """The client's certificates in force (valid or suspended) the user may see: what a decision
    may act on."""
    return (
        Certificate.objects.restrict(user, "view")
        .filter(client=client, status__in=LIVE_STATUSES)
        .select_related("standard")
        .order_by("number", "reissue")
    )


def portal_certificates(*, user: Any) -> QuerySet:
    """The client portal's "My certificates": the organisation's certificates with the PDFs the
    user may download (``issued_pdfs``), in two queries whatever the number of rows."""
    return (
        Certificate.objects.restrict(user, "view")
        .select_related("standard", "main_certificate")
        .prefetch_related(
            Prefetch(
                "pdf_versions",
                queryset=CertificateVersion.objects.restrict(user, "view").order_by("language", "-sequence"),
                to_attr="issued_pdfs",
            )
        )
        .order_by("-issued_on", "number", "-reissue")
    )


# --- technical review -----------------------------------------------------------------------


def review_for_audit(*, audit: Audit, user: Any) -> TechnicalReview | None:
    """The audit's technical review with its reviewers, answers and issues, or None (also when the
    user may not see it). Adds ``checklist``: [(key, clause, question, answer or None)] in the
    checklist's order."""
    review = (
        TechnicalReview.objects.restrict(user, "view")
        .filter(audit_id=audit.pk)
        .select_related("audit__client", "concluded_by", "created_by")
        .prefetch_related(
            Prefetch("reviewers", queryset=ReviewerAssignment.objects.select_related("reviewer", "assigned_by")),
            Prefetch("answers", queryset=ReviewAnswer.objects.select_related("answered_by")),
            Prefetch(
                "issues",
                queryset=ReviewIssue.objects.select_related("raised_by", "responded_by", "resolved_by").order_by(
                    "raised_at", "pk"
                ),
            ),
        )
        .first()
    )
    if review is not None:
        answers = {a.point: a for a in review.answers.all()}
        review.checklist = [(key, clause, text, answers.get(key)) for key, clause, text in CHECKLIST]
    return review


# --- decisions ------------------------------------------------------------------------------


def _decisions(user: Any) -> QuerySet:
    return Decision.objects.restrict(user, "view").select_related(
        "client", "programme", "audit", "review", "reason", "flag", "evaluated_by", "approved_by", "created_by"
    )


def decision_list(*, user: Any, statuses: list[str] | None = None) -> QuerySet:
    """Decisions for CB administrators, the committee and approvers (others: none)."""
    qs = _decisions(user).prefetch_related("standards", "certificates")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-created_at", "-pk")


def decision_detail(*, user: Any, pk: int) -> Decision:
    """One decision (CB administrators, committee, approvers) with its standards, certificates
    and status changes; raises Decision.DoesNotExist for anybody else."""
    return (
        _decisions(user)
        .prefetch_related(
            "standards",
            Prefetch("scopes", queryset=DecisionScope.objects.select_related("standard")),
            Prefetch("certificates", queryset=Certificate.objects.select_related("standard")),
            Prefetch("issued_certificates", queryset=Certificate.objects.select_related("standard").order_by("number")),
            Prefetch(
                "status_changes",
                queryset=CertificateStatusChange.objects.select_related("certificate", "reason", "by"),
            ),
        )
        .get(pk=pk)
    )


def decision_pdf_jobs(*, user: Any, decision: Decision) -> list[CertificatePdfJob]:
    """The latest PDF job of each certificate the decision issued, by certificate number (one
    query; the decision page's PDF panel)."""
    jobs = (
        CertificatePdfJob.objects.restrict(user, "view")
        .filter(decision=decision)
        .select_related("certificate", "requested_by")
        .order_by("certificate__number", "-requested_at", "-pk")
    )
    latest: dict[int, CertificatePdfJob] = {}
    for job in jobs:
        latest.setdefault(job.certificate_id, job)
    return list(latest.values())


def certificate_decisions(*, user: Any, certificate: Certificate) -> list[Decision]:
    """The decision that issued the certificate and every later one acting on it, newest first
    (for those who may see decisions)."""
    return list(
        Decision.objects.restrict(user, "view")
        .filter(Q(pk=certificate.decision_id) | Q(certificates=certificate))
        .distinct()
        .select_related("client", "evaluated_by", "approved_by")
        .prefetch_related("standards", "certificates")
        .order_by("-created_at", "-pk")
    )


def open_flags(*, user: Any) -> QuerySet:
    """Unresolved committee flags, oldest basis date first (CB administrators, committee,
    approvers; others: none)."""
    return (
        CommitteeFlag.objects.restrict(user, "view")
        .filter(resolved_at__isnull=True)
        .select_related("certificate", "programme__client", "suggested_reason")
        .order_by("basis_date", "pk")
    )


def certificate_flags(*, user: Any, certificate: Certificate) -> list[CommitteeFlag]:
    """The unresolved committee flags on a certificate (for those who may see flags)."""
    return list(CommitteeFlag.objects.restrict(user, "view").filter(certificate=certificate, resolved_at__isnull=True))


# --- the report (parts 十六 and 十七) ----------------------------------------------------------

_REPORT_CONCLUSION: dict[str, str] = {
    EvaluationConclusion.AGREE: "approve",
    EvaluationConclusion.DISAGREE: "reject",
    ApprovalConclusion.APPROVE: "approve",
    ApprovalConclusion.NOT_APPROVE: "reject",
}


def report_decision(*, audit: Audit) -> Decision | None:
    """The decision the report prints: the latest evaluated one on the audit (approved ones
    first), or None. Read for the report document, whose own access rules decide who sees it."""
    decisions = (
        Decision.objects.filter(audit_id=audit.pk)
        .exclude(evaluation_conclusion="")
        .select_related("evaluated_by", "approved_by", "review")
    )
    approved = [d for d in decisions if d.status == DecisionStatus.APPROVED]
    rows = approved or list(decisions)
    if not rows:
        return None
    return max(rows, key=lambda d: (d.approved_on or d.evaluated_on or datetime.date.min, d.pk))


def report_facts(*, audit: Audit) -> dict[str, Any]:
    """Facts of parts 十六 and 十七, keyed by the report template's ``source`` paths
    (``decision.review_conclusion`` approve/reject = 同意/不同意注册, ``decision.reviewer``,
    ``decision.reviewed_on``, ``decision.approval_conclusion``, ``decision.approver``,
    ``decision.approved_on``) and part 十七's ``decision.closing_meeting_differences``,
    ``decision.other_remarks``, ``decision.remarks`` (both, as one text). Empty when no decision
    is evaluated; approval keys only once approved (or not)."""
    decision = report_decision(audit=audit)
    if decision is None:
        return {}
    facts = {
        "decision.type": decision.decision_type,
        "decision.review_conclusion": _REPORT_CONCLUSION.get(decision.evaluation_conclusion),
        "decision.reviewer": decision.evaluated_by.get_full_name()
        if decision.evaluated_by
        else decision.evaluator_name,
        "decision.reviewed_on": decision.evaluated_on,
        "decision.evaluation_remarks": decision.evaluation_remarks,
        "decision.closing_meeting_differences": decision.closing_meeting_differences,
        "decision.other_remarks": decision.other_remarks,
        "decision.remarks": "\n\n".join(
            t for t in (decision.closing_meeting_differences, decision.other_remarks) if t.strip()
        ),
    }
    if decision.approval_conclusion:
        facts.update(
            {
                "decision.approval_conclusion": _REPORT_CONCLUSION.get(decision.approval_conclusion),
                "decision.approver": decision.approved_by.get_full_name()
                if decision.approved_by
                else decision.approver_name,
                "decision.approved_on": decision.approved_on,
                "decision.approval_remarks": decision.approval_remarks,
            }
        )
    return facts


# --- the programme schedule (audits.selectors.programme_schedule) ----------------------------


def programme_certificate_annotations() -> dict[str, Any]:
    """Annotations audits.selectors.programmes_with_audits adds so the schedule of N programmes
    needs no query per programme: whether a certificate of the programme is valid or suspended,
    whether one is withdrawn, and the latest suspension's end and start."""
    certificates = Certificate.objects.filter(programme=OuterRef("pk"), main_certificate__isnull=True)
    suspended = certificates.filter(status=CertificateStatus.SUSPENDED).order_by("-suspended_until", "-pk")
    return {
        "cert_live": Exists(certificates.filter(status__in=(CertificateStatus.VALID, CertificateStatus.SUSPENDED))),
        "cert_withdrawn": Exists(certificates.filter(status=CertificateStatus.WITHDRAWN)),
        "cert_suspended_until": Subquery(suspended.values("suspended_until")[:1]),
        "cert_suspended_since": Subquery(suspended.values("status_since")[:1]),
    }


# The names of programme_certificate_annotations(), in the order _certificate_state returns them.
_CERTIFICATE_STATE = ("cert_live", "cert_withdrawn", "cert_suspended_until", "cert_suspended_since")


def _certificate_state(programme: AuditProgramme) -> tuple[Any, ...]:
    if hasattr(programme, "cert_live"):  # annotated by audits.selectors.programmes_with_audits
        return tuple(getattr(programme, name) for name in _CERTIFICATE_STATE)
    if not programme.pk:
        return False, False, None, None
    row = (
        AuditProgramme.objects.filter(pk=programme.pk)
        .annotate(**programme_certificate_annotations())
        .values_list(*_CERTIFICATE_STATE)
        .first()
    )
    return row or (False, False, None, None)


def programme_schedule_adjust(
    *, programme: AuditProgramme, entries: list[Any], on_date: datetime.date, cb: Any, audits: list[Audit]
) -> list[Any]:
    """What suspensions and withdrawals change in a programme's schedule: a programme whose
    certificates are all withdrawn expects nothing; a suspended one expects, first, a special
    audit to lift the suspension, due by the suspension's end."""

    live, withdrawn, suspended_until, suspended_since = _certificate_state(programme)
    if withdrawn and not live:
        return []
    if suspended_until is None:
        return entries
    special = [
        a
        for a in audits
        if a.audit_type in (AuditType.SPECIAL, AuditType.SHORT_NOTICE, AuditType.RESTORATION)
        and (suspended_since is None or a.end_date >= suspended_since)
    ]
    if any(a.status in ON_SITE_DONE_STATUSES for a in special):
        status = "done"
    elif on_date > suspended_until:
        status = "overdue"
    elif special:
        status = "planned"
    elif on_date >= suspended_until - datetime.timedelta(days=cb.due_soon_days):
        status = "due"
    else:
        status = "upcoming"
    entry = ScheduleEntry(
        kind=AuditType.SPECIAL,
        label=_("Special audit to lift the suspension"),
        status=status,
        due_by=suspended_until,
        consequence=_("The certificate is withdrawn if the suspension is not lifted by its end date."),
        source=_("ISO/IEC 17021-1 9.6.5: suspension for a limited time, then restoration or withdrawal"),
        audits=special,
    )
    return [entry] + list(entries)
