"""Independence (ISO/IEC 17021-1 9.5.1.2) and who may be chosen for each step.

Independence comes first in every review, evaluation and approval step and binds every user,
CB administrators and superusers included: nobody who was on the audit's team (any team role)
reviews it or decides on it. It is refused as a ``ValidationError`` (code ``not_independent``):
the person may do the step on other audits, not on this one.

The rule is one function, ``team_memberships``; the action (``independence_check``), the
selection lists (``eligible_*``, ``independent_users``), the to-do lists
(``without_barred_audits``) and the role-change warning (``barred_audits``) all ask it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from audits.models import Audit, AuditStatus, TeamAssignment, TeamRole
from core.access import Role

from ..models import Decision
from ..rules import invalid
from .base import client_codes, day_text, uncovered


def _key(value: Any) -> Any:
    """A record's pk, or the value itself (a pk or an ``OuterRef``)."""
    return getattr(value, "pk", value)


def team_memberships(*, audit: Any, user: Any) -> QuerySet:
    """The rule (ISO/IEC 17021-1 9.5.1.2): the team assignments (any role) that bar ``user`` from
    reviewing ``audit`` or taking part in its certification decision. Each argument is a record,
    a pk or an ``OuterRef``, so the same rule answers "may this person act on this audit" (the
    action), "which people may be offered" (selection lists) and "which audits wait for this
    person" (to-do lists)."""
    return TeamAssignment.objects.filter(audit_id=_key(audit), profile__user_id=_key(user))


def independent_users(users: QuerySet, *, audit: Audit | None) -> QuerySet:
    """``users`` without anyone the rule bars from ``audit`` (a selection list)."""
    if audit is None:
        return users
    return users.exclude(Exists(team_memberships(audit=audit, user=OuterRef("pk"))))


def without_barred_audits(records: QuerySet, *, user: Any) -> QuerySet:
    """``records`` (decisions, reviews: anything with an ``audit``) without those whose audit
    the rule bars ``user`` from (a to-do list)."""
    return records.exclude(Exists(team_memberships(audit=OuterRef("audit_id"), user=user)))


# An audit awaiting its certification decision: the report is approved, the decision not taken.
AWAITING_DECISION = (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED, AuditStatus.TECHNICAL_REVIEW)


def barred_audits(*, user: Any) -> QuerySet:
    """The audits awaiting a decision that the rule bars ``user`` from."""
    return Audit.objects.filter(Exists(team_memberships(audit=OuterRef("pk"), user=user)), status__in=AWAITING_DECISION)


def role_change_warnings(*, user: Any, old_role: str, new_role: str) -> list[str]:
    """A user whose role changes while on the team of an audit awaiting a decision stays barred
    from reviewing it and deciding on it, whatever the new role (the rule above)."""
    return [
        _(
            "ISO/IEC 17021-1 9.5.1.2: %(person)s is on the team of the audit %(audit)s of %(client)s, which awaits its "
            "certification decision: whatever their role, they may not review it or take part in that decision."
        )
        % {
            "person": user.get_full_name() or user.get_username(),
            "audit": " ".join(filter(None, [str(audit.get_audit_type_display()), day_text(audit.start_date)])),
            "client": audit.client.name_zh,
        }
        for audit in barred_audits(user=user).select_related("client").order_by("start_date", "pk")
    ]


def independence_check(*, audit: Audit | None, user: Any) -> None:
    """Refuse anyone who was on the audit's team (ISO/IEC 17021-1 9.5.1.2), whoever they are."""
    if audit is None or user is None or not getattr(user, "pk", None):
        return
    roles = list(team_memberships(audit=audit, user=user).values_list("role", flat=True))
    if roles:
        raise invalid(
            _(
                "ISO/IEC 17021-1 9.5.1.2: %(person)s was on this audit's team (%(roles)s) and may not review "
                "it or take part in the certification decision."
            )
            % {"person": user.get_full_name(), "roles": ", ".join(str(TeamRole(r).label) for r in roles)},
            code="not_independent",
        )


def second_signature_check(*, decision: Decision, user: Any) -> None:
    """Part 十六 has two signatures: the approval is a second person's check of the evaluation,
    so the evaluator may not approve the same decision."""
    if decision.evaluated_by_id is not None and decision.evaluated_by_id == user.pk:
        raise invalid(
            _("%(person)s evaluated this decision; the approval must come from another person.")
            % {"person": user.get_full_name() or user.get_username()},
            code="same_person",
        )


def approval_refusal(*, decision: Decision, user: Any) -> str:
    """Why ``user`` may not approve ``decision`` (independence, second signature), or ''."""
    try:
        independence_check(audit=decision.audit, user=user)
        second_signature_check(decision=decision, user=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def eligible_reviewers(*, audit: Audit) -> QuerySet:
    """Active committee members with an active competence profile covering every code of the
    client, never a member of the audit's team."""
    User = get_user_model()
    required = client_codes(audit.client)
    candidates = independent_users(
        User.objects.filter(is_active=True, role=Role.COMMITTEE, committee_profile__active=True), audit=audit
    ).prefetch_related("committee_profile__technical_areas")
    ok = [
        user.pk
        for user in candidates
        if not uncovered([a.code for a in user.committee_profile.technical_areas.all()], required)
    ]
    return User.objects.filter(pk__in=ok).order_by("full_name", "username")


def eligible_evaluators(*, decision: Decision) -> QuerySet:
    """Active committee members who were not on the team of the decision's audit."""
    users = get_user_model().objects.filter(is_active=True, role=Role.COMMITTEE)
    return independent_users(users, audit=decision.audit).order_by("full_name", "username")


def eligible_approvers(*, decision: Decision) -> QuerySet:
    """Active staff users holding certification.approve_decision (directly, through a group, or
    as superusers), never a member of the audit's team nor the decision's evaluator."""
    User = get_user_model()
    holds = (
        Q(is_superuser=True)
        | Q(user_permissions__codename="approve_decision", user_permissions__content_type__app_label="certification")
        | Q(
            groups__permissions__codename="approve_decision",
            groups__permissions__content_type__app_label="certification",
        )
    )
    ids = User.objects.filter(holds, is_active=True).exclude(role=Role.CLIENT).values("pk")
    approvers = independent_users(User.objects.filter(pk__in=ids), audit=decision.audit)
    if decision.evaluated_by_id:
        approvers = approvers.exclude(pk=decision.evaluated_by_id)  # the second signature (decision_approve)
    return approvers.order_by("full_name", "username")
