"""Investigators and appeal reviewers are not involved in the subject (17021-1 9.7/9.8, the
decision's rule 9.5.1.2 reused): the decision's evaluator and approver, its technical reviewers
and anybody on its audit's team are refused — CB administrators and superusers too."""

import pytest
from django.core.exceptions import ValidationError

from audits.models import TeamRole
from audits.tests.factories import TeamAssignmentFactory, qualified_profile
from certification.models import ReviewerAssignment
from complaints import services
from core.access import Role

from .factories import appeal_in, cast, complaint_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def _make_superuser(user):
    user.is_superuser = True
    user.save()
    return user


INVOLVED = ["leader", "evaluator", "approver", "superuser_on_team", "admin_on_team", "technical_reviewer"]


def involved(people, name):
    if name in ("leader", "evaluator", "approver"):
        return people[name]
    if name == "technical_reviewer":
        user = people.reviewer
        ReviewerAssignment.objects.create(review=people.decision.review, reviewer=user, assigned_by=people.admin)
        return user
    user = people.other_staff
    if name == "admin_on_team":
        user.role = Role.CB_ADMIN
        user.save()
    else:
        _make_superuser(user)
    TeamAssignmentFactory(audit=people.audit, profile=qualified_profile(user=user), role=TeamRole.AUDITOR)
    return user


@pytest.mark.parametrize("name", INVOLVED)
def test_an_involved_person_may_not_investigate_a_complaint(people, name):
    complaint = complaint_in("validated", people)
    user = involved(people, name)
    with pytest.raises(ValidationError) as refused:
        services.complaint_assign(complaint=complaint, investigator=user, by=people.admin)
    assert refused.value.code == "not_independent"
    assert user not in services.eligible_handlers(record=complaint)


@pytest.mark.parametrize("name", INVOLVED)
def test_an_involved_person_may_not_review_an_appeal(people, name):
    appeal = appeal_in("received", people)
    user = involved(people, name)
    with pytest.raises(ValidationError) as refused:
        services.appeal_assign(appeal=appeal, reviewer=user, by=people.admin)
    assert refused.value.code == "not_independent"
    assert user not in services.eligible_handlers(record=appeal)
    appeal.refresh_from_db()
    assert appeal.reviewer is None


def test_an_uninvolved_person_is_offered_and_assigned(people):
    appeal = appeal_in("received", people)
    assert people.reviewer in services.eligible_handlers(record=appeal)
    assert people.client_user not in services.eligible_handlers(record=appeal)
    services.appeal_assign(appeal=appeal, reviewer=people.reviewer, by=people.admin)
    appeal.refresh_from_db()
    assert appeal.reviewer == people.reviewer


def test_the_rule_is_checked_again_when_the_handler_decides(people):
    """Someone assigned before joining the audit's team (a team changed later) cannot decide."""
    complaint = complaint_in("investigation", people)
    TeamAssignmentFactory(
        audit=people.audit, profile=qualified_profile(user=people.investigator), role=TeamRole.AUDITOR
    )
    with pytest.raises(ValidationError) as refused:
        services.complaint_decide(
            complaint=complaint, by=people.investigator, findings="x", outcome="upheld", decision_text="y"
        )
    assert refused.value.code == "not_independent"
    complaint.refresh_from_db()
    assert complaint.status == "investigation"
