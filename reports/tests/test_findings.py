"""Findings against clause and department with evidence, and nonconformities raised from them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.access import Role
from findings import services as finding_services
from findings.models import Finding, Nonconformity
from standards.models import Clause

from .factories import PNG_BYTES, DepartmentFactory, ReportSetup, UserFactory, evidence_file, fill_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return ReportSetup()


def _clause(number="7.5.3", code="ISO 9001"):
    return Clause.objects.get(standard__code=code, number=number)


def test_an_auditor_records_a_finding_with_evidence_files_in_the_browser(client, setup):
    department = DepartmentFactory(client=setup.audit.client, name_zh="综合部")
    client.force_login(setup.auditor_user)
    response = client.post(
        reverse("reports:finding_add", args=[setup.report.pk]),
        {
            "clause": _clause().pk,
            "department": department.pk,
            "description": "受控文件清单版本A/0与手册A/1不一致",
            "evidence": "查《受控文件清单》",
            "files": [SimpleUploadedFile("清单.png", PNG_BYTES, content_type="image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = Finding.objects.get(audit=setup.audit)
    assert (finding.clause.number, finding.department, finding.recorded_by) == ("7.5.3", department, setup.auditor_user)
    attachment = finding.attachments.get()
    assert attachment.original_name == "清单.png" and attachment.content_type == "image/png"
    assert "清单.png" not in attachment.file.name  # stored under a random name
    page = client.get(reverse("reports:editor", args=[setup.report.pk])).content.decode()
    assert "受控文件清单版本A/0与手册A/1不一致" in page and "清单.png" in page


def test_an_evidence_file_of_the_wrong_type_is_refused_with_a_message(client, setup):
    client.force_login(setup.auditor_user)
    response = client.post(
        reverse("reports:finding_add", args=[setup.report.pk]),
        {
            "clause": _clause().pk,
            "description": "x",
            "files": [SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png", content_type="image/png")],
        },
    )
    assert response.status_code == 200
    assert "photo.png" in response.content.decode()
    assert not Finding.objects.exists()  # all or nothing


def test_a_finding_needs_a_clause_of_the_audits_standards(setup):
    with pytest.raises(ValidationError):
        finding_services.finding_create(
            audit=setup.audit, by=setup.auditor_user, clause=_clause("4.1", "ISO 14001"), description="x"
        )


def test_only_the_team_records_findings(setup, make_user):
    with pytest.raises(PermissionDenied):
        finding_services.finding_create(
            audit=setup.audit, by=UserFactory(role=Role.AUDITOR), clause=_clause(), description="x"
        )
    with pytest.raises(PermissionDenied):
        finding_services.finding_create(
            audit=setup.audit, by=make_user(role=Role.CB_ADMIN), clause=_clause(), description="x"
        )


def test_a_nonconformity_is_raised_from_a_finding(client, setup):
    department = DepartmentFactory(client=setup.audit.client)
    finding = finding_services.finding_create(
        audit=setup.audit,
        by=setup.auditor_user,
        clause=_clause(),
        department=department,
        description="文件版本不一致",
        evidence="查清单",
    )
    client.force_login(setup.auditor_user)
    url = reverse("reports:nc_raise", args=[setup.report.pk, finding.pk])
    form = client.get(url).content.decode()
    for grade in ("major", "minor", "observation"):
        assert f'value="{grade}"' in form
    response = client.post(
        url,
        {
            "grade": "minor",
            "clause": finding.clause_id,
            "department": department.pk,
            "requirement": "GB/T 19001-2016 7.5.3 要求",
            "statement": "文件版本不一致",
            "evidence": "查清单",
        },
    )
    assert response.status_code == 302
    nc = Nonconformity.objects.get()
    assert (nc.number, nc.grade, nc.family, nc.status, nc.finding, nc.department) == (
        1,
        "minor",
        "QMS",
        "open",
        finding,
        department,
    )
    second = finding_services.nonconformity_raise(
        finding=finding, by=setup.auditor_user, grade="observation", requirement="r", statement="s", evidence="e"
    )
    assert second.number == 2


def test_a_nonconformity_needs_requirement_statement_and_evidence(setup):
    finding = finding_services.finding_create(
        audit=setup.audit, by=setup.auditor_user, clause=_clause(), description="x"
    )
    with pytest.raises(ValidationError) as exc:
        finding_services.nonconformity_raise(
            finding=finding, by=setup.auditor_user, grade="minor", requirement="", statement="s", evidence=""
        )
    assert set(exc.value.message_dict) == {"requirement", "evidence"}
    with pytest.raises(ValidationError):
        finding_services.nonconformity_raise(
            finding=finding, by=setup.auditor_user, grade="critical", requirement="r", statement="s", evidence="e"
        )


def test_nc_counts_by_grade_family_and_department_are_shown_in_the_report(client, setup):
    department = DepartmentFactory(client=setup.audit.client, name_zh="技术部")
    finding = finding_services.finding_create(
        audit=setup.audit, by=setup.auditor_user, clause=_clause("8.5.1"), department=department, description="x"
    )
    for grade in ("major", "minor", "minor", "observation"):
        finding_services.nonconformity_raise(
            finding=finding, by=setup.auditor_user, grade=grade, requirement="r", statement="s", evidence="e"
        )
    client.force_login(setup.leader_user)
    page = client.get(reverse("reports:preview", args=[setup.report.pk])).content.decode()
    assert (
        "本次审核共开具不符合项报告4项；其中严重不符合1项，一般不符合2项，观察项1项分布在技术部8.5.1条款" in page
    )  # not "技术部部门"
    assert "审核中发现的QMS(2)个一般不符合，(1)个严重不符合" in page
    editor = client.get(reverse("reports:editor", args=[setup.report.pk])).content.decode()
    table = editor[editor.index('data-testid="nc-by-department"') :]
    assert "<td>技术部</td><td>1</td><td>2</td><td>1</td>" in table


def test_findings_cannot_be_added_to_a_locked_report(client, setup):
    from reports import services

    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    client.force_login(setup.auditor_user)
    client.post(reverse("reports:finding_add", args=[setup.report.pk]), {"clause": _clause().pk, "description": "x"})
    assert not Finding.objects.exists()


def test_evidence_is_downloaded_only_by_those_who_may_see_the_audit(client, setup, make_user):
    finding = finding_services.finding_create(
        audit=setup.audit, by=setup.auditor_user, clause=_clause(), description="x"
    )
    evidence = evidence_file(finding)
    url = reverse("reports:evidence_download", args=[evidence.pk])
    client.force_login(setup.auditor_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG_BYTES
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.get(url).status_code == 404
    client.force_login(make_user(role=Role.CLIENT, client=setup.audit.client))
    assert client.get(url).status_code == 403
