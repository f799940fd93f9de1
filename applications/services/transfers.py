"""Transfer of accredited certification from another CB (IAF MD 2; clause numbers from memory of
the 2017 issue): the pre-transfer review by a competent reviewer, its conclusion (the application's
accept / accept with conditions / decline), then proceeding: the client, the programme that
continues the cycle of the previous certificate (its audits seen imported as history, so the next
audit due is the cycle's surveillance or recertification, never an initial audit), and either the
transfer decision for the committee or a transfer audit first. The certificate is issued by
``certification``'s decision effect with the previous CB, certificate number and reason."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import AuditType
from certification import services as certification_services
from core import dates
from core.access import restricted

from .. import rules
from ..lifecycle import APPLICATION_MACHINE
from ..models import (
    ACCEPTED_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    LastAudit,
    TransferOutcome,
    TransferReview,
    TransferSettings,
)
from .commercial import _client_for
from .review import application_cycle, require_reviewer

FACT_FIELDS = (
    "certificate_state",
    "certificate_issued_on",
    "accreditation_body",
    "ab_mla_signatory",
    "accreditation_state",
    "accreditation_lapsed_on",
    "last_audit",
    "last_audit_on",
    "first_surveillance_on",
    "open_major_ncs",
    "open_minor_ncs",
    "open_complaints",
    "issuing_cb_cooperates",
    "transfer_reason",
)
OUTCOME_MOVE = {
    TransferOutcome.WITHOUT_AUDIT: "accept",
    TransferOutcome.WITH_AUDIT: "accept_conditions",
    TransferOutcome.REFUSED: "decline",
}


def limits() -> rules.TransferLimits:
    row = TransferSettings.objects.current()
    return rules.TransferLimits(
        last_audit_max_months=row.last_audit_max_months,
        lapsed_cb_months=row.lapsed_cb_months,
        audit_for_open_complaints=row.audit_for_open_complaints,
    )


def transfer_case(*, application: Application, review: TransferReview) -> rules.TransferCase:
    return rules.TransferCase(
        certificate_state=review.certificate_state,
        expires_on=application.existing_certificate_expires_on,
        ab_mla_signatory=review.ab_mla_signatory,
        accreditation_state=review.accreditation_state,
        accreditation_lapsed_on=review.accreditation_lapsed_on,
        last_audit_on=review.last_audit_on,
        open_major_ncs=review.open_major_ncs,
        open_minor_ncs=review.open_minor_ncs,
        open_complaints=review.open_complaints,
        issuing_cb_cooperates=review.issuing_cb_cooperates,
    )


def transfer_assess(*, application: Application, review: TransferReview) -> rules.TransferAssessment:
    """What MD 2's rules say of the facts recorded (a read)."""
    return rules.transfer_assessment(
        transfer_case(application=application, review=review), today=dates.local_today(), limits=limits()
    )


def _require_transfer(application: Application) -> None:
    if application.kind != ApplicationKind.TRANSFER:
        raise ValidationError(_("This application is not a transfer."), code="not_transfer")


def _open_review(application: Application) -> TransferReview:
    _require_transfer(application)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(
            _("The pre-transfer review is open only while the application is under review."), code="wrong_status"
        )
    review, _created = TransferReview.objects.select_for_update().get_or_create(
        application=application,
        defaults={"transfer_reason": application.notes},
    )
    return review


@transaction.atomic
def transfer_review_save(
    *, application: Application, facts: dict[str, Any], points: dict[str, Any], by: Any
) -> TransferReview:
    """Record what the pre-transfer review found and the checklist's answers with their remarks
    (a competent reviewer, as for the application review, while under review)."""
    require_reviewer(user=by, application=application)
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise TypeError(f"transfer_review_save does not change {sorted(unknown)}")
    review = _open_review(Application.objects.select_for_update().get(pk=application.pk))
    for name, value in facts.items():
        setattr(review, name, value)
    review.points = {
        key: {
            "ok": (points.get(key) or {}).get("ok"),
            "remark": str((points.get(key) or {}).get("remark") or "").strip(),
        }
        for key in rules.TRANSFER_POINT_KEYS
    }
    review.reviewer = by
    review.version += 1
    review.full_clean(exclude=["application", "programme", "audit", "decision", "reviewer"])
    review.save()
    return review


