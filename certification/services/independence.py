"""Independence (ISO/IEC 17021-1 9.5.1.2) and who may be chosen for each step.

Independence comes first in every review, evaluation and approval step and binds every user,
CB administrators and superusers included: nobody who was on the audit's team (any team role)
reviews it or decides on it. It is refused as a ``ValidationError`` (code ``not_independent``):
the person may do the step on other audits, not on this one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audits.models import Audit, TeamAssignment, TeamRole
from core.access import Role

from ..models import Decision
from ..rules import invalid
from .base import client_codes, team_user_ids, uncovered


def independence_check(*, audit: Audit | None, user: Any) -> None:
    """Refuse anyone who was on the audit's team (ISO/IEC 17021-1 9.5.1.2), whoever they are."""
    if audit is None or user is None or not getattr(user, "pk", None):
        return
    roles = list(
        TeamAssignment.objects.filter(audit_id=audit.pk, profile__user_id=user.pk).values_list("role", flat=True)
    )
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
    candidates = (
        User.objects.filter(is_active=True, role=Role.COMMITTEE, committee_profile__active=True)
        .exclude(pk__in=team_user_ids(audit))
        .prefetch_related("committee_profile__technical_areas")
    )
    ok = [
        user.pk
        for user in candidates
        if not uncovered([a.code for a in user.committee_profile.technical_areas.all()], required)
    ]
    return User.objects.filter(pk__in=ok).order_by("full_name", "username")


def eligible_evaluators(*, decision: Decision) -> QuerySet:
    """Active committee members who were not on the team of the decision's audit."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role=Role.COMMITTEE)
        .exclude(pk__in=team_user_ids(decision.audit))
        .order_by("full_name", "username")
    )


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
    approvers = User.objects.filter(pk__in=ids).exclude(pk__in=team_user_ids(decision.audit))
    if decision.evaluated_by_id:
        approvers = approvers.exclude(pk=decision.evaluated_by_id)  # the second signature (decision_approve)
    return approvers.order_by("full_name", "username")
