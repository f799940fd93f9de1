"""The audit team: who is on it (with the facts the report prints, snapshotted), who accompanies
it, and the team rules — one leader, qualifications for every family audited, technical-area
competence covering the client's codes, no conflict of interest, no double booking and no audit during
an absence (refused, ``audits.availability``), agreed days a month (warned)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import set_history_user
from people.models import QualificationLevel
from people.rules import registration_per_family
from people.selectors import auditor_covers_codes, auditor_has_conflict, auditor_qualified_for

from .. import availability, registry
from ..models import AccompanyingPerson, Audit, AuditStatus, TeamAssignment, TeamRole
from ..models.team import AUDITING_ROLES, CODE_COMPETENCE_ROLES, WitnessRole
from .common import day_text, days_text, require_cb_admin, require_plan_editable

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import AuditorProfile


@dataclass
class TeamCheck:
    """What stands between the team and the audit: ``errors`` block the start of the audit,
    ``warnings`` are shown but do not block."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _conflict_during(*, profile: AuditorProfile, audit: Audit) -> tuple[datetime.date, Any] | None:
    """(day, conflict) of the first audit day on which the auditor has a declared conflict with
    the client, or None."""
    day = audit.start_date
    while day <= audit.end_date:
        conflict = auditor_has_conflict(profile=profile, client=audit.client, on_date=day)
        if conflict:
            return day, conflict
        day += datetime.timedelta(days=1)
    return None


def _conflict_message(*, profile: AuditorProfile, audit: Audit, found: tuple[datetime.date, Any]) -> str:
    day, conflict = found
    description = getattr(conflict, "description", "")
    return _(
        "Refused (conflict of interest): %(name)s declared a conflict with %(client)s (%(description)s) that is "
        "active on %(date)s."
    ) % {"name": profile.user, "client": audit.client, "description": description, "date": day_text(day)}


def _clash_refusal(clashes: list[availability.Clash]) -> str:
    return " ".join([_("Refused (auditor not free):")] + [clash.message() for clash in clashes])


def _families_label(families: Iterable[str]) -> str:
    return ", ".join(families)


def _snapshot(*, assignment: TeamAssignment, audit: Audit) -> None:
    """Copy what the report prints about the person (part 一) onto the assignment."""
    profile = assignment.profile
    assignment.name = profile.user.get_full_name()
    assignment.gender = profile.gender
    assignment.registration_number = registration_per_family(
        families=audit.families,
        default=profile.registration_number,
        registrations={q.family: q.registration_number for q in profile.qualifications.all()},
    )
    client_codes = [ta.code for ta in audit.client.technical_areas.all()]
    own = sorted(ta.code for ta in profile.technical_areas.all())
    relevant = [code for code in own if any(c == code or c.startswith(code + ".") for c in client_codes)]
    assignment.codes = ", ".join(relevant if client_codes else own)
    assignment.qualifications = "; ".join(f"{q.family}:{q.level}" for q in profile.qualifications.order_by("family"))


@transaction.atomic
def team_assignment_add(
    *, audit: Audit, profile: AuditorProfile, role: str, by: User, days: Decimal | None = None
) -> tuple[TeamAssignment, list[str]]:
    """Put an auditor on the team. Returns (assignment, warnings).

    Refused: an auditor with a declared conflict of interest with the client active on the
    audit dates; a second leader; a leader without a lead-auditor qualification for every
    family of the audit; a team member without an auditor qualification in any of them.
    Refused too: the auditor is booked on another audit or absent in one of the audit's half days
    (``audits.availability``). Warned: beyond a part-time or external auditor's agreed days a month.
    """
    require_cb_admin(by)
    require_plan_editable(audit)
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose the role in the team.")})
    name = profile.user
    if audit.team.filter(profile=profile).exists():
        raise ValidationError(_("%(name)s is already on this audit's team.") % {"name": name})
    found = _conflict_during(profile=profile, audit=audit)
    if found:
        raise ValidationError(_conflict_message(profile=profile, audit=audit, found=found))
    families = audit.families
    if role == TeamRole.LEADER:
        current = audit.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()
        if current:
            raise ValidationError(
                _(
                    "Refused (one team leader): %(leader)s already leads this audit; remove them first or add "
                    "%(name)s as a team member."
                )
                % {"leader": current.profile.user, "name": name}
            )
        missing = [
            f
            for f in families
            if not auditor_qualified_for(
                profile=profile, family=f, level=QualificationLevel.LEAD_AUDITOR, on_date=audit.start_date
            )
        ]
        if missing:
            raise ValidationError(
                _(
                    "Refused (leader qualification): %(name)s holds no valid lead-auditor qualification for %(families)s."
                )
                % {"name": name, "families": _families_label(missing)}
            )
    elif (
        role == TeamRole.AUDITOR
        and families
        and not any(auditor_qualified_for(profile=profile, family=f, on_date=audit.start_date) for f in families)
    ):
        raise ValidationError(
            _(
                "Refused (auditor qualification): %(name)s holds no valid auditor qualification for any "
                "system of this audit (%(families)s)."
            )
            % {"name": name, "families": _families_label(families)}
        )
    clashes = availability.clashes_for(profile=profile, span=availability.audit_span(audit), exclude_audit=audit)
    if clashes:
        raise ValidationError(_clash_refusal(clashes))
    if days is not None and days > audit.calendar_days:
        raise ValidationError({"days": _("The days on this audit cannot exceed its calendar days.")})
    assignment = TeamAssignment(audit=audit, profile=profile, role=role, days=days)
    _snapshot(assignment=assignment, audit=audit)
    set_history_user(assignment, by)
    assignment.save()
    registry.team_assignment_added(assignment.pk)
    return assignment, availability.monthly_limit_warnings(profile=profile, audit=audit)


