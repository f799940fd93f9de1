"""The committee's decision in the seed's two steps (part 十六): opened by a CB administrator or a
committee member with what its kind needs (``certification.decision_types``), evaluated by the
committee (评定), then approved (批准) by a second person holding the approval permission, when
it takes effect (``effects``); part 十七's remarks until then. The moves go through
``DECISION_MACHINE``; independence from the audit is checked first, for everybody."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits import services as audit_services
from audits.models import Audit, AuditProgramme, AuditStatus
from clients.models import Client
from core.dates import local_date
from core.notes import NoteMessage
from standards.models import Standard

from .. import rules
from ..certificate_pdfs.services import issued_pdfs_queue
from ..decision_types import CONCLUDED, PASSED, DecisionKind, kind_of
from ..lifecycle import DECISION_IN_PROGRESS, DECISION_MACHINE
from ..models import (
    ApprovalConclusion,
    Certificate,
    CertificateStatus,
    CommitteeFlag,
    Decision,
    DecisionAction,
    DecisionScope,
    DecisionType,
    EvaluationConclusion,
    OpenDecisionOnCertificate,
    ReviewStatus,
    StatusReason,
    TechnicalReview,
)
from ..models.access import is_cb_admin, is_committee
from ..models.certificate import LIVE_STATUSES
from ..rules import invalid
from . import base
from .base import check_version, day_text, require, save
from .effects import decision_effect, recertification_after_expiry_message
from .independence import independence_check, second_signature_check
from .transfer import TransferFacts, _check_transfer

DECIDED_NOTE = NoteMessage(gettext_noop("Certification decision: %(type)s (%(outcome)s)."))

# --- opening ----------------------------------------------------------------------------------


def _live_main_certificates(
    client: Client, programme: AuditProgramme | None = None, standards: Iterable[Standard] | None = None
) -> QuerySet:
    qs = Certificate.objects.filter(client=client, status__in=LIVE_STATUSES, main_certificate__isnull=True)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if standards is not None:
        qs = qs.filter(standard__in=standards)
    return qs


def _check_audit(kind: DecisionKind, audit: Audit, review: TechnicalReview | None) -> None:
    """The audit fits the decision's kind, its review allows it, and it waits for a decision."""
    label = kind.type.label.lower()
    if kind.audit_types and audit.audit_type not in kind.audit_types:
        raise invalid(
            {
                "audit": _("A decision to %(type)s cannot follow a %(audit_type)s.")
                % {"type": label, "audit_type": audit.get_audit_type_display().lower()}
            },
            code="wrong_audit_type",
        )
    if not kind.follows_review:
        return  # the audit is only the occasion: no review needed
    if review is None:
        raise invalid(
            {"audit": _("This audit has no technical review yet: the decision follows the review.")},
            code="review_missing",
        )
    if kind.review == CONCLUDED and review.status == ReviewStatus.OPEN:
        raise invalid({"audit": _("The technical review of this audit is not concluded yet.")}, code="review_open")
    if kind.review == PASSED and review.status != ReviewStatus.PASSED:
        raise invalid(
            {"audit": _("The technical review of this audit has not passed: only a refusal can follow it.")},
            code="review_not_passed",
        )
    if audit.status != AuditStatus.TECHNICAL_REVIEW:
        raise invalid(
            {
                "audit": _("This audit is %(status)s: it is not waiting for a decision.")
                % {"status": audit.get_status_display()}
            },
            code="audit_not_in_review",
        )
    if Decision.objects.filter(audit=audit, status__in=DECISION_IN_PROGRESS).exists():
        raise invalid({"audit": _("A decision on this audit is already in progress.")}, code="decision_in_progress")


def _scope_field(standard: Standard | int) -> str:
    """The name under which a standard's scope is entered and refused (the form's field)."""
    return f"scope_zh_{getattr(standard, 'pk', standard)}"


ScopeMap = dict[int, tuple[str, str]]


def _scope_map(scopes: Mapping[Any, tuple[str, str]] | None) -> ScopeMap:
    """{standard pk: (zh, en)} from a mapping keyed by standards or their pks, blanks left out."""
    result: ScopeMap = {}
    for key, (zh, en) in (scopes or {}).items():
        zh, en = (zh or "").strip(), (en or "").strip()
        if zh or en:
            result[int(getattr(key, "pk", key))] = (zh, en)
    return result


