"""Starting an audit's report moves the audit to "report drafted": opening the page (a GET) must
change nothing; the team starts the report with a button (a POST)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, AuditTransition
from audits.tests.factories import AuditFactory, CertificationBodyFactory
from core.access import Role
from reports.models import Report
from reports.tests.factories import ensure_shipped_standards, member, shipped_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit():
    ensure_shipped_standards()
    CertificationBodyFactory()
    audit = AuditFactory(standards=[shipped_standard("ISO 9001")], status=AuditStatus.IN_PROGRESS)
    audit.leader_user = member(audit, role="leader").profile.user
    return audit


def test_opening_the_report_page_of_an_audit_in_progress_changes_nothing(client, audit):
    client.force_login(audit.leader_user)
    transitions = AuditTransition.objects.count()
    response = client.get(reverse("reports:for_audit", args=[audit.pk]))
    assert response.status_code == 200
    assert 'data-testid="start-report"' in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    assert not Report.objects.filter(audit=audit).exists()
    assert AuditTransition.objects.count() == transitions


def test_the_start_button_starts_the_report_and_moves_the_audit(client, audit):
    client.force_login(audit.leader_user)
    response = client.post(reverse("reports:for_audit", args=[audit.pk]))
    report = Report.objects.get(audit=audit)
    assert response.status_code == 302 and response.url == reverse("reports:editor", args=[report.pk])
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORT_DRAFTED


def test_only_the_team_may_start_the_report(client, audit):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    page = client.get(reverse("reports:for_audit", args=[audit.pk]))
    assert page.status_code == 200 and "start-report" not in page.content.decode()
    assert client.post(reverse("reports:for_audit", args=[audit.pk])).status_code == 403
    assert not Report.objects.filter(audit=audit).exists()
