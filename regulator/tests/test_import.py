"""Import of past workbooks: the dry run lists create/skip/refuse; the import creates the records
as imported history; the export of an imported certificate gives the workbook's cells back."""

import datetime
import io

import pytest
from openpyxl import Workbook

from audits.tests.factories import iso9001
from certification.models import Certificate
from certification.tests.pdf_factories import cb_admin
from regulator import importing, services
from regulator.layouts import layout
from regulator.models import ClientRegistration

from .factories import VALID_CREDIT_CODE

pytestmark = pytest.mark.django_db


def certificate_workbook(rows=None):
    """A 103010 workbook written by hand from the layout file (not by the exporter)."""
    sheet_layout = layout("cnca_103010")
    iso9001()
    default = {
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "ORG_NAME": "中食互联（北京）科技有限公司",
        "ORG_CODE": VALID_CREDIT_CODE,
        "INDUSTRY_CODE": "65",
        "REGION_CODE": "110108",
        "ORG_TYPE": "04",
        "REG_ADDRESS": "北京市朝阳区测试路1号",
        "TOTAL_STAFF": 15,
        "COVERED_STAFF": 15,
        "CERT_NUMBER": "06920Q10001R0S",
        "CERT_ITEM_CODE": "A01",
        "STANDARD": "GB/T 19001-2016/ISO 9001:2015",
        "CERT_SCOPE": "基础软件服务",
        "AUDIT_ACTIVITY": "01",
        "STAGE2_END": "2020-01-10",
        "DECISION_MAKERS": "王评定；王建国",
        "DECISION_DATE": "2020-01-21",
        "ISSUE_DATE": "2020-01-21",
        "EXPIRY_DATE": "2023-01-20",
        "CERT_STATUS": "05",
    }
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_layout.sheet
    for name in sheet_layout.header:
        sheet.append([item.header_cell(name) for item in sheet_layout.fields])
    for values in rows if rows is not None else [default]:
        merged = {**default, **values}
        sheet.append([merged.get(item.code, "") for item in sheet_layout.fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_dry_run_lists_create_skip_and_refuse_without_writing():
    data = certificate_workbook(
        [
            {},
            {"CERT_NUMBER": "06920Q10001R0S"},  # the same number twice: skipped
            {"CERT_NUMBER": "X2", "ORG_CODE": VALID_CREDIT_CODE[:-1] + "0"},  # bad checksum
            {"CERT_NUMBER": "X3", "STANDARD": "ISO 99999:2099"},
            {"CERT_NUMBER": "X4", "DECISION_DATE": "2020-02-01"},  # after the issue date
        ]
    )
    report = importing.plan_import(data=data)
    assert [line.action for line in report.lines] == ["create", "skip", "refuse", "refuse", "refuse"]
    assert "checksum" in report.lines[2].reason
    assert Certificate.objects.count() == 0


def test_import_creates_imported_history_and_a_second_import_skips():
    admin = cb_admin()
    data = certificate_workbook()
    report = services.workbook_import(data=data, source="2020.xlsx", by=admin)
    assert report.applied and report.count("create") == 1
    certificate = Certificate.objects.get(number="06920Q10001R0S")
    assert certificate.imported and certificate.import_source == "2020.xlsx"
    assert certificate.issued_on == datetime.date(2020, 1, 21)
    assert certificate.status == "05"
    assert ClientRegistration.objects.get(client=certificate.client).credit_code == VALID_CREDIT_CODE
    again = importing.plan_import(data=data)
    assert [line.action for line in again.lines] == ["skip"]


def test_imported_certificate_exports_the_cells_it_was_read_from():
    from regulator import collect, exporter

    admin = cb_admin()
    data = certificate_workbook()
    services.workbook_import(data=data, source="2020.xlsx", by=admin)
    certificate = Certificate.objects.get(number="06920Q10001R0S")
    row = collect.certificate_rows(Certificate.objects.filter(pk=certificate.pk))[0]
    sheet_layout = layout("cnca_103010")
    cells = dict(zip([f.code for f in sheet_layout.fields], exporter.cells(sheet_layout, row), strict=True))
    read = exporter.read_rows(data, sheet_layout)[0]
    for code in (
        "ORG_NAME",
        "ORG_CODE",
        "CERT_NUMBER",
        "CERT_ITEM_CODE",
        "STANDARD",
        "CERT_SCOPE",
        "ISSUE_DATE",
        "EXPIRY_DATE",
        "CERT_STATUS",
        "DECISION_DATE",
        "INDUSTRY_CODE",
        "REGION_CODE",
        "ORG_TYPE",
        "TOTAL_STAFF",
        "REG_ADDRESS",
    ):
        assert cells[code] == read[code], code


def _plain_workbook():
    book = Workbook()
    clients = book.active
    clients.title = "受审核方"
    clients.append(["组织名称", "统一社会信用代码", "注册地址", "法定代表人", "人数"])
    clients.append(["北京新客户有限公司", VALID_CREDIT_CODE, "北京市东城区1号", "赵六", 30])
    clients.append(["校验错误有限公司", VALID_CREDIT_CODE[:-1] + "0", "北京市东城区2号", "钱七", 10])
    auditors = book.create_sheet("审核员")
    auditors.append(["姓名", "CCAA注册号", "证件类型", "证件号码"])
    auditors.append(["朱晓丽", "2018-N1QMS-2205805", "01", "110101198001011234"])
    auditors.append(["无此人", "2018-N1QMS-9999999", "01", "110101198001015678"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_plain_client_and_auditor_lists_dry_run_then_import():
    from accounts.tests.factories import UserFactory
    from audits.tests.factories import qualified_profile
    from core.access import Role
    from regulator.models import AuditorIdentity

    profile = qualified_profile(user=UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽"))
    type(profile).objects.filter(pk=profile.pk).update(registration_number="2018-N1QMS-2205805")
    data = _plain_workbook()
    report = importing.plan_import(data=data)
    assert [(line.kind, line.action) for line in report.lines] == [
        ("client", "create"),
        ("client", "refuse"),
        ("auditor", "create"),
        ("auditor", "refuse"),
    ]
    services.workbook_import(data=data, source="lists.xlsx", by=cb_admin())
    registration = ClientRegistration.objects.get(client__name_zh="北京新客户有限公司")
    assert registration.credit_code == VALID_CREDIT_CODE and registration.client.sites.count() == 1
    assert AuditorIdentity.objects.get(profile=profile).id_number == "110101198001011234"
    assert [line.action for line in importing.plan_import(data=data).lines] == ["skip", "refuse", "skip", "refuse"]


# --- the result sheet (103011) -------------------------------------------------------------------


def workbook_with_results(result_rows, certificate_rows=None):
    """The certificate workbook above with a 103011 sheet written by hand from its layout file."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(certificate_workbook(certificate_rows)))
    sheet_layout = layout("cnca_103011")
    sheet = book.create_sheet(sheet_layout.sheet)
    for name in sheet_layout.header:
        sheet.append([item.header_cell(name) for item in sheet_layout.fields])
    default = {
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "CERT_NUMBER": "06920Q10001R0S",
        "AUDIT_STAGE": "0102",
        "AUDIT_START": "2020-01-09 08:30:00",
        "AUDIT_END": "2020-01-10 17:00:00",
        "PERSON_NAME": "朱晓丽",
        "ID_TYPE": "01",
        "ID_NUMBER": "110101198001011234",
        "TEAM_ROLE": "01",
        "QUALIFICATION": "01",
        "IS_PROFESSIONAL": "1",
        "IS_FULL_TIME": "1",
        "IS_WITNESS": "0",
    }
    for values in result_rows:
        merged = {**default, **values}
        sheet.append([merged.get(item.code, "") for item in sheet_layout.fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _known_auditor(number="110101198001011234", name="朱晓丽"):
    from accounts.tests.factories import UserFactory
    from audits.tests.factories import qualified_profile
    from core.access import Role

    from .factories import identify

    profile = qualified_profile(user=UserFactory(role=Role.TEAM_LEADER, full_name=name))
    identify(profile, number)
    return profile


def _result_lines(report):
    return [(line.action, line.reason) for line in report.lines if line.kind == "result"]


def test_result_sheet_dry_run_lists_create_skip_and_refuse_without_writing():
    from audits.models import Audit, TeamAssignment

    _known_auditor()
    data = workbook_with_results(
        [
            {"AUDIT_STAGE": "0101", "AUDIT_START": "2019-12-16 08:30:00", "AUDIT_END": "2019-12-16 17:00:00"},
            {},
            {},  # the same person and stage twice: skipped
            {"ID_NUMBER": "110101198001019999", "PERSON_NAME": "无此人"},  # unknown person
            {"AUDIT_STAGE": "0909"},  # not a stage code
            {"TEAM_ROLE": "07"},  # not a role code
            {"CERT_NUMBER": "NOPE1"},  # neither present nor in the certificate sheet
            {"AUDIT_END": "2020-01-08 17:00:00"},  # ends before it starts
        ]
    )
    before = (Audit.objects.count(), TeamAssignment.objects.count())
    lines = _result_lines(importing.plan_import(data=data))
    assert [action for action, _ in lines] == [
        "create",
        "create",
        "skip",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
    ]
    assert "auditor list" in lines[3][1] and "stage code" in lines[4][1] and "certificate sheet" in lines[6][1]
    assert (Audit.objects.count(), TeamAssignment.objects.count()) == before


def test_result_sheet_import_puts_the_team_on_the_past_audits_with_their_days():
    from audits.models import AuditType, TeamRole

    profile = _known_auditor()
    data = workbook_with_results(
        [
            {"AUDIT_STAGE": "0101", "AUDIT_START": "2019-12-16 08:30:00", "AUDIT_END": "2019-12-16 17:00:00"},
            {},
        ]
    )
    report = services.workbook_import(data=data, source="2020.xlsx", by=cb_admin())
    assert report.count("refuse") == 0
    certificate = Certificate.objects.get(number="06920Q10001R0S")
    audits = {a.audit_type: a for a in certificate.programme.audits.all()}
    assert audits[AuditType.STAGE_1].start_date == datetime.date(2019, 12, 16)
    assert (audits[AuditType.STAGE_2].start_date, audits[AuditType.STAGE_2].end_date) == (
        datetime.date(2020, 1, 9),
        datetime.date(2020, 1, 10),
    )
    for audit in audits.values():
        assert audit.imported
        assert [(a.profile_id, a.role) for a in audit.team.all()] == [(profile.pk, TeamRole.LEADER)]
    again = importing.plan_import(data=data)
    assert [line.action for line in again.lines] == ["skip", "skip", "skip"]


def test_result_rows_of_a_certificate_already_present_are_refused_when_no_audit_matches():
    admin = cb_admin()
    services.workbook_import(data=certificate_workbook(), source="2020.xlsx", by=admin)
    _known_auditor()
    data = workbook_with_results([{"AUDIT_START": "2020-01-02 08:30:00"}])
    lines = _result_lines(importing.plan_import(data=data))
    assert lines[0][0] == "refuse" and "starts on 2020-01-02" in lines[0][1]