def _check_new_certification(
    client: Client, audit: Audit, standards: list[Standard], scopes: ScopeMap, errors: dict[str, Any]
) -> tuple[list[Standard], ScopeMap]:
    """A first certification: the standards the audit covered, none already certified, a scope
    for each (entered, else the client's requested scope for that standard). Returns the
    standards (default: the audit's) and the scope of each."""
    standards = standards or list(audit.standards.all())
    audit_standards = set(audit.standards.values_list("pk", flat=True))
    if any(s.pk not in audit_standards for s in standards):
        errors["standards"] = ValidationError(
            _("Certification can only be granted for standards the audit covered."), code="standard_not_audited"
        )
    existing = _live_main_certificates(client, standards=standards).select_related("standard")
    if existing:
        errors["standards"] = ValidationError(
            _("The client already holds certificate %(number)s for %(standard)s: renew it or change its scope instead.")
            % {"number": existing[0].number, "standard": existing[0].standard},
            code="already_certified",
        )
    requested = {s.standard_id: (s.scope_zh, s.scope_en) for s in client.scopes.all()}
    chosen: ScopeMap = {}
    for standard in standards:
        zh, en = scopes.get(standard.pk) or requested.get(standard.pk) or ("", "")
        if not zh.strip():
            errors[_scope_field(standard)] = ValidationError(
                _("Enter the scope to certify for %(standard)s (no requested scope is recorded for it).")
                % {"standard": standard},
                code="scope_required",
            )
            continue
        chosen[standard.pk] = (zh.strip(), en.strip())
    return standards, chosen


def _check_certificates(
    kind: DecisionKind,
    client: Client,
    audit: Audit | None,
    programme: AuditProgramme | None,
    certificates: list[Certificate],
    errors: dict[str, Any],
) -> list[Certificate]:
    """The certificates the decision acts on, in the statuses its kind acts on. Returns them
    (default for a decision after an audit: the audit programme's certificates in force)."""
    if not certificates and audit is not None and kind.finds_certificates_from_audit:
        certificates = list(
            _live_main_certificates(client, programme=programme, standards=audit.standards.all()).filter(
                status__in=kind.certificate_statuses
            )
        )
    if not certificates:
        errors["certificates"] = ValidationError(
            _("Choose the certificates this decision acts on."), code="certificates_required"
        )
    for certificate in certificates:
        if certificate.status not in kind.certificate_statuses:
            errors["certificates"] = ValidationError(
                _("Certificate %(number)s is %(status)s: a decision to %(type)s cannot act on it.")
                % {
                    "number": certificate.number,
                    "status": certificate.get_status_display().lower(),
                    "type": kind.type.label.lower(),
                },
                code="wrong_certificate_status",
            )
    if kind.type == DecisionType.RENEW:
        for certificate in certificates:
            if rules.is_expired(certificate.expires_on, base.today()):
                raise invalid(
                    {"certificates": recertification_after_expiry_message(certificate, base.today())},
                    code="expired",
                )
    return certificates


def _certificate_scopes(
    kind: DecisionKind, certificates: list[Certificate], scopes: ScopeMap, errors: dict[str, Any]
) -> ScopeMap:
    """The scope of each certificate's standard for a decision that reissues them: entered (a
    scope change needs a new one), else, for a renewal, the scope the certificate prints."""
    chosen: ScopeMap = {}
    for certificate in certificates:
        entered = scopes.get(certificate.standard_id)
        if entered and entered[0]:
            chosen[certificate.standard_id] = entered
        elif kind.needs_new_scope:
            errors[_scope_field(certificate.standard_id)] = ValidationError(
                _("Enter the new scope for %(standard)s (certificate %(number)s).")
                % {"standard": certificate.standard_label, "number": certificate.number},
                code="scope_required",
            )
        else:
            chosen[certificate.standard_id] = (certificate.scope_zh, certificate.scope_en)
    return chosen


def _check_reason_and_end(
    kind: DecisionKind,
    reason: StatusReason | None,
    suspension_ends_on: datetime.date | None,
    errors: dict[str, Any],
) -> None:
    """A reason from the kind's list (suspension, withdrawal) and, for a suspension, its end."""
    if kind.reason_kind is not None:
        if reason is None:
            errors["reason"] = ValidationError(_("Choose the reason code."), code="reason_required")
        elif reason.kind != kind.reason_kind or not reason.active:
            errors["reason"] = ValidationError(
                _("Choose a reason from the %(kind)s list.") % {"kind": kind.reason_kind.label.lower()},
                code="wrong_reason",
            )
    elif reason is not None:
        errors["reason"] = ValidationError(
            _("Only a suspension or a withdrawal takes a reason code."), code="reason_not_allowed"
        )
    if kind.sets_status == CertificateStatus.SUSPENDED:
        try:
            rules.check_suspension_end(ends_on=suspension_ends_on, starts_on=base.today(), policy=base.policy())
        except ValidationError as exc:
            errors.update(exc.error_dict)
    elif suspension_ends_on is not None:
        errors["suspension_ends_on"] = ValidationError(_("Only a suspension has an end date."), code="end_not_allowed")


