"""Import of past plan sheets (102010): the dry run lists create/skip/refuse with reasons, the
import enters past audits with their plan numbers, days, mode and team; ID numbers never leave
the encrypted identity."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from accounts.tests.factories import UserFactory
from audits.models import Audit, AuditType, TeamRole
from audits.tests.factories import iso9001, qualified_profile
from certification.tests.pdf_factories import cb_admin
from clients.tests.factories import ClientFactory
from core.access import Role
from regulator import plans_import, services
from regulator.layouts import layout
from regulator.models import AuditRegistration

from .factories import VALID_CREDIT_CODE, cb_settings, complete_client, identify

pytestmark = pytest.mark.django_db

LEADER_ID = "11010519491231002X"
MEMBER_ID = "110101199003071234"
EXPERT_ID = "110101198001011234"
UNKNOWN_ID = "110101198001019999"


def plan(number, **values):
    return {
        "PLAN_NUMBER": number,
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "AUDIT_STAGE": "0102",
        "PLAN_START": "2025-05-06 08:00:00",
        "PLAN_END": "2025-05-08 17:00:00",
        "AUDIT_TEAM": f"{LEADER_ID}，李组长，01，13800000001；{MEMBER_ID}，陈审核，02，13800000002",
        "TECH_EXPERTS": f"{EXPERT_ID}，张专家，13800000003",
        "REGION_CODE": "110108",
        "ORG_CODE": VALID_CREDIT_CODE,
        "ORG_NAME": "北京计划测试有限公司",
        "CONTACT": "王五",
        "CONTACT_PHONE": "13800000000",
        "MAIN_SITE": "北京市海淀区测试路1号",
        "CERT_ITEM_CODE": "A01",
        "AUDIT_MODE": "FS02",
        "REMARK": "远程审核",
        **values,
    }


ROWS = [
    plan("R006900000001"),
    plan("R006900000001"),  # twice in the sheet: skipped
    plan("R006900000002", AUDIT_TEAM=f"{UNKNOWN_ID}，无此人，01，1"),
    plan("R006900000003", AUDIT_MODE="FS09"),
    plan("R006900000004", PLAN_START="2099-01-01 08:00:00", PLAN_END="2099-01-02 17:00:00"),
    plan("R006900000005", ORG_CODE="91110108MA00000000", ORG_NAME="无此组织"),
    plan("R006900000006", AUDIT_STAGE="0909"),
    plan("R006900000007", AUDIT_TEAM=f"{MEMBER_ID}，陈审核，02，1；{LEADER_ID}，李组长，01，1"),
    plan("", AUDIT_STAGE="03"),
    plan(
        "R006900000008",
        AUDIT_STAGE="03",
        PLAN_START="2025-11-03 08:00:00",
        PLAN_END="2025-11-03 17:00:00",
        AUDIT_MODE="FS01",
        TECH_EXPERTS="",
    ),
]


def plan_sheet(rows):
    sheet_layout = layout("cnca_102010")
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_layout.sheet
    for name in sheet_layout.header:
        sheet.append([item.header_cell(name) for item in sheet_layout.fields])
    for values in rows:
        sheet.append([values.get(item.code, "") for item in sheet_layout.fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def known():
    return known_people()


def known_people():
    """The sheet's client and its three people, identified by their ID numbers."""
    cb_settings()
    iso9001()
    client = complete_client(ClientFactory(name_zh="北京计划测试有限公司"))
    leader = qualified_profile(user=UserFactory(role=Role.TEAM_LEADER, full_name="李组长"))
    member = qualified_profile(user=UserFactory(role=Role.AUDITOR, full_name="陈审核"), level="auditor")
    expert = qualified_profile(user=UserFactory(role=Role.AUDITOR, full_name="张专家"), level="technical_expert")
    for profile, number in ((leader, LEADER_ID), (member, MEMBER_ID), (expert, EXPERT_ID)):
        identify(profile, number)
    return client, leader, member, expert


