"""Safeguarding impartiality (ISO/IEC 17021-1 5.2): the risk register (5.2.3: identify, analyse,
evaluate, treat, monitor and document the risks), the committee's members, meetings with their
minutes and actions, and personnel's yearly declarations. CB administrators keep them; a person
signs their own declaration."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clients.uploads import check_document
from core.access import Role
from findings.rules import add_months
from people.models import ConflictOfInterest

from ..models import (
    CommitteeMeeting,
    CommitteeMember,
    Declaration,
    ImpartialityRisk,
    Level,
    MeetingAction,
    Threat,
)
from .common import invalid, policy, require_admin, text, today

STATEMENT = (
    "本人声明：本人将公正地开展认证活动，不参与任何可能影响公正性的活动（包括为受审核方提供咨询），"
    "发现利益冲突时立即报告；对在认证活动中获得的所有信息保密。 / I declare that I will carry out certification "
    "activities impartially, take part in nothing that could compromise impartiality (consultancy to clients "
    "included), report any conflict of interest at once, and keep confidential all information obtained in "
    "certification activities."
)


def _levels(likelihood: int, impact: int) -> None:
    if likelihood not in Level.values or impact not in Level.values:
        raise invalid({"likelihood": _("Choose low, medium or high.")}, code="invalid")


@transaction.atomic
def risk_record(
    *,
    threat: str,
    description: str,
    likelihood: int,
    impact: int,
    control: str,
    next_review_on: datetime.date,
    by: Any,
    source: str = "",
    conflict: ConflictOfInterest | None = None,
) -> ImpartialityRisk:
    require_admin(by)
    if threat not in Threat.values:
        raise invalid({"threat": _("Choose the threat.")}, code="invalid")
    _levels(likelihood, impact)
    if next_review_on < today():
        raise invalid({"next_review_on": _("The next review cannot be in the past.")}, code="past")
    risk = ImpartialityRisk(
        threat=threat,
        description=text(description, "description", _("Describe the risk.")),
        source=source.strip(),
        likelihood=likelihood,
        impact=impact,
        control=control.strip(),
        reviewed_on=today(),
        next_review_on=next_review_on,
        conflict=conflict,
        created_by=by,
    )
    risk.save()
    return risk


@transaction.atomic
def risk_review(
    *,
    risk: ImpartialityRisk,
    likelihood: int,
    impact: int,
    control: str,
    next_review_on: datetime.date,
    by: Any,
    active: bool = True,
) -> ImpartialityRisk:
    """The risk evaluated again, its control confirmed or changed, the next review set."""
    require_admin(by)
    _levels(likelihood, impact)
    if next_review_on < today():
        raise invalid({"next_review_on": _("The next review cannot be in the past.")}, code="past")
    locked = ImpartialityRisk.objects.select_for_update().get(pk=risk.pk)
    locked.likelihood, locked.impact, locked.control = likelihood, impact, control.strip()
    locked.reviewed_on, locked.next_review_on, locked.active = today(), next_review_on, active
    locked.save()
    return locked


@transaction.atomic
def risks_from_conflicts(*, by: Any) -> list[ImpartialityRisk]:
    """The declared conflicts of interest (people app) feed the register: each active one not yet
    in it becomes a risk (a consultancy: the consultancy threat, 5.2.10; else self-interest), its
    control the bar on auditing that client, to review when the conflict ends."""
    require_admin(by)
    day = today()
    created = []
    pending = ConflictOfInterest.objects.filter(impartiality_risk__isnull=True).select_related(
        "profile__user", "client"
    )
    for conflict in pending.order_by("pk"):
        if not conflict.is_active_on(day):
            continue
        risk = ImpartialityRisk(
            threat=Threat.CONSULTANCY if conflict.consulting_ended_on else Threat.SELF_INTEREST,
            description=conflict.description,
            source=f"{conflict.profile.user.get_full_name()} – {conflict.client.name_zh}",
            likelihood=Level.MEDIUM,
            impact=Level.HIGH,
            control=_("The person is barred from auditing and deciding on %(client)s (declared conflict of interest).")
            % {"client": conflict.client.name_zh},
            reviewed_on=day,
            next_review_on=conflict.until or add_months(day, 12),
            conflict=conflict,
            created_by=by,
        )
        risk.save()
        created.append(risk)
    return created


@transaction.atomic
def committee_member_add(
    *, name: str, interest: str, joined_on: datetime.date, by: Any, user: Any = None
) -> CommitteeMember:
    require_admin(by)
    member = CommitteeMember(
        name=text(name, "name", _("Give the member's name.")),
        interest=text(interest, "interest", _("Say which interest the member represents.")),
        joined_on=joined_on,
        user=user,
    )
    member.save()
    return member


@transaction.atomic
def meeting_record(
    *,
    held_on: datetime.date,
    summary: str,
    attendees: Iterable[CommitteeMember],
    by: Any,
    minutes: UploadedFile | None = None,
) -> CommitteeMeeting:
    """A meeting of the committee, its attendees and its minutes (the upload checks of client
    documents: type, size, content)."""
    require_admin(by)
    if held_on > today():
        raise invalid({"held_on": _("A meeting is recorded once it is held.")}, code="future")
    attendees = list(attendees)
    if not attendees:
        raise invalid({"attendees": _("Choose who attended.")}, code="required")
    meeting = CommitteeMeeting(
        held_on=held_on, summary=text(summary, "summary", _("Summarise the meeting.")), created_by=by
    )
    if minutes is not None:
        checked = check_document(minutes)
        meeting.minutes_name, meeting.minutes_type = checked.name, checked.content_type
        meeting.minutes.save(checked.name, minutes, save=False)
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_action_add(
    *, meeting: CommitteeMeeting, description: str, owner: str, due_on: datetime.date, by: Any
) -> MeetingAction:
    require_admin(by)
    action = MeetingAction(
        meeting=meeting,
        text=text(description, "description", _("Describe the action.")),
        owner=text(owner, "owner", _("Say who does it.")),
        due_on=due_on,
    )
    action.save()
    return action


@transaction.atomic
def meeting_action_done(*, action: MeetingAction, by: Any) -> MeetingAction:
    require_admin(by)
    locked = MeetingAction.objects.select_for_update().get(pk=action.pk)
    if locked.done_on is not None:
        raise invalid(_("This action is already done."), code="already_done")
    locked.done_on = today()
    locked.save(update_fields=["done_on"])
    return locked


@transaction.atomic
def declaration_sign(*, by: Any) -> Declaration:
    """A member of staff signs the impartiality and confidentiality declaration, valid for the
    CB's period (a CB setting, yearly by default)."""
    if by is None or not by.is_authenticated or not by.is_active or by.role == Role.CLIENT:
        raise PermissionDenied(_("Only the CB's personnel sign this declaration."))
    day = today()
    declaration = Declaration(
        user=by,
        signed_on=day,
        valid_until=add_months(day, policy().declaration_months) - datetime.timedelta(days=1),
        statement=STATEMENT,
    )
    declaration.save()
    return declaration


def declarations_due(*, within_days: int = 30) -> QuerySet:
    """The CB's active personnel without a declaration valid ``within_days`` from today (the due list)."""
    limit = today() + datetime.timedelta(days=within_days)
    covered = Declaration.objects.filter(valid_until__gte=limit).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role=Role.CLIENT)
        .exclude(pk__in=covered)
        .order_by("full_name", "username")
    )
