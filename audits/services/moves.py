"""The audit's status moves. The machine is declared once, in ``audits.lifecycle``; these are the
public action functions every app calls to move an audit (``audit_move``, ``audit_follow``), and
the two moves people take on the audit itself (``audit_start``, ``audit_cancel``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..lifecycle import AUDIT_MACHINE, GUARDS
from ..models import Audit, AuditStatus
from ..rules import stage_2_refusals
from .team import team_check

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def audit_move(*, audit: Audit, action: str, by: User | None, note: str = "", version: int | None = None) -> Audit:
    """Take ``action`` of the audit machine (``audits.lifecycle.AUDIT_MACHINE``): the one public
    way for any app to change an audit's status. Refusals: ``PermissionDenied`` (who),
    ``ValidationError`` (status, version, the move's guard in ``GUARDS``)."""
    guard = GUARDS.get(action)

    def guarded(locked: Audit) -> None:
        if guard is not None:
            guard(locked)

    AUDIT_MACHINE.move(audit, action, by=by, note=note, version=version, on_locked=guarded)
    return audit


@transaction.atomic
def audit_follow(*, audit: Audit, action: str, by: User | None, note: str = "") -> Audit:
    """Move the audit as another record moves (the report, in the caller's transaction). A step
    back to "report drafted" from a status that has no such step (the audit has moved on, or
    has not started), or a step the audit has already made, changes nothing; any other step
    the audit's status does not allow is refused."""
    move = AUDIT_MACHINE[action]
    current = Audit.objects.values_list("status", flat=True).get(pk=audit.pk)
    if current == move.target:
        return audit
    if move.target == AuditStatus.REPORT_DRAFTED and current not in AUDIT_MACHINE.sources_of_target(
        AuditStatus.REPORT_DRAFTED
    ):
        return audit
    return audit_move(audit=audit, action=action, by=by, note=note)


@transaction.atomic
def audit_start(*, audit: Audit, by: User) -> Audit:
    """planned → in progress: the team leader (or a CB administrator) opens the audit. Refused
    while the team check reports errors."""
    AUDIT_MACHINE.require(by, audit, "start")
    check = team_check(audit=audit)
    errors = list(check.errors) + stage_2_refusals(audit)
    if errors:
        raise ValidationError([_("The audit cannot start:")] + errors)
    return audit_move(audit=audit, action="start", by=by)


@transaction.atomic
def audit_cancel(*, audit: Audit, by: User, reason: str) -> Audit:
    """planned → cancelled, with the reason (CB administrators)."""
    AUDIT_MACHINE.require(by, audit, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the audit.")})
    return audit_move(audit=audit, action="cancel", by=by, note=reason.strip())
