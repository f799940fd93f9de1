"""Auditors' absences (leave, unavailability, travel) and moving an audit in the calendar: both
go through the clash rule of ``audits.availability``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import Role
from core.history import set_history_user

from .. import availability, rules
from ..models import Absence, AbsenceKind, Audit, AuditType, HalfDay
from .common import is_cb_admin, require_cb_admin, require_plan_editable
from .planning import refuse_team_clashes

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import AuditorProfile


def _may_manage_absences(by: User | None, profile: AuditorProfile) -> bool:
    if is_cb_admin(by):
        return True
    return bool(
        by
        and by.is_authenticated
        and by.is_active
        and by.role in (Role.AUDITOR, Role.TEAM_LEADER)
        and profile.user_id == by.pk
    )


@transaction.atomic
def absence_add(
    *,
    profile: AuditorProfile,
    by: User,
    start_date: datetime.date,
    end_date: datetime.date,
    start_half: str = HalfDay.MORNING,
    end_half: str = HalfDay.AFTERNOON,
    kind: str = AbsenceKind.LEAVE,
    note: str = "",
) -> Absence:
    """Record a period the auditor cannot audit (by the auditor or a CB administrator). Refused
    when it ends before it starts, or when the auditor is on an audit during it (take them off
    the team, or move the audit, first)."""
    if not _may_manage_absences(by, profile):
        raise PermissionDenied(_("Only the auditor or a CB administrator may record the auditor's absences."))
    errors: dict[str, str] = {}
    if kind not in AbsenceKind.values:
        errors["kind"] = _("Choose the kind of absence.")
    if start_half not in HalfDay.values:
        errors["start_half"] = _("Choose morning or afternoon.")
    if end_half not in HalfDay.values:
        errors["end_half"] = _("Choose morning or afternoon.")
    span = availability.Span(start_date, end_date, start_half, end_half)
    if not errors and not span.valid:
        errors["end_date"] = _("The absence cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    booked = [clash for clash in availability.clashes_for(profile=profile, span=span) if clash.assignment is not None]
    if booked:
        raise ValidationError(
            [_("Refused: the auditor is on an audit during this absence; change the team first.")]
            + [clash.message() for clash in booked]
        )
    absence = Absence(
        profile=profile,
        kind=kind,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        note=(note or "").strip(),
        created_by=by,
    )
    set_history_user(absence, by)
    absence.save()
    return absence


@transaction.atomic
def absence_remove(*, absence: Absence, by: User) -> None:
    if not _may_manage_absences(by, absence.profile):
        raise PermissionDenied(_("Only the auditor or a CB administrator may record the auditor's absences."))
    set_history_user(absence, by)
    absence.delete()


@transaction.atomic
def audit_reschedule(*, audit: Audit, by: User, start_date: datetime.date, version: int | None = None) -> Audit:
    """Move the audit so it starts on ``start_date``, keeping its length and half days, its
    itinerary lines moved with it (the calendar's drag and drop). Refused, naming each person,
    when a team member is booked or absent then; the stage 2 rules apply as when planning."""
    require_cb_admin(by)
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this audit since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    require_plan_editable(locked)
    shift = (start_date - locked.start_date).days
    if shift == 0:
        return locked
    span = availability.audit_span(locked).shifted(shift)
    if locked.audit_type == AuditType.STAGE_2:
        refusals = rules.stage_2_plan_refusals(programme=locked.programme, start_date=span.start_date, audit=locked)
        if refusals:
            raise ValidationError({"start_date": refusals})
    refuse_team_clashes(audit=locked, span=span)
    locked.start_date, locked.end_date = span.start_date, span.end_date
    locked.version += 1
    set_history_user(locked, by)
    locked.save()
    for item in locked.plan_items.all():
        item.day += datetime.timedelta(days=shift)
        set_history_user(item, by)
        item.save()
    return locked
