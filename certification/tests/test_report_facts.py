"""Parts 十六 and 十七 of the report print the certification decision once it is recorded: the
committee's evaluation (同意注册 / 不同意注册, evaluator, date), the approval (conclusion,
approver, date) and the committee's remarks — from ``certification.selectors.report_facts``,
never typed into the report."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from audits.models import AuditStatus
from certification.models import DecisionStatus, EvaluationConclusion
from certification.tests.factories import DecisionFactory, committee_user
from reports.facts import audit_facts
from reports.models import TemplateField
from reports.template_loader import default_template, load_report_template
from reports.tests.factories import ReportSetup, ensure_shipped_standards

pytestmark = pytest.mark.django_db

EVALUATED_ON = datetime.date(2030, 3, 10)
APPROVED_ON = datetime.date(2030, 3, 12)


def _section(html, part_key):
    start = html.index(f'data-part="{part_key}"')
    return html[start : html.index("</section>", start)]


def _ticked(label):
    return re.compile(r'data-ticked="1">☑</span>' + re.escape(label))


def _unticked(label):
    return re.compile(r'data-ticked="0">☐</span>' + re.escape(label))


def _preview(client, setup):
    client.force_login(setup.leader_user)
    response = client.get(reverse("reports:preview", args=[setup.report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def _decided(setup, **kwargs):
    from audits.models import Audit

    Audit.objects.filter(pk=setup.audit.pk).update(status=AuditStatus.DECIDED)
    setup.audit.refresh_from_db()
    evaluator = committee_user(full_name="王评定")
    decision = DecisionFactory(
        audit=setup.audit,
        approved=True,
        evaluated_by=evaluator,
        evaluated_on=EVALUATED_ON,
        approved_on=APPROVED_ON,
        closing_meeting_differences="无",
        other_remarks="建议下次监督审核关注内审的有效性。",
        **kwargs,
    )
    decision.approved_by.full_name = "王建国"
    decision.approved_by.save(update_fields=["full_name"])
    return decision


def test_parts_16_and_17_print_the_evaluation_the_approval_and_the_remarks(client):
    setup = ReportSetup()
    _decided(setup)
    html = _preview(client, setup)
    part16 = _section(html, "certification_decision")
    assert len(_ticked("同意注册").findall(part16)) == 2 and not _ticked("不同意注册").search(part16)
    assert "王评定" in part16 and "王建国" in part16
    assert "2030年3月10日" in part16 and "2030年3月12日" in part16
    part17 = _section(html, "committee_remarks")
    assert "无" in part17 and "建议下次监督审核关注内审的有效性。" in part17


def test_before_the_decision_parts_16_and_17_are_blank(client):
    setup = ReportSetup()
    part16 = _section(_preview(client, setup), "certification_decision")
    assert len(_unticked("同意注册").findall(part16)) == 2 and not _ticked("同意注册").search(part16)


def test_an_evaluated_decision_prints_step_one_only_until_approved(client):
    from audits.models import Audit

    setup = ReportSetup()
    Audit.objects.filter(pk=setup.audit.pk).update(status=AuditStatus.TECHNICAL_REVIEW)
    DecisionFactory(
        audit=setup.audit,
        status=DecisionStatus.AWAITING_APPROVAL,
        evaluation_conclusion=EvaluationConclusion.DISAGREE,
        evaluated_by=committee_user(full_name="李委员"),
        evaluated_on=EVALUATED_ON,
        evaluation_remarks="资料不足",
    )
    part16 = _section(_preview(client, setup), "certification_decision")
    assert _ticked("不同意注册").search(part16) and "李委员" in part16
    # The approval line stays blank.
    assert part16.count('data-ticked="1"') == 1


def test_the_facts_come_from_the_certification_selector():
    setup = ReportSetup()
    decision = _decided(setup)
    facts = audit_facts(setup.audit)
    assert facts["decision.review_conclusion"] == "approve" and facts["decision.approval_conclusion"] == "approve"
    assert facts["decision.reviewer"] == "王评定" and facts["decision.approver"] == "王建国"
    assert (facts["decision.reviewed_on"], facts["decision.approved_on"]) == (EVALUATED_ON, APPROVED_ON)
    assert facts["decision.remarks"] == f"{decision.closing_meeting_differences}\n\n{decision.other_remarks}"


def test_an_audit_not_yet_before_the_committee_is_not_looked_up(monkeypatch):
    """No decision can exist before the technical review: no query for it (the report pages'
    query counts stay as they are)."""
    from certification import selectors

    def fail(**kwargs):
        raise AssertionError("report_facts called for an audit in progress")

    monkeypatch.setattr(selectors, "report_facts", fail)
    facts = audit_facts(ReportSetup().audit)
    assert not any(key.startswith("decision.") for key in facts)


# --- the data migration that gives an existing database the sources ----------------------------

MIGRATION = importlib.import_module("reports.migrations.0008_certification_sources")


@pytest.fixture
def report_template(db):
    """The shipped default template (as the reports tests' fixture of the same name)."""
    ensure_shipped_standards()
    load_report_template()
    return default_template()


def test_migration_gives_an_existing_template_the_part_17_source(report_template):
    remarks = TemplateField.objects.get(part__template=report_template, part__key="committee_remarks", key="remarks")
    assert remarks.source == "decision.remarks"  # shipped in the YAML
    TemplateField.objects.filter(pk=remarks.pk).update(source="")  # as a database loaded before
    approver = TemplateField.objects.get(
        part__template=report_template, part__key="certification_decision", key="approver"
    )
    TemplateField.objects.filter(pk=approver.pk).update(source="cb.general_manager")  # the CB's own choice
    MIGRATION.set_sources(global_apps, None)
    remarks.refresh_from_db()
    approver.refresh_from_db()
    assert remarks.source == "decision.remarks" and approver.source == "cb.general_manager"
    MIGRATION.set_sources(global_apps, None)  # running it again changes nothing
    remarks.refresh_from_db()
    assert remarks.source == "decision.remarks"


# --- the registry: reports asks, certification answers -------------------------------------------


def test_certification_registers_its_facts_with_reports():
    from reports.facts import fact_providers

    (provider,) = [p for p in fact_providers() if p.name == "certification.decision"]
    assert provider.audit_statuses == {AuditStatus.TECHNICAL_REVIEW, AuditStatus.DECIDED, AuditStatus.CLOSED}


def test_a_fact_provider_is_asked_only_in_its_audit_statuses(monkeypatch):
    from reports import facts

    monkeypatch.setattr(facts, "_FACT_PROVIDERS", {})
    asked = []

    def provide(audit):
        asked.append(audit.pk)
        return {"other.fact": "来自上层"}

    facts.register_fact_provider("other", provide, audit_statuses=[AuditStatus.DECIDED])
    setup = ReportSetup()
    assert "other.fact" not in audit_facts(setup.audit) and asked == []
    from audits.models import Audit

    Audit.objects.filter(pk=setup.audit.pk).update(status=AuditStatus.DECIDED)
    setup.audit.refresh_from_db()
    assert audit_facts(setup.audit)["other.fact"] == "来自上层" and asked == [setup.audit.pk]


def test_the_reports_app_never_imports_an_app_above_it():
    """Layers point one way: certification and the portal fill reports' registries instead."""
    import ast
    from pathlib import Path

    import reports

    root = Path(reports.__file__).parent
    upward = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            upward += [
                f"{path.relative_to(root)}: {n}" for n in names if n.split(".")[0] in ("certification", "portal")
            ]
    assert upward == []
