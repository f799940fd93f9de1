"""A stage 1 report is approved with its conclusion, ready or not ready for stage 2 (ISO/IEC
17021-1 9.3.1.2); reopening it withdraws the conclusion, which then no longer opens stage 2."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audits import rules
from audits.models import AuditStatus, AuditType, Stage1Conclusion, Stage1Outcome
from audits.tests.factories import AuditFactory
from reports import services
from reports.models import ReportStatus

from .factories import ReportSetup, fill_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def submitted():
    setup = ReportSetup(audit_type=AuditType.STAGE_1, purpose="stage1")
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    return setup


def test_a_stage_1_report_is_not_approved_without_its_conclusion(submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=submitted.report, by=submitted.leader_user)
    assert "9.3.1.2" in " ".join(exc.value.messages)
    submitted.report.refresh_from_db()
    assert submitted.report.status == ReportStatus.SUBMITTED and not Stage1Conclusion.objects.exists()


def test_not_ready_needs_its_reason(submitted):
    with pytest.raises(ValidationError):
        services.report_approve(
            report=submitted.report, by=submitted.leader_user, stage_1_outcome=Stage1Outcome.NOT_READY
        )
    submitted.report.refresh_from_db()
    assert submitted.report.status == ReportStatus.SUBMITTED


def test_approved_ready_opens_the_programmes_stage_2_and_reopening_closes_it(submitted):
    stage_1 = submitted.audit
    stage_2 = AuditFactory(
        client=stage_1.client,
        programme=stage_1.programme,
        start_date=stage_1.end_date + datetime.timedelta(days=30),
        end_date=stage_1.end_date + datetime.timedelta(days=31),
    )
    assert rules.stage_2_refusals(stage_2)
    services.report_approve(
        report=submitted.report,
        by=submitted.leader_user,
        stage_1_outcome=Stage1Outcome.READY,
        stage_1_remark="文件齐全",
    )
    stage_1.refresh_from_db()
    assert stage_1.status == AuditStatus.APPROVED
    assert stage_1.stage_1_conclusion.outcome == Stage1Outcome.READY
    assert rules.stage_2_refusals(stage_2) == []
    services.report_reopen(report=submitted.report, by=submitted.leader_user, reason="补充文件评审")
    assert not Stage1Conclusion.objects.filter(audit=stage_1).exists()
    assert rules.stage_2_refusals(stage_2)


def test_the_leader_approves_a_stage_1_with_the_conclusion_on_the_page(submitted, client):
    client.force_login(submitted.leader_user)
    editor = client.get(reverse("reports:editor", args=[submitted.report.pk]))
    assert 'data-testid="stage-1-approve-form"' in editor.content.decode()
    refused = client.post(reverse("reports:approve", args=[submitted.report.pk]), follow=True)
    assert "9.3.1.2" in refused.content.decode()
    client.post(
        reverse("reports:approve", args=[submitted.report.pk]),
        {"stage_1_outcome": "not_ready", "stage_1_remark": "内审尚未实施"},
    )
    conclusion = Stage1Conclusion.objects.get(audit=submitted.audit)
    assert conclusion.outcome == Stage1Outcome.NOT_READY and conclusion.remark == "内审尚未实施"
    page = client.get(reverse("reports:editor", args=[submitted.report.pk])).content.decode()
    assert 'data-testid="stage-1-conclusion"' in page and "内审尚未实施" in page