@transaction.atomic
def transfer_review_conclude(
    *, application: Application, reasons: str, by: Any, version: int | None = None
) -> TransferReview:
    """Conclude the pre-transfer review with the outcome MD 2's rules give for the facts recorded:
    transferable without an audit (accepted), after a transfer audit (accepted with that
    condition), or not (declined: the organisation may apply as a new client). The outcome and
    its reasons are the application's move, shown to the client."""
    require_reviewer(user=by, application=application)
    locked = Application.objects.select_for_update().get(pk=application.pk)  # the facts cannot change now
    review = _open_review(locked)
    assessment = transfer_assess(application=locked, review=review)
    errors = rules.transfer_review_refusal(points=review.points, outcome=assessment.outcome, reasons=reasons)
    if errors:
        raise ValidationError(errors, code="review_incomplete")
    found = [_(text) for text in (assessment.refusals or assessment.audit_reasons)]
    note = "\n".join([*found, reasons.strip()]).strip()

    def on_locked(moved: Application) -> None:
        review.outcome = assessment.outcome
        review.reviewer = by
        review.concluded_at = timezone.now()
        review.version += 1
        review.save()

    APPLICATION_MACHINE.move(
        application,
        OUTCOME_MOVE[TransferOutcome(assessment.outcome)],
        by=by,
        version=version,
        note=note,
        on_locked=on_locked,
    )
    return review


def _standards(application: Application) -> list[Any]:
    return list(application.standards.select_related("standard"))


def _import_seen_audits(
    *, application: Application, review: TransferReview, client: Any, programme: Any, by: Any
) -> None:
    """The previous CB's surveillances of this cycle as history (imported audits of the programme),
    so the schedule counts them and the next audit due is the cycle's next one."""
    if review.last_audit not in (LastAudit.SURVEILLANCE_1, LastAudit.SURVEILLANCE_2) or review.last_audit_on is None:
        return
    seen = []
    if review.last_audit == LastAudit.SURVEILLANCE_2:
        if review.first_surveillance_on is None:
            raise ValidationError(
                {"first_surveillance_on": _("Enter the last day of the first surveillance the previous CB made.")},
                code="first_surveillance_missing",
            )
        seen.append((AuditType.SURVEILLANCE_1, review.first_surveillance_on))
        seen.append((AuditType.SURVEILLANCE_2, review.last_audit_on))
    else:
        seen.append((AuditType.SURVEILLANCE_1, review.last_audit_on))
    for audit_type, day in seen:
        audit_services.audit_import(
            by=by,
            client=client,
            audit_type=audit_type,
            standards=[row.standard for row in _standards(application)],
            start_date=day,
            end_date=day,
            effective_personnel=application.headcount,
            programme=programme,
            leader_name=application.existing_cb,
            source=_("Report of the previous CB %(cb)s (transfer %(reference)s)")
            % {"cb": application.existing_cb, "reference": application.reference},
        )


def _facts(application: Application, review: TransferReview) -> certification_services.TransferFacts:
    if application.existing_certificate_expires_on is None:
        raise ValidationError(_("Enter the expiry date of the current certificate."), code="expiry_missing")
    return certification_services.TransferFacts(
        previous_cb=application.existing_cb,
        previous_certificate_number=application.existing_certificate_number,
        previous_expires_on=application.existing_certificate_expires_on,
        transfer_reason=review.transfer_reason,
    )


def _scopes(application: Application) -> dict[Any, tuple[str, str]]:
    return {row.standard: (row.scope_zh, row.scope_en) for row in _standards(application)}


