"""The staff pages of NCs: the register (filters, export, fixed queries), one NC with its full
history and decision forms, the home-page queues per role, the due-date rules page."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits.tests.factories import AuditFactory, ClauseFactory, DepartmentFactory, UserFactory, iso9001
from core.access import Role
from core.navigation import next_actions_for
from findings import selectors as nc_selectors
from findings import services as nc_services
from findings.models import Nonconformity

from .factories import answer, cast, make_nc, pdf_file

pytestmark = pytest.mark.django_db

D = datetime.date
REGISTER = reverse("findings:nc_register")


@pytest.fixture
def people():
    return cast(audit_type="surveillance_1", start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))


@pytest.fixture
def past(monkeypatch):
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2030, 12, 1))


def rows(response):
    return response.content.decode().count('data-testid="nc-row"')


def test_register_filters(client, people, past):
    admin = people.admin
    audit = people.audit
    other = AuditFactory(audit_type="stage_2")
    sales = DepartmentFactory(client=audit.client, name_zh="销售部")
    c851 = ClauseFactory(standard=iso9001(), number="8.5.1")
    c85 = ClauseFactory(standard=iso9001(), number="8.5")
    c7 = ClauseFactory(standard=iso9001(), number="7.5")
    make_nc(audit, grade="major", clause=c851, department=sales)  # overdue (due 2030-05-04)
    make_nc(audit, grade="minor", clause=c85, status="verified")
    make_nc(audit, grade="observation", clause=c7)
    make_nc(other, grade="minor", clause=c7, due_date=D(2031, 1, 1))
    client.force_login(admin)
    assert rows(client.get(REGISTER)) == 4
    assert rows(client.get(REGISTER, {"client": audit.client_id})) == 3
    assert rows(client.get(REGISTER, {"audit": other.pk})) == 1
    assert rows(client.get(REGISTER, {"grade": "minor"})) == 2
    assert rows(client.get(REGISTER, {"status": "verified"})) == 1
    assert rows(client.get(REGISTER, {"clause": "8.5"})) == 2  # 8.5 and 8.5.1, not 7.5
    assert rows(client.get(REGISTER, {"clause": "8.5.1"})) == 1
    assert rows(client.get(REGISTER, {"department": sales.pk})) == 1
    overdue = client.get(REGISTER, {"overdue": "true"})
    assert rows(overdue) == 1
    html = overdue.content.decode()
    assert 'data-testid="overdue"' in html and 'data-testid="suspension-grounds"' in html
    assert rows(client.get(REGISTER, {"overdue": "false"})) == 3


def test_register_shows_only_what_the_user_may_see(client, people):
    make_nc(people.audit)
    make_nc(AuditFactory())
    client.force_login(people.member)
    assert rows(client.get(REGISTER)) == 1
    client.force_login(people.committee)
    assert rows(client.get(REGISTER)) == 2


def test_client_users_use_the_portal_not_the_register(client, people):
    nc = make_nc(people.audit)
    client.force_login(people.client_user)
    assert client.get(REGISTER).status_code == 403
    assert client.get(reverse("findings:nc_detail", args=[nc.pk])).status_code == 403


def test_register_exports_to_excel_and_csv_with_the_filter(client, people, past):
    make_nc(people.audit, grade="major", statement='=HYPERLINK("http://evil")')
    make_nc(people.audit, grade="minor", status="closed", statement="文件未受控")
    client.force_login(people.admin)
    response = client.get(REGISTER, {"grade": "major", "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 2  # header + the major
    header, row = values
    assert row[header.index("Grade")] == "Major nonconformity"
    assert row[header.index("Overdue")] == "yes"
    assert row[header.index("Statement of nonconformity")].startswith("'=")  # never a formula
    assert sheet.cell(row=2, column=header.index("Statement of nonconformity") + 1).data_type == "s"
    response = client.get(REGISTER, {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 3 and "文件未受控" in text


@pytest.mark.parametrize("count", [1, 6])
def test_register_runs_a_fixed_number_of_queries(client, people, django_assert_num_queries, count):
    for _ in range(count):
        make_nc(
            people.audit,
            clause=ClauseFactory(standard=iso9001()),
            department=DepartmentFactory(client=people.audit.client),
        )
    client.force_login(people.admin)
    # session, user, count, page: the filter's choices are not rendered (core.autocomplete)
    with django_assert_num_queries(4):
        response = client.get(REGISTER)
    assert rows(response) == count


def test_nc_page_shows_the_full_history(client, people):
    nc = make_nc(people.audit, raised_by=people.member, statement="手册版本不一致")
    answer(nc, people.client_user, correction="第一次", files=[pdf_file("记录.pdf")])
    nc_services.nonconformity_reject(nc=nc, by=people.member, reason="缺少培训记录")
    answer(nc, people.client_user, correction="第二次")
    client.force_login(people.committee)
    html = client.get(reverse("findings:nc_detail", args=[nc.pk])).content.decode()
    for text in ("手册版本不一致", "第一次", "第二次", "缺少培训记录", "记录.pdf"):
        assert text in html
    assert html.count('data-testid="nc-round"') == 2
    assert html.count('data-testid="nc-transition"') == 3
    assert 'data-testid="verify-form"' not in html  # the committee reads only


def test_auditor_verifies_and_leader_closes_through_the_pages(client, people):
    nc = make_nc(people.audit)
    answer(nc, people.client_user)
    nc.refresh_from_db()
    client.force_login(people.member)
    page = client.get(reverse("findings:nc_detail", args=[nc.pk])).content.decode()
    assert 'data-testid="verify-form"' in page and 'data-testid="closure-form"' not in page
    response = client.post(
        reverse("findings:nc_verify", args=[nc.pk]),
        {"decision": "accept", "method": "documents", "note": "", "version": nc.version},
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "verified"
    client.force_login(people.member)
    client.post(reverse("findings:nc_closure", args=[nc.pk]), {"decision": "approve", "version": nc.version})
    nc.refresh_from_db()
    assert nc.status == "verified"  # a member cannot close
    client.force_login(people.leader)
    client.post(reverse("findings:nc_closure", args=[nc.pk]), {"decision": "approve", "version": nc.version})
    nc.refresh_from_db()
    assert nc.status == "closed"


def test_rejecting_without_a_reason_shows_the_rule(client, people):
    nc = make_nc(people.audit)
    answer(nc, people.client_user)
    client.force_login(people.leader)
    response = client.post(
        reverse("findings:nc_verify", args=[nc.pk]),
        {"decision": "reject", "note": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Say why the response is rejected" in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "responded"


def test_other_auditors_get_404_for_the_nc_and_its_file(client, people):
    nc = make_nc(people.audit)
    response = answer(nc, people.client_user, files=[pdf_file()])
    client.force_login(people.outsider)
    assert client.get(reverse("findings:nc_detail", args=[nc.pk])).status_code == 404
    assert (
        client.post(
            reverse("findings:nc_verify", args=[nc.pk]), {"decision": "accept", "method": "documents"}
        ).status_code
        == 404
    )
    assert client.get(reverse("findings:nc_evidence", args=[response.files.get().pk])).status_code == 404


def test_other_auditors_get_404_for_the_closure_too(client, people):
    nc = make_nc(people.audit)
    answer(nc, people.client_user)
    nc.refresh_from_db()
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents", note="", version=nc.version)
    nc.refresh_from_db()
    client.force_login(people.outsider)
    response = client.post(reverse("findings:nc_closure", args=[nc.pk]), {"decision": "approve", "version": nc.version})
    assert response.status_code == 404
    nc.refresh_from_db()
    assert nc.status == "verified"


def test_a_team_member_who_may_not_close_is_told_why(client, people):
    nc = make_nc(people.audit)
    answer(nc, people.client_user)
    nc.refresh_from_db()
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents", note="", version=nc.version)
    nc.refresh_from_db()
    client.force_login(people.member)
    response = client.post(
        reverse("findings:nc_closure", args=[nc.pk]),
        {"decision": "approve", "version": nc.version},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Only the audit&#x27;s team leader may approve or reject a closure." in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "verified"


def test_evidence_downloads_for_the_team(client, people):
    nc = make_nc(people.audit)
    response = answer(nc, people.client_user, files=[pdf_file("整改证据.pdf")])
    client.force_login(people.member)
    download = client.get(reverse("findings:nc_evidence", args=[response.files.get().pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


# --- home page ----------------------------------------------------------------------------------


def kinds(user):
    return [a.meta.get("kind") for a in next_actions_for(user) if str(a.meta.get("kind", "")).startswith("nc_")]


def test_home_actions_per_role(people, past):
    to_answer_late = make_nc(people.audit)  # due 2030-06-03: overdue on 2030-12-01
    to_answer_later = make_nc(people.audit, due_date=D(2031, 1, 1))
    responded = make_nc(people.audit)
    answer(responded, people.client_user)
    verified = make_nc(people.audit)
    answer(verified, people.client_user)
    nc_services.nonconformity_accept(nc=verified, by=people.member, method="documents")

    client_actions = [a for a in next_actions_for(people.client_user) if a.meta.get("kind") == "nc_answer"]
    assert [a.meta["nc"] for a in client_actions] == [to_answer_late.pk, to_answer_later.pk]  # overdue first
    assert client_actions[0].urgent and not client_actions[1].urgent
    assert kinds(people.member) == ["nc_verify"]
    assert sorted(kinds(people.leader)) == ["nc_close", "nc_verify"]
    assert kinds(people.expert) == []
    assert kinds(people.committee) == ["nc_suspension", "nc_suspension"]  # surveillance, overdue
    assert kinds(people.admin) == ["nc_overdue"]
    assert kinds(people.other_client_user) == []


def test_committee_sees_an_overdue_surveillance_nc_as_grounds_for_suspension(client, people, past):
    overdue = make_nc(people.audit, statement="监督审核不符合逾期")  # due 2030-06-03
    on_time = make_nc(people.audit, due_date=D(2031, 1, 1))
    client.force_login(people.committee)
    home = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The committee's start page lists it in its own section (dashboard).
    assert 'data-testid="committee-suspension"' in home and f'data-nc="{overdue.pk}"' in home
    assert f'href="{reverse("findings:nc_detail", args=[overdue.pk])}"' in home
    assert f'href="{reverse("findings:nc_detail", args=[on_time.pk])}"' not in home
    page = client.get(reverse("findings:nc_detail", args=[overdue.pk])).content.decode()
    assert 'data-testid="suspension-grounds"' in page
    register = client.get(REGISTER, {"overdue": "true"})
    assert rows(register) == 1 and 'data-testid="suspension-grounds"' in register.content.decode()
    # Accepted by the auditor, it is no longer overdue: the flag goes.
    answer(overdue, people.client_user)
    nc_services.nonconformity_accept(nc=overdue, by=people.member, method="documents")
    home = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-nc="{overdue.pk}"' not in home
    # The client's portal never shows the committee's flag.
    late = make_nc(people.audit)
    client.force_login(people.client_user)
    portal = client.get(reverse("clients:portal_nc", args=[late.pk])).content.decode()
    assert 'data-testid="suspension-grounds"' not in portal


def test_stage_2_major_pages_show_the_six_month_limit_and_then_the_new_stage_2(client, monkeypatch):
    audit = AuditFactory(audit_type="stage_2", start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    major = make_nc(audit, grade="major")
    minor = make_nc(audit, grade="minor")
    client.force_login(UserFactory(role=Role.COMMITTEE))
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2030, 4, 1))
    page = client.get(reverse("findings:nc_detail", args=[major.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        'data-testid="stage2-limit"' in page
        and "If its correction and corrective action are not verified by 2030-09-05" in page
    )
    assert (
        'data-testid="stage2-limit"' not in client.get(reverse("findings:nc_detail", args=[minor.pk])).content.decode()
    )
    assert 'data-testid="new-stage2"' not in client.get(REGISTER).content.decode()
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2030, 9, 6))
    page = client.get(reverse("findings:nc_detail", args=[major.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a new stage 2 audit is required before certification can be recommended" in page
    register = client.get(REGISTER).content.decode()
    assert register.count('data-testid="new-stage2"') == 1


def test_committee_is_not_told_about_overdue_stage_2_ncs(past):
    committee = UserFactory(role=Role.COMMITTEE)
    make_nc(AuditFactory(audit_type="stage_2", start_date=D(2030, 3, 4), end_date=D(2030, 3, 5)))
    assert kinds(committee) == []


# --- due-date rules page ------------------------------------------------------------------------


def test_admin_sets_a_due_date_rule_on_its_page(client):
    admin = UserFactory(role=Role.CB_ADMIN)
    client.force_login(admin)
    url = reverse("findings:nc_due_rules")
    assert "90" in client.get(url).content.decode()
    response = client.post(url, {"grade": "minor", "audit_type": "surveillance_1", "days": "30", "source": "QP-12"})
    assert response.status_code == 302
    assert nc_selectors.due_days_for_audit_type("surveillance_1") == {"minor": 30, "major": 60}
    assert nc_selectors.due_days_for_audit_type("stage_2") == {"minor": 90, "major": 60}
    assert Nonconformity.objects.count() == 0
