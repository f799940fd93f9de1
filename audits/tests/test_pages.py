"""The planning pages through HTTP: the form shows the calculation, deviating needs a reason,
team and itinerary pages, fixed query counts on the lists."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audits import nav as audits_nav
from audits.models import Audit, AuditStatus, PlanItem, TeamRole
from core.access import Role

from .factories import (
    AuditFactory,
    ClauseFactory,
    ClientFactory,
    DepartmentFactory,
    ProgrammeFactory,
    ResponsibilityFactory,
    TeamAssignmentFactory,
    iso9001,
    qualified_profile,
    ready_stage_2,
    technical_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, make_user):
    user = make_user(role=Role.CB_ADMIN)
    client.force_login(user)
    return user


def management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def plan_data(client_obj, **over):
    data = {
        "audit_type": "stage_2",
        "method": "FS01",
        "standards": [iso9001().pk],
        "criteria_client_documents": "on",
        "criteria_legislation": "on",
        "start_date": "2030-01-07",
        "end_date": "2030-01-08",
        "on_site_days": "2",
        "effective_personnel": "15",
        "integration_reduction_percent": "0",
        **management("adj"),
        **management("na"),
    }
    data.update(over)
    return data


def test_choose_client_then_plan(client, admin):
    target = ClientFactory(headcount=15)
    response = client.get(reverse("audits:create"))
    assert target.name_zh in response.content.decode()
    response = client.get(reverse("audits:create"), {"client": target.pk})
    assert response.status_code == 200 and 'data-testid="audit-form"' in response.content.decode()


def test_calculate_shows_the_man_days_without_saving(client, admin):
    target = ClientFactory(headcount=15)
    response = client.post(f"{reverse('audits:create')}?client={target.pk}", {**plan_data(target), "calculate": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="calculated-man-days">2<' in html
    assert "IAF MD 5:2019 Annex A, Table QMS 1" in html
    assert not Audit.objects.exists()


def test_saving_without_reason_for_a_deviation_shows_the_rule(client, admin):
    target = ClientFactory(headcount=15)
    url = f"{reverse('audits:create')}?client={target.pk}"
    response = client.post(url, plan_data(target, planned_man_days="3"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "record the reason" in response.content.decode()
    assert not Audit.objects.exists()
    response = client.post(url, plan_data(target, planned_man_days="3", man_days_deviation_reason="两班倒"))
    audit = Audit.objects.get()
    assert response.status_code == 302 and response.url == reverse("audits:detail", args=[audit.pk])
    assert audit.planned_man_days == 3 and audit.calculated_man_days == 2


def test_edit_with_a_stale_version_is_refused(client, admin):
    audit = AuditFactory()
    url = reverse("audits:edit", args=[audit.pk])
    data = plan_data(audit.client, version="1", planned_man_days="2")
    audit.version = 2
    audit.save()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert "Someone else changed this audit" in response.content.decode()


def test_edit_keeps_non_applicable_clauses(client, admin):
    audit = AuditFactory()
    clause = ClauseFactory(standard=iso9001(), number="8.3")
    url = reverse("audits:edit", args=[audit.pk])
    data = plan_data(
        audit.client,
        version="1",
        **management("na", 1),
        **{"na-0-clause": str(clause.pk), "na-0-justification": "无设计开发"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert audit.non_applicable_rows.get().justification == "无设计开发"
    assert "无设计开发" in client.get(reverse("audits:detail", args=[audit.pk])).content.decode()


def test_team_page_adds_a_leader_and_shows_warnings(client, admin):
    audit = AuditFactory()
    audit.client.technical_areas.add(technical_area("33.02.01"))
    profile = qualified_profile(days_per_month=Decimal(1))  # an external auditor's agreed days
    response = client.post(
        reverse("audits:team", args=[audit.pk]),
        {"profile": profile.pk, "role": TeamRole.LEADER},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert audit.team.get().profile == profile
    assert "agreed days" in html
    assert 'data-testid="team-ok"' in html


def test_team_page_shows_a_refusal(client, admin):
    audit = AuditFactory()
    response = client.post(
        reverse("audits:team", args=[audit.pk]),
        {"profile": qualified_profile(level="auditor").pk, "role": TeamRole.LEADER},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "leader qualification" in response.content.decode()
    assert not audit.team.exists()


def test_itinerary_prefill_then_edit_and_print(client, admin):
    audit = AuditFactory()
    clause = ClauseFactory(standard=iso9001(), number="9.2")
    dept = DepartmentFactory(client=audit.client, name_zh="综合部")
    ResponsibilityFactory(department=dept, clause=clause)
    client.post(reverse("audits:itinerary_prefill", args=[audit.pk]))
    item = PlanItem.objects.filter(kind="audit").order_by("order").first()
    assert list(item.clauses.all()) == [clause]
    prefilled = PlanItem.objects.count()
    data = {
        **management("items", 2),
        "items-INITIAL_FORMS": "1",
        "plan_version": str(Audit.objects.get(pk=audit.pk).plan_version),
        "items-0-id": str(item.pk),
        "items-0-day": "2030-03-04",
        "items-0-start_time": "09:00",
        "items-0-end_time": "11:30",
        "items-0-department": str(dept.pk),
        "items-0-clauses": [str(clause.pk)],
        "items-1-day": "2030-03-04",
        "items-1-start_time": "08:30",
        "items-1-end_time": "09:00",
        "items-1-process": "首次会议",
    }
    response = client.post(reverse("audits:itinerary", args=[audit.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.start_time == datetime.time(9, 0)
    assert PlanItem.objects.count() == prefilled + 1
    html = client.get(reverse("audits:plan_print", args=[audit.pk])).content.decode()
    assert "首次会议" in html and "综合部" in html and "9.2" in html and "audits/plan-print.css" in html


def test_itinerary_line_outside_the_audit_dates_is_refused(client, admin):
    audit = AuditFactory()
    data = {**management("items", 1), "plan_version": "1", "items-0-day": "2031-01-01", "items-0-process": "首次会议"}
    response = client.post(reverse("audits:itinerary", args=[audit.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "within the audit dates" in response.content.decode()
    assert not PlanItem.objects.exists()


def test_stale_itinerary_is_refused(client, admin):
    audit = AuditFactory()
    data = {**management("items", 1), "plan_version": "0", "items-0-day": "2030-03-04", "items-0-process": "首次会议"}
    response = client.post(reverse("audits:itinerary", args=[audit.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert "Someone else changed this itinerary" in response.content.decode()
    assert not PlanItem.objects.exists()


def test_leader_starts_the_audit_from_the_detail_page(client, make_user):
    leader = make_user(role=Role.TEAM_LEADER)
    audit = ready_stage_2()
    audit.client.technical_areas.add(technical_area("33.02.01"))
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    client.force_login(leader)
    assert 'data-testid="start-audit"' in client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    client.post(reverse("audits:start", args=[audit.pk]))
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_a_start_the_team_check_refuses_is_explained_on_the_page(client, make_user):
    leader = make_user(role=Role.TEAM_LEADER)
    audit = AuditFactory()
    audit.client.technical_areas.add(technical_area("01.07.03"))  # a code nobody on the team holds
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    client.force_login(leader)
    response = client.post(reverse("audits:start", args=[audit.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The audit cannot start:" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNED


def _audits(n):
    for _ in range(n):
        audit = AuditFactory()
        TeamAssignmentFactory(audit=audit)


@pytest.mark.parametrize("rows", [2, 7])
def test_audit_list_query_count_is_fixed(client, admin, django_assert_num_queries, rows):
    _audits(rows)
    # session, user, count, audits, standards, leaders (the client filter renders no choices)
    with django_assert_num_queries(6):
        response = client.get(reverse("audits:list"))
    assert response.content.decode().count('href="/audits/') >= rows


@pytest.mark.parametrize("rows", [2, 7])
def test_programme_list_query_count_is_fixed(client, admin, django_assert_num_queries, rows):
    for _ in range(rows):
        programme = ProgrammeFactory(
            decision_on=datetime.date(2025, 1, 1), certificate_issued_on=datetime.date(2025, 1, 2)
        )
        AuditFactory(programme=programme, client=programme.client)
    # session, user, CB, count, page, programmes, standards, audits
    with django_assert_num_queries(8):
        client.get(reverse("audits:programme_list"))


@pytest.mark.parametrize("rows", [1, 4])
def test_home_next_actions_query_count_is_fixed(client, make_user, django_assert_num_queries, rows):
    leader = make_user(role=Role.TEAM_LEADER)
    profile = qualified_profile(user=leader)
    for i in range(rows):
        TeamAssignmentFactory(
            audit=AuditFactory(
                start_date=datetime.date(2030, 1, 1 + 3 * i), end_date=datetime.date(2030, 1, 2 + 3 * i)
            ),
            profile=profile,
        )
    # The audits app's next actions: my audits (first few) and my roles on them.
    with django_assert_num_queries(2):
        actions = audits_nav.next_actions(leader)
    assert len(actions) == min(rows, audits_nav.HOME_LIMIT)
    client.force_login(leader)
    response = client.get(reverse("accounts:home"))
    assert response.content.decode().count("/audits/") >= rows


def test_programme_page_shows_status_and_consequence(client, admin):
    programme = ProgrammeFactory(decision_on=datetime.date(2020, 1, 1), certificate_issued_on=datetime.date(2020, 1, 2))
    html = client.get(
        reverse("audits:programme", args=[programme.client_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "overdue" in html and "Certificate suspended" in html


def test_programme_edit_sets_the_anchors(client, admin):
    programme = ProgrammeFactory()
    response = client.post(
        reverse("audits:programme_edit", args=[programme.pk]),
        {
            "standards": [iso9001().pk],
            "rule_set": "iso_17021_1",
            "cycle": "1",
            "starts_with_initial_audit": "on",
            "decision_on": "2025-03-10",
            "certificate_issued_on": "2025-03-15",
            "active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.rule_set == "iso_17021_1" and programme.decision_on == datetime.date(2025, 3, 10)


def test_cb_admin_home_lists_overdue_programme_items(client, admin):
    programme = ProgrammeFactory(decision_on=datetime.date(2020, 1, 1), certificate_issued_on=datetime.date(2020, 1, 2))
    html = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert programme.client.name_zh in html and "overdue" in html


@pytest.fixture
def superadmin(client, make_user):
    user = make_user(role=Role.CB_ADMIN, is_superuser=True)
    client.force_login(user)
    return user


def test_cb_profile_is_edited_in_the_admin_and_stays_one_row(client, superadmin):
    from audits.models import CertificationBody

    from .factories import CertificationBodyFactory

    cb = CertificationBodyFactory()
    assert client.get(reverse("admin:audits_certificationbody_change", args=[cb.pk])).status_code == 200
    assert client.get(reverse("admin:audits_certificationbody_add")).status_code == 403
    response = client.post(
        reverse("admin:audits_certificationbody_change", args=[cb.pk]),
        {
            "name_zh": cb.name_zh,
            "cb_code": "12",
            "default_rule_set": "cnca",
            "due_soon_days": "60",
            "stage_1_share_percent": "20",
            "audit_time_rounding": "up",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "three digits" in response.content.decode()
    assert CertificationBody.objects.count() == 1


def test_audits_are_read_only_in_the_admin(client, superadmin):
    audit = AuditFactory()
    assert client.get(reverse("admin:audits_audit_change", args=[audit.pk])).status_code == 200
    assert client.get(reverse("admin:audits_audit_add")).status_code == 403
