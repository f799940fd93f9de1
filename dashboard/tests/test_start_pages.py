"""Each role's start page: the right items for a fixture with known counts, nothing of
another organisation for a client, and a fixed number of queries whatever the size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, AuditType, TeamRole
from audits.tests.factories import AuditFactory, ProgrammeFactory, TeamAssignmentFactory, qualified_profile
from certification.models import CertificateStatus
from certification.tests.factories import CertificateFactory, CommitteeFlagFactory, committee_user
from core.access import Role
from core.dates import local_today
from dashboard.selectors import LIMIT, other_actions, start_page
from findings.models import Nonconformity
from findings.tests.factories import cast, make_nc

pytestmark = pytest.mark.django_db

URL = reverse("accounts:home")


def page_of(client, user):
    client.force_login(user)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def queries_of(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


# --- client ------------------------------------------------------------------------------


def test_client_sees_its_certificates_next_audit_and_ncs_and_nothing_of_another(client):
    c = cast(status=AuditStatus.REPORT_DRAFTED)
    today = local_today()
    for i in range(3):
        make_nc(c.audit, due_date=today + datetime.timedelta(days=10 + i))
    make_nc(c.audit, status="closed")
    mine = CertificateFactory(client=c.audit.client)
    theirs = CertificateFactory()
    other_audit = AuditFactory(client=theirs.client)
    make_nc(other_audit)
    AuditFactory(
        client=c.audit.client,
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=21),
    )

    page = start_page(c.client_user)["client"]
    assert [cert.number for cert in page["certificates"].rows] == [mine.number]
    assert page["ncs"].total == 3 and len(page["ncs"].rows) == 3
    assert page["ncs"].rows[0].days_left == 10
    assert page["next_audit"].start_date == today + datetime.timedelta(days=20)

    html = page_of(client, c.client_user).content.decode()
    assert mine.number in html and theirs.number not in html
    assert theirs.client.name_zh not in html
    assert "10 days left" in html


def test_client_nc_list_is_bounded_with_its_count(client):
    c = cast(status=AuditStatus.REPORT_DRAFTED)
    for _i in range(LIMIT + 3):
        make_nc(c.audit)
    page = start_page(c.client_user)["client"]
    assert len(page["ncs"].rows) == LIMIT and page["ncs"].total == LIMIT + 3
    html = page_of(client, c.client_user).content.decode()
    assert f"{LIMIT} of {LIMIT + 3} shown" in html


# --- auditor / team leader ---------------------------------------------------------------


def test_team_leader_sees_audits_answers_to_verify_and_closures(client):
    c = cast(status=AuditStatus.REPORT_DRAFTED)
    today = local_today()
    profile = c.leader.auditor_profile
    for i in range(3):
        audit = AuditFactory(
            start_date=today + datetime.timedelta(days=5 + i), end_date=today + datetime.timedelta(days=6 + i)
        )
        TeamAssignmentFactory(audit=audit, profile=profile, role=TeamRole.LEADER)
    make_nc(c.audit, status="responded", due_date=today + datetime.timedelta(days=4))
    make_nc(c.audit, status="responded", due_date=today - datetime.timedelta(days=2))
    make_nc(c.audit, status="verified")
    make_nc(c.audit, status="open")

    page = start_page(c.leader)["auditor"]
    assert page["audits"].total == 3
    assert [a.days_left for a in page["audits"].rows] == [5, 6, 7]
    assert page["to_verify"].total == 2 and [nc.days_left for nc in page["to_verify"].rows] == [-2, 4]
    assert page["to_approve"].total == 1
    # An auditor not on the audit sees none of it.
    outsider = start_page(c.outsider)["auditor"]
    assert outsider["to_verify"].total == 0 and outsider["to_approve"].total == 0

    html = page_of(client, c.leader).content.decode()
    assert "2 days overdue" in html and "Answers to verify" in html


# --- committee ---------------------------------------------------------------------------


def test_committee_sees_flags_and_suspension_grounds_with_counts(client):
    member = committee_user()
    flags = [CommitteeFlagFactory() for _i in range(2)]
    audit = AuditFactory(audit_type=AuditType.SURVEILLANCE_1, status=AuditStatus.REPORT_DRAFTED)
    for _i in range(LIMIT + 1):
        make_nc(audit, due_date=local_today() - datetime.timedelta(days=3))
    page = start_page(member)["committee"]
    assert page["flags"].total == 2 and {f.pk for f in page["flags"].rows} == {f.pk for f in flags}
    assert page["flags"].rows[0].age == 1
    assert page["suspension_ncs"].total == LIMIT + 1 and len(page["suspension_ncs"].rows) == LIMIT
    html = page_of(client, member).content.decode()
    assert "Matters raised by the daily check" in html and "waiting 1 day" in html


# --- CB administrator --------------------------------------------------------------------


def test_admin_figures_equal_the_database(client):
    admin = UserFactory(role=Role.CB_ADMIN)
    for status, n in ((AuditStatus.PLANNED, 3), (AuditStatus.IN_PROGRESS, 2), (AuditStatus.SUBMITTED, 1)):
        for _i in range(n):
            AuditFactory(status=status)
    CertificateFactory()
    CertificateFactory(status=CertificateStatus.SUSPENDED)
    audit = AuditFactory(status=AuditStatus.REPORT_DRAFTED)
    make_nc(audit, grade="major")
    old = make_nc(audit, grade="minor")
    Nonconformity.objects.filter(pk=old.pk).update(raised_at=old.raised_at - datetime.timedelta(days=45))
    make_nc(audit, grade="minor", status="closed")

    page = start_page(admin)["admin"]
    pipeline = {stage.key: stage.count for stage in page["pipeline"]}
    # The certificates' factory plans their own audits: count what the database holds.
    from audits.models import Audit

    assert pipeline["planned"] == Audit.objects.filter(status=AuditStatus.PLANNED).count() >= 3
    assert pipeline["in_progress"] == 2
    assert pipeline["reports"] == 2  # one submitted, one drafted
    by_status = {row["status"]: row["count"] for row in page["certificates_by_status"]}
    assert by_status[CertificateStatus.VALID] == 1 and by_status[CertificateStatus.SUSPENDED] == 1
    assert sum(row["count"] for row in page["certificates_by_standard"]) == 2
    ageing = {row["grade"]: row["counts"] for row in page["nc_ageing"]["grades"]}
    assert ageing["major"] == [1, 0, 0, 0] and ageing["minor"] == [0, 1, 0, 0]
    assert page["cnca"]["deadline"].day == 10

    html = page_of(client, admin).content.decode()
    assert 'data-stage="in_progress" data-count="2"' in html


def test_admin_tables_and_charts_show_the_same_counts_and_a_sub_certificate_once(client):
    """The section's tables come from the charts beside them: one number per question. A
    sub-certificate (one site of its main certificate) is not a certificate of its own; an
    observation is not a nonconformity (ISO/IEC 17021-1 9.4.9)."""
    admin = UserFactory(role=Role.CB_ADMIN)
    main = CertificateFactory()
    CertificateFactory(client=main.client, programme=main.programme, main_certificate=main, number=f"{main.number}-1")
    audit = AuditFactory(status=AuditStatus.REPORT_DRAFTED)
    make_nc(audit, grade="major")
    make_nc(audit, grade="observation")

    page = start_page(admin)["admin"]
    charts = {figure.name: figure for figure in page["charts"]}
    by_status = {row["status"]: row["count"] for row in page["certificates_by_status"]}
    assert by_status[CertificateStatus.VALID] == 1
    assert [row["count"] for row in page["certificates_by_status"]] == charts["certificates-by-status"].series[0].values
    assert page["certificates_by_standard"] == [{"standard": charts_label(main), "count": 1}]
    ageing = {row["grade"]: row["counts"] for row in page["nc_ageing"]["grades"]}
    assert set(ageing) == {"major", "minor"} and ageing["major"] == [1, 0, 0, 0]
    assert [row["counts"] for row in page["nc_ageing"]["grades"]] == [s.values for s in charts["nc-ageing"].series]
    html = page_of(client, admin).content.decode()
    assert html.count("<svg") == 4 and 'data-testid="figure-auditor-days"' in html


def charts_label(certificate):
    return f"{certificate.standard.code}:{certificate.standard.edition}"


def test_the_pipeline_counts_an_audit_with_two_open_decisions_once():
    from certification.tests.factories import DecisionFactory

    admin = UserFactory(role=Role.CB_ADMIN)
    audit = AuditFactory(status=AuditStatus.TECHNICAL_REVIEW)
    DecisionFactory(audit=audit)
    DecisionFactory(audit=audit)
    AuditFactory(status=AuditStatus.TECHNICAL_REVIEW)
    stages = {stage.key: stage.count for stage in start_page(admin)["admin"]["pipeline"]}
    assert stages["decision"] == 1 and stages["review"] == 1


def test_admin_due_counts_follow_the_programme_rules():
    """CNCA: surveillance 1 within 12 months of the issue date; recertification by the expiry."""
    admin = UserFactory(role=Role.CB_ADMIN)
    today = local_today()

    def programme(issued, **kwargs):
        return ProgrammeFactory(rule_set="cnca", decision_on=issued, certificate_issued_on=issued, **kwargs)

    year_ago = today.replace(year=today.year - 1)
    programme(year_ago - datetime.timedelta(days=3))  # surveillance 1 overdue by ~3 days
    programme(year_ago + datetime.timedelta(days=20))  # due within 30 days
    programme(year_ago + datetime.timedelta(days=45))  # due in 31–60 days
    programme(year_ago + datetime.timedelta(days=200))  # not within 90 days
    done = programme(year_ago - datetime.timedelta(days=40))  # surveillance 1 done: next is 12 months later
    AuditFactory(
        programme=done,
        client=done.client,
        audit_type=AuditType.SURVEILLANCE_1,
        status=AuditStatus.CLOSED,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=59),
    )
    programme(today.replace(year=today.year - 3), expires_on=today + datetime.timedelta(days=70))

    section = start_page(admin)["admin"]["due"]
    due = {row["kind"]: row for row in section["rows"]}
    assert due["surveillance"]["overdue"] == 2  # the last one never had its surveillance 1 either
    assert due["surveillance"]["buckets"] == [1, 1, 0]
    assert due["recertification"]["overdue"] == 0 and due["recertification"]["buckets"] == [0, 0, 1]


def test_admin_sees_the_most_urgent_programmes_as_the_programme_list_orders_them():
    """Overdue first, then by due date, within the last horizon (90 days): the first rows of the
    programme list the section links to."""
    admin = UserFactory(role=Role.CB_ADMIN)
    today = local_today()
    year_ago = today.replace(year=today.year - 1)
    for days in (200, 45, -3, 20, 60, -40, 89):  # surveillance 1 due 12 months after the issue
        issued = year_ago + datetime.timedelta(days=days)
        # A programme taken over after its initial audit (a transfer): its surveillance has a date.
        ProgrammeFactory(
            rule_set="cnca", decision_on=issued, certificate_issued_on=issued, starts_with_initial_audit=False
        )
    urgent = start_page(admin)["admin"]["due"]["urgent"]
    days_left = [p.days_left for p in urgent]
    assert len(urgent) == LIMIT and days_left == sorted(days_left)
    assert days_left[0] < 0 and days_left[1] < 0 and all(d <= 90 for d in days_left)


# --- a fixed number of queries at two sizes, per role --------------------------------------


def _grow_client(c, n):
    for _i in range(n):
        make_nc(c.audit)
        AuditFactory(client=c.audit.client)


def _grow_auditor(c, n):
    profile = c.leader.auditor_profile
    for _i in range(n):
        make_nc(c.audit, status="responded")
        make_nc(c.audit, status="verified")
        TeamAssignmentFactory(audit=AuditFactory(), profile=profile, role=TeamRole.LEADER)


def _grow_committee(c, n):
    audit = AuditFactory(audit_type=AuditType.SURVEILLANCE_1, status=AuditStatus.REPORT_DRAFTED)
    for _i in range(n):
        make_nc(audit, due_date=local_today() - datetime.timedelta(days=3))


def _grow_admin(c, n):
    for i in range(n):
        make_nc(c.audit, grade="major" if i % 2 else "minor")
        issued = local_today().replace(year=local_today().year - 1) + datetime.timedelta(days=i)
        ProgrammeFactory(rule_set="cnca", decision_on=issued, certificate_issued_on=issued)


ROLES = {
    "client": ("client_user", _grow_client),
    "team_leader": ("leader", _grow_auditor),
    "committee": ("committee", _grow_committee),
    "admin": ("admin", _grow_admin),
}


@pytest.mark.parametrize("role", ROLES)
def test_queries_do_not_grow_with_the_data(client, role):
    who, grow = ROLES[role]
    small = cast(status=AuditStatus.REPORT_DRAFTED)
    grow(small, 3)
    small_count = queries_of(client, small[who])
    large = cast(status=AuditStatus.REPORT_DRAFTED)
    grow(large, 60)
    assert queries_of(client, large[who]) == small_count
    assert small_count <= EXPECTED_MAX_QUERIES[role]


# What each page costs (session, user, the menu, the sections, the next actions of every app).
EXPECTED_MAX_QUERIES = {"client": 40, "team_leader": 40, "committee": 40, "admin": 60}


def test_every_role_page_renders_in_chinese(client):
    c = cast(status=AuditStatus.REPORT_DRAFTED)
    for user in (c.client_user, c.leader, c.member, c.committee, c.admin):
        client.force_login(user)
        html = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'data-testid="home-title"' in html


def test_a_leader_profile_is_needed_for_the_auditor_section():
    leader = qualified_profile(role=Role.TEAM_LEADER).user
    assert start_page(leader)["sections"] == ["auditor"]


# --- what a page must not say --------------------------------------------------------------


def test_a_certificate_no_longer_in_force_has_no_next_audit_due(client):
    c = cast(status=AuditStatus.REPORT_DRAFTED)
    expired = CertificateFactory(client=c.audit.client, status=CertificateStatus.EXPIRED)
    valid = CertificateFactory(client=c.audit.client)
    rows = {cert.pk: cert for cert in start_page(c.client_user)["client"]["certificates"].rows}
    assert rows[expired.pk].next_due is None and rows[expired.pk].days_left is None
    assert rows[valid.pk].next_due is not None


def test_the_daily_checks_matters_are_listed_once_for_an_administrator_in_the_committee(client):
    admin = UserFactory(role=Role.CB_ADMIN)
    CommitteeFlagFactory()
    html = page_of(client, admin).content.decode()
    assert html.count("Matters raised by the daily check") == 1


def test_the_pipeline_starts_with_applications_and_those_waiting_for_a_contract():
    from applications.tests import factories as applications

    admin = applications.admin_user()
    applications.under_review(admin=admin)
    applications.accepted(admin=admin)
    applications.draft(by=admin)  # a draft is not in the pipeline yet
    stages = {stage.key: stage.count for stage in start_page(admin)["admin"]["pipeline"]}
    assert stages["applications"] == 1 and stages["contracting"] == 1


def test_an_audit_under_way_is_not_overdue_and_one_past_its_end_is(client):
    c = cast(status=AuditStatus.PLANNED)
    today = local_today()
    c.audit.start_date, c.audit.end_date = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    c.audit.save()
    assert start_page(c.client_user)["client"]["next_audit"].days_left == 0
    assert [a.days_left for a in start_page(c.leader)["auditor"]["audits"].rows] == [0]
    c.audit.start_date, c.audit.end_date = today - datetime.timedelta(days=3), today - datetime.timedelta(days=2)
    c.audit.save()
    assert start_page(c.client_user)["client"]["next_audit"].days_left == -2


def test_the_actions_a_section_shows_are_neither_listed_twice_nor_computed():
    from core.navigation import next_actions_for
    from dashboard.selectors import SHOWN_IN_SECTIONS

    member = committee_user()
    audit = AuditFactory(audit_type=AuditType.SURVEILLANCE_1, status=AuditStatus.REPORT_DRAFTED)
    make_nc(audit, due_date=local_today() - datetime.timedelta(days=3))
    CommitteeFlagFactory()
    with CaptureQueriesContext(connection) as every:
        kinds = {a.meta.get("kind") for a in next_actions_for(member)}
    shown = frozenset(SHOWN_IN_SECTIONS["committee"])
    with CaptureQueriesContext(connection) as fewer:
        others = next_actions_for(member, shown=shown)
    assert {"nc_suspension", "flags"} <= kinds
    assert not {a.meta.get("kind") for a in others} & shown
    assert len(fewer) <= len(every) - 2  # the suspension grounds and the flags were not read


def test_the_administrator_is_told_of_overdue_nonconformities():
    admin = UserFactory(role=Role.CB_ADMIN)
    make_nc(AuditFactory(status=AuditStatus.REPORT_DRAFTED), due_date=local_today() - datetime.timedelta(days=2))
    actions = other_actions(admin, start_page(admin)["sections"])
    overdue = [a for a in actions if a.meta.get("kind") == "nc_overdue"]
    assert len(overdue) == 1 and overdue[0].meta["count"] == 1