def _decision_in_progress_message(certificate: Certificate, open_decision: Decision) -> str:
    return _(
        "Certificate %(number)s already has a decision in progress (%(type)s, opened %(date)s): one decision at "
        "a time on a certificate; the committee completes that one first."
    ) % {
        "number": certificate.number,
        "type": open_decision.get_decision_type_display().lower(),
        "date": day_text(local_date(open_decision.created_at)),
    }


def _check_no_decision_in_progress(certificates: list[Certificate], errors: dict[str, Any]) -> None:
    """One decision in progress per certificate, as per audit: a second one (a double submit, two
    members at once) could never take effect on a certificate the first one changes."""
    for claim in OpenDecisionOnCertificate.objects.filter(certificate__in=certificates).select_related(
        "certificate", "decision"
    ):
        errors["certificates"] = ValidationError(
            _decision_in_progress_message(claim.certificate, claim.decision), code="decision_in_progress"
        )


def _claim_certificates(decision: Decision, certificates: list[Certificate]) -> None:
    """Record the decision as the one in progress on each certificate. The table's unique
    certificate refuses a second claim even when two requests pass the check above at once."""
    for certificate in certificates:
        try:
            with transaction.atomic():
                OpenDecisionOnCertificate.objects.create(certificate=certificate, decision=decision)
        except IntegrityError:
            other = OpenDecisionOnCertificate.objects.select_related("decision").get(certificate=certificate)
            raise invalid(
                {"certificates": _decision_in_progress_message(certificate, other.decision)},
                code="decision_in_progress",
            ) from None


@transaction.atomic
def decision_open(
    *,
    decision_type: str,
    client: Client,
    by: Any,
    audit: Audit | None = None,
    review: TechnicalReview | None = None,
    programme: AuditProgramme | None = None,
    certificates: Iterable[Certificate] = (),
    standards: Iterable[Standard] = (),
    scopes: Mapping[Any, tuple[str, str]] | None = None,
    reason: StatusReason | None = None,
    suspension_ends_on: datetime.date | None = None,
    flag: CommitteeFlag | None = None,
    transfer: TransferFacts | None = None,
) -> Decision:
    """Open a decision for the committee (CB administrators or committee members), with what its
    kind needs (``certification.decision_types``): an audit of a fitting type and its review
    (passed; a refusal: concluded), the certificates it acts on in the right statuses, a scope,
    a reason of the right list, a suspension's end within the policy's limit (a transfer: ``transfer``)."""
    if not (is_cb_admin(by) or is_committee(by)):
        raise PermissionDenied(_("Only a CB administrator or a committee member may open a certification decision."))
    if decision_type not in DecisionType.values:
        raise invalid({"decision_type": _("Unknown decision type.")}, code="invalid_type")
    kind = kind_of(decision_type)
    errors: dict[str, Any] = {}
    if review is not None and audit is None:
        audit = review.audit
    if audit is not None:
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.client_id != client.pk:
            raise invalid({"audit": _("The audit is of another client.")}, code="wrong_client")
        if review is None:
            review = TechnicalReview.objects.filter(audit=audit).first()
        elif review.audit_id != audit.pk:
            raise invalid({"review": _("The technical review is of another audit.")}, code="wrong_review")
    if kind.needs_audit and audit is None:
        raise invalid(
            {
                "audit": _("A decision to %(type)s is based on an audit: choose the audit.")
                % {"type": kind.type.label.lower()}
            },
            code="audit_required",
        )
    if audit is not None:
        _check_audit(kind, audit, review)
    if programme is None and audit is not None:
        programme = audit.programme
    # Fresh statuses, not the caller's.
    certificates = list(Certificate.objects.filter(pk__in=[c.pk for c in certificates]).order_by("pk"))
    standards = list(standards)
    for certificate in certificates:
        if certificate.client_id != client.pk:
            raise invalid({"certificates": _("A certificate of another client was chosen.")}, code="wrong_client")
    if programme is None and certificates:
        programme = certificates[0].programme
    if programme is not None and programme.client_id != client.pk:
        raise invalid({"programme": _("The audit programme is of another client.")}, code="wrong_client")

    entered = _scope_map(scopes)
    chosen: ScopeMap = {}
    if kind.type == DecisionType.TRANSFER:
        standards, chosen = _check_transfer(client, audit, standards, entered, transfer, errors)
    elif kind.issues_certificates and not kind.certificate_statuses:
        if audit is None:  # a first certification follows an audit: its kind needs one (checked above)
            raise RuntimeError(f"The decision type {kind.type} issues new certificates but needs no audit.")
        standards, chosen = _check_new_certification(client, audit, standards, entered, errors)
    elif kind.certificate_statuses:
        certificates = _check_certificates(kind, client, audit, programme, certificates, errors)
        if kind.issues_certificates:
            chosen = _certificate_scopes(kind, certificates, entered, errors)
    if kind.certificate_statuses:
        _check_no_decision_in_progress(certificates, errors)
    _check_reason_and_end(kind, reason, suspension_ends_on, errors)
    if flag is not None and not flag.is_open:
        errors["flag"] = ValidationError(_("This flag is already resolved."), code="flag_resolved")
    if errors:
        raise invalid(errors)

    decision = save(
        Decision(
            decision_type=kind.type,
            client=client,
            programme=programme,
            audit=audit,
            review=review,
            reason=reason,
            suspension_ends_on=suspension_ends_on,
            flag=flag,
            created_by=by,
            **(transfer.fields() if transfer is not None and kind.type == DecisionType.TRANSFER else {}),
        ),
        by,
    )
    DECISION_MACHINE.record_creation(decision, by=by)
    if standards:
        decision.standards.set(standards)
    elif certificates:
        decision.standards.set({c.standard_id for c in certificates})
    if certificates:
        decision.certificates.set(certificates)
    for standard_id, (zh, en) in sorted(chosen.items()):
        save(DecisionScope(decision=decision, standard_id=standard_id, scope_zh=zh, scope_en=en), by)
    if kind.certificate_statuses:
        _claim_certificates(decision, certificates)
    return decision


