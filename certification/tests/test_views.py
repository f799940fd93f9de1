"""The committee's pages: the technical review, the two-step decision and the certificates,
driven through the views (the rules themselves are tested in test_services*.py)."""

import re

import pytest
from django.urls import reverse

from audits.models import AuditStatus
from certification.models import (
    CHECKLIST,
    Certificate,
    CertificateStatus,
    Decision,
    DecisionStatus,
    DecisionType,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
)
from findings.models import Nonconformity, NonconformityGrade, NonconformityStatus

from .factories import ReasonKind, certified_client, committee_user, reason, suspension_reason
from .view_setup import ReviewSetup, today

pytestmark = pytest.mark.django_db

CHECKLIST_POST = {
    **{f"{key}__answer": "yes" for key, _clause, _text in CHECKLIST},
    **{f"{key}__remark": f"{clause} 符合要求" for key, clause, _text in CHECKLIST},
}


@pytest.fixture
def setup():
    return ReviewSetup()


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _open_and_pass_review(client, s):
    client.force_login(s.admin)
    assert client.post(reverse("certification:review_open", args=[s.audit.pk])).status_code == 302
    review = TechnicalReview.objects.get(audit=s.audit)
    assert (
        client.post(reverse("certification:review_assign", args=[review.pk]), {"reviewer": s.reviewer.pk}).status_code
        == 302
    )
    client.force_login(s.reviewer)
    assert client.post(reverse("certification:review_checklist", args=[review.pk]), CHECKLIST_POST).status_code == 302
    response = client.post(
        reverse("certification:review_conclude", args=[review.pk]), {"outcome": "pass", "remark": "评定通过"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review.refresh_from_db()
    assert review.status == ReviewStatus.PASSED
    return review


def _open_grant(client, s, review):
    client.force_login(s.evaluator)
    url = reverse("certification:decision_open_review", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["decision_type"] == DecisionType.GRANT
    response = client.post(
        url,
        {
            "decision_type": DecisionType.GRANT,
            "standards": [s.standard.pk],
            f"scope_zh_{s.standard.pk}": "基础软件服务",
            f"scope_en_{s.standard.pk}": "Basic software services",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Decision.objects.get(review=review)


def test_the_whole_path_review_evaluation_approval_issues_the_certificate(client, setup):
    s = setup
    review = _open_and_pass_review(client, s)
    decision = _open_grant(client, s, review)
    assert decision.decision_type == DecisionType.GRANT and decision.status == DecisionStatus.AWAITING_EVALUATION

    client.force_login(s.evaluator)
    page = client.get(reverse("certification:decision", args=[decision.pk]))
    assert page.context["evaluation_form"] is not None and page.context["approval_form"] is None
    response = client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "同意",
            "evaluated_on": today().isoformat(),
            "version": decision.version,
            "closing_meeting_differences": "无",
            "other_remarks": "",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL and decision.evaluated_by == s.evaluator

    client.force_login(s.approver)
    page = client.get(reverse("certification:decision", args=[decision.pk]))
    assert page.context["approval_form"] is not None
    response = client.post(
        reverse("certification:decision_approve", args=[decision.pk]),
        {
            "conclusion": "approve",
            "remarks": "批准",
            "approved_on": today().isoformat(),
            "version": decision.version,
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.approved_by == s.approver
    certificate = Certificate.objects.get(decision=decision)
    assert certificate.status == CertificateStatus.VALID and certificate.issued_on == today()
    s.audit.refresh_from_db()
    assert s.audit.status == AuditStatus.DECIDED

    # The decision page shows both steps of part 十六 and the certificate issued.
    html = client.get(reverse("certification:decision", args=[decision.pk])).content.decode()
    part16 = html[html.index('data-testid="part-16"') : html.index('data-testid="part-17"')]
    assert "☑同意注册" in part16 and "☐不同意注册" in part16
    assert "李委员" in part16 and "王建国" in part16
    assert certificate.number in html


def test_the_reviewer_list_never_offers_a_team_member(client, setup):
    s = setup
    client.force_login(s.admin)
    client.post(reverse("certification:review_open", args=[s.audit.pk]))
    page = client.get(reverse("certification:review", args=[s.audit.pk]))
    offered = set(page.context["assign_form"].fields["reviewer"].queryset.values_list("pk", flat=True))
    assert s.reviewer.pk in offered
    assert s.insider.pk not in offered and s.leader.pk not in offered
    # Posting the team member anyway is refused on the form, not with a 500.
    review = TechnicalReview.objects.get(audit=s.audit)
    response = client.post(reverse("certification:review_assign", args=[review.pk]), {"reviewer": s.insider.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors


def test_the_team_leader_answers_the_reviewers_issue_and_the_reviewer_resolves_it(client, setup):
    s = setup
    client.force_login(s.admin)
    client.post(reverse("certification:review_open", args=[s.audit.pk]))
    review = TechnicalReview.objects.get(audit=s.audit)
    client.post(reverse("certification:review_assign", args=[review.pk]), {"reviewer": s.reviewer.pk})

    client.force_login(s.reviewer)
    assert (
        client.post(
            reverse("certification:issue_raise", args=[review.pk]), {"text": "审核时间偏差请说明。"}
        ).status_code
        == 302
    )
    issue = ReviewIssue.objects.get(review=review)

    client.force_login(s.leader)
    home = client.get(reverse("accounts:home"))
    assert reverse("certification:review", args=[s.audit.pk]) in home.content.decode()
    page = client.get(reverse("certification:review", args=[s.audit.pk]))
    assert page.context["is_leader"] and "审核时间偏差请说明。" in page.content.decode()
    assert (
        client.post(
            reverse("certification:issue_respond", args=[issue.pk]), {"response": "已按MD5计算，无偏差。"}
        ).status_code
        == 302
    )
    issue.refresh_from_db()
    assert issue.response == "已按MD5计算，无偏差。" and issue.responded_by == s.leader

    client.force_login(s.reviewer)
    assert client.post(reverse("certification:issue_resolve", args=[issue.pk])).status_code == 302
    issue.refresh_from_db()
    assert issue.resolved and issue.resolved_by == s.reviewer


def test_a_review_cannot_pass_with_an_unverified_major_nc_and_the_page_says_why(client, setup):
    s = setup
    Nonconformity.objects.create(
        audit=s.audit,
        number=3,
        grade=NonconformityGrade.MAJOR,
        family="QMS",
        status=NonconformityStatus.RESPONDED,
        statement="未实施内审",
        raised_by=s.leader,
    )
    client.force_login(s.admin)
    client.post(reverse("certification:review_open", args=[s.audit.pk]))
    review = TechnicalReview.objects.get(audit=s.audit)
    client.post(reverse("certification:review_assign", args=[review.pk]), {"reviewer": s.reviewer.pk})
    client.force_login(s.reviewer)
    client.post(reverse("certification:review_checklist", args=[review.pk]), CHECKLIST_POST)

    page = client.get(reverse("certification:review", args=[s.audit.pk]))
    blockers = page.context["blockers"]
    assert any("3" in str(b) for b in blockers)
    assert 'data-testid="review-blockers"' in page.content.decode()

    response = client.post(
        reverse("certification:review_conclude", args=[review.pk]), {"outcome": "pass", "remark": "通过"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["conclude_form"].non_field_errors())
    assert "3" in errors
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_the_checklist_needs_a_remark_for_every_answer(client, setup):
    s = setup
    client.force_login(s.admin)
    client.post(reverse("certification:review_open", args=[s.audit.pk]))
    review = TechnicalReview.objects.get(audit=s.audit)
    client.post(reverse("certification:review_assign", args=[review.pk]), {"reviewer": s.reviewer.pk})
    client.force_login(s.reviewer)
    data = dict(CHECKLIST_POST, information_sufficient__remark="")
    response = client.post(reverse("certification:review_checklist", args=[review.pk]), data)
    assert response.status_code == 200
    assert response.context["checklist_form"].errors["information_sufficient__remark"]
    assert not review.answers.exists()


def test_a_team_member_is_refused_at_evaluation_and_approval_even_as_superuser(client, setup):
    """The insider (committee member, technical expert on the team) sees no evaluation form and
    the rule's message; posting anyway is refused on the form. A superuser administrator on the
    team is refused the approval the same way."""
    s = setup
    review = _open_and_pass_review(client, s)
    decision = _open_grant(client, s, review)

    client.force_login(s.insider)
    page = client.get(reverse("certification:decision", args=[decision.pk]))
    assert page.context["evaluation_form"] is None
    assert "9.5.1.2" in page.context["refusal"]
    response = client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "",
            "evaluated_on": today().isoformat(),
            "version": decision.version,
        },
    )
    assert response.status_code == 200
    assert "9.5.1.2" in " ".join(response.context["evaluation_form"].non_field_errors())
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_EVALUATION

    client.force_login(s.evaluator)
    client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "",
            "evaluated_on": today().isoformat(),
            "version": decision.version,
        },
    )
    decision.refresh_from_db()
    from audits.models import TeamRole
    from audits.tests.factories import TeamAssignmentFactory, UserFactory, qualified_profile
    from core.access import Role

    boss = UserFactory(role=Role.CB_ADMIN, is_superuser=True, full_name="超级管理员")
    TeamAssignmentFactory(audit=s.audit, profile=qualified_profile(user=boss), role=TeamRole.OBSERVER)
    client.force_login(boss)
    response = client.post(
        reverse("certification:decision_approve", args=[decision.pk]),
        {
            "conclusion": "approve",
            "remarks": "",
            "approved_on": today().isoformat(),
            "version": decision.version,
        },
    )
    assert response.status_code == 200
    assert "9.5.1.2" in " ".join(response.context["approval_form"].non_field_errors())
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL


def test_a_stale_version_is_refused_with_a_message(client, setup):
    s = setup
    review = _open_and_pass_review(client, s)
    decision = _open_grant(client, s, review)
    client.force_login(s.evaluator)
    stale = decision.version
    assert (
        client.post(
            reverse("certification:decision_remarks", args=[decision.pk]),
            {
                "closing_meeting_differences": "无",
                "other_remarks": "第一稿",
                "version": stale,
            },
        ).status_code
        == 302
    )
    other = committee_user()
    client.force_login(other)
    response = client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "",
            "evaluated_on": today().isoformat(),
            "version": stale,
        },
    )
    assert response.status_code == 200
    assert response.context["evaluation_form"].non_field_errors()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_EVALUATION and decision.other_remarks == "第一稿"


def test_suspension_from_the_certificate_page_needs_a_reason_and_then_suspends(client):
    certified = certified_client()
    certificate = certified.certificate
    admin_committee = committee_user(full_name="孙委员")
    evaluator = committee_user(full_name="周委员")
    from .factories import approver_user

    approver = approver_user(full_name="王建国")
    suspension = suspension_reason("0112")
    client.force_login(admin_committee)
    url = reverse("certification:decision_open_certificate", args=[certificate.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["decision_type"] == DecisionType.SUSPEND
    # No reason, no end date: the service's messages on the form, not a 500.
    response = client.post(url, {"decision_type": DecisionType.SUSPEND, "certificates": [certificate.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors.get("reason")
    # A withdrawal reason is not a suspension reason.
    withdrawal = reason(ReasonKind.WITHDRAWAL, "0199")
    response = client.post(
        url,
        {
            "decision_type": DecisionType.SUSPEND,
            "certificates": [certificate.pk],
            "reason": withdrawal.pk,
            "suspension_ends_on": (today().replace(day=1) if today().day > 1 else today()).isoformat(),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    ends = _months_later(today(), 3)
    response = client.post(
        url,
        {
            "decision_type": DecisionType.SUSPEND,
            "certificates": [certificate.pk],
            "reason": suspension.pk,
            "suspension_ends_on": ends.isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = Decision.objects.get(decision_type=DecisionType.SUSPEND)
    client.force_login(evaluator)
    client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "",
            "evaluated_on": today().isoformat(),
            "version": decision.version,
        },
    )
    decision.refresh_from_db()
    client.force_login(approver)
    response = client.post(
        reverse("certification:decision_approve", args=[decision.pk]),
        {
            "conclusion": "approve",
            "remarks": "",
            "approved_on": today().isoformat(),
            "version": decision.version,
        },
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED and certificate.suspended_until == ends

    page = client.get(reverse("certification:certificate", args=[certificate.pk]))
    history = page.content.decode()
    rows = page.context["status_changes"]
    assert [(r.from_status, r.to_status) for r in rows][-1] == (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
    assert rows[-1].reason == suspension
    assert f"{suspension.code} {suspension.title}" in history


def _months_later(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def test_the_dashboard_lists_the_work_and_a_flag_can_be_resolved(client, setup):
    from .factories import CommitteeFlagFactory

    s = setup
    flag = CommitteeFlagFactory(message="监督审核逾期")
    client.force_login(s.evaluator)
    page = client.get(reverse("certification:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "监督审核逾期" in html
    assert reverse("certification:decision_open_flag", args=[flag.pk]) in html
    assert [a.pk for a in page.context["awaiting_review"]] == [s.audit.pk]

    opened = client.get(reverse("certification:decision_open_flag", args=[flag.pk]))
    assert opened.status_code == 200
    assert opened.context["form"].initial["decision_type"] == DecisionType.SUSPEND

    response = client.post(
        reverse("certification:flag_resolve", args=[flag.pk]), {"resolution": "客户已提交监督审核申请，暂不暂停。"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert not flag.is_open and flag.resolved_by == s.evaluator


def test_the_home_page_points_the_committee_and_the_approver_to_their_work(client, setup):
    s = setup
    client.force_login(s.admin)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("certification:review", args=[s.audit.pk]) in home
    review = _open_and_pass_review(client, s)
    decision = _open_grant(client, s, review)
    client.force_login(s.evaluator)
    assert (
        reverse("certification:decision", args=[decision.pk]) in client.get(reverse("accounts:home")).content.decode()
    )
    client.post(
        reverse("certification:decision_evaluate", args=[decision.pk]),
        {
            "conclusion": "agree",
            "remarks": "",
            "evaluated_on": today().isoformat(),
            "version": decision.version,
        },
    )
    client.force_login(s.approver)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("certification:decision", args=[decision.pk]) in home


def test_the_certificate_page_shows_replacement_and_the_public_link(client):
    certified = certified_client()
    client.force_login(committee_user())
    page = client.get(reverse("certification:certificate", args=[certified.certificate.pk]))
    html = page.content.decode()
    assert certified.certificate.number in html
    assert reverse("verify:token", args=[certified.certificate.public_token]) in html
    assert page.context["replaced_by"] is None


def test_another_users_objects_are_404(client):
    """An auditor reads only certificates of clients they audit; a review of an audit they are
    not on is 404."""
    from audits.tests.factories import UserFactory
    from core.access import Role

    certified = certified_client()
    outsider = UserFactory(role=Role.AUDITOR)
    client.force_login(outsider)
    assert client.get(reverse("certification:certificate", args=[certified.certificate.pk])).status_code == 404
    assert client.get(reverse("certification:review", args=[certified.audit.pk])).status_code == 404
    listed = client.get(reverse("certification:certificate_list"))
    assert certified.certificate.number not in listed.content.decode()


def test_pages_render_in_english_too(client, setup, settings):
    settings.LANGUAGE_CODE = "en"
    s = setup
    review = _open_and_pass_review(client, s)
    decision = _open_grant(client, s, review)
    client.force_login(s.evaluator)
    html = client.get(reverse("certification:decision", args=[decision.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve certification" in html
    assert re.search(r"Technical committee.s conclusion", html)


def test_the_evaluator_sees_why_they_cannot_approve(client):
    """The decision page tells an evaluator who holds the approval permission that a second
    person approves (part 十六's two signatures), instead of offering the form."""
    from django.contrib.auth.models import Permission

    from certification import services
    from certification.models import DecisionType
    from certification.tests.factories import pass_review, review_cast

    cast = review_cast()
    cast.evaluator.user_permissions.add(Permission.objects.get(codename="approve_decision"))
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=services._today(), by=cast.evaluator
    )
    client.force_login(cast.evaluator)
    response = client.get(reverse("certification:decision", args=[decision.pk]), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.context["approval_form"] is None
    assert "another person" in response.context["refusal"]
