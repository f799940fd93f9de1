"""The report pages fetch every object through ``restrict()`` (another audit's id is 404) and
show a refused action as a message or a form error (``core.views.perform``), never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.access import Role
from reports.models import RenderJob, ReportStatus

from .factories import ReportSetup, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_topic_cannot_be_assigned_to_another_audits_team_member(client):
    setup, other = ReportSetup(), ReportSetup()
    content = setup.content("policy")
    client.force_login(setup.leader_user)
    url = reverse("reports:topic_assign", args=[content.pk])
    assert client.post(url, {"assignee": other.auditor.pk}).status_code == 404
    assert client.post(url, {"assignee": "not-a-number"}).status_code == 404
    assert setup.content("policy").assignee_id == setup.leader.pk
    assert client.post(url, {"assignee": setup.auditor.pk}).status_code == 302
    assert setup.content("policy").assignee_id == setup.auditor.pk


def test_the_report_of_an_audit_the_auditor_is_not_on_is_404(client):
    setup = ReportSetup()
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.get(reverse("reports:for_audit", args=[setup.audit.pk])).status_code == 404


def test_the_report_of_an_audit_opens_its_editor(client):
    setup = ReportSetup()
    client.force_login(setup.auditor_user)
    response = client.get(reverse("reports:for_audit", args=[setup.audit.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:editor", args=[setup.report.pk])


def test_the_pdf_panel_of_another_audits_report_is_404(client):
    setup = ReportSetup()
    RenderJob.objects.create(report=setup.report, kind="draft", language="zh-hans", requested_by=setup.leader_user)
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.get(reverse("reports:versions_panel", args=[setup.report.pk])).status_code == 404
    client.force_login(setup.auditor_user)
    assert client.get(reverse("reports:versions_panel", args=[setup.report.pk])).context["job"] is not None


def test_submitting_an_incomplete_report_says_why_on_the_completion_page(client):
    setup = ReportSetup()
    client.force_login(setup.leader_user)
    response = client.post(reverse("reports:submit", args=[setup.report.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:completion", args=[setup.report.pk])
    assert _messages(response)
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT


def test_approving_a_draft_report_is_refused_with_a_message(client):
    setup = ReportSetup()
    client.force_login(setup.leader_user)
    response = client.post(reverse("reports:approve", args=[setup.report.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:editor", args=[setup.report.pk])
    assert _messages(response)
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT


def test_only_the_leader_approves_another_member_gets_404(client):
    setup = ReportSetup()
    client.force_login(setup.auditor_user)
    assert client.post(reverse("reports:approve", args=[setup.report.pk])).status_code == 404


def test_the_report_list_shows_one_row_per_report_the_user_may_see(client):
    mine, _theirs = ReportSetup(), ReportSetup()
    client.force_login(mine.auditor_user)
    html = client.get(reverse("reports:list")).content.decode()
    assert 'data-testid="report-list"' in html
    assert html.count("data-report=") == 1 and f'data-report="{mine.report.pk}"' in html