# --- evaluation, part 十七 ----------------------------------------------------------------------


def _check_day(value: datetime.date | None, name: str, *, missing: str, future: str) -> datetime.date:
    if value is None:
        raise invalid({name: missing}, code="date_required")
    if value > base.today():
        raise invalid({name: future}, code="date_in_future")
    return value


@transaction.atomic
def decision_evaluate(
    *,
    decision: Decision,
    conclusion: str,
    remarks: str,
    evaluated_on: datetime.date,
    by: Any,
    closing_meeting_differences: str = "",
    other_remarks: str = "",
    version: int | None = None,
) -> Decision:
    """Step 1 of part 十六: the committee's evaluation (同意注册 / 不同意注册), by a committee member
    independent of the audit; the decision then awaits approval."""
    independence_check(audit=decision.audit, user=by)
    remarks = (remarks or "").strip()

    def check(locked: Decision) -> None:
        if conclusion not in EvaluationConclusion.values:
            raise invalid({"conclusion": _("Choose agree or disagree.")}, code="invalid_conclusion")
        _check_day(
            evaluated_on,
            "evaluated_on",
            missing=_("Enter the evaluation date."),
            future=_("The evaluation date cannot be in the future."),
        )
        review = locked.review
        if review and review.concluded_at and evaluated_on < local_date(review.concluded_at):
            raise invalid(
                {
                    "evaluated_on": _("The evaluation cannot be before the technical review was concluded (%(date)s).")
                    % {"date": day_text(local_date(review.concluded_at))}
                },
                code="before_review",
            )
        if conclusion == EvaluationConclusion.DISAGREE and not remarks:
            raise invalid({"remarks": _("Say why the committee does not agree.")}, code="remarks_required")

    changes: dict[str, Any] = {
        "evaluation_conclusion": conclusion,
        "evaluation_remarks": remarks,
        "evaluated_by": by,
        "evaluated_on": evaluated_on,
    }
    if closing_meeting_differences:
        changes["closing_meeting_differences"] = closing_meeting_differences.strip()
    if other_remarks:
        changes["other_remarks"] = other_remarks.strip()
    locked, _event = DECISION_MACHINE.move(
        decision, DecisionAction.EVALUATE, by=by, version=version, note=remarks, on_locked=check, changes=changes
    )
    return locked


def _lock_decision(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("audit", "client", "programme", "review")
        .get(pk=decision.pk)
    )


@transaction.atomic
def decision_remarks_save(
    *,
    decision: Decision,
    closing_meeting_differences: str,
    other_remarks: str,
    by: Any,
    version: int | None = None,
) -> Decision:
    """Part 十七: differences from the closing-meeting conclusion and other remarks (committee
    members independent of the audit; until the decision is approved or not)."""
    independence_check(audit=decision.audit, user=by)
    require(Decision, by, "remark", decision, _("Only a member of the certification committee writes these remarks."))
    decision = _lock_decision(decision)
    check_version(decision, version)
    if decision.status not in DECISION_IN_PROGRESS:
        raise invalid(_("The decision is taken: its remarks can no longer change."), code="wrong_status")
    decision.closing_meeting_differences = (closing_meeting_differences or "").strip()
    decision.other_remarks = (other_remarks or "").strip()
    return base.bump(decision, by)


