"""The readiness conclusion of a stage 1 audit (ISO/IEC 17021-1 9.3.1.2), written when its
report is approved and withdrawn when the report is reopened (the report app calls these, in
the same transaction as its own move). ``audits.rules`` reads it to gate stage 2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.dates import local_today
from core.history import set_history_user

from ..models import Audit, AuditType, Stage1Conclusion, Stage1Outcome

if TYPE_CHECKING:
    from accounts.models import User


def _require_leader(audit: Audit, by: User | None) -> None:
    if by is None or not Audit.objects.restrict(by, "lead").filter(pk=audit.pk).exists():
        raise PermissionDenied(_("Only the audit's team leader may conclude stage 1."))


@transaction.atomic
def stage_1_conclude(*, audit: Audit, outcome: str, remark: str, by: User) -> Stage1Conclusion:
    """Record whether the client is ready for stage 2 (the team leader, at the stage 1 report's
    approval). "Not ready" needs the reason in the remark."""
    _require_leader(audit, by)
    if audit.audit_type != AuditType.STAGE_1:
        raise ValidationError(_("Only a stage 1 audit concludes on readiness for stage 2."), code="not_stage_1")
    remark = (remark or "").strip()
    if outcome not in Stage1Outcome.values:
        raise ValidationError(
            {"stage_1_outcome": _("Conclude stage 1: ready or not ready for stage 2 (ISO/IEC 17021-1 9.3.1.2).")},
            code="no_conclusion",
        )
    if outcome == Stage1Outcome.NOT_READY and not remark:
        raise ValidationError(
            {"stage_1_remark": _("Say why the client is not ready for stage 2.")}, code="remark_required"
        )
    conclusion = Stage1Conclusion.objects.filter(audit=audit).first() or Stage1Conclusion(audit=audit)
    conclusion.outcome = outcome
    conclusion.remark = remark
    conclusion.concluded_on = local_today()
    conclusion.concluded_by = by
    set_history_user(conclusion, by)
    conclusion.save()
    return conclusion


@transaction.atomic
def stage_1_conclusion_withdraw(*, audit: Audit, by: User) -> None:
    """The stage 1 report was reopened: its conclusion no longer stands until it is approved again."""
    _require_leader(audit, by)
    for conclusion in Stage1Conclusion.objects.filter(audit=audit):
        set_history_user(conclusion, by)
        conclusion.delete()
