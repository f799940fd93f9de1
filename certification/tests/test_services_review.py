"""Technical review (评定): who opens, staffs and answers it, the checklist, issues sent back to
the team leader, and the rule that a review cannot pass with an unverified major NC."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import AuditStatus, AuditTransition
from certification import services
from certification.models import ReviewStatus
from certification.models.review import CHECKLIST_KEYS
from certification.tests.factories import CommitteeProfileFactory, UserFactory, review_cast
from core.access import Role
from findings.tests.factories import make_nc

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return review_cast()


@pytest.fixture
def review(cast):
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    return review


def answer_all(review, by, answer="yes"):
    for key in CHECKLIST_KEYS:
        services.review_answer(review=review, point=key, answer=answer, remark="已核查", by=by)


def codes_of(exc):
    return {e.code for e in exc.value.error_list} if hasattr(exc.value, "error_list") else set()


# --- opening --------------------------------------------------------------------------------


def test_opening_the_review_moves_the_approved_audit_into_technical_review(cast):
    services.review_open(audit=cast.audit, by=cast.admin)
    cast.audit.refresh_from_db()
    assert cast.audit.status == AuditStatus.TECHNICAL_REVIEW
    assert AuditTransition.objects.filter(audit=cast.audit, to_status=AuditStatus.TECHNICAL_REVIEW).exists()


def test_an_audit_with_all_ncs_closed_can_be_reviewed_too():
    cast = review_cast(status=AuditStatus.NCS_CLOSED)
    services.review_open(audit=cast.audit, by=cast.admin)
    cast.audit.refresh_from_db()
    assert cast.audit.status == AuditStatus.TECHNICAL_REVIEW


def test_the_review_waits_for_the_approved_report():
    cast = review_cast(status=AuditStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="report is approved"):
        services.review_open(audit=cast.audit, by=cast.admin)


def test_only_a_cb_administrator_opens_a_review(cast):
    with pytest.raises(PermissionDenied):
        services.review_open(audit=cast.audit, by=cast.evaluator)


def test_an_audit_has_one_review(cast, review):
    with pytest.raises(ValidationError, match="already has a technical review"):
        services.review_open(audit=cast.audit, by=cast.admin)


# --- reviewers: competent and independent --------------------------------------------------


def test_a_reviewer_must_cover_every_code_of_the_client(cast):
    review = services.review_open(audit=cast.audit, by=cast.admin)
    other = CommitteeProfileFactory(codes=("29.01",)).user
    with pytest.raises(ValidationError, match=r"33\.02\.01"):
        services.reviewer_assign(review=review, reviewer=other, by=cast.admin)
    broader = CommitteeProfileFactory(codes=("33",)).user  # a sector covers its codes
    services.reviewer_assign(review=review, reviewer=broader, by=cast.admin)


def test_a_reviewer_must_be_a_committee_member_with_a_competence_record(cast):
    review = services.review_open(audit=cast.audit, by=cast.admin)
    with pytest.raises(ValidationError, match="certification committee"):
        services.reviewer_assign(review=review, reviewer=UserFactory(role=Role.AUDITOR), by=cast.admin)
    with pytest.raises(ValidationError, match="no active committee competence"):
        services.reviewer_assign(review=review, reviewer=UserFactory(role=Role.COMMITTEE), by=cast.admin)


def test_eligible_reviewers_are_competent_committee_members_off_the_team(cast):
    eligible = set(services.eligible_reviewers(audit=cast.audit))
    assert cast.reviewer in eligible
    assert not eligible & {cast.leader, cast.auditor, cast.expert, cast.evaluator}


# --- answering, issues, concluding ----------------------------------------------------------


def test_every_checklist_answer_needs_a_remark(review, cast):
    with pytest.raises(ValidationError) as caught:
        services.review_answer(review=review, point=CHECKLIST_KEYS[0], answer="yes", remark="  ", by=cast.reviewer)
    assert caught.value.error_dict["remark"][0].code == "remark_required"


def test_answering_again_replaces_the_answer_and_keeps_history(review, cast):
    services.review_answer(review=review, point=CHECKLIST_KEYS[0], answer="no", remark="不足", by=cast.reviewer)
    row = services.review_answer(
        review=review, point=CHECKLIST_KEYS[0], answer="yes", remark="已补充", by=cast.reviewer
    )
    assert review.answers.count() == 1 and row.answer == "yes"
    assert row.history.count() == 2 and row.history.first().history_user == cast.reviewer


def test_only_an_assigned_reviewer_answers(review, cast):
    with pytest.raises(PermissionDenied):
        services.review_answer(review=review, point=CHECKLIST_KEYS[0], answer="yes", remark="x", by=cast.evaluator)


def test_an_issue_goes_to_the_team_leader_and_back(review, cast):
    issue = services.review_issue_raise(review=review, text="请说明审核时间偏差", by=cast.reviewer)
    with pytest.raises(ValidationError, match="not answered this issue yet"):
        services.review_issue_resolve(issue=issue, by=cast.reviewer)
    with pytest.raises(PermissionDenied):
        services.review_issue_respond(issue=issue, response="说明", by=cast.auditor)
    services.review_issue_respond(issue=issue, response="人数减少，已按规定调整", by=cast.leader)
    issue = services.review_issue_resolve(issue=issue, by=cast.reviewer)
    assert issue.resolved and issue.responded_by == cast.leader and issue.resolved_by == cast.reviewer


def test_the_review_passes_when_everything_is_answered_and_resolved(review, cast):
    answer_all(review, cast.reviewer)
    review = services.review_conclude(review=review, passed=True, remark="通过", by=cast.reviewer)
    assert review.status == ReviewStatus.PASSED and review.concluded_by == cast.reviewer
    assert services.review_blockers(review=review) == []


def test_the_review_cannot_pass_with_unanswered_points_or_open_issues(review, cast):
    services.review_issue_raise(review=review, text="问题", by=cast.reviewer)
    with pytest.raises(ValidationError) as caught:
        services.review_conclude(review=review, passed=True, remark="", by=cast.reviewer)
    text = " ".join(caught.value.messages)
    assert "9.5.2 a) is not answered" in text and "1 issue(s)" in text


def test_a_point_answered_no_blocks_passing(review, cast):
    answer_all(review, cast.reviewer)
    services.review_answer(review=review, point="team_competent", answer="no", remark="专家不足", by=cast.reviewer)
    assert any('9.2.2 is answered "no"' in m for m in services.review_blockers(review=review))


def test_the_review_cannot_pass_while_a_major_nc_is_unverified_and_the_message_names_it(review, cast):
    make_nc(cast.audit, grade="major", status="verified", number=1)
    make_nc(cast.audit, grade="major", status="closed", number=2)
    make_nc(cast.audit, grade="major", status="responded", number=3)
    answer_all(review, cast.reviewer)
    with pytest.raises(ValidationError) as caught:
        services.review_conclude(review=review, passed=True, remark="", by=cast.reviewer)
    messages = caught.value.messages
    assert any("Major nonconformity No. 1, 3 is not verified and closed" in m for m in messages)
    assert "review_blocked" in codes_of(caught)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_a_minor_nc_needs_an_accepted_action_plan(review, cast):
    make_nc(cast.audit, grade="minor", status="open", number=4)
    make_nc(cast.audit, grade="minor", status="verified", number=5)
    answer_all(review, cast.reviewer)
    assert any("Minor nonconformity No. 4 has no accepted" in m for m in services.review_blockers(review=review))


def test_a_review_that_does_not_pass_says_why_and_then_is_frozen(review, cast):
    with pytest.raises(ValidationError):
        services.review_conclude(review=review, passed=False, remark="", by=cast.reviewer)
    services.review_conclude(review=review, passed=False, remark="严重不符合未验证", by=cast.reviewer)
    with pytest.raises(ValidationError, match="concluded"):
        services.review_answer(review=review, point=CHECKLIST_KEYS[0], answer="yes", remark="x", by=cast.reviewer)
