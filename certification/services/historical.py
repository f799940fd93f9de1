"""Historical records of certification: a CB moving onto the product enters its past technical
reviews, decisions and certificates with their real dates and decision makers, marked as
imported (``core.imported``), by CB administrators only.

None of today's lifecycle runs: no checklist, no independence or second-signature check against
today's accounts, no certificate PDF, no serial taken from the counter unless asked
(``allocate_number``), and no date of today is written on the records (only the import marks
say when they were entered). Each record is created in the state it reached through its
machine's ``record_creation``, and the audit follows through its own machine, as it follows any
review and decision. ``historical_cycle_import`` enters a whole past cycle at once (the page and
the workbook import call it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.models import Audit, AuditProgramme, AuditStatus
from core.access import Role
from core.dates import local_date
from core.imported import import_marks, on_day
from standards.models import Standard

from .. import rules
from ..lifecycle import CERTIFICATE_MACHINE, DECISION_MACHINE, REVIEW_MACHINE
from ..models import (
    ApprovalConclusion,
    Certificate,
    CertificateStatus,
    Decision,
    DecisionScope,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    ReviewStatus,
    StatusReason,
    TechnicalReview,
)
from ..rules import invalid
from .base import certification_body, client_codes, day_text, policy, save, today
from .certificates import REASON_KIND_FOR_STATUS, _holder_address, _site_row, _standard_label, next_serial

IMPORTED = "import"  # the action of an imported record's first event row


def _require_cb_admin(by: Any) -> None:
    if not (by is not None and by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN):
        raise PermissionDenied(_("Only a CB administrator may enter historical records."))


def _past(day: datetime.date | None, name: str, errors: dict[str, str]) -> None:
    if day is not None and day > today():
        errors[name] = _("A historical record is in the past: this date is in the future.")


def _audit_status(audit: Audit) -> str:
    """The audit's stored status (the caller's instance may be older)."""
    return str(Audit.objects.values_list("status", flat=True).get(pk=audit.pk))


def _person(user: Any, name: str) -> str:
    return user.get_full_name() if user is not None else (name or "").strip()


# --- technical review ---------------------------------------------------------------------------


@transaction.atomic
def review_import(
    *,
    audit: Audit,
    by: Any,
    concluded_on: datetime.date,
    passed: bool = True,
    reviewer: Any = None,
    reviewer_name: str = "",
    remark: str = "",
    opened_on: datetime.date | None = None,
    source: str = "",
) -> TechnicalReview:
    """Enter the past technical review of ``audit`` (concluded, with its real date and reviewer)."""
    _require_cb_admin(by)
    opened_on = opened_on or concluded_on
    errors: dict[str, str] = {}
    if not _person(reviewer, reviewer_name):
        errors["reviewer_name"] = _("Name the reviewer.")
    if opened_on < audit.end_date:
        errors["review_on"] = _("The technical review cannot come before the audit's last day.")
    if concluded_on < opened_on:
        errors["review_on"] = _("The review cannot be concluded before it was opened.")
    _past(concluded_on, "review_on", errors)
    if errors:
        raise invalid(errors, code="invalid_import")
    if TechnicalReview.objects.filter(audit=audit).exists():
        raise invalid(_("This audit already has a technical review: it is not entered twice."), code="duplicate")
    review = TechnicalReview(
        audit=audit,
        status=ReviewStatus.PASSED if passed else ReviewStatus.NOT_PASSED,
        conclusion_remark=(remark or "").strip(),
        concluded_by=reviewer,
        concluded_at=on_day(concluded_on),
        reviewer_name="" if reviewer is not None else reviewer_name.strip(),
        created_at=on_day(opened_on),
        created_by=by,
        **import_marks(by=by, source=source),
    )
    save(review, by)
    REVIEW_MACHINE.record_creation(
        review,
        by=by,
        action=IMPORTED,
        note=_("Historical record (imported): concluded on %(day)s.") % {"day": day_text(concluded_on)},
    )
    if _audit_status(audit) in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
        audit_services.audit_move(
            audit=audit, action="review_opened", by=by, note=_("Historical technical review entered (imported).")
        )
    return review


# --- decision -----------------------------------------------------------------------------------


@transaction.atomic
def decision_import(
    *,
    client: Any,
    by: Any,
    decision_type: str,
    evaluated_on: datetime.date,
    approved_on: datetime.date,
    approved: bool = True,
    evaluator: Any = None,
    evaluator_name: str = "",
    approver: Any = None,
    approver_name: str = "",
    audit: Audit | None = None,
    review: TechnicalReview | None = None,
    programme: AuditProgramme | None = None,
    standards: Iterable[Standard] = (),
    evaluation_remarks: str = "",
    approval_remarks: str = "",
    closing_meeting_differences: str = "",
    scope_zh: str = "",
    scope_en: str = "",
    source: str = "",
) -> Decision:
    """Enter a past decision (part 十六: the committee's evaluation and the approval, each with its
    real date and decision maker). Its certificates are entered with ``certificate_import``."""
    _require_cb_admin(by)
    errors: dict[str, str] = {}
    if decision_type not in DecisionType.values:
        errors["decision_type"] = _("Choose the decision.")
    evaluated_by, approved_by = _person(evaluator, evaluator_name), _person(approver, approver_name)
    if not evaluated_by:
        errors["evaluator_name"] = _("Name the evaluator (the certification committee's member).")
    if not approved_by:
        errors["approver_name"] = _("Name the approver.")
    elif approved_by == evaluated_by:
        # ISO/IEC 17021-1 9.5: part 十六's approval is a second signature, never the evaluator's.
        errors["approver_name"] = _("The approver cannot be the evaluator.")
    if approved_on < evaluated_on:
        errors["approved_on"] = _("The approval cannot come before the evaluation.")
    if audit is not None and evaluated_on < audit.end_date:
        errors["evaluated_on"] = _("The decision cannot come before the audit's last day.")
    if review is not None and review.concluded_at is not None and evaluated_on < local_date(review.concluded_at):
        errors["evaluated_on"] = _("The evaluation cannot come before the technical review was concluded.")
    _past(approved_on, "approved_on", errors)
    if errors:
        raise invalid(errors, code="invalid_import")
    if audit is not None and Decision.objects.filter(audit=audit, decision_type=decision_type).exists():
        raise invalid(_("This audit already has this decision: it is not entered twice."), code="duplicate")
    decision = Decision(
        decision_type=decision_type,
        status=DecisionStatus.APPROVED if approved else DecisionStatus.NOT_APPROVED,
        client=client,
        programme=programme or (audit.programme if audit is not None else None),
        audit=audit,
        review=review,
        evaluation_conclusion=EvaluationConclusion.AGREE if approved else EvaluationConclusion.DISAGREE,
        evaluation_remarks=(evaluation_remarks or "").strip(),
        evaluated_by=evaluator,
        evaluator_name="" if evaluator is not None else evaluated_by,
        evaluated_on=evaluated_on,
        approval_conclusion=ApprovalConclusion.APPROVE if approved else ApprovalConclusion.NOT_APPROVE,
        approval_remarks=(approval_remarks or "").strip(),
        approved_by=approver,
        approver_name="" if approver is not None else approved_by,
        approved_on=approved_on,
        closing_meeting_differences=(closing_meeting_differences or "").strip(),
        created_at=on_day(evaluated_on),
        created_by=by,
        **import_marks(by=by, source=source),
    )
    save(decision, by)
    decision.standards.set(list(standards))
    if (scope_zh or "").strip():
        # One scope per standard (17021-1 8.2.2 e); certificate_import adds a certificate's own.
        for standard in standards:
            _record_scope(decision, standard, scope_zh, scope_en)
    DECISION_MACHINE.record_creation(
        decision,
        by=by,
        action=IMPORTED,
        note=_("Historical record (imported): approved on %(day)s.") % {"day": day_text(approved_on)},
    )
    if audit is not None and _audit_status(audit) == AuditStatus.TECHNICAL_REVIEW:
        audit_services.audit_move(
            audit=audit, action="decided", by=by, note=_("Historical certification decision entered (imported).")
        )
    return decision


# --- certificates -------------------------------------------------------------------------------


def _check_certificate(
    *,
    decision: Decision,
    number: str,
    allocate_number: bool,
    issued_on: datetime.date,
    expires_on: datetime.date,
    first_issued_on: datetime.date,
    status: str,
    status_since: datetime.date,
    reason: StatusReason | None,
    scope_zh: str,
) -> None:
    errors: dict[str, str] = {}
    if decision.status != DecisionStatus.APPROVED:
        errors["decision"] = _("A certificate follows an approved decision.")
    if bool(number) == bool(allocate_number):
        errors["number"] = _("Enter the certificate's number, or ask for a new one from the counter (not both).")
    if decision.approved_on is not None and issued_on < decision.approved_on:
        errors["issued_on"] = _("A certificate is never issued before the decision it follows.")
    if expires_on <= issued_on:
        errors["expires_on"] = _("The expiry date must be after the issue date.")
    if first_issued_on > issued_on:
        errors["first_issued_on"] = _("The initial certification cannot come after this issue.")
    if status_since < issued_on:
        errors["status_since"] = _("The status cannot start before the issue date.")
    if not (scope_zh or "").strip():
        errors["scope_zh"] = _("Enter the scope certified.")
    _past(issued_on, "issued_on", errors)
    _past(status_since, "status_since", errors)
    problem = rules.status_against_dates(status=status, expires_on=expires_on, today=today())
    if problem:
        errors["status"] = problem
    kind = REASON_KIND_FOR_STATUS.get(CertificateStatus(status)) if status in CertificateStatus.values else None
    if kind is not None and (reason is None or reason.kind != kind):
        errors["reason"] = _("This status needs a reason code from the %(kind)s list.") % {"kind": kind.label.lower()}
    if errors:
        raise invalid(errors, code="invalid_import")
    if number and Certificate.objects.filter(number=number).exists():
        raise invalid(
            {"number": _("Certificate %(number)s is already recorded: it is not entered twice.") % {"number": number}},
            code="duplicate",
        )


@transaction.atomic
def certificate_import(
    *,
    decision: Decision,
    standard: Standard,
    by: Any,
    issued_on: datetime.date,
    expires_on: datetime.date,
    status: str,
    scope_zh: str,
    scope_en: str = "",
    number: str = "",
    allocate_number: bool = False,
    serial: int = 0,
    first_issued_on: datetime.date | None = None,
    status_since: datetime.date | None = None,
    suspended_until: datetime.date | None = None,
    reason: StatusReason | None = None,
    recertification_count: int = 0,
    source: str = "",
) -> Certificate:
    """Enter a past certificate of an (imported) decision, with the number it was printed with
    (``number``) or a new one from the counter (``allocate_number``), its real dates and its
    status now (valid, suspended, withdrawn, cancelled, expired: checked against the dates)."""
    _require_cb_admin(by)
    number = (number or "").strip().upper()
    first_issued_on = first_issued_on or issued_on
    if status_since is None:
        status_since = expires_on + datetime.timedelta(days=1) if status == CertificateStatus.EXPIRED else issued_on
    _check_certificate(
        decision=decision,
        number=number,
        allocate_number=allocate_number,
        issued_on=issued_on,
        expires_on=expires_on,
        first_issued_on=first_issued_on,
        status=status,
        status_since=status_since,
        reason=reason,
        scope_zh=scope_zh,
    )
    current = policy()
    client = decision.client
    codes = current.standard_codes or {}
    code = codes.get(standard.family, "") if not allocate_number else rules.standard_code(standard.family, codes)
    size = rules.size_band(client.headcount, current)
    if allocate_number:
        serial = next_serial(year=issued_on.year, standard_code=code)
        cb = certification_body()
        number = rules.format_number(
            pattern=current.number_pattern,
            cb=rules.cb_code(cb.cb_code if cb else ""),
            year=issued_on.year,
            std=code,
            serial=serial,
            recert=recertification_count,
            size=size,
        )
    address_zh, address_en = _holder_address(client)
    if decision.programme_id is None:
        raise invalid({"decision": _("The decision names no audit programme.")}, code="programme_missing")
    programme = AuditProgramme.objects.select_for_update().get(pk=decision.programme_id)
    sites = list(decision.audit.sites.all()) if decision.audit is not None else []
    certificate = Certificate(
        number=number,
        reissue=0,
        client=client,
        programme=programme,
        standard=standard,
        decision=decision,
        holder_name_zh=client.name_zh,
        holder_name_en=client.name_en,
        address_zh=address_zh,
        address_en=address_en,
        sites=[_site_row(s) for s in sites or client.sites.all()],
        standard_label=_standard_label(standard),
        scope_zh=scope_zh.strip(),
        scope_en=(scope_en or "").strip(),
        technical_codes=", ".join(client_codes(client)),
        year=issued_on.year,
        standard_code=code,
        serial=serial,
        recertification_count=recertification_count,
        size_band=size,
        first_issued_on=first_issued_on,
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
        status_since=status_since,
        suspended_until=suspended_until if status == CertificateStatus.SUSPENDED else None,
        created_at=on_day(issued_on),
        created_by=by,
        **import_marks(by=by, source=source),
    )
    certificate.save()
    _record_scope(decision, standard, scope_zh, scope_en)
    CERTIFICATE_MACHINE.record_creation(
        certificate,
        by=by,
        action=IMPORTED,
        note=_("Historical record (imported): issued on %(issued)s, %(status)s since %(since)s.")
        % {
            "issued": day_text(issued_on),
            "status": CertificateStatus(status).label.lower(),
            "since": day_text(status_since),
        },
        event={"effective_on": status_since, "decision": decision, "reason": reason},
    )
    _programme_anchors(programme=programme, decision=decision, certificate=certificate, by=by)
    return certificate


def _programme_anchors(*, programme: AuditProgramme, decision: Decision, certificate: Certificate, by: Any) -> None:
    """A programme without anchors takes the imported certificate's, as a grant gives them."""
    if programme.has_anchors:
        return
    programme.decision_on = decision.approved_on
    programme.certificate_issued_on = certificate.issued_on
    programme.expires_on = certificate.expires_on
    programme.version += 1
    save(programme, by)


