"""The report's nonconformity facts come from the NC records through one rule
(``findings.selectors.report_facts``): part 七's counts and distribution, and part 十五's
verification result per system, which the team no longer types."""

import importlib
import re

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from findings import selectors as nc_selectors
from findings.tests.factories import make_nc
from reports import services
from reports.models import TemplateField
from reports.selectors import report_data

from .factories import DepartmentFactory, ReportSetup, iso9001

pytestmark = pytest.mark.django_db

RESULT_FIELDS = {
    "qms_result": "nonconformities.by_family.QMS.result",
    "ems_result": "nonconformities.by_family.EMS.result",
    "ohsms_result": "nonconformities.by_family.OHSMS.result",
}


def _part15_row(html, family):
    """The preview's line of part 十五 for ``family``: its ticks for 验证合格 / 仍有问题."""
    start = html.index('data-part="corrective_action_verification"')
    section = html[start : html.index("</section>", start)]
    for row in re.findall(r'<div class="report-option">(.*?)</div>', section, flags=re.S):
        if f"{family}(" in row:
            return {
                label: ticked == "1"
                for ticked, label in re.findall(r'data-ticked="([01])">[☑☐]</span>(验证合格|仍有问题)', row)
            }
    raise AssertionError(f"no line for {family} in part 十五")


def _preview(client, setup):
    client.force_login(setup.leader_user)
    response = client.get(reverse("reports:preview", args=[setup.report.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "statuses,verified",
    [
        (["verified", "closed"], True),
        (["closed", "closed"], True),
        (["verified", "open"], False),
        (["closed", "returned"], False),
        (["verified", "responded"], False),
    ],
    ids=["verified-and-closed", "all-closed", "one-open", "one-returned", "one-awaiting-verification"],
)
def test_part_15_prints_the_verification_result_computed_from_the_ncs(client, statuses, verified):
    setup = ReportSetup()
    make_nc(setup.audit, grade="major", status=statuses[0])
    make_nc(setup.audit, grade="minor", status=statuses[1])
    make_nc(setup.audit, grade="observation", status="open")  # observations need no answer
    html = _preview(client, setup)
    assert _part15_row(html, "QMS") == {"验证合格": verified, "仍有问题": not verified}
    assert "审核中发现的QMS(1)个一般不符合，(1)个严重不符合" in html


def test_part_15_leaves_both_boxes_blank_for_a_system_without_ncs(client):
    setup = ReportSetup()
    make_nc(setup.audit, grade="minor", status="closed")
    html = _preview(client, setup)
    assert _part15_row(html, "QMS") == {"验证合格": True, "仍有问题": False}
    assert _part15_row(html, "EMS") == {"验证合格": False, "仍有问题": False}


def test_part_15_results_are_facts_the_team_cannot_type(client):
    setup = ReportSetup()
    fields = {
        f.key: f for f in TemplateField.objects.filter(part__template=setup.report.template, key__in=RESULT_FIELDS)
    }
    assert {key: f.source for key, f in fields.items()} == RESULT_FIELDS
    editable = {f.key for f in services.editable_fields(setup.report.template)}
    assert not editable & set(RESULT_FIELDS)
    # A value typed before the field had a source is not printed: the records decide.
    make_nc(setup.audit, grade="minor", status="open")
    from reports.models import FieldValue

    FieldValue.objects.create(report=setup.report, field=fields["qms_result"], value="verified")
    assert _part15_row(_preview(client, setup), "QMS") == {"验证合格": False, "仍有问题": True}


def test_the_report_takes_every_nc_fact_from_the_one_rule_in_nc_selectors():
    setup = ReportSetup()
    sales, dev = DepartmentFactory(client=setup.audit.client), DepartmentFactory(client=setup.audit.client)
    from audits.tests.factories import ClauseFactory

    clause = ClauseFactory(standard=iso9001(), number="7.5.3")
    make_nc(setup.audit, grade="major", department=sales, clause=clause, status="closed")
    make_nc(setup.audit, grade="minor", department=dev, status="open")
    make_nc(setup.audit, grade="observation", department=sales)
    facts = report_data(setup.report).facts
    nc_keys = {k for k in facts if k.startswith(("nonconformities.", "settings.nc_due_days."))}
    expected = nc_selectors.audit_report_facts(setup.audit)
    assert nc_keys == set(expected)
    assert {k: facts[k] for k in nc_keys} == expected
    assert facts["nonconformities.by_family.QMS.result"] == "issues_remain"
    by_department = {row["department"]: row for row in facts["nonconformities.by_department"]}
    assert (by_department[sales.name]["major_count"], by_department[sales.name]["observation_count"]) == (1, 1)


def test_part_7_prints_the_counts_and_distribution_from_the_ncs(client):
    setup = ReportSetup()
    sales = DepartmentFactory(client=setup.audit.client, name_zh="销售部")
    make_nc(setup.audit, grade="major", department=sales)
    make_nc(setup.audit, grade="minor", department=sales)
    make_nc(setup.audit, grade="minor")
    html = _preview(client, setup)
    start = html.index('data-part="nonconformities"')
    section = html[start : html.index("</section>", start)]
    assert "本次审核共开具不符合项报告3项；其中严重不符合1项，一般不符合2项" in section
    assert "销售部" in section


# --- the data migration that gives an existing database the sources ----------------------------

MIGRATION = importlib.import_module("reports.migrations.0006_part15_sources")


def test_migration_gives_an_existing_template_the_part_15_sources(report_template):
    fields = TemplateField.objects.filter(part__template=report_template, key__in=RESULT_FIELDS)
    fields.update(source="")  # as a database loaded before the sources were shipped
    TemplateField.objects.filter(pk=fields.get(key="ohsms_result").pk).update(source="cb.own_rule")  # the CB's own
    MIGRATION.set_sources(global_apps, None)
    assert dict(fields.values_list("key", "source")) == {
        "qms_result": RESULT_FIELDS["qms_result"],
        "ems_result": RESULT_FIELDS["ems_result"],
        "ohsms_result": "cb.own_rule",
    }
    MIGRATION.set_sources(global_apps, None)  # running it again changes nothing
    assert fields.get(key="qms_result").source == RESULT_FIELDS["qms_result"]