def test_dry_run_lists_create_skip_and_refuse_with_reasons_without_writing(known):
    before = Audit.objects.count()
    report = plans_import.plan_plans(data=plan_sheet(ROWS))
    assert [line.action for line in report.lines] == [
        "create",
        "skip",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "create",
    ]
    reasons = [line.reason for line in report.lines]
    assert "auditor list" in reasons[2] and "AUDIT_MODE" in reasons[3] and "to come" in reasons[4]
    assert "no such client" in reasons[5] and "stage code" in reasons[6] and "leader" in reasons[7]
    assert "PLAN_NUMBER" in reasons[8]
    assert not any(number in reason for reason in reasons for number in (LEADER_ID, UNKNOWN_ID))
    assert Audit.objects.count() == before


def test_import_enters_past_audits_with_plan_number_days_mode_and_team(known):
    client, leader, member, expert = known
    report = services.plan_sheet_import(data=plan_sheet(ROWS), source="plans-2025.xlsx", by=cb_admin())
    assert report.applied and report.count("create") == 2
    registration = AuditRegistration.objects.get(plan_number="R006900000001")
    audit = registration.audit
    assert audit.imported and audit.client == client and audit.audit_type == AuditType.STAGE_2
    assert (audit.start_date, audit.end_date, audit.method) == (
        datetime.date(2025, 5, 6),
        datetime.date(2025, 5, 8),
        "FS02",
    )
    assert registration.remarks == "远程审核"
    assert sorted((a.profile_id, a.role) for a in audit.team.all()) == sorted(
        [(leader.pk, TeamRole.LEADER), (member.pk, TeamRole.AUDITOR), (expert.pk, TeamRole.TECHNICAL_EXPERT)]
    )
    surveillance = AuditRegistration.objects.get(plan_number="R006900000008").audit
    assert surveillance.audit_type == AuditType.SURVEILLANCE_1 and surveillance.method == "FS01"
    assert surveillance.programme == audit.programme
    again = plans_import.plan_plans(data=plan_sheet(ROWS))
    assert again.lines[0].action == "skip" and "already carries" in again.lines[0].reason


def test_command_dry_run_prints_and_apply_with_refused_rows_writes_nothing(known, tmp_path, capsys):
    cb_admin()
    path = tmp_path / "plans.xlsx"
    path.write_bytes(plan_sheet(ROWS))
    call_command("cnca_plans_import", str(path))
    out = capsys.readouterr().out
    assert "Dry run: create 2, skip 1, refuse 7" in out and LEADER_ID not in out
    with pytest.raises(SystemExit):
        call_command("cnca_plans_import", str(path), "--apply")
    assert not AuditRegistration.objects.exists()
    path.write_bytes(plan_sheet([ROWS[0], ROWS[-1]]))
    call_command("cnca_plans_import", str(path), "--apply")
    assert "Imported: create 2" in capsys.readouterr().out
    assert AuditRegistration.objects.count() == 2


def test_page_dry_run_then_import_and_a_file_that_is_no_workbook(known, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cb_admin())
    data = plan_sheet([ROWS[0]])
    page = client.post("/regulator/import/plans/", {"plan_sheet": SimpleUploadedFile("p.xlsx", data)})
    assert page.status_code == 200 and 'data-testid="plan-import-report"' in page.content.decode()
    assert not AuditRegistration.objects.exists()
    page = client.post("/regulator/import/plans/", {"plan_sheet": SimpleUploadedFile("p.xlsx", data), "apply": "on"})
    assert page.status_code == 200 and AuditRegistration.objects.filter(plan_number="R006900000001").exists()
    page = client.post("/regulator/import/plans/", {"plan_sheet": SimpleUploadedFile("p.xlsx", b"not a zip")})
    assert page.status_code == 200 and 'data-testid="plan-import-report"' not in page.content.decode()