@transaction.atomic
def transfer_proceed(*, application: Application, by: Any, audit_start: datetime.date | None = None) -> TransferReview:
    """After a positive pre-transfer review (CB administrators): the client, the programme that
    continues the previous certificate's cycle (anchored on its issue date, expiring with it,
    MD 2 2.2.3 from memory), the previous CB's surveillances as history, then the transfer
    decision for the committee, or the transfer audit first when the review found one needed."""
    if not restricted(Application, by, "manage").filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only a CB administrator may do this."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_transfer(application)
    review = TransferReview.objects.select_for_update().filter(application=application).first()
    if review is None or application.status not in ACCEPTED_STATUSES or review.outcome == TransferOutcome.REFUSED:
        raise ValidationError(_("Only a transfer the pre-transfer review accepted proceeds."), code="wrong_status")
    if review.programme_id is not None:
        raise ValidationError(_("This transfer has already proceeded."), code="exists")
    if review.certificate_issued_on is None:
        raise ValidationError(
            {"certificate_issued_on": _("Enter the issue date of the previous certificate (the start of its cycle).")},
            code="issue_missing",
        )
    facts = _facts(application, review)
    client = _client_for(application, by)
    standards = [row.standard for row in _standards(application)]
    programme = audit_services.programme_create(
        client=client,
        standards=standards,
        by=by,
        starts_with_initial_audit=False,
        decision_on=review.certificate_issued_on,
        certificate_issued_on=review.certificate_issued_on,
        expires_on=facts.previous_expires_on,
        notes=_("Transferred from %(cb)s, certificate %(number)s (application %(reference)s).")
        % {"cb": facts.previous_cb, "number": facts.previous_certificate_number, "reference": application.reference},
    )
    _import_seen_audits(application=application, review=review, client=client, programme=programme, by=by)
    if application.client_id is None:
        application.client = client
        application.save(update_fields=["client"])
    review.programme = programme
    if review.outcome == TransferOutcome.WITH_AUDIT:
        review.audit = _plan_transfer_audit(
            application=application, client=client, programme=programme, start=audit_start, by=by
        )
    else:
        review.decision = certification_services.decision_open(
            decision_type="transfer",
            client=client,
            by=by,
            programme=programme,
            standards=standards,
            scopes=_scopes(application),
            transfer=facts,
        )
    review.version += 1
    review.save()
    return review


def _plan_transfer_audit(
    *, application: Application, client: Any, programme: Any, start: datetime.date | None, by: Any
) -> Any:
    """The transfer audit (a pre-transfer visit that is an audit), as long as a surveillance of the
    cycle (IAF MD 5's 1/3 of the initial time, from the calculator)."""
    cycle = application_cycle(application=application)
    days = cycle.days.get(AuditType.SURVEILLANCE_1.value) or Decimal(1)
    on_site = max(1, math.ceil(days))
    start = start or application.preferred_from or dates.local_today() + datetime.timedelta(days=14)
    return audit_services.audit_plan(
        by=by,
        client=client,
        audit_type=AuditType.TRANSFER,
        standards=[StandardInput(standard=row.standard, complexity=row.complexity) for row in _standards(application)],
        start_date=start,
        end_date=start + datetime.timedelta(days=on_site - 1),
        on_site_days=Decimal(on_site),
        programme=programme,
        effective_personnel=application.headcount,
        sites=list(client.sites.all()),
        planned_man_days=Decimal(on_site),
        man_days_deviation_reason=_(
            "IAF MD 5 gives no figure for a transfer audit: planned as a surveillance of the cycle."
        ),
        notes=_("Transfer audit of application %(reference)s.") % {"reference": application.reference},
    )


@transaction.atomic
def transfer_decision_open(*, application: Application, by: Any) -> TransferReview:
    """After the transfer audit's technical review passed: the transfer decision for the committee
    (CB administrators)."""
    if not restricted(Application, by, "manage").filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only a CB administrator may do this."))
    review = TransferReview.objects.select_for_update().filter(application=application).first()
    if review is None or review.audit is None or review.decision_id is not None:
        raise ValidationError(_("The transfer decision is opened after the transfer audit, once."), code="wrong_status")
    application = Application.objects.get(pk=application.pk)
    review.decision = certification_services.decision_open(
        decision_type="transfer",
        client=review.audit.client,
        by=by,
        audit=review.audit,
        scopes=_scopes(application),
        transfer=_facts(application, review),
    )
    review.version += 1
    review.save()
    return review
