"""A month's past workbook (103010 + 103011) imported, then the month exported with its imported
records: the same cells, read back from where each fact lives."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import UserFactory
from audits.models import Audit, AuditType
from audits.tests.factories import iso9001, qualified_profile
from certification.models import Certificate, Decision
from certification.tests.pdf_factories import cb_admin
from core.access import Role
from regulator import importing, rules, services
from regulator.layouts import layout
from regulator.models import (
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ImportedReportRow,
    ProgrammeContract,
)

from .factories import cb_settings, identify

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 3, 1)
LEADER_ID = "11010519491231002X"
MEMBER_ID = "110101199003071234"


def credit_code(serial: int) -> str:
    first17 = f"91110108MA0{serial:06d}"
    return first17 + rules.credit_code_check_char(first17)


def org(serial: int, **values):
    """The organisation and certificate columns of one row, every column of the layout filled."""
    return {
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "BRANCH_CODE": "01",
        "CB_NAME": "北京测试认证有限公司",
        "ORG_NAME": f"测试组织{serial}有限公司",
        "ORG_NAME_EN": f"Test Organisation {serial} Co., Ltd.",
        "ORG_FORMER_NAME": f"旧名{serial}公司",
        "ORG_CODE": credit_code(serial),
        "INDUSTRY_CODE": "C3411",
        "COUNTRY_CODE": "156",
        "REGION_CODE": "110108",
        "REG_ADDRESS": f"北京市海淀区测试路{serial}号",
        "POSTAL_ADDRESS": f"北京市海淀区邮寄路{serial}号",
        "OPER_ADDRESS": f"北京市昌平区生产路{serial}号",
        "POSTCODE": "100080",
        "ORG_PHONE": "010-6000000" + str(serial),
        "LEGAL_REP": f"法人{serial}",
        "ORG_TYPE": "04",
        "REG_CAPITAL": 500.5,
        "CAPITAL_CURRENCY": "CNY",
        "TOTAL_STAFF": 120 + serial,
        "COVERED_STAFF": 100 + serial,
        "FIRST_CERT_DATE": "2020-01-21",
        "CERT_NUMBER": f"06926Q1000{serial}R0M",
        "CERT_ITEM_CODE": "A01",
        "STANDARD": "GB/T 19001-2016/ISO 9001:2015",
        "CNAS_CODES": "19.05.01；29.10.07",
        "IS_MULTI_SITE": "1",
        "SITES": f"北京市海淀区测试路{serial}号；北京市昌平区生产路{serial}号",
        "CERT_SCOPE": "电子元器件的生产",
        "CERT_SCOPE_EN": "Production of electronic components",
        "RECERT_COUNT": 0,
        "COMBINED_AUDIT": "01",
        "AUDIT_MODE": "FS01",
        "AUDIT_LEADER": "李组长",
        "DECISION_MAKERS": "王评定；赵批准",
        "CERT_STATUS": "01",
        "IS_SUB_CERT": "0",
        "ACCRED_NUMBER": "CNAS C069-M",
        "ACCRED_MARK": "01",
        "RISK_LEVEL": "02",
        "CONTRACT_AMOUNT": 18000,
        "CONTRACT_CURRENCY": "CNY",
        "CONTRACT_NUMBER": f"HT-2026-{serial:03d}",
        "IS_LATE": "0",
        "IS_OVERDUE": "0",
        "PROCEDURE_DOC": "QP-07-2024",
        "BASE_AUDIT_DAYS": 6,
        "AUDIT_DAYS": 5.5,
        **values,
    }


CERT_ROWS = [
    # 01 new: an initial certification, stage 1 and stage 2 on the result sheet.
    org(
        1,
        REPORT_TYPE="01",
        AUDIT_ACTIVITY="01",
        FIRST_CERT_DATE="2026-03-20",
        STAGE1_START="2026-02-10",
        STAGE2_END="2026-03-04",
        DECISION_DATE="2026-03-18",
        ISSUE_DATE="2026-03-20",
        EXPIRY_DATE="2029-03-19",
    ),
    # 02 reissue after a recertification, replacing the certificate of another cycle.
    org(
        2,
        REPORT_TYPE="02",
        AUDIT_ACTIVITY="02",
        RECERT_COUNT=1,
        STAGE2_END="2026-03-06",
        DECISION_DATE="2026-03-12",
        ISSUE_DATE="2026-03-15",
        EXPIRY_DATE="2029-03-14",
        REISSUE_DATE="2026-03-15",
        REISSUE_REASON="0101",
        PREV_CERT_NUMBER="06923Q10002R0M",
        AUDIT_DAYS=4,
    ),
    # 03 surveillance of a certificate issued last year.
    org(
        3,
        REPORT_TYPE="03",
        AUDIT_ACTIVITY="03",
        SURVEILLANCE_NO=1,
        STAGE2_END="2026-03-11",
        DECISION_DATE="2026-03-25",
        ISSUE_DATE="2025-01-10",
        EXPIRY_DATE="2028-01-09",
        FIRST_CERT_DATE="2025-01-10",
    ),
    # 04 information change of a sub-certificate (its main one is row 3's), taken over from
    # another CB.
    org(
        4,
        REPORT_TYPE="04",
        AUDIT_ACTIVITY="01",
        DECISION_DATE="2025-01-08",
        ISSUE_DATE="2025-01-10",
        EXPIRY_DATE="2028-01-09",
        FIRST_CERT_DATE="2022-05-01",
        IS_SUB_CERT="1",
        MAIN_CERT_NUMBER="06926Q10003R0M",
        CHANGE_DATE="2026-03-28",
        CHANGE_TYPE="0101；0102",
        REISSUE_REASON="0103",
        PREV_CB="上海某认证有限公司",
        PREV_CERT_NUMBER="SH22Q0001",
        AUDIT_DAYS="",
    ),
    # 05 status changes: one suspended, one withdrawn.
    org(
        5,
        REPORT_TYPE="05",
        AUDIT_ACTIVITY="01",
        DECISION_DATE="2024-04-28",
        ISSUE_DATE="2024-05-01",
        EXPIRY_DATE="2027-04-30",
        FIRST_CERT_DATE="2024-05-01",
        CERT_STATUS="02",
        SUSPEND_REASON="0116",
        SUSPEND_START="2026-03-05",
        SUSPEND_END="2026-09-04",
        IS_LATE="0",
        IS_OVERDUE="1",
        OVERDUE_REASON="01",
        OVERDUE_PLAN_DATE="2026-06-01",
        AUDIT_DAYS="",
    ),
    org(
        6,
        REPORT_TYPE="05",
        AUDIT_ACTIVITY="01",
        DECISION_DATE="2024-06-28",
        ISSUE_DATE="2024-07-01",
        EXPIRY_DATE="2027-06-30",
        FIRST_CERT_DATE="2024-07-01",
        CERT_STATUS="03",
        WITHDRAW_REASON="0113",
        WITHDRAW_DATE="2026-03-18",
        AUDIT_DAYS="",
        CONTRACT_AMOUNT="",
        CONTRACT_CURRENCY="",
        CONTRACT_NUMBER="",
    ),
]


def person(cert, stage, start, end, name, id_number, role, qualification, ccaa):
    return {
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "CERT_NUMBER": cert,
        "AUDIT_STAGE": stage,
        "AUDIT_START": f"{start} 08:30:00",
        "AUDIT_END": f"{end} 17:00:00",
        "PERSON_NAME": name,
        "ID_TYPE": "01",
        "ID_NUMBER": id_number,
        "TEAM_ROLE": role,
        "QUALIFICATION": qualification,
        "CCAA_NUMBER": ccaa,
        "IS_PROFESSIONAL": "1",
        "IS_FULL_TIME": "1" if role == "01" else "0",
        "IS_WITNESS": "0",
    }


def team(cert, stage, start, end):
    return [
        person(cert, stage, start, end, "李组长", LEADER_ID, "01", "01", "2016-N1QMS-1000001"),
        person(cert, stage, start, end, "陈审核", MEMBER_ID, "02", "02", "2019-N1QMS-1000002"),
    ]


RESULT_ROWS = [
    *team("06926Q10001R0M", "0101", "2026-02-10", "2026-02-10"),
    *team("06926Q10001R0M", "0102", "2026-03-02", "2026-03-04"),
    *team("06926Q10002R0M", "02", "2026-03-04", "2026-03-06"),
    *team("06926Q10003R0M", "03", "2026-03-10", "2026-03-11"),
]


def workbook(cert_rows, result_rows):
    """The month's workbook written by hand from the layout files (not by the exporter)."""
    book = Workbook()
    book.remove(book.active)
    for key, rows in (("cnca_103010", cert_rows), ("cnca_103011", result_rows)):
        sheet_layout = layout(key)
        sheet = book.create_sheet(sheet_layout.sheet)
        for name in sheet_layout.header:
            sheet.append([item.header_cell(name) for item in sheet_layout.fields])
        for values in rows:
            sheet.append([values.get(item.code, "") for item in sheet_layout.fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def auditors():
    leader = qualified_profile(user=UserFactory(role=Role.TEAM_LEADER, full_name="李组长"))
    member = qualified_profile(user=UserFactory(role=Role.AUDITOR, full_name="陈审核"), level="auditor")
    identify(leader, LEADER_ID)
    identify(member, MEMBER_ID)
    return leader, member


def sheet_cells(data, key):
    """Every data cell of a sheet, row by row in the column order of the layout file."""
    sheet_layout = layout(key)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = list(book[sheet_layout.sheet].iter_rows(values_only=True))
    assert [str(c) for c in rows[0]] == [f.code for f in sheet_layout.fields]
    return [["" if v is None else v for v in row] for row in rows[sheet_layout.first_data_row - 1 :]]


@pytest.fixture
def imported_month():
    cb_settings()
    iso9001()
    auditors()
    admin = cb_admin()
    data = workbook(CERT_ROWS, RESULT_ROWS)
    report = services.workbook_import(data=data, source="2026-03.xlsx", by=admin)
    assert [line.action for line in report.lines if line.action != "create"] == [], [
        (line.row, line.reason) for line in report.lines if line.action != "create"
    ]
    return data, admin


def test_import_then_export_of_a_month_gives_the_same_cells(imported_month):
    data, admin = imported_month
    submission = services.submission_export_month(month=MONTH, by=admin, draft=True, include_imported=True)
    with submission.file.open("rb") as handle:
        exported = handle.read()
    for key in ("cnca_103010", "cnca_103011"):
        expected, got = sheet_cells(data, key), sheet_cells(exported, key)
        assert len(got) == len(expected), key
        codes = [f.code for f in layout(key).fields]
        for number, (want, have) in enumerate(zip(expected, got, strict=True)):
            differences = {c: (w, h) for c, w, h in zip(codes, want, have, strict=True) if w != h}
            assert differences == {}, (key, number, differences)


def test_without_the_option_the_month_leaves_imported_records_out(imported_month):
    _data, admin = imported_month
    submission = services.submission_export_month(month=MONTH, by=admin, draft=True)
    assert submission.rows == {"cnca_103010": 0, "cnca_103011": 0}


def test_each_fact_lives_on_its_record(imported_month):
    first = Certificate.objects.get(number="06926Q10001R0M")
    registration = ClientRegistration.objects.get(client=first.client)
    assert registration.former_name == "旧名1公司" and registration.industry_code == "C3411"
    assert str(registration.registered_capital) == "500.50" and registration.covered_staff == 101
    assert first.client.legal_representative == "法人1" and first.client.postal_code == "100080"
    assert first.client.sites.filter(address_zh="北京市昌平区生产路1号").exists()
    assert first.scope_en == "Production of electronic components"
    regulator_data = CertificateRegistration.objects.get(certificate=first)
    assert (regulator_data.item_code, regulator_data.cnas_codes, regulator_data.risk_level) == (
        "A01",
        "19.05.01；29.10.07",
        "02",
    )
    contract = ProgrammeContract.objects.get(programme=first.programme)
    assert (contract.number, contract.amount) == ("HT-2026-001", 18000)
    assert first.decision.evaluator_name == "王评定" and first.decision.approver_name == "赵批准"
    stage_2 = first.decision.audit
    assert stage_2.audit_type == AuditType.STAGE_2 and stage_2.start_date == datetime.date(2026, 3, 2)
    assert AuditRegistration.objects.get(audit=stage_2).actual_days == 5.5
    assert Audit.objects.filter(programme=first.programme, audit_type=AuditType.STAGE_1, imported=True).count() == 1
    suspended = Certificate.objects.get(number="06926Q10005R0M")
    assert suspended.status == "02" and suspended.status_since == datetime.date(2026, 3, 5)
    assert suspended.suspended_until == datetime.date(2026, 9, 4)
    earlier = Certificate.objects.get(number="06926Q10004R0M")
    assert earlier.first_issued_on == datetime.date(2022, 5, 1)
    # The reporting rows keep the month and the cells no record models, never an ID number.
    rows = ImportedReportRow.objects.filter(month=MONTH)
    assert rows.filter(sheet="cnca_103010").count() == 6 and rows.filter(sheet="cnca_103011").count() == 8
    assert all("ID_NUMBER" not in row.cells and LEADER_ID not in str(row.cells) for row in rows)
    assert rows.get(certificate__number="06926Q10004R0M", sheet="cnca_103010").cells["PREV_CB"] == "上海某认证有限公司"


def test_surveillance_result_rows_become_a_surveillance_audit_with_its_decision(imported_month):
    certificate = Certificate.objects.get(number="06926Q10003R0M")
    audit = Audit.objects.get(programme=certificate.programme, audit_type=AuditType.SURVEILLANCE_1)
    assert audit.imported and (audit.start_date, audit.end_date) == (datetime.date(2026, 3, 10), MONTH.replace(day=11))
    assert sorted(audit.team.values_list("role", flat=True)) == ["auditor", "leader"]
    maintain = Decision.objects.get(audit=audit)
    assert maintain.decision_type == "maintain" and maintain.approved_on == datetime.date(2026, 3, 25)
    assert list(maintain.certificates.all()) == [certificate]


def test_special_and_change_stages_of_an_imported_certificate_become_audits_of_their_kind(imported_month):
    _data, admin = imported_month
    later = workbook(
        [],
        [
            *team("06926Q10005R0M", "04", "2026-05-06", "2026-05-06"),
            *team("06926Q10005R0M", "05", "2026-06-02", "2026-06-03"),
        ],
    )
    plan = importing.plan_import(data=later)
    assert [line.action for line in plan.lines] == ["create"] * 4
    assert "stage 04 is created" in plan.lines[0].reason
    services.workbook_import(data=later, source="2026-05.xlsx", by=admin)
    certificate = Certificate.objects.get(number="06926Q10005R0M")
    kinds = dict(
        Audit.objects.filter(programme=certificate.programme, imported=True).values_list("audit_type", "start_date")
    )
    assert kinds[AuditType.SPECIAL] == datetime.date(2026, 5, 6)
    assert kinds[AuditType.SCOPE_EXTENSION] == datetime.date(2026, 6, 2)
    again = importing.plan_import(data=later)
    assert [line.action for line in again.lines] == ["skip"] * 4


def test_dry_run_refuses_a_status_without_its_reason_and_another_cbs_workbook():
    cb_settings()
    iso9001()
    rows = [
        org(
            7,
            REPORT_TYPE="05",
            ISSUE_DATE="2024-05-01",
            EXPIRY_DATE="2027-04-30",
            DECISION_DATE="2024-04-28",
            CERT_STATUS="02",
            SUSPEND_REASON="0999",
        ),
        org(
            8,
            REPORT_TYPE="01",
            ISSUE_DATE="2024-05-01",
            EXPIRY_DATE="2027-04-30",
            DECISION_DATE="2024-04-28",
            CB_APPROVAL_NUMBER="CNCA-R-2009-001",
        ),
        org(
            9,
            REPORT_TYPE="03",
            AUDIT_ACTIVITY="03",
            ISSUE_DATE="2024-05-01",
            EXPIRY_DATE="2027-04-30",
            DECISION_DATE="2024-04-01",
        ),
    ]
    report = importing.plan_import(data=workbook(rows, []))
    assert [line.action for line in report.lines] == ["refuse"] * 3
    assert "SUSPEND_REASON" in report.lines[0].reason
    assert "CB_APPROVAL_NUMBER" in report.lines[1].reason
    assert "before the issue date" in report.lines[2].reason
    assert Certificate.objects.count() == 0


def test_the_command_and_the_page_export_the_month_with_its_imported_records(imported_month, tmp_path, client):
    from django.core.management import call_command

    from regulator.models import Submission

    data, admin = imported_month
    call_command("cnca_export", "--month", "2026-03", "--out", str(tmp_path), "--draft", "--include-imported")
    written = next(tmp_path.glob("cnca-monthly-*.xlsx")).read_bytes()
    assert sheet_cells(written, "cnca_103010") == sheet_cells(data, "cnca_103010")
    client.force_login(admin)
    page = client.get("/regulator/?month=2026-03&imported=1")
    assert page.status_code == 200 and "06926Q10004R0M" in page.content.decode()
    before = Submission.objects.count()
    response = client.post("/regulator/export/month/", {"month": "2026-03", "draft": "on", "include_imported": "on"})
    assert response.status_code == 302 and "imported=1" in response["Location"]
    assert Submission.objects.count() == before + 1
    assert Submission.objects.order_by("-pk").first().rows == {"cnca_103010": 6, "cnca_103011": 8}


def test_each_row_is_reported_in_its_event_month_unless_the_workbook_month_is_given():
    cb_settings()
    iso9001()
    data = workbook(CERT_ROWS, [])
    months = [line.month for line in importing.plan_import(data=data).lines]
    assert months == [MONTH] * 6  # issue, reissue, decision, change, suspension, withdrawal dates
    late = workbook(
        [
            org(
                7,
                REPORT_TYPE="03",
                AUDIT_ACTIVITY="03",
                ISSUE_DATE="2025-01-10",
                EXPIRY_DATE="2028-01-09",
                DECISION_DATE="2026-02-20",
                IS_LATE="1",
            )
        ],
        [],
    )
    assert importing.plan_import(data=late).lines[0].month == datetime.date(2026, 2, 1)
    april = datetime.date(2026, 4, 1)
    assert importing.plan_import(data=late, month=april).lines[0].month == april


def test_a_later_month_with_further_events_of_imported_certificates_gives_the_same_cells(imported_month):
    _march, admin = imported_month
    april_rows = [
        # A certificate imported in March, surveilled again in April: its row and its team kept.
        org(
            3,
            REPORT_TYPE="03",
            AUDIT_ACTIVITY="03",
            SURVEILLANCE_NO=2,
            STAGE2_END="2026-04-08",
            DECISION_DATE="2026-04-20",
            ISSUE_DATE="2025-01-10",
            EXPIRY_DATE="2028-01-09",
            FIRST_CERT_DATE="2025-01-10",
        ),
        # A new certificate issued in April, then suspended the same month: two rows, one record.
        org(
            10,
            REPORT_TYPE="01",
            AUDIT_ACTIVITY="01",
            DECISION_DATE="2026-04-02",
            ISSUE_DATE="2026-04-03",
            EXPIRY_DATE="2029-04-02",
            FIRST_CERT_DATE="2026-04-03",
            STAGE2_END="2026-03-30",
        ),
        org(
            10,
            REPORT_TYPE="05",
            AUDIT_ACTIVITY="01",
            DECISION_DATE="2026-04-02",
            ISSUE_DATE="2026-04-03",
            EXPIRY_DATE="2029-04-02",
            FIRST_CERT_DATE="2026-04-03",
            STAGE2_END="2026-03-30",
            CERT_STATUS="02",
            SUSPEND_REASON="0112",
            SUSPEND_START="2026-04-25",
            SUSPEND_END="2026-10-24",
        ),
    ]
    april_results = team("06926Q10003R0M", "03", "2026-04-07", "2026-04-08")
    data = workbook(april_rows, april_results)
    plan = importing.plan_import(data=data)
    assert [(line.kind, line.action) for line in plan.lines] == [
        ("event", "create"),
        ("certificate", "create"),
        ("event", "create"),
        ("result", "create"),
        ("result", "create"),
    ]
    services.workbook_import(data=data, source="2026-04.xlsx", by=admin)
    surveilled = Certificate.objects.get(number="06926Q10003R0M")
    assert Audit.objects.filter(programme=surveilled.programme, audit_type=AuditType.SURVEILLANCE_2).exists()
    submission = services.submission_export_month(
        month=datetime.date(2026, 4, 1), by=admin, draft=True, include_imported=True
    )
    with submission.file.open("rb") as handle:
        exported = handle.read()
    for key in ("cnca_103010", "cnca_103011"):
        assert sheet_cells(exported, key) == sheet_cells(data, key), key
    # Importing the same workbook again writes nothing.
    assert {line.action for line in importing.plan_import(data=data).lines} == {"skip"}


def test_the_imported_rows_of_a_month_are_read_in_a_fixed_number_of_queries(
    imported_month, django_assert_max_num_queries
):
    from regulator import months

    # Measured: 18 for six certificate rows and eight result rows (one query per related table).
    with django_assert_max_num_queries(20):
        data = months.month_data(MONTH, include_imported=True)
    assert (len(data.certificates), len(data.results)) == (6, 8)


def test_the_import_page_says_so_when_the_file_is_no_workbook(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cb_admin())
    page = client.post("/regulator/import/", {"workbook": SimpleUploadedFile("m.xlsx", b"not a zip"), "month": ""})
    assert page.status_code == 200 and 'data-testid="import-report"' not in page.content.decode()
    page = client.post("/regulator/import/", {"workbook": SimpleUploadedFile("m.xlsx", b"x"), "month": "2026-13x"})
    assert page.status_code == 200 and "YYYY-MM" in page.content.decode()


def test_a_further_row_of_a_refused_certificate_is_read_on_its_own():
    cb_settings()
    iso9001()
    valid = {
        "REPORT_TYPE": "01",
        "ISSUE_DATE": "2024-05-01",
        "EXPIRY_DATE": "2027-04-30",
        "DECISION_DATE": "2024-04-28",
    }
    rows = [org(11, **valid, CERT_STATUS="02", SUSPEND_REASON=""), org(11, **valid), org(11, **valid)]
    report = importing.plan_import(data=workbook(rows, []))
    assert [(line.kind, line.action) for line in report.lines] == [
        ("certificate", "refuse"),
        ("certificate", "create"),
        ("certificate", "skip"),
    ]
    assert report.lines[2].reason == "The same row twice in the sheet."
