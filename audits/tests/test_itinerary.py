"""Pre-filling the itinerary from the client's responsibility matrix."""

import pytest
from django.core.exceptions import ValidationError

from audits import services
from audits.models import AuditStandard, NonApplicableClause, PlanItem, TeamRole
from clients.models import ResponsibilityRole
from core.access import Role

from .factories import (
    AuditFactory,
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
    return [
        (item.department.name_zh, [c.number for c in item.clauses.order_by("sort_key")])
        for item in PlanItem.objects.filter(audit=audit).order_by("order")
    ]


def test_one_line_per_department_with_owned_and_supported_clauses(setup, admin):
    audit, _ = setup
    services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    assert lines(audit) == [("管理层", ["5.1"]), ("综合部", ["7.5", "9.2"]), ("技术部", ["7.5", "8.3", "8.3.2"])]
    assert all(item.day == audit.start_date for item in audit.plan_items.all())


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
    assert audit.plan_items.count() == 3


def test_a_non_applicable_clause_cannot_be_planned_by_hand(setup, admin):
    audit, clauses = setup
    NonApplicableClause.objects.create(audit=audit, clause=clauses["8.3"], justification="无设计开发")
    row = services.PlanItemInput(day=audit.start_date, process="设计开发", clauses=(clauses["8.3.2"],))
    with pytest.raises(ValidationError) as exc:
        services.itinerary_save(audit=audit, rows=[row], by=admin)
    assert "8.3.2" in " ".join(exc.value.messages)


def test_plan_item_changes_are_in_the_history(setup, admin):
    audit, clauses = setup
    (item, *_rest) = services.itinerary_prefill_from_matrix(audit=audit, by=admin)
    row = services.PlanItemInput(
        day=audit.start_date, department=item.department, clauses=(clauses["5.1"],), process="领导作用", item=item
    )
    services.itinerary_save(audit=audit, rows=[row], by=admin)
    latest = item.history.first()
    assert latest.process == "领导作用" and latest.history_user == admin
