"""The itinerary: pre-filled from the client's responsibility matrix as a timetable, and edited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audits import services
from audits.models import AuditStandard, NonApplicableClause, PlanItem, PlanItemKind, TeamRole
from clients.models import ResponsibilityRole
from core.access import Role

from .factories import (
    AuditFactory,
    CertificationBodyFactory,
    ClauseFactory,
    DepartmentFactory,
    ResponsibilityFactory,
    TeamAssignmentFactory,
    iso9001,
    iso14001,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


@pytest.fixture
def setup():
    audit = AuditFactory()
    std = iso9001()
    clauses = {n: ClauseFactory(standard=std, number=n) for n in ("5.1", "7.5", "8.3", "8.3.2", "9.2")}
    management = DepartmentFactory(client=audit.client, name_zh="管理层", order=1)
    office = DepartmentFactory(client=audit.client, name_zh="综合部", order=2)
    tech = DepartmentFactory(client=audit.client, name_zh="技术部", order=3)
    DepartmentFactory(client=audit.client, name_zh="财务部", order=4)  # owns nothing
    ResponsibilityFactory(department=management, clause=clauses["5.1"])
    ResponsibilityFactory(department=office, clause=clauses["7.5"])
    ResponsibilityFactory(department=office, clause=clauses["9.2"], role=ResponsibilityRole.SUPPORT)
    ResponsibilityFactory(department=tech, clause=clauses["8.3"])
    ResponsibilityFactory(department=tech, clause=clauses["8.3.2"])
    ResponsibilityFactory(department=tech, clause=clauses["7.5"], role=ResponsibilityRole.SUPPORT)
    return audit, clauses


def lines(audit):
    """(department, clauses) of the department lines, one per department (pieces joined)."""
    joined: dict[str, list[str]] = {}
    for item in PlanItem.objects.filter(audit=audit, kind=PlanItemKind.AUDIT).order_by("order"):
        joined.setdefault(item.department.name_zh, []).extend(c.number for c in item.clauses.order_by("sort_key"))
    return list(joined.items())


def timetable(audit):
    with translation.override("zh-hans"):
        return [
            (item.day.isoformat(), f"{item.start_time:%H:%M}-{item.end_time:%H:%M}", item.label)
            for item in PlanItem.objects.filter(audit=audit).select_related("department").order_by("order")
        ]


def test_one_stretch_per_department_with_owned_and_supported_clauses(setup, admin):
    audit, _ = setup
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    assert lines(audit) == [("管理层", ["5.1"]), ("综合部", ["7.5", "9.2"]), ("技术部", ["7.5", "8.3", "8.3.2"])]


def test_the_prefill_is_a_timetable_over_every_day_with_the_opening_and_closing_meetings(setup, admin):
    audit, _ = setup  # 2030-03-04 and 05; the CB's default day: 08:30-12:00, 13:00-17:00, 30-minute meetings
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    # 28 half hours of auditing (two days of 7.5 hours minus the two meetings) for 1, 2 and 3
    # clauses: one each, the other 25 in proportion (largest remainder): 5, 9 and 14 half
    # hours; 综合部 continues after the break, 技术部 fills the second day.
    assert timetable(audit) == [
        ("2030-03-04", "08:30-09:00", "首次会议"),
        ("2030-03-04", "09:00-11:30", "管理层"),
        ("2030-03-04", "11:30-12:00", "综合部"),
        ("2030-03-04", "13:00-17:00", "综合部"),
        ("2030-03-05", "08:30-12:00", "技术部"),
        ("2030-03-05", "13:00-16:30", "技术部"),
        ("2030-03-05", "16:30-17:00", "末次会议"),
    ]
    split = [[c.number for c in i.clauses.order_by("sort_key")] for i in audit.plan_items.filter(kind="audit")]
    assert split == [["5.1"], ["7.5"], ["9.2"], ["7.5", "8.3"], ["8.3.2"]]


def test_a_department_split_over_days_shares_out_its_clauses_each_once(setup, admin):
    audit, _ = setup
    audit.end_date = audit.start_date + datetime.timedelta(days=2)
    audit.save()
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    days = {item.day for item in audit.plan_items.all()}
    assert days == {audit.start_date + datetime.timedelta(days=n) for n in range(3)}
    tech = [
        [c.number for c in item.clauses.order_by("sort_key")]
        for item in audit.plan_items.filter(department__name_zh="技术部").order_by("order")
    ]
    assert len(tech) > 1 and [n for piece in tech for n in piece] == ["7.5", "8.3", "8.3.2"]


def test_the_working_day_is_the_cbs_setting(setup, admin):
    audit, _ = setup
    CertificationBodyFactory(
        audit_day_start=datetime.time(9, 0),
        audit_day_break_start=datetime.time(12, 30),
        audit_day_break_end=datetime.time(13, 30),
        audit_day_end=datetime.time(18, 0),
        meeting_minutes=60,
    )
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    rows = timetable(audit)
    assert rows[0] == ("2030-03-04", "09:00-10:00", "首次会议")
    assert rows[-1] == ("2030-03-05", "17:00-18:00", "末次会议")


def test_the_meetings_are_the_leaders_and_a_too_short_audit_is_refused(setup, admin):
    audit, _ = setup
    leader = TeamAssignmentFactory(audit=audit, role=TeamRole.LEADER)
    TeamAssignmentFactory(audit=audit, role=TeamRole.AUDITOR)
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    meetings = audit.plan_items.exclude(kind=PlanItemKind.AUDIT)
    assert {(m.kind, m.auditor) for m in meetings} == {("opening", leader), ("closing", leader)}
    # Two auditors: who audits which department is the planner's choice.
    assert not audit.plan_items.filter(kind=PlanItemKind.AUDIT, auditor__isnull=False).exists()
    CertificationBodyFactory(
        audit_day_start=datetime.time(9, 0),
        audit_day_break_start=datetime.time(9, 0),
        audit_day_break_end=datetime.time(9, 0),
        audit_day_end=datetime.time(9, 40),
    )
    audit.end_date = audit.start_date
    audit.save()
    with pytest.raises(ValidationError) as exc:
        services.itinerary_prefill_from_matrix(audit=audit, by=admin, replace=True)
    assert exc.value.code == "too_short"


def test_non_applicable_clauses_and_those_below_them_are_left_out(setup, admin):
    audit, clauses = setup
    NonApplicableClause.objects.create(audit=audit, clause=clauses["8.3"], justification="无设计开发")
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    assert lines(audit) == [("管理层", ["5.1"]), ("综合部", ["7.5", "9.2"]), ("技术部", ["7.5"])]


def test_clauses_of_standards_outside_the_audit_are_left_out(setup, admin):
    audit, _ = setup
    ResponsibilityFactory(
        department=audit.client.departments.get(name_zh="财务部"),
        clause=ClauseFactory(standard=iso14001(), number="6.1.2"),
    )
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    assert "财务部" not in [name for name, _ in lines(audit)]
    AuditStandard.objects.create(audit=audit, standard=iso14001(), complexity="low")
    services.itinerary_prefill_from_matrix(audit=audit, by=admin, replace=True)
    assert ("财务部", ["6.1.2"]) in lines(audit)


def test_a_meeting_line_needs_no_department_or_process(setup, admin):
    audit, _ = setup
    row = services.PlanItemInput(day=audit.start_date, kind=PlanItemKind.CLOSING)
    services.itinerary_save(audit=audit, rows=[row], by=admin)
    with translation.override("zh-hans"):
        assert audit.plan_items.get().label == "末次会议"
    with pytest.raises(ValidationError):
        services.itinerary_save(audit=audit, rows=[services.PlanItemInput(day=audit.start_date)], by=admin)


def test_the_only_auditor_is_put_on_every_line(setup, admin):
    audit, _ = setup
    leader = TeamAssignmentFactory(audit=audit, role=TeamRole.LEADER)
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    assert {item.auditor for item in audit.plan_items.all()} == {leader}


def test_existing_lines_are_replaced_only_on_request(setup, admin):
    audit, _ = setup
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    with pytest.raises(ValidationError):
        services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    services.itinerary_prefill_from_matrix(audit=audit, by=admin, replace=True)
    assert len(lines(audit)) == 3


def test_a_non_applicable_clause_cannot_be_planned_by_hand(setup, admin):
    audit, clauses = setup
    NonApplicableClause.objects.create(audit=audit, clause=clauses["8.3"], justification="无设计开发")
    row = services.PlanItemInput(day=audit.start_date, process="设计开发", clauses=(clauses["8.3.2"],))
    with pytest.raises(ValidationError) as exc:
        services.itinerary_save(audit=audit, rows=[row], by=admin)
    assert "8.3.2" in " ".join(exc.value.messages)


def test_plan_item_changes_are_in_the_history(setup, admin):
    audit, clauses = setup
    item = next(i for i in services.itinerary_prefill_from_matrix(audit=audit, by=admin) if i.department)
    row = services.PlanItemInput(
        day=audit.start_date, department=item.department, clauses=(clauses["5.1"],), process="领导作用", item=item
    )
    services.itinerary_save(audit=audit, rows=[row], by=admin)
    latest = item.history.first()
    assert latest.process == "领导作用" and latest.history_user == admin
