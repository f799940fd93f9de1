"""The audits app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

import datetime
from decimal import Decimal

from accounts.tests.factories import UserFactory
from audits import services
from audits.calculation import AdjustmentInput, StandardInput
from audits.models import (
    Absence,
    AccompanyingPerson,
    Audit,
    AuditStatus,
    AuditType,
    PlanItem,
    Stage1Outcome,
    TeamAssignment,
    TeamRole,
)
from clients.models import SiteKind
from core.access import Role
from core.tests.atomicity import scenarios

from .factories import (
    AuditFactory,
    ClauseFactory,
    ClientFactory,
    DepartmentFactory,
    PlanItemFactory,
    ProgrammeFactory,
    ResponsibilityFactory,
    SiteFactory,
    TeamAssignmentFactory,
    concluded_stage_1,
    iso9001,
    iso14001,
    qualified_profile,
    technical_area,
)

READS = {
    "audit_calculation": "the IAF MD 5 calculation of audit data, saved or not; writes nothing",
    "itinerary_allowed_clause_ids": "which clauses an itinerary line may list; writes nothing",
    "itinerary_check_row": "the errors of one itinerary line, for forms; writes nothing",
    "team_check": "the team rules' errors and warnings; writes nothing",
    "refuse_team_clashes": "a when-check that raises (audits.availability); writes nothing",
    "programme_covering": "the client's active programme covering the standards; writes nothing",
    "is_cb_admin": "a who-check; writes nothing",
    "require_cb_admin": "a who-check that raises; writes nothing",
    "require_plan_editable": "a when-check that raises; writes nothing",
    "day_text": "formats a date for messages",
    "days_text": "formats a day figure for messages",
}
NOT_ATOMIC: dict[str, str] = {
    "programme_next_due_refresh": (
        "derived data (the programme list's sort key): one UPDATE per 500 programmes, each whole; "
        "it runs inside the caller's transaction (a signal after a save) or after a bulk import"
    ),
    "programme_next_due_refresh_all": (
        "the nightly safety net over every active programme: each batch of 500 is refreshed whole "
        "(programme_next_due_refresh); one transaction for all would hold the rows of the whole table"
    ),
}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def admin():
    return UserFactory(role=Role.CB_ADMIN)


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _audit(**kwargs):
    """A planned stage-2 audit of a client with a code its team must cover."""
    audit = AuditFactory(**kwargs)
    audit.client.technical_areas.add(technical_area("33.02.01"))
    return audit


def _planned(by):
    """An audit planned through the service: programme, standards, adjustment, a site."""
    client = ClientFactory(headcount=15)
    site = SiteFactory(client=client, kind=SiteKind.OPERATING)
    return services.audit_plan(
        by=by,
        client=client,
        audit_type="stage_2",
        standards=[StandardInput(iso9001())],
        start_date=datetime.date(2030, 1, 7),
        end_date=datetime.date(2030, 1, 8),
        on_site_days=Decimal(2),
        sites=[site],
    )


# --- programmes ------------------------------------------------------------------------------------


def scenario_programme_create():
    client, by = ClientFactory(headcount=15), admin()
    return lambda: services.programme_create(
        client=client, standards=[iso9001(), iso14001()], by=by, decision_on=datetime.date(2030, 3, 1)
    )


def scenario_programme_update():
    programme, by = ProgrammeFactory(), admin()
    return lambda: services.programme_update(
        programme=_fresh(programme),
        by=by,
        version=1,
        standards=[iso9001(), iso14001()],
        decision_on=datetime.date(2025, 3, 10),
        certificate_issued_on=datetime.date(2025, 3, 12),
    )


# --- planning --------------------------------------------------------------------------------------


def scenario_audit_plan():
    by = admin()
    client = ClientFactory(headcount=15)
    sites = [SiteFactory(client=client, kind=SiteKind.OPERATING)]
    clause = ClauseFactory(standard=iso9001(), number="8.3")
    return lambda: services.audit_plan(
        by=by,
        client=client,
        audit_type="stage_2",
        standards=[StandardInput(iso9001()), StandardInput(iso14001(), "medium")],
        start_date=datetime.date(2030, 1, 7),
        end_date=datetime.date(2030, 1, 9),
        on_site_days=Decimal(3),
        integrated=True,
        integration_reduction_percent=Decimal(10),
        integration_reduction_reason="一体化手册和内审",
        adjustments=[AdjustmentInput(iso9001(), Decimal(-10), "过程简单")],
        non_applicable=[services.NonApplicableInput(clause, "无设计开发")],
        sites=sites,
        planned_man_days=Decimal(5),  # above the calculated 4 (never below: IAF MD 5)
        man_days_deviation_reason="按合同",
    )


def scenario_audit_update():
    by = admin()
    audit = _planned(by)
    other_site = SiteFactory(client=audit.client, kind=SiteKind.OPERATING)
    clause = ClauseFactory(standard=iso9001(), number="8.3")
    return lambda: services.audit_update(
        audit=_fresh(audit),
        by=by,
        version=1,
        standards=[StandardInput(iso9001(), "high")],
        adjustments=[AdjustmentInput(iso9001(), Decimal(10), "高风险过程")],
        non_applicable=[services.NonApplicableInput(clause, "无设计开发")],
        sites=[other_site],
        notes="改期",
        planned_man_days=None,
        man_days_deviation_reason="",
    )


# --- team ------------------------------------------------------------------------------------------


def scenario_team_assignment_add():
    audit, by = _audit(), admin()
    profile = qualified_profile()
    return lambda: services.team_assignment_add(
        audit=_fresh(audit), profile=profile, role=TeamRole.LEADER, by=by, days=Decimal(2)
    )


def scenario_team_assignment_remove():
    audit, by = _audit(), admin()
    assignment = TeamAssignmentFactory(audit=audit, role=TeamRole.AUDITOR)
    PlanItemFactory(audit=audit, auditor=assignment, process="首次会议")
    PlanItemFactory(audit=audit, auditor=assignment, process="末次会议")
    return lambda: services.team_assignment_remove(assignment=TeamAssignment.objects.get(pk=assignment.pk), by=by)


def scenario_team_witness_role_set():
    audit, by = _audit(status=AuditStatus.CLOSED), admin()
    assignment = TeamAssignmentFactory(audit=audit, role=TeamRole.AUDITOR)
    return lambda: services.team_witness_role_set(
        assignment=TeamAssignment.objects.get(pk=assignment.pk), witness_role="witnessed", by=by
    )


def scenario_accompanying_person_add():
    audit, by = _audit(), admin()
    return lambda: services.accompanying_person_add(
        audit=_fresh(audit), by=by, name="王芳", role="观察员", gender="female", employer="认可机构"
    )


def scenario_accompanying_person_remove():
    audit, by = _audit(), admin()
    person = AccompanyingPerson.objects.create(audit=audit, name="王芳", role="观察员")
    return lambda: services.accompanying_person_remove(person=AccompanyingPerson.objects.get(pk=person.pk), by=by)


# --- availability ----------------------------------------------------------------------------------


def scenario_absence_add():
    by, profile = admin(), qualified_profile()
    return lambda: services.absence_add(
        profile=profile, by=by, start_date=datetime.date(2030, 5, 6), end_date=datetime.date(2030, 5, 8), note="年假"
    )


def scenario_absence_remove():
    by, profile = admin(), qualified_profile()
    absence = services.absence_add(
        profile=profile, by=by, start_date=datetime.date(2030, 5, 6), end_date=datetime.date(2030, 5, 8)
    )
    return lambda: services.absence_remove(absence=Absence.objects.get(pk=absence.pk), by=by)


def scenario_audit_reschedule():
    audit, by = _audit(), admin()
    TeamAssignmentFactory(audit=audit, role=TeamRole.LEADER)
    PlanItemFactory(audit=audit, process="首次会议")
    PlanItemFactory(audit=audit, process="末次会议")
    return lambda: services.audit_reschedule(
        audit=_fresh(audit), by=by, start_date=audit.start_date + datetime.timedelta(days=14)
    )


# --- itinerary -------------------------------------------------------------------------------------


def _itinerary_case():
    audit = _audit()
    clauses = {n: ClauseFactory(standard=iso9001(), number=n) for n in ("5.1", "7.5", "9.2")}
    management = DepartmentFactory(client=audit.client, name_zh="管理层", order=1)
    office = DepartmentFactory(client=audit.client, name_zh="综合部", order=2)
    ResponsibilityFactory(department=management, clause=clauses["5.1"])
    ResponsibilityFactory(department=office, clause=clauses["7.5"])
    ResponsibilityFactory(department=office, clause=clauses["9.2"], role="support")
    leader = TeamAssignmentFactory(audit=audit, role=TeamRole.LEADER)
    return audit, clauses, (management, office), leader


def scenario_itinerary_save():
    audit, clauses, (management, office), leader = _itinerary_case()
    by = admin()
    kept = PlanItemFactory(audit=audit, department=management, process="", order=10)
    dropped = PlanItemFactory(audit=audit, process="末次会议", order=30)

    def call():
        rows = [
            services.PlanItemInput(
                day=audit.start_date,
                department=management,
                clauses=(clauses["5.1"],),
                auditor=leader,
                order=10,
                item=PlanItem.objects.get(pk=kept.pk),
            ),
            services.PlanItemInput(
                day=audit.start_date, department=office, clauses=(clauses["7.5"], clauses["9.2"]), order=20
            ),
        ]
        return services.itinerary_save(
            audit=_fresh(audit), rows=rows, by=by, delete=[PlanItem.objects.get(pk=dropped.pk)], plan_version=1
        )

    return call


def scenario_itinerary_prefill_from_matrix():
    audit, _clauses, _departments, _leader = _itinerary_case()
    by = admin()
    PlanItemFactory(audit=audit, process="首次会议")
    return lambda: services.itinerary_prefill_from_matrix(audit=_fresh(audit), by=by, replace=True)


# --- moves -----------------------------------------------------------------------------------------


def _ready_to_start():
    audit = _audit()
    concluded_stage_1(audit.programme)  # a stage 2 starts after its stage 1 concluded ready
    leader = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    return audit, leader


def scenario_audit_start():
    audit, leader = _ready_to_start()
    return lambda: services.audit_start(audit=_fresh(audit), by=leader)


def scenario_audit_cancel():
    audit, by = _audit(), admin()
    return lambda: services.audit_cancel(audit=_fresh(audit), by=by, reason="客户推迟")


def scenario_audit_move():
    audit, leader = _ready_to_start()
    return lambda: services.audit_move(audit=_fresh(audit), action="start", by=leader, note="首次会议", version=1)


def scenario_audit_follow():
    audit, leader = _ready_to_start()
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.IN_PROGRESS)
    return lambda: services.audit_follow(audit=_fresh(audit), action="report_started", by=leader, note="报告已开始")


# --- stage 1 conclusion ------------------------------------------------------------------------------


def _stage_1_and_leader():
    stage_1 = AuditFactory(audit_type=AuditType.STAGE_1, purpose="stage1", status=AuditStatus.SUBMITTED)
    leader = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=stage_1, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    return stage_1, leader


def scenario_stage_1_conclude():
    stage_1, leader = _stage_1_and_leader()
    return lambda: services.stage_1_conclude(
        audit=_fresh(stage_1), outcome=Stage1Outcome.READY, remark="文件评审完成", by=leader
    )


def scenario_stage_1_conclusion_withdraw():
    stage_1, leader = _stage_1_and_leader()
    services.stage_1_conclude(audit=stage_1, outcome=Stage1Outcome.READY, remark="", by=leader)
    return lambda: services.stage_1_conclusion_withdraw(audit=_fresh(stage_1), by=leader)


def scenario_audit_import():
    by = admin()
    client = ClientFactory(headcount=15)
    programme = services.programme_create(client=client, standards=[iso9001()], by=by)
    return lambda: services.audit_import(
        by=by,
        client=client,
        programme=programme,
        audit_type="stage_2",
        standards=[iso9001()],
        start_date=datetime.date(2019, 1, 7),
        end_date=datetime.date(2019, 1, 8),
        leader_name="张老组长",
    )


def scenario_team_member_import():
    by = admin()
    client = ClientFactory(headcount=15)
    programme = services.programme_create(client=client, standards=[iso9001()], by=by)
    audit = services.audit_import(
        by=by,
        client=client,
        programme=programme,
        audit_type="stage_2",
        standards=[iso9001()],
        start_date=datetime.date(2019, 1, 7),
        end_date=datetime.date(2019, 1, 8),
        leader_name="张老组长",
    )
    profile = qualified_profile()
    return lambda: services.team_member_import(audit=audit, profile=profile, role="leader", by=by)


SCENARIOS = scenarios(globals())
