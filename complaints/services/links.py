"""What a complaint or an appeal leads to, through the existing paths (their services, never a
copy of their rules): a special audit (``audits.services.audit_plan``, type special: 17021-1
9.6.4), a suspension decision (``certification.services.decision_open``, 9.6.5), and the new
decision of an appeal whose decision is changed (the normal decision path)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.models import AuditStatus, AuditType
from certification import services as certification_services
from certification.models import Decision, DecisionType, StatusReason

from ..models import Appeal, AppealOutcome, AppealStatus, Complaint, ComplaintStatus
from .common import invalid, require_admin

# A complaint leads to an audit or a decision while it is being handled.
ACTING = (ComplaintStatus.VALIDATED, ComplaintStatus.INVESTIGATION, ComplaintStatus.DECIDED)


def _acting_complaint(complaint: Complaint) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in ACTING:
        raise invalid(
            _("Only a validated complaint, being handled, can lead to an audit or a decision."), code="wrong_status"
        )
    if locked.client_id is None:
        raise invalid(_("The complaint names no certified client."), code="no_client")
    return locked


@transaction.atomic
def complaint_open_special_audit(
    *,
    complaint: Complaint,
    by: Any,
    start_date: datetime.date,
    end_date: datetime.date,
    on_site_days: Decimal,
    man_days: Decimal,
) -> Complaint:
    """Plan a special audit of the client concerned (17021-1 9.6.4.2: investigating a complaint),
    of the certificate's standard, in its programme."""
    require_admin(by)
    locked = _acting_complaint(complaint)
    if locked.special_audit_id:
        raise invalid(_("A special audit is already planned for this complaint."), code="already_done")
    certificate = locked.certificate
    if certificate is None:
        raise invalid(_("Link the certificate concerned first."), code="no_certificate")
    audit = audit_services.audit_plan(
        by=by,
        client=certificate.client,
        programme=certificate.programme,
        audit_type=AuditType.SPECIAL,
        standards=[audit_services.StandardInput(standard=certificate.standard)],
        start_date=start_date,
        end_date=end_date,
        on_site_days=on_site_days,
        planned_man_days=man_days,
        # IAF MD 5 gives no time for a special audit: the CB sets it for the matter to investigate.
        man_days_deviation_reason=_("Special audit investigating complaint %(reference)s: time set for the matter.")
        % {"reference": locked.reference},
        notes=_("Special audit investigating complaint %(reference)s.") % {"reference": locked.reference},
    )
    locked.special_audit = audit
    locked.version += 1
    locked.save(update_fields=["special_audit", "version"])
    return locked


@transaction.atomic
def complaint_open_suspension(
    *,
    complaint: Complaint,
    by: Any,
    reason: StatusReason,
    suspension_ends_on: datetime.date | None = None,
    decision_type: str = DecisionType.SUSPEND,
) -> Complaint:
    """Open a suspension (9.6.5) or, for a serious misuse of certificates or marks, a withdrawal
    decision on the certificate concerned, for the committee; the decision's own rules apply
    (reason code of the right list, a suspension's end)."""
    if decision_type not in (DecisionType.SUSPEND, DecisionType.WITHDRAW):
        raise invalid({"decision_type": _("A complaint leads to a suspension or a withdrawal.")}, code="invalid")
    require_admin(by)
    locked = _acting_complaint(complaint)
    if locked.suspension_decision_id:
        raise invalid(_("A decision is already opened for this complaint."), code="already_done")
    if locked.certificate is None:
        raise invalid(_("Link the certificate concerned first."), code="no_certificate")
    decision = certification_services.decision_open(
        decision_type=decision_type,
        client=locked.certificate.client,
        certificates=[locked.certificate],
        reason=reason,
        suspension_ends_on=suspension_ends_on,
        by=by,
    )
    locked.suspension_decision = decision
    locked.version += 1
    locked.save(update_fields=["suspension_decision", "version"])
    return locked


@transaction.atomic
def appeal_open_decision(*, appeal: Appeal, by: Any, decision_type: str, **decision_kwargs: Any) -> Decision:
    """An appeal decided "changed": open the new certification decision through the normal path
    (``decision_open``: its rules, then the committee's evaluation and approval). An audit
    already decided waits for its new decision again (the audits machine's ``reopened_on_appeal``)."""
    require_admin(by)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.status != AppealStatus.DECIDED or locked.outcome != AppealOutcome.CHANGED:
        raise invalid(_("Only an appeal decided “decision changed” leads to a new decision."), code="wrong_status")
    if locked.new_decision_id:
        raise invalid(_("The new decision is already opened."), code="already_done")
    old = locked.decision
    audit = old.audit
    if audit is not None and audit.status == AuditStatus.DECIDED:
        audit_services.audit_move(
            audit=audit,
            action="reopened_on_appeal",
            by=by,
            note=_("Appeal %(reference)s: the decision is changed.") % {"reference": locked.reference},
        )
    decision_kwargs.setdefault("audit", audit)
    decision_kwargs.setdefault("review", old.review)
    if not decision_kwargs.get("certificates"):
        decision_kwargs["certificates"] = list(old.certificates.all())
    decision = certification_services.decision_open(
        decision_type=decision_type, client=old.client, by=by, **decision_kwargs
    )
    locked.new_decision = decision
    locked.version += 1
    locked.save(update_fields=["new_decision", "version"])
    return decision
