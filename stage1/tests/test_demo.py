"""seed_demo's stage 1: the seed manual's company, 易科智控, reviewed at stage 1, its stage 1
report (the stage 1 template) written with real text and submitted to the team leader, its two
areas of concern open for the client's answers."""

from importlib import import_module

import pytest

from audits.models import AuditType
from clients.demo import MANUAL_CLIENT_NAME_EN
from reports.models import Report, ReportStatus
from stage1.models import AreaOfConcern
from stage1.report_facts import stage1_report_facts

pytestmark = pytest.mark.django_db


STEPS_UP_TO_STAGE_1 = ("accounts", "standards", "clients", "people", "audits", "findings", "reports", "stage1")


class Quiet:
    def write(self, *args, **kwargs):
        pass


@pytest.fixture
def seeded(settings):
    """seed_demo's steps up to stage 1, in its order (the apps above add nothing stage 1 needs;
    the project's seed_demo command is a layer above and not imported)."""
    settings.DEBUG = True
    for app in STEPS_UP_TO_STAGE_1:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(stdout=Quiet())


def test_the_manuals_company_has_a_written_stage_1_report(seeded):
    report = Report.objects.select_related("audit__client", "template").get(
        audit__client__name_en=MANUAL_CLIENT_NAME_EN, audit__audit_type=AuditType.STAGE_1
    )
    assert report.template.key == "cnca_stage_1_report"
    assert report.status == ReportStatus.SUBMITTED
    texts = {c.topic.key: c.text for c in report.topics.select_related("topic")}
    assert all(texts.values()) and "8.9.1" in texts["document_review_conclusion"]
    concerns = AreaOfConcern.objects.filter(audit=report.audit)
    assert concerns.count() == 2 and all(c.is_open for c in concerns)
    facts = stage1_report_facts(report.audit)
    assert "28001" in facts["stage1.concerns"] and facts["stage1.open_concerns"] == 2
    assert facts["stage1.document_review"].startswith("管理手册 v1")
