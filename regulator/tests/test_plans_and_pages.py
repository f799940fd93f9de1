"""The plan sheet (102010), the command, the pages that edit the regulator data."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.tests.factories import UserFactory
from audits.models import TeamRole
from audits.tests.factories import AuditFactory, TeamAssignmentFactory, qualified_profile
from certification.tests.pdf_factories import cb_admin
from core.access import Role
from regulator import selectors, services
from regulator.layouts import layout
from regulator.models import AuditorIdentity, AuditRegistration, ClientRegistration, Submission

from .factories import VALID_CREDIT_CODE, cb_settings, complete_client, identify, reportable

pytestmark = pytest.mark.django_db


def _audit_with_team():
    cb_settings()
    audit = AuditFactory(start_date=datetime.date(2026, 4, 7), end_date=datetime.date(2026, 4, 8))
    complete_client(audit.client)
    member = qualified_profile(user=UserFactory(role=Role.AUDITOR, full_name="李四"), level="auditor")
    leader = qualified_profile(user=UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽"))
    # The member is assigned first: the sheet still puts the leader first.
    TeamAssignmentFactory(audit=audit, profile=member, role=TeamRole.AUDITOR)
    TeamAssignmentFactory(audit=audit, profile=leader, role=TeamRole.LEADER)
    identify(leader, "110101198001011234")
    identify(member, "110101198001015678")
    services.plan_number_assign(audit=audit, by=cb_admin())
    return audit, leader, member


def test_plan_row_lists_the_team_leader_first_with_id_name_role_and_phone():
    audit, leader, member = _audit_with_team()
    preview = selectors.plans_preview(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    plan_layout, rows = preview.sheets[0]
    assert len(rows) == 1
    from regulator.exporter import cells

    row = dict(zip([f.code for f in plan_layout.fields], cells(plan_layout, rows[0]), strict=True))
    assert row["AUDIT_TEAM"] == (
        f"110101198001011234，朱晓丽，01，{leader.phone}；110101198001015678，李四，02，{member.phone}"
    )
    assert row["PLAN_START"] == "2026-04-07 08:00:00"
    assert row["PLAN_END"] == "2026-04-08 17:00:00"
    assert row["PLAN_NUMBER"] == AuditRegistration.objects.get(audit=audit).plan_number
    assert row["PLAN_NUMBER"].startswith("R006900")
    assert row["AUDIT_MODE"] == "FS01"


def test_plan_number_follows_the_cnca_suggestion_and_is_given_once():
    audit, *_ = _audit_with_team()
    first = AuditRegistration.objects.get(audit=audit).plan_number
    assert first == "R00690000001"
    assert services.plan_number_assign(audit=audit, by=cb_admin()).plan_number == first


def test_reported_plan_leaves_the_dashboard_warning():
    audit, *_ = _audit_with_team()
    today = datetime.date(2026, 4, 3)
    assert [a.pk for a in selectors.dashboard(today=today).unreported_plans] == [audit.pk]
    services.submission_export_plans(start=audit.start_date, end=audit.start_date, by=cb_admin(), draft=False)
    assert selectors.dashboard(today=today).unreported_plans == []


def test_the_start_pages_regulator_actions_read_the_plans_of_the_coming_audits_only():
    """The plan sheet's reported items grow every month: only the keys of the audits starting soon
    are read, and the start page does not read the certificates changed since the last export."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit, *_ = _audit_with_team()
    today = datetime.date(2026, 4, 3)
    services.submission_export_plans(start=audit.start_date, end=audit.start_date, by=cb_admin(), draft=False)
    with CaptureQueriesContext(connection) as queries:
        board = selectors.dashboard(today=today, with_changes=False)
    assert board.unreported_plans == [] and board.changed_certificates == []
    item_reads = [q["sql"] for q in queries if "regulator_submissionitem" in q["sql"]]
    assert len(item_reads) == 1 and f"plan:{audit.pk}" in item_reads[0]
    assert not [q for q in queries if "statuschange" in q["sql"]]


def test_dashboard_deadline_state():
    board = selectors.dashboard(today=datetime.date(2026, 4, 10))
    assert board.month == datetime.date(2026, 3, 1) and board.deadline == datetime.date(2026, 4, 10)
    assert not board.overdue
    assert selectors.dashboard(today=datetime.date(2026, 4, 11)).overdue


def test_command_prints_problems_and_writes_the_workbooks(tmp_path):
    cb_admin()
    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    _audit_with_team()
    out = io.StringIO()
    call_command(
        "cnca_export",
        "--month",
        "2026-03",
        "--out",
        str(tmp_path),
        "--plans-from",
        "2026-04-01",
        "--plans-to",
        "2026-04-30",
        stdout=out,
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["cnca-monthly-20260301-20260331.xlsx", "cnca-plans-20260401-20260430.xlsx"]
    book = load_workbook(tmp_path / files[0])
    sheet = book[layout("cnca_103010").sheet]
    assert sheet.cell(row=len(layout("cnca_103010").header) + 1, column=1).value == "CNCA-R-2002-069"
    assert cast.certificate.number in "".join(str(c.value) for c in sheet[sheet.max_row])
    assert Submission.objects.count() == 2


def test_command_refuses_a_month_with_errors(tmp_path):
    cb_admin()
    reportable(issued_on=datetime.date(2026, 3, 5), credit_code=VALID_CREDIT_CODE[:-1] + "0")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("cnca_export", "--month", "2026-03", "--out", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert "ORG_CODE" in out.getvalue()
    assert not list(tmp_path.iterdir())


def test_edit_page_checks_the_credit_code_and_saves_a_valid_one(client):
    admin = cb_admin()
    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    client.force_login(admin)
    url = f"/regulator/data/client/{cast.client.pk}/"
    fields = {"country_code": "156", "capital_currency": "CNY", "industry_code": "65"}
    response = client.post(url, {**fields, "credit_code": VALID_CREDIT_CODE[:-1] + "0"})
    assert response.status_code == 200
    assert ClientRegistration.objects.get(client=cast.client).credit_code == VALID_CREDIT_CODE
    registration = ClientRegistration.objects.get(client=cast.client)
    response = client.post(url, {**fields, "credit_code": VALID_CREDIT_CODE.lower()})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.credit_code == VALID_CREDIT_CODE and registration.industry_code == "65"


def test_id_number_shown_whole_to_an_admin_only():
    cast = reportable(issued_on=datetime.date(2026, 3, 5))
    identity = AuditorIdentity.objects.get(profile=cast.audit.team.get().profile)
    admin, auditor = cb_admin(), UserFactory(role=Role.AUDITOR)
    assert identity.shown_to(admin) == identity.id_number
    assert identity.shown_to(auditor).startswith("*") and identity.id_number not in identity.shown_to(auditor)
    assert not AuditorIdentity.objects.restrict(auditor, "view").exists()


def test_dashboard_lists_submissions_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    admin = cb_admin()
    for _n in range(3):
        services.submission_export_certsearch(by=admin, draft=True)
    client.force_login(admin)
    with django_assert_max_num_queries(40):
        response = client.get("/regulator/")
    assert response.content.decode().count("/download/") == 3
