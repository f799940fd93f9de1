"""Pages around the report: language, typed tables, the home page's next actions."""

import pytest
from django.urls import reverse

from core.navigation import next_actions_for
from reports import services

from .factories import DepartmentFactory, PlanItemFactory, ReportSetup, fill_report

pytestmark = pytest.mark.django_db


def test_the_preview_speaks_english_with_arabic_part_numbers(client):
    s = ReportSetup()
    client.force_login(s.leader_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:preview", args=[s.report.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1. Certification body information" in page and "19. Attachments" in page
    assert "Audit team&#x27;s recommendation" in page or "Audit team's recommendation" in page
    assert "N/A" in page  # the EMS/OHSMS topics of a QMS audit
    assert "一、" not in page


def test_functions_audited_per_department_are_typed_next_to_the_departments_from_the_plan(client):
    s = ReportSetup()
    department = DepartmentFactory(client=s.audit.client, name_zh="综合部")
    PlanItemFactory(audit=s.audit, department=department)
    client.force_login(s.auditor_user)
    url = reverse("reports:choices", args=[s.report.pk])
    field = s.field("departments_audited")
    name = f"f{field.pk}__综合部__functions"
    assert f'name="{name}"' in client.get(url).content.decode()
    # the team table is a fact: no input for it
    assert f'name="f{s.field("audit_team").pk}__' not in client.get(url).content.decode()
    response = client.post(url, {"version": s.report.choices_version, name: "负责内审的实施；负责人力资源管理"})
    assert response.status_code == 302
    preview = client.get(reverse("reports:preview", args=[s.report.pk])).content.decode()
    assert "综合部" in preview and "负责内审的实施；负责人力资源管理" in preview


def test_home_page_lists_my_empty_topics_returned_topics_and_reports_to_approve():
    s = ReportSetup()
    s.assign("context_of_organization", s.auditor)
    actions = next_actions_for(s.auditor_user)
    assert len(actions) == 1 and "1" in actions[0].detail and actions[0].url.endswith(f"/reports/{s.report.pk}/")
    fill_report(s)
    assert next_actions_for(s.auditor_user) == []
    services.report_submit(report=s.report, by=s.auditor_user)
    leader_actions = next_actions_for(s.leader_user)
    assert [a.urgent for a in leader_actions] == [True] and s.audit.client.name_zh in leader_actions[0].label
    services.report_return(report=s.report, by=s.leader_user, comments={s.content("context_of_organization"): "请补充"})
    revise = next_actions_for(s.auditor_user)
    assert len(revise) == 1 and revise[0].urgent
