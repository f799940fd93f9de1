"""Who may see the committee's records, in one place (``restrict()``, certification.models.access):
decisions and committee flags — CB administrators, the committee and approvers; technical reviews
and their issues — CB staff who may see the audit. Never a client user. Every page fetches them
through it, so a record the user may not see is a 404 (also where the page's own rule would
let the user in)."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from certification import views
from certification.models import CommitteeFlag, Decision, ReviewIssue, TechnicalReview
from core.access import Role

from .factories import (
    CommitteeFlagFactory,
    DecisionFactory,
    TechnicalReviewFactory,
    UserFactory,
    approver_user,
    certified_client,
    committee_user,
)
from .lifecycle_cast import people

pytestmark = pytest.mark.django_db

# who sees decisions and flags
DECISION_VIEWERS = [
    ("cb_admin", True),
    ("committee", True),
    ("approver_team_leader", True),
    ("auditor", False),
    ("team_leader", False),
    ("client", False),
]


def user_of(kind, client=None):
    if kind == "approver_team_leader":
        return approver_user(role=Role.TEAM_LEADER)
    if kind == "client":
        return UserFactory(role=Role.CLIENT, client=client)
    return UserFactory(role=kind)


@pytest.mark.parametrize("kind,sees", DECISION_VIEWERS)
def test_decisions_and_flags_are_seen_by_the_cb_the_committee_and_approvers(kind, sees):
    certified = certified_client()
    flag = CommitteeFlagFactory(certificate=certified.certificate)
    user = user_of(kind, client=certified.client)
    assert Decision.objects.restrict(user, "view").filter(pk=certified.decision.pk).exists() is sees
    assert CommitteeFlag.objects.restrict(user, "view").filter(pk=flag.pk).exists() is sees


# actor of the review cast → sees the review and its issues
REVIEW_VIEWERS = [
    ("admin", True),
    ("reviewer", True),
    ("evaluator", True),
    ("leader", True),
    ("auditor", True),
    ("outsider", False),  # a team leader of another audit of the same client
    ("client_user", False),  # sees the audit in the portal, never its review
]


@pytest.mark.parametrize("actor,sees", REVIEW_VIEWERS)
def test_a_review_and_its_issues_are_seen_by_cb_staff_who_see_the_audit(actor, sees):
    actors = people()
    review = TechnicalReviewFactory(audit=actors.audit)
    issue = ReviewIssue.objects.create(review=review, text="请说明", raised_by=actors.reviewer)
    user = actors[actor]
    assert TechnicalReview.objects.restrict(user, "view").filter(pk=review.pk).exists() is sees
    assert ReviewIssue.objects.restrict(user, "view").filter(pk=issue.pk).exists() is sees


def test_only_the_audits_team_leader_may_answer_an_issue_and_only_its_reviewers_resolve_it():
    actors = people()
    review = TechnicalReviewFactory(audit=actors.audit, reviewers=[actors.reviewer])
    issue = ReviewIssue.objects.create(review=review, text="请说明", raised_by=actors.reviewer)
    answering = {name for name in actors if name != "audit" and ReviewIssue.objects.restrict(actors[name], "respond")}
    resolving = {name for name in actors if name != "audit" and ReviewIssue.objects.restrict(actors[name], "resolve")}
    assert answering == {"leader"} and issue in ReviewIssue.objects.restrict(actors.leader, "respond")
    assert resolving == {"reviewer"}


def _denied_with_404(client, user, url, method="get"):
    client.force_login(user)
    response = getattr(client, method)(url)
    assert response.status_code == 404, (url, response.status_code)


def test_a_review_page_of_an_audit_the_auditor_is_not_on_is_404(client):
    actors = people()
    review = TechnicalReviewFactory(audit=actors.audit)
    issue = ReviewIssue.objects.create(review=review, text="请说明", raised_by=actors.reviewer)
    _denied_with_404(client, actors.outsider, reverse("certification:review", args=[actors.audit.pk]))
    _denied_with_404(client, actors.outsider, reverse("certification:issue_respond", args=[issue.pk]), "post")


def _call(view, user, method="get", **kwargs):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view(request, **kwargs)


def test_the_decision_and_flag_views_fetch_through_restrict():
    """The page rules already stop these users; the views would 404 them anyway."""
    auditor = UserFactory(role=Role.AUDITOR)
    decision = DecisionFactory()
    flag = CommitteeFlagFactory()
    for view, method, kwargs in [
        (views.decision_detail, "get", {"pk": decision.pk}),
        (views.decision_evaluate, "post", {"pk": decision.pk}),
        (views.decision_approve, "post", {"pk": decision.pk}),
        (views.decision_remarks, "post", {"pk": decision.pk}),
        (views.flag_resolve, "post", {"pk": flag.pk}),
        (views.decision_open_from_flag, "get", {"flag_pk": flag.pk}),
    ]:
        with pytest.raises(Http404):
            _call(view, auditor, method, **kwargs)


def test_the_review_views_never_give_a_client_user_the_review():
    actors = people()
    review = TechnicalReviewFactory(audit=actors.audit)
    issue = ReviewIssue.objects.create(review=review, text="请说明", raised_by=actors.reviewer)
    for view, method, kwargs in [
        (views.review_checklist, "post", {"pk": review.pk}),
        (views.review_conclude, "post", {"pk": review.pk}),
        (views.decision_open_from_review, "get", {"review_pk": review.pk}),
        (views.issue_respond, "post", {"pk": issue.pk}),
        (views.issue_resolve, "post", {"pk": issue.pk}),
    ]:
        with pytest.raises(Http404):
            _call(view, actors.client_user, method, **kwargs)


def test_the_certificate_page_shows_decisions_and_flags_only_to_those_who_see_them(client):
    certified = certified_client()
    CommitteeFlagFactory(certificate=certified.certificate, message="监督审核逾期")
    url = reverse("certification:certificate", args=[certified.certificate.pk])
    client.force_login(committee_user())
    page = client.get(url)
    assert page.context["decisions"] == [certified.decision] and len(page.context["flags"]) == 1
    assert 'data-testid="certificate-decisions"' in page.content.decode()
    auditor = certified_client(client=certified.client).audit.team.get().profile.user  # leads an audit of the client
    client.force_login(auditor)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["decisions"] == [] and page.context["flags"] == []
    assert 'data-testid="certificate-decisions"' not in page.content.decode()
