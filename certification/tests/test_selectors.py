"""Reads others build on: the report's parts 十六/十七 facts, who sees decisions and flags,
a certificate's detail with what the rules require after expiry."""

import datetime

import pytest

from certification import selectors, services
from certification.models import Certificate, Decision, DecisionType
from certification.tests.factories import (
    UserFactory,
    approver_user,
    certified_client,
    pass_review,
    review_cast,
)
from core.access import Role

pytestmark = pytest.mark.django_db
D = datetime.date


def test_report_facts_follow_the_evaluation_and_the_approval():
    cast = review_cast()
    review = pass_review(cast)
    assert selectors.report_facts(audit=cast.audit) == {}
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision,
        conclusion="agree",
        remarks="同意注册",
        evaluated_on=services._today(),
        by=cast.evaluator,
        closing_meeting_differences="无",
        other_remarks="范围表述已调整",
    )
    facts = selectors.report_facts(audit=cast.audit)
    assert (
        facts["decision.review_conclusion"] == "approve"
        and facts["decision.reviewer"] == cast.evaluator.get_full_name()
    )
    assert facts["decision.reviewed_on"] == services._today() and "decision.approval_conclusion" not in facts
    assert facts["decision.remarks"] == "无\n\n范围表述已调整"
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=cast.approver
    )
    facts = selectors.report_facts(audit=cast.audit)
    assert (
        facts["decision.approval_conclusion"] == "approve"
        and facts["decision.approver"] == cast.approver.get_full_name()
    )
    assert facts["decision.approved_on"] == services._today()


@pytest.mark.parametrize(
    "make, sees",
    [
        (lambda: UserFactory(role=Role.CB_ADMIN), True),
        (lambda: UserFactory(role=Role.COMMITTEE), True),
        (lambda: approver_user(role=Role.TEAM_LEADER), True),
        (lambda: UserFactory(role=Role.AUDITOR), False),
        (lambda: UserFactory(role=Role.CLIENT), False),
    ],
)
def test_decisions_and_flags_are_for_the_cb_the_committee_and_approvers(make, sees):
    decision = certified_client().decision
    user = make()
    assert selectors.decision_list(user=user).filter(pk=decision.pk).exists() is sees
    if sees:
        assert selectors.decision_detail(user=user, pk=decision.pk) == decision
    else:
        with pytest.raises(Decision.DoesNotExist):
            selectors.decision_detail(user=user, pk=decision.pk)
        assert not selectors.open_flags(user=user).exists()


def test_a_client_sees_only_its_own_certificates():
    mine, other = certified_client(), certified_client()
    user = UserFactory(role=Role.CLIENT, client=mine.client)
    assert list(selectors.certificate_list(user=user)) == [mine.certificate]
    with pytest.raises(Certificate.DoesNotExist):
        selectors.certificate_detail(user=user, pk=other.certificate.pk)


def test_an_expired_certificate_says_what_the_rules_now_require():
    certificate = certified_client(issued_on=D(2023, 3, 1)).certificate
    services.certification_daily(today=D(2026, 3, 1))
    detail = selectors.certificate_detail(user=UserFactory(role=Role.CB_ADMIN), pk=certificate.pk)
    assert detail.requirement["path"] == "initial" and "initial certification" in detail.requirement["message"]
    assert [c.to_status for c in detail.status_changes.all()] == ["01", "05"]


def test_review_for_audit_lists_the_checklist_in_order():
    cast = review_cast()
    assert selectors.review_for_audit(audit=cast.audit, user=cast.admin) is None
    pass_review(cast)
    review = selectors.review_for_audit(audit=cast.audit, user=cast.admin)
    assert [row[1] for row in review.checklist] == ["9.5.2 a)", "9.5.2 b)", "9.5.2 c)", "9.1.4", "9.2.2"]
    assert all(row[3].answer == "yes" for row in review.checklist)