@transaction.atomic
def team_assignment_remove(*, assignment: TeamAssignment, by: User) -> None:
    """Take someone off the team (their itinerary lines keep no auditor)."""
    require_cb_admin(by)
    require_plan_editable(assignment.audit)
    set_history_user(assignment, by)
    for item in list(assignment.plan_items.all()):
        item.auditor = None
        set_history_user(item, by)
        item.save()
    assignment.delete()


@transaction.atomic
def team_witness_role_set(*, assignment: TeamAssignment, witness_role: str, by: User) -> TeamAssignment:
    """Record the on-site evaluation (witnessing) on the team, ISO/IEC 17021-1 7.2.10: who
    evaluated (witness) and who was evaluated (witnessed). Competence monitoring counts a
    "witnessed" member once the audit is done on site, so this may be set during or after the
    audit (the plan need not be editable); not on a cancelled audit. History keeps who set it."""
    require_cb_admin(by)
    if witness_role not in WitnessRole.values:
        raise ValidationError({"witness_role": _("Choose an on-site evaluation role from the list.")})
    assignment = TeamAssignment.objects.select_for_update().select_related("audit").get(pk=assignment.pk)
    if assignment.audit.status == AuditStatus.CANCELLED:
        raise ValidationError(_("The audit was cancelled: nobody was evaluated on it."))
    if assignment.witness_role != witness_role:
        assignment.witness_role = witness_role
        set_history_user(assignment, by)
        assignment.save(update_fields=["witness_role"])
    return assignment


@transaction.atomic
def accompanying_person_add(
    *, audit: Audit, by: User, name: str, role: str, gender: str = "", employer: str = "", remarks: str = ""
) -> AccompanyingPerson:
    """Record someone accompanying the team who is not a CB auditor (与审核组同行人员)."""
    require_cb_admin(by)
    require_plan_editable(audit)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the name.")
    if not (role or "").strip():
        errors["role"] = _("Enter the role (observer, interpreter, guide …).")
    if errors:
        raise ValidationError(errors)
    person = AccompanyingPerson(
        audit=audit,
        name=name.strip(),
        role=role.strip(),
        gender=gender,
        employer=employer.strip(),
        remarks=remarks.strip(),
    )
    set_history_user(person, by)
    person.save()
    return person


@transaction.atomic
def accompanying_person_remove(*, person: AccompanyingPerson, by: User) -> None:
    require_cb_admin(by)
    require_plan_editable(person.audit)
    set_history_user(person, by)
    person.delete()


def team_check(*, audit: Audit) -> TeamCheck:
    """Check the whole team (see TeamCheck). The one home of the team rules besides the
    refusals in team_assignment_add, whose conditions it re-checks (dates or qualifications
    may have changed since)."""
    check = TeamCheck()
    team = list(audit.team.select_related("profile__user"))
    families = audit.families
    leaders = [a for a in team if a.role == TeamRole.LEADER]
    if not leaders:
        check.errors.append(_("No team leader (one team leader): exactly one team leader is required."))
    for leader in leaders:
        missing = [
            f
            for f in families
            if not auditor_qualified_for(
                profile=leader.profile, family=f, level=QualificationLevel.LEAD_AUDITOR, on_date=audit.start_date
            )
        ]
        if missing:
            check.errors.append(
                _(
                    "Refused (leader qualification): %(name)s holds no valid lead-auditor qualification for %(families)s."
                )
                % {"name": leader.profile.user, "families": _families_label(missing)}
            )
    auditing = [a for a in team if a.role in AUDITING_ROLES]
    for family in families:
        if not any(auditor_qualified_for(profile=a.profile, family=family, on_date=audit.start_date) for a in auditing):
            check.errors.append(
                _("Not covered (system competence): no team leader or member is qualified to audit %(family)s.")
                % {"family": family}
            )
    uncovered = auditor_covers_codes(
        profiles=[a.profile for a in team if a.role in CODE_COMPETENCE_ROLES],
        codes=[ta.code for ta in audit.client.technical_areas.all()],
    )
    if uncovered:
        check.errors.append(
            _("Not covered (technical competence): no auditor or technical expert covers the client's codes %(codes)s.")
            % {"codes": ", ".join(sorted(uncovered))}
        )
    for assignment in team:
        found = _conflict_during(profile=assignment.profile, audit=audit)
        if found:
            check.errors.append(_conflict_message(profile=assignment.profile, audit=audit, found=found))
    # Clashes are refused when someone is put on the team or the audit moves; one that exists
    # anyway (imported records, data from before the rule) is shown, not blocking the start.
    for clash in availability.team_clashes(audit=audit):
        check.warnings.append(clash.message())
    auditor_days = sum((a.days if a.days is not None else audit.on_site_days for a in auditing), Decimal(0))
    if auditing and auditor_days < audit.planned_man_days:
        check.warnings.append(
            _(
                "The team's auditor-days (%(team)s) are fewer than the planned man-days (%(planned)s); technical "
                "experts and observers do not count."
            )
            % {"team": days_text(auditor_days), "planned": days_text(audit.planned_man_days)}
        )
    return check
