"""The stage 1 report (ISO/IEC 17021-1 9.3.1.2): its own template, chosen by the audit type, its
areas of concern and readiness conclusion printed from the database in the PDF (zh and en)."""

import pytest
from django.utils import translation

from audits.models import AuditType, Stage1Outcome
from reports import services as report_services
from reports.models import Report, ReportTemplate, ReportVersion
from reports.tests.factories import ReportSetup, fill_report
from reports.tests.version_factories import client_user, issue, pdftotext, squash
from reports.versions import services as version_services
from stage1 import services

pytestmark = pytest.mark.django_db

STAGE_1_TEMPLATE = "cnca_stage_1_report"
CONCERN = "手册中8.4的子条款编号为8.9.x"


def test_a_stage_1_audit_gets_the_stage_1_template_and_a_stage_2_audit_the_default():
    stage_1 = ReportSetup(audit_type=AuditType.STAGE_1, purpose="stage1")
    stage_2 = ReportSetup(audit_type=AuditType.STAGE_2, purpose="stage2")
    assert stage_1.report.template.key == STAGE_1_TEMPLATE
    assert stage_1.report.template.audit_types == ["stage_1"]
    assert stage_2.report.template.is_default and stage_2.report.template.key != STAGE_1_TEMPLATE
    assert ReportTemplate.objects.filter(key=STAGE_1_TEMPLATE, is_default=True).count() == 0
    parts = list(stage_1.report.template.parts.order_by("number").values_list("key", flat=True))
    assert parts == [
        "cover",
        "stage_1_basic_information",
        "document_review",
        "site_and_readiness",
        "areas_of_concern",
        "stage_2_planning",
        "stage_1_conclusion",
    ]


@pytest.fixture
def approved_stage_1():
    setup = ReportSetup(audit_type=AuditType.STAGE_1, purpose="stage1")
    services.stage1_concern_add(audit=setup.audit, by=setup.leader_user, text=CONCERN)
    report = fill_report(setup)
    report_services.report_submit(report=report, by=setup.leader_user)
    report_services.report_approve(
        report=report, by=setup.leader_user, stage_1_outcome=Stage1Outcome.NOT_READY, stage_1_remark="内审尚未实施"
    )
    report.refresh_from_db()
    setup.report = report
    return setup


def _text(job):
    version = job.version
    version.file.open("rb")
    try:
        return squash(pdftotext(version.file.read()))
    finally:
        version.file.close()


def test_the_stage_1_report_pdf_prints_the_concerns_and_the_conclusion(approved_stage_1):
    with translation.override("zh-hans"):
        zh = _text(issue(approved_stage_1, language="zh-hans"))
    assert "第一阶段审核报告" in zh
    assert squash(CONCERN) in zh and "尚未答复的关注事项" in zh
    # The conclusion is printed in two columns: its labels may wrap.
    assert "☐具备第二阶段审核" in zh and "☑不具备第二阶段审核" in zh
    assert "内审尚未实施" in zh
    en = _text(
        version_services.render_now(
            report=approved_stage_1.report,
            by=approved_stage_1.leader_user,
            kind="issued",
            language="en",
            correction_reason="",
        )
    )
    assert "Stage1AuditReport" in en and squash(CONCERN) in en
    assert "☐Ready" in en and "☑Notready" in en
    # Issued to the client: its users see the report and both PDFs (the portal's reports list).
    user = client_user(approved_stage_1.audit.client)
    assert list(Report.objects.restrict(user, "view")) == [approved_stage_1.report]
    versions = ReportVersion.objects.restrict(user, "view").filter(report=approved_stage_1.report)
    assert sorted(versions.values_list("language", flat=True)) == ["en", "zh-hans"]
