"""Reopening an approved report is refused once its audit went past "report approved" (NCs closed,
technical review, decision, closed): the reopened report could never be approved again and the
committee would lose sight of it. The rule is the reopen move's guard in the report machine, so
the action refuses and the page does not offer the button."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audits import services as audit_services
from audits.models import Audit, AuditStatus
from reports import services
from reports.lifecycle import REPORT_MACHINE
from reports.models import ReportEvent, ReportStatus

from .factories import ReportSetup, fill_report

pytestmark = pytest.mark.django_db

# The audit's moves after the report's approval, to each status past it.
PAST_APPROVAL = {
    AuditStatus.NCS_CLOSED: ["ncs_closed"],
    AuditStatus.TECHNICAL_REVIEW: ["review_opened"],
    AuditStatus.DECIDED: ["review_opened", "decided"],
    AuditStatus.CLOSED: ["review_opened", "decided", "closed"],
}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def approved():
    setup = ReportSetup()
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    services.report_approve(report=setup.report, by=setup.leader_user)
    setup.report.refresh_from_db()
    return setup


def _audit_moves_on(setup, status):
    for action in PAST_APPROVAL[status]:
        audit_services.audit_move(audit=setup.audit, action=action, by=setup.leader_user)
    assert Audit.objects.get(pk=setup.audit.pk).status == status


@pytest.mark.parametrize("status", list(PAST_APPROVAL))
def test_reopening_is_refused_once_the_audit_is_past_report_approved(approved, status):
    _audit_moves_on(approved, status)
    events = ReportEvent.objects.filter(report=approved.report).count()
    with pytest.raises(ValidationError) as refused:
        services.report_reopen(report=approved.report, by=approved.leader_user, reason="补充证据")
    assert refused.value.code == "past_report_approval"
    assert "can no longer be reopened" in refused.value.messages[0]
    assert "corrected version" in refused.value.messages[0]
    approved.report.refresh_from_db()
    assert approved.report.status == ReportStatus.APPROVED
    assert Audit.objects.get(pk=approved.audit.pk).status == status
    assert ReportEvent.objects.filter(report=approved.report).count() == events
    assert not REPORT_MACHINE.may(approved.leader_user, approved.report, "reopen")
    assert "reopen" not in REPORT_MACHINE.allowed(approved.leader_user, approved.report)


def test_while_the_audit_is_at_report_approved_the_leader_may_still_reopen(approved, client):
    assert REPORT_MACHINE.may(approved.leader_user, approved.report, "reopen")
    client.force_login(approved.leader_user)
    page = client.get(reverse("reports:editor", args=[approved.report.pk])).content.decode()
    assert 'data-testid="reopen-report"' in page
    services.report_reopen(report=approved.report, by=approved.leader_user, reason="补充证据")
    assert Audit.objects.get(pk=approved.audit.pk).status == AuditStatus.REPORT_DRAFTED


def test_the_page_offers_no_reopen_button_past_approval_and_says_why(approved, client):
    _audit_moves_on(approved, AuditStatus.TECHNICAL_REVIEW)
    client.force_login(approved.leader_user)
    editor = reverse("reports:editor", args=[approved.report.pk])
    page = client.get(editor).content.decode()
    assert 'data-testid="reopen-report"' not in page
    assert 'data-testid="reopen-refusal"' in page and "can no longer be reopened" in page
    # The reopen page itself sends the leader back with the reason; a forged POST is refused.
    response = client.get(reverse("reports:reopen", args=[approved.report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == editor
    assert any("can no longer be reopened" in str(m) for m in response.context["messages"])
    response = client.post(reverse("reports:reopen", args=[approved.report.pk]), {"reason": "补充证据"})
    assert response.status_code == 200 and "can no longer be reopened" in response.content.decode()
    approved.report.refresh_from_db()
    assert approved.report.status == ReportStatus.APPROVED