# --- approval ---------------------------------------------------------------------------------


def _resolve_flag(decision: Decision, by: Any, approved_on: datetime.date) -> None:
    """The flag the decision answers is resolved by its approval (or refusal)."""
    if decision.flag_id is None:
        return
    flag = CommitteeFlag.objects.select_for_update().get(pk=decision.flag_id)
    if flag.is_open:
        flag.resolved_at, flag.resolved_by = timezone.now(), by
        flag.resolution = _("Decided: %(type)s, %(outcome)s on %(date)s.") % {
            "type": decision.get_decision_type_display(),
            "outcome": decision.get_status_display().lower(),
            "date": day_text(approved_on),
        }
        flag.save()


@transaction.atomic
def decision_approve(
    *,
    decision: Decision,
    conclusion: str,
    remarks: str,
    approved_on: datetime.date,
    by: Any,
    issued_on: datetime.date | None = None,
    version: int | None = None,
) -> Decision:
    """Step 2 of part 十六: the approval (批准) by a holder of certification.approve_decision
    independent of the audit (superusers included), not the evaluator, on or after the
    evaluation date. Approved with the committee's agreement: the decision takes effect
    (certificates, statuses, programme; the audit becomes decided). Otherwise the decision is
    recorded as not approved and no certificate changes (an approved disagreement still decides
    the audit: certification refused)."""
    independence_check(audit=decision.audit, user=by)
    DECISION_MACHINE.require(by, decision, DecisionAction.APPROVE)
    # Which move it is depends on the stored evaluation: read it under the lock.
    evaluation = _lock_decision(decision).evaluation_conclusion
    takes_effect = conclusion == ApprovalConclusion.APPROVE and evaluation == EvaluationConclusion.AGREE
    remarks = (remarks or "").strip()

    def check(locked: Decision) -> None:
        second_signature_check(decision=locked, user=by)
        if conclusion not in ApprovalConclusion.values:
            raise invalid({"conclusion": _("Choose approved or not approved.")}, code="invalid_conclusion")
        _check_day(
            approved_on,
            "approved_on",
            missing=_("Enter the approval date."),
            future=_("The approval date cannot be in the future."),
        )
        evaluated_on = locked.evaluated_on
        if evaluated_on is None:  # the approval moves start from an evaluated decision
            raise RuntimeError(f"Decision {locked.pk} is approved before it is evaluated.")
        if approved_on < evaluated_on:
            raise invalid(
                {
                    "approved_on": _("The approval cannot be before the committee's evaluation (%(date)s).")
                    % {"date": day_text(evaluated_on)}
                },
                code="before_evaluation",
            )
        if conclusion == ApprovalConclusion.NOT_APPROVE and not remarks:
            raise invalid({"remarks": _("Say why the decision is not approved.")}, code="remarks_required")

    decision, _event = DECISION_MACHINE.move(
        decision,
        DecisionAction.APPROVE if takes_effect else DecisionAction.NOT_APPROVE,
        by=by,
        version=version,
        note=remarks,
        on_locked=check,
        changes={
            "approval_conclusion": conclusion,
            "approval_remarks": remarks,
            "approved_by": by,
            "approved_on": approved_on,
        },
    )
    # Approved or not, the decision is no longer in progress on its certificates.
    OpenDecisionOnCertificate.objects.filter(decision=decision).delete()
    issued = []
    if takes_effect:
        issue_day = issued_on or approved_on
        rules.check_issue_date(issued_on=issue_day, decided_on=approved_on)
        issued = decision_effect(decision=decision, by=by, issued_on=issue_day)
    if decision.audit_id and conclusion == ApprovalConclusion.APPROVE:
        status = Audit.objects.values_list("status", flat=True).get(pk=decision.audit_id)
        if status == AuditStatus.TECHNICAL_REVIEW and decision.audit is not None:  # audit_id is set
            audit_services.audit_move(
                audit=decision.audit,
                action="decided",
                by=by,
                note=DECIDED_NOTE.text(
                    type=decision.get_decision_type_display(), outcome=decision.get_status_display()
                ),
            )
    if decision.flag_id:
        _resolve_flag(decision, by, approved_on)
    if issued:
        issued_pdfs_queue(decision=decision, certificates=issued, by=by)
    return decision
