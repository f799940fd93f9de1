"""ISO/IEC 17021-1 9.5.1.2 without bypass: nobody who was on the audit's team (leader, auditor,
technical expert) reviews, evaluates or approves it — not as a committee member, not as a CB
administrator, not as a superuser — and the selection lists do not offer them."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from audits.models import TeamAssignment, TeamRole
from certification import services
from certification.models import DecisionType, ReviewerAssignment
from certification.models.review import CHECKLIST_KEYS
from certification.tests.factories import (
    CommitteeProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
    pass_review,
    qualified_profile,
    review_cast,
)
from core.access import Role

pytestmark = pytest.mark.django_db

TEAM_ROLES = [TeamRole.LEADER, TeamRole.AUDITOR, TeamRole.TECHNICAL_EXPERT]
KINDS = ["committee member", "CB administrator", "superuser"]


def powerful_person(kind):
    """A user who could otherwise do every step: committee competence, approval permission."""
    if kind == "committee member":
        user = UserFactory(role=Role.COMMITTEE)
    elif kind == "CB administrator":
        user = UserFactory(role=Role.CB_ADMIN)
    else:
        user = UserFactory(role=Role.CB_ADMIN, is_superuser=True, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="approve_decision"))
    CommitteeProfileFactory(user=user, codes=("33",))
    return type(user).objects.get(pk=user.pk)


def put_on_team(audit, user, role):
    if role == TeamRole.LEADER:
        TeamAssignment.objects.filter(audit=audit, role=TeamRole.LEADER).delete()
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=user), role=role)


def assert_not_independent(caught, role):
    error = caught.value
    assert error.error_list[0].code == "not_independent"
    assert "ISO/IEC 17021-1 9.5.1.2" in error.messages[0]
    assert str(TeamRole(role).label) in error.messages[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", TEAM_ROLES)
def test_a_team_member_cannot_be_assigned_or_act_as_reviewer(role, kind):
    cast = review_cast()
    person = powerful_person(kind)
    review = services.review_open(audit=cast.audit, by=cast.admin)
    ReviewerAssignment.objects.create(review=review, reviewer=person)  # assigned before joining the team
    put_on_team(cast.audit, person, role)
    with pytest.raises(ValidationError) as caught:
        services.review_answer(review=review, point=CHECKLIST_KEYS[0], answer="yes", remark="x", by=person)
    assert_not_independent(caught, role)
    with pytest.raises(ValidationError) as caught:
        services.review_conclude(review=review, passed=False, remark="x", by=person)
    assert_not_independent(caught, role)
    ReviewerAssignment.objects.filter(reviewer=person).delete()
    with pytest.raises(ValidationError) as caught:
        services.reviewer_assign(review=review, reviewer=person, by=cast.admin)
    assert_not_independent(caught, role)
    assert person not in services.eligible_reviewers(audit=cast.audit)


@pytest.fixture
def evaluated_grant():
    def make(person_role, person):
        cast = review_cast()
        put_on_team(cast.audit, person, person_role)
        review = pass_review(cast)
        decision = services.decision_open(
            decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
        )
        return cast, decision

    return make


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", TEAM_ROLES)
def test_a_team_member_cannot_evaluate(evaluated_grant, role, kind):
    person = powerful_person(kind)
    cast, decision = evaluated_grant(role, person)
    with pytest.raises(ValidationError) as caught:
        services.decision_evaluate(
            decision=decision, conclusion="agree", remarks="", evaluated_on=services._today(), by=person
        )
    assert_not_independent(caught, role)
    with pytest.raises(ValidationError) as caught:
        services.decision_remarks_save(decision=decision, closing_meeting_differences="x", other_remarks="", by=person)
    assert_not_independent(caught, role)
    assert person not in services.eligible_evaluators(decision=decision)
    assert cast.evaluator in services.eligible_evaluators(decision=decision)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", TEAM_ROLES)
def test_a_team_member_cannot_approve(evaluated_grant, role, kind):
    person = powerful_person(kind)
    cast, decision = evaluated_grant(role, person)
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=services._today(), by=cast.evaluator
    )
    with pytest.raises(ValidationError) as caught:
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=person
        )
    assert_not_independent(caught, role)
    decision.refresh_from_db()
    assert decision.status == "awaiting_approval" and not decision.issued_certificates.exists()
    approvers = set(services.eligible_approvers(decision=decision))
    assert person not in approvers and cast.approver in approvers


def test_an_independent_superuser_may_approve_and_is_offered():
    cast = review_cast()
    superuser = UserFactory(role=Role.CB_ADMIN, is_superuser=True, is_staff=True)
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=services._today(), by=cast.evaluator
    )
    assert superuser in services.eligible_approvers(decision=decision)
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=superuser
    )


def test_the_lists_offer_nobody_from_the_team():
    cast = review_cast()
    for user in (cast.leader, cast.auditor, cast.expert):
        user.role = Role.COMMITTEE
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="approve_decision"))
        CommitteeProfileFactory(user=user, codes=("33",))
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    team = {cast.leader, cast.auditor, cast.expert}
    assert not team & set(services.eligible_reviewers(audit=cast.audit))
    assert not team & set(services.eligible_evaluators(decision=decision))
    assert not team & set(services.eligible_approvers(decision=decision))


def test_the_evaluator_cannot_also_approve_and_is_not_offered_as_approver():
    """Part 十六 carries two signatures: an evaluator who also holds the approval permission
    may not approve the same decision."""
    cast = review_cast()
    cast.evaluator.user_permissions.add(Permission.objects.get(codename="approve_decision"))
    evaluator = type(cast.evaluator).objects.get(pk=cast.evaluator.pk)
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=services._today(), by=evaluator
    )
    decision.refresh_from_db()
    assert evaluator not in services.eligible_approvers(decision=decision)
    with pytest.raises(ValidationError) as caught:
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=evaluator
        )
    assert caught.value.error_list[0].code == "same_person"
    decision.refresh_from_db()
    assert decision.status == "awaiting_approval" and not decision.issued_certificates.exists()
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=cast.approver
    )
    decision.refresh_from_db()
    assert decision.status == "approved"