# --- a whole past cycle -------------------------------------------------------------------------


@dataclass
class HistoricalCertificate:
    standard: Standard
    issued_on: datetime.date
    expires_on: datetime.date
    status: str
    scope_zh: str
    scope_en: str = ""
    number: str = ""
    allocate_number: bool = False
    status_since: datetime.date | None = None
    reason: StatusReason | None = None


@dataclass
class HistoricalCycle:
    """One past audit with its review, decision and certificates, as a CB's file records them."""

    client: Any
    audit_type: str
    standards: list[Standard]
    start_date: datetime.date
    end_date: datetime.date
    leader_name: str
    review_on: datetime.date
    reviewer_name: str
    evaluated_on: datetime.date
    evaluator_name: str
    approved_on: datetime.date
    approver_name: str
    decision_type: str = DecisionType.GRANT
    programme: AuditProgramme | None = None
    certificates: list[HistoricalCertificate] = field(default_factory=list)
    source: str = ""


@transaction.atomic
def historical_cycle_import(*, cycle: HistoricalCycle, by: Any) -> Decision:
    """Enter a past audit, its technical review, its decision and its certificates, all or nothing."""
    _require_cb_admin(by)
    audit = audit_services.audit_import(
        by=by,
        client=cycle.client,
        programme=cycle.programme,
        audit_type=cycle.audit_type,
        standards=cycle.standards,
        start_date=cycle.start_date,
        end_date=cycle.end_date,
        leader_name=cycle.leader_name,
        status=AuditStatus.APPROVED,
        source=cycle.source,
    )
    review = review_import(
        audit=audit, by=by, concluded_on=cycle.review_on, reviewer_name=cycle.reviewer_name, source=cycle.source
    )
    decision = decision_import(
        client=cycle.client,
        by=by,
        decision_type=cycle.decision_type,
        evaluated_on=cycle.evaluated_on,
        approved_on=cycle.approved_on,
        evaluator_name=cycle.evaluator_name,
        approver_name=cycle.approver_name,
        audit=audit,
        review=review,
        standards=cycle.standards,
        source=cycle.source,
    )
    for entry in cycle.certificates:
        certificate_import(
            decision=decision,
            standard=entry.standard,
            by=by,
            issued_on=entry.issued_on,
            expires_on=entry.expires_on,
            status=entry.status,
            scope_zh=entry.scope_zh,
            scope_en=entry.scope_en,
            number=entry.number,
            allocate_number=entry.allocate_number,
            status_since=entry.status_since,
            reason=entry.reason,
            source=cycle.source,
        )
    return decision


def _record_scope(decision: Decision, standard: Standard, scope_zh: str, scope_en: str = "") -> None:
    """The decision's scope for ``standard``, as the certificate printed it (kept if present)."""
    DecisionScope.objects.get_or_create(
        decision=decision,
        standard=standard,
        defaults={"scope_zh": (scope_zh or "").strip(), "scope_en": (scope_en or "").strip()},
    )
