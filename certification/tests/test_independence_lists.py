"""Independence (ISO/IEC 17021-1 9.5.1.2) is one rule: the to-do lists of the home page and every
selection list offering people for a review or decision role leave out exactly those the action
would refuse; and a role change of a user on the team of an audit awaiting a decision warns
that they stay barred from it (our function and the admin site)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.role_changes import role_change_warnings
from audits.models import AuditStatus, TeamRole
from certification import services
from certification.models import DecisionStatus, DecisionType, ReviewStatus
from certification.nav import next_actions
from core.access import Role

from .factories import (
    CommitteeProfileFactory,
    DecisionFactory,
    TeamAssignmentFactory,
    TechnicalReviewFactory,
    UserFactory,
    committee_user,
    qualified_profile,
    review_cast,
    today,
)

pytestmark = pytest.mark.django_db


def _on_team(audit, user, role=TeamRole.TECHNICAL_EXPERT):
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=user), role=role)


def _approver(**kwargs):
    user = UserFactory(role=Role.COMMITTEE, **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="approve_decision"))
    return type(user).objects.get(pk=user.pk)


def _kinds(user):
    return [(a.meta.get("kind"), a.meta.get("decision") or a.meta.get("audit")) for a in next_actions(user)]


def test_a_committee_member_on_the_team_has_no_evaluation_to_do_and_is_refused(client):
    cast = review_cast(status=AuditStatus.TECHNICAL_REVIEW)
    barred, free = committee_user(), committee_user()
    _on_team(cast.audit, barred)
    decision = DecisionFactory(audit=cast.audit, decision_type=DecisionType.GRANT)
    assert ("evaluate", decision.pk) in _kinds(free)
    assert ("evaluate", decision.pk) not in _kinds(barred)
    with pytest.raises(ValidationError) as caught:
        services.decision_evaluate(decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=barred)
    assert caught.value.error_list[0].code == "not_independent"
    # The home page itself.
    client.force_login(barred)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("certification:decision", args=[decision.pk]) not in home
    client.force_login(free)
    assert (
        reverse("certification:decision", args=[decision.pk]) in client.get(reverse("accounts:home")).content.decode()
    )


def test_an_approver_on_the_team_has_no_approval_to_do():
    cast = review_cast(status=AuditStatus.TECHNICAL_REVIEW)
    barred, free = _approver(), _approver()
    _on_team(cast.audit, barred, TeamRole.AUDITOR)
    decision = DecisionFactory(
        audit=cast.audit,
        status=DecisionStatus.AWAITING_APPROVAL,
        evaluation_conclusion="agree",
        evaluated_by=committee_user(),
        evaluated_on=today(),
    )
    assert ("approve", decision.pk) in _kinds(free)
    assert ("approve", decision.pk) not in _kinds(barred)


def test_a_reviewer_put_on_the_team_after_assignment_has_no_review_to_do():
    cast = review_cast(status=AuditStatus.TECHNICAL_REVIEW)
    review = TechnicalReviewFactory(audit=cast.audit, status=ReviewStatus.OPEN, reviewers=[cast.reviewer])
    assert ("review", cast.audit.pk) in _kinds(cast.reviewer)
    _on_team(cast.audit, cast.reviewer)
    assert ("review", cast.audit.pk) not in _kinds(cast.reviewer)
    assert review.pk  # the review stays; only the barred reviewer's to-do goes


@pytest.mark.parametrize("role", [TeamRole.LEADER, TeamRole.AUDITOR, TeamRole.TECHNICAL_EXPERT, TeamRole.OBSERVER])
def test_every_selection_list_leaves_out_exactly_whom_the_action_refuses(role):
    cast = review_cast(status=AuditStatus.TECHNICAL_REVIEW)
    person = _approver()
    CommitteeProfileFactory(user=person, codes=("33.02.01",))
    decision = DecisionFactory(audit=cast.audit)
    lists = {
        "reviewers": lambda: services.eligible_reviewers(audit=cast.audit),
        "evaluators": lambda: services.eligible_evaluators(decision=decision),
        "approvers": lambda: services.eligible_approvers(decision=decision),
    }
    assert all(lst().filter(pk=person.pk).exists() for lst in lists.values())
    if role == TeamRole.LEADER:
        cast.audit.team.filter(role=TeamRole.LEADER).delete()
    _on_team(cast.audit, person, role)
    for name, lst in lists.items():
        assert not lst().filter(pk=person.pk).exists(), f"{name} still offers a member of the team"
    with pytest.raises(ValidationError):
        services.independence_check(audit=cast.audit, user=person)


# --- changing a role ------------------------------------------------------------------------------


def test_a_role_change_of_a_team_member_of_an_audit_awaiting_a_decision_warns_they_are_barred():
    cast = review_cast(status=AuditStatus.TECHNICAL_REVIEW)
    with translation.override("en"):
        warnings = role_change_warnings(user=cast.expert, old_role=Role.AUDITOR, new_role=Role.COMMITTEE)
    assert len(warnings) == 1
    assert "ISO/IEC 17021-1 9.5.1.2" in warnings[0] and cast.audit.client.name_zh in warnings[0]
    assert "may not review it or take part in that decision" in warnings[0]
    # No change of role, or an audit already decided: nothing to say.
    assert role_change_warnings(user=cast.expert, old_role=Role.AUDITOR, new_role=Role.AUDITOR) == []
    decided = review_cast(status=AuditStatus.DECIDED)
    assert role_change_warnings(user=decided.expert, old_role=Role.AUDITOR, new_role=Role.COMMITTEE) == []


def test_the_admin_site_warns_when_it_changes_such_a_users_role(client, settings):
    settings.LANGUAGE_CODE = "en"
    cast = review_cast(status=AuditStatus.APPROVED)
    admin = UserFactory(role=Role.CB_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[cast.expert.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {
            "role": Role.COMMITTEE,
            "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
            "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(url, data, follow=True)
    cast.expert.refresh_from_db()
    assert cast.expert.role == Role.COMMITTEE, response.content.decode()[:3000]
    messages = [str(m) for m in response.context["messages"]]
    assert any("ISO/IEC 17021-1 9.5.1.2" in m and "may not review it" in m for m in messages), messages
