"""The sheets: golden comparison (expected cells built from the layout file and the records, not by
the exporter), the validation rules at their edges, report types 01–05 with a late event, and an
export run twice changing nothing."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from certification.models import CertificateAction, CertificateStatus, CertificateStatusChange
from certification.tests.factories import withdrawal_reason
from certification.tests.pdf_factories import cb_admin
from regulator import rules, selectors, services
from regulator.layouts import code_table, code_table_names, layout
from regulator.models import AuditorIdentity, ClientRegistration, Submission
from regulator.validation import validate

from .factories import VALID_CREDIT_CODE, reportable

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


# --- pure rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (VALID_CREDIT_CODE, ""),
        (VALID_CREDIT_CODE[:-1] + "0", "checksum"),
        (VALID_CREDIT_CODE + "1", "length"),  # 19 characters
        (VALID_CREDIT_CODE[:-2] + "I3", "characters"),  # I is not in the GB 32100 alphabet
    ],
)
def test_credit_code_checksum(code, problem):
    assert rules.credit_code_problem(code) == problem


def test_formatting_rules():
    assert rules.format_value([" a ", "b\u200b"], type_="VARCHAR2", date_format="date") == "a；b"
    assert rules.format_value("06920 q1 0001", type_="VARCHAR2", date_format="date", upper=True) == "06920Q10001"
    day = datetime.date(2026, 3, 5)
    assert rules.format_value(day, type_="DATE", date_format="date") == "2026-03-05"
    moment = datetime.datetime(2026, 3, 5, 8, 30)
    assert rules.format_value(moment, type_="DATE", date_format="datetime") == "2026-03-05 08:30:00"
    assert rules.format_value(moment, type_="DATE", date_format="datetime_hour") == "2026-03-05 08:00:00"


def test_deadline_is_the_tenth_of_the_following_month():
    assert rules.deadline(datetime.date(2026, 12, 1), day=10) == datetime.date(2027, 1, 10)
    assert rules.is_late(datetime.date(2026, 2, 28), month=MARCH)
    assert not rules.is_late(datetime.date(2026, 3, 1), month=MARCH)


def test_every_code_table_loads_with_its_source_and_every_layout_names_existing_tables():
    for name in code_table_names():
        table = code_table(name)
        assert table.source and table.codes, name
    for key in ("cnca_102010", "cnca_103010", "cnca_103011", "iaf_certsearch"):
        sheet = layout(key)
        assert sheet.source
        for item in sheet.fields:
            if item.codes:
                assert item.codes in code_table_names(), (key, item.code)


# --- validation edges ----------------------------------------------------------------------------


def _cert_problems(**changes):
    row = {"_label": "X", "report_type": "01", **changes}
    return [p for p in validate([(layout("cnca_103010"), [row])]) if p.field in changes.get("_fields", ())]


def _problems(row):
    return validate([(layout("cnca_103010"), [{"report_type": "01", "_label": "X", **row}])])


def _fields(problems):
    return {p.field for p in problems if p.is_error}


def test_bad_checksum_and_nineteen_characters_are_errors():
    assert "ORG_CODE" in _fields(_problems({"credit_code": VALID_CREDIT_CODE[:-1] + "0"}))
    assert "ORG_CODE" in _fields(_problems({"credit_code": VALID_CREDIT_CODE + "1"}))
    assert "ORG_CODE" not in _fields(_problems({"credit_code": VALID_CREDIT_CODE}))


def test_unknown_reason_code_is_an_error_of_a_complete_table():
    assert "SUSPEND_REASON" in _fields(_problems({"suspension_reason": "0198"}))
    assert "SUSPEND_REASON" not in _fields(_problems({"suspension_reason": "0111"}))


def test_decision_date_before_stage_2_end_is_an_error_on_the_day_before_only():
    end = datetime.date(2026, 3, 10)
    assert "DECISION_DATE" in _fields(_problems({"decision_date": end - datetime.timedelta(days=1), "stage2_end": end}))
    assert "DECISION_DATE" not in _fields(_problems({"decision_date": end, "stage2_end": end}))


def test_sub_certificate_may_not_expire_after_its_main():
    main = datetime.date(2029, 3, 1)
    assert "EXPIRY_DATE" in _fields(
        _problems({"expires_on": main + datetime.timedelta(days=1), "_main_expires_on": main})
    )
    assert "EXPIRY_DATE" not in _fields(_problems({"expires_on": main, "_main_expires_on": main}))


def test_result_without_its_certificate_is_an_error():
    result = {"cert_number": "NOPE1", "_label": "李四"}
    problems = validate([(layout("cnca_103010"), []), (layout("cnca_103011"), [result])])
    assert any(p.field == "CERT_NUMBER" and "NOPE1" in p.message for p in problems)
    problems = validate([(layout("cnca_103011"), [result])], reported_certificates=["NOPE1"])
    assert not any(p.field == "CERT_NUMBER" and p.is_error and "NOPE1" in p.message for p in problems)


def test_the_certificate_sheet_has_the_71_columns_with_the_six_from_memory():
    sheet = layout("cnca_103010")
    codes = [f.code for f in sheet.fields]
    assert len(codes) == len(set(codes)) == 71
    for code in ("CB_NAME", "ORG_NAME_EN", "CERT_SCOPE_EN", "AUDIT_MODE", "AUDIT_LEADER", "RESTORE_DATE"):
        assert code in codes
    assert "from memory" in sheet.source


def test_restore_date_before_the_suspension_is_an_error_on_the_day_before_only():
    suspended = datetime.date(2026, 3, 10)
    before = {"suspension_start": suspended, "restore_date": suspended - datetime.timedelta(days=1)}
    assert "RESTORE_DATE" in _fields(_problems(before))
    assert "RESTORE_DATE" not in _fields(_problems({"suspension_start": suspended, "restore_date": suspended}))


def test_unknown_audit_mode_is_an_error():
    assert "AUDIT_MODE" in _fields(_problems({"audit_mode": "FS09"}))
    assert "AUDIT_MODE" not in _fields(_problems({"audit_mode": "FS02"}))


def test_too_long_value_is_an_error():
    assert "BRANCH_CODE" in _fields(_problems({"branch_code": "123"}))


# --- golden file ---------------------------------------------------------------------------------


def _sheet_cells(data, name):
    sheet = load_workbook(io.BytesIO(data))[name]
    return [[("" if c is None else c) for c in row] for row in sheet.iter_rows(values_only=True)]


def test_month_workbook_matches_the_expected_cells_built_from_the_layout_and_records():
    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    admin = cb_admin()
    submission = services.submission_export_month(month=MARCH, by=admin)
    data = submission.file.open("rb").read()
    cert_layout, result_layout = layout("cnca_103010"), layout("cnca_103011")
    certificate = cast.certificate
    leader = cast.audit.team.get()
    identity = AuditorIdentity.objects.get(profile=leader.profile)
    # The expected header: the layout file's rows, as the file states them.
    cells = _sheet_cells(data, cert_layout.sheet)
    assert cells[0] == [f.code for f in cert_layout.fields]
    assert cells[1] == [f.meaning for f in cert_layout.fields]
    assert cells[2] == [f.type for f in cert_layout.fields]
    assert len(cells) == len(cert_layout.header) + 1
    data_row = dict(zip(cells[0], cells[-1], strict=True))
    expected = {
        "CB_APPROVAL_NUMBER": "CNCA-R-2002-069",
        "ORG_NAME": certificate.holder_name_zh,
        "ORG_CODE": VALID_CREDIT_CODE,
        "CERT_NUMBER": certificate.number.upper(),
        "CERT_ITEM_CODE": "A01",
        "ISSUE_DATE": certificate.issued_on.isoformat(),
        "EXPIRY_DATE": certificate.expires_on.isoformat(),
        "CERT_STATUS": "01",
        "REPORT_TYPE": "01",
        "IS_LATE": "0",
        "AUDIT_ACTIVITY": "01",
        "TOTAL_STAFF": 15,
        "CNAS_CODES": "33.02.01",
        "CONTRACT_NUMBER": "HT-2026-001",
        "CONTRACT_AMOUNT": 12000,
        "STAGE2_END": cast.audit.end_date.isoformat(),
        "DECISION_DATE": cast.decision.approved_on.isoformat(),
        "AUDIT_MODE": cast.audit.method,
        "AUDIT_LEADER": leader.name or leader.profile.user.full_name,
        "ORG_NAME_EN": certificate.holder_name_en,
        "RESTORE_DATE": "",
    }
    assert {k: data_row[k] for k in expected} == expected
    results = _sheet_cells(data, result_layout.sheet)
    result = dict(zip(results[0], results[-1], strict=True))
    assert len(results) == len(result_layout.header) + 1
    assert result["CERT_NUMBER"] == certificate.number.upper()
    assert result["AUDIT_STAGE"] == "0102"
    assert result["ID_NUMBER"] == identity.id_number
    assert result["TEAM_ROLE"] == "01"
    assert result["IS_FULL_TIME"] == "1"
    assert result["AUDIT_START"].endswith(":00") and result["AUDIT_START"].startswith(cast.audit.start_date.isoformat())


def test_id_number_is_encrypted_at_rest_and_out_of_history():
    from django.db import connection

    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    identity = AuditorIdentity.objects.get(profile=cast.audit.team.get().profile)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM regulator_auditoridentity WHERE id = %s", [identity.pk])
        stored = cursor.fetchone()[0]
    assert identity.id_number not in stored and stored.startswith("fernet:")
    assert not hasattr(identity.history.model, "id_number") or "id_number" not in [
        f.name for f in identity.history.model._meta.fields
    ]
    assert identity.id_number not in repr(identity) and identity.masked_number.endswith(identity.id_number[-4:])


# --- a month with every report type, a late event, re-running -------------------------------------


def test_month_with_report_types_01_to_05_and_a_late_event():
    from audits.models import AuditStatus, AuditType
    from audits.tests.factories import AuditFactory
    from certification.models import DecisionType
    from certification.tests.factories import CertificateFactory, DecisionFactory

    admin = cb_admin()
    # February: three certificates reported.
    feb = reportable(issued_on=datetime.date(2026, 2, 3))
    feb_reissued = reportable(issued_on=datetime.date(2026, 2, 4))
    feb_changed = reportable(issued_on=datetime.date(2026, 2, 5))
    first = services.submission_export_month(month=datetime.date(2026, 2, 1), by=admin)
    assert first.rows == {"cnca_103010": 3, "cnca_103011": 3}
    # A suspension effective in February, entered after February was reported: late in March (05).
    CertificateStatusChange.objects.create(
        certificate=feb.certificate,
        action=CertificateAction.SUSPEND,
        from_status="01",
        to_status="02",
        effective_on=datetime.date(2026, 2, 20),
        by=admin,
    )
    # March: a new certificate (01) ...
    reportable(issued_on=datetime.date(2026, 3, 5))
    # ... a reissue under the same number (02) ...
    old = feb_reissued.certificate
    CertificateFactory(
        client=old.client,
        programme=old.programme,
        standard=old.standard,
        replaces=old,
        number=old.number,
        reissue=1,
        issued_on=datetime.date(2026, 3, 10),
        expires_on=old.expires_on,
        first_issued_on=old.first_issued_on,
    )
    # ... a surveillance decision (03) ...
    surveillance = AuditFactory(
        client=feb.client,
        programme=feb.programme,
        audit_type=AuditType.SURVEILLANCE_1,
        status=AuditStatus.DECIDED,
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 3),
    )
    DecisionFactory(
        decision_type=DecisionType.MAINTAIN,
        audit=surveillance,
        client=feb.client,
        programme=feb.programme,
        approved=True,
        approved_on=datetime.date(2026, 3, 20),
        certificates=[feb.certificate],
    )
    # ... and an information change of a certificate reported in February (04).
    ClientRegistration.objects.filter(client=feb_changed.client).update(industry_code="64")
    preview = selectors.month_preview(MARCH)
    rows = preview.sheets[0][1]
    assert {row["report_type"] for row in rows} == {"01", "02", "03", "04", "05"}
    late = [row for row in rows if row["late"]]
    assert [(row["report_type"], row["_event_day"]) for row in late] == [("05", datetime.date(2026, 2, 20))]
    march = services.submission_export_month(month=MARCH, by=admin, draft=bool(preview.errors))
    assert not march.draft, [p.message for p in preview.errors]
    cells = _sheet_cells(march.file.open("rb").read(), layout("cnca_103010").sheet)
    late_column = cells[0].index("IS_LATE")
    assert sorted(row[late_column] for row in cells[len(layout("cnca_103010").header) :]) == ["0"] * (len(rows) - 1) + [
        "1"
    ]
    # Re-running changes nothing: the same file, the same submission.
    again = services.submission_export_month(month=MARCH, by=admin)
    assert again.pk == march.pk and again.sha256 == march.sha256
    assert Submission.objects.filter(kind="monthly").count() == 2
    # April: what March reported is not reported again.
    assert selectors.month_preview(datetime.date(2026, 4, 1)).sheets[0][1] == []


def test_information_change_is_report_type_04_next_month():
    admin = cb_admin()
    cast = reportable(issued_on=datetime.date(2026, 2, 3))
    services.submission_export_month(month=datetime.date(2026, 2, 1), by=admin)
    assert selectors.month_preview(MARCH).sheets[0][1] == []
    ClientRegistration.objects.filter(client=cast.client).update(industry_code="64")
    rows = selectors.month_preview(MARCH).sheets[0][1]
    assert [row["report_type"] for row in rows] == ["04"]


def test_export_with_errors_is_refused_unless_draft():
    from django.core.exceptions import ValidationError

    admin = cb_admin()
    reportable(issued_on=datetime.date(2026, 3, 5), credit_code=VALID_CREDIT_CODE[:-1] + "0")
    with pytest.raises(ValidationError):
        services.submission_export_month(month=MARCH, by=admin)
    draft = services.submission_export_month(month=MARCH, by=admin, draft=True)
    assert draft.draft and not draft.items.exists()


def test_certsearch_maps_status_codes():
    admin = cb_admin()
    cast = reportable(issued_on=datetime.date(2026, 3, 5), status=CertificateStatus.VALID)
    submission = services.submission_export_certsearch(by=admin, draft=True)
    cells = _sheet_cells(submission.file.open("rb").read(), "Certificates")
    row = dict(zip(cells[0], cells[-1], strict=True))
    assert row["certificate_number"] == cast.certificate.number.upper()
    assert row["certification_status"] == "active"
    withdrawal_reason()  # the reason table is there for the suspension and withdrawal codes


def test_dashboard_page_shows_the_month_and_problems(client):
    admin = cb_admin()
    reportable(issued_on=datetime.date(2026, 3, 5), credit_code=VALID_CREDIT_CODE[:-1] + "0")
    client.force_login(admin)
    response = client.get("/regulator/?month=2026-03")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="month-problems"' in body and "ORG_CODE" in body
    assert "/regulator/data/client/" in body  # the link that fixes it


def test_a_certificate_transferred_from_another_cb_is_a_reissue_for_reason_0103():
    """IAF MD 2: the certificate we issue on a transfer names the previous CB and its number; the
    month reports it as a reissue (02) for reason 0103."""
    from certification.models import Certificate

    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    Certificate.objects.filter(client=cast.client).update(
        previous_cb="某认证有限公司", previous_certificate_number="00125Q30001R1M", transfer_reason="合并"
    )
    rows = selectors.month_preview(MARCH).sheets[0][1]
    assert [row["report_type"] for row in rows] == ["02"]
    assert (rows[0]["reissue_reason"], rows[0]["previous_cb"], rows[0]["previous_cert_number"]) == (
        "0103",
        "某认证有限公司",
        "00125Q30001R1M",
    )
    assert rows[0]["reissue_date"] == datetime.date(2026, 3, 5)
