"""Planning an audit: the IAF MD 5 calculation is wired in, deviations need a reason, the
criteria and non-applicable clauses are kept, every change is in the history and every
status change in the transition log."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits import services
from audits.calculation import AdjustmentInput, StandardInput
from audits.models import Audit, AuditStatus, AuditType, TeamRole
from audits.services import NonApplicableInput
from clients.models import SiteKind
from core.access import Role

from .factories import (
    AuditFactory,
    CertificationBodyFactory,
    ClauseFactory,
    ClientFactory,
    ProgrammeFactory,
    SiteFactory,
    TeamAssignmentFactory,
    concluded_stage_1,
    iso9001,
    iso14001,
    qualified_profile,
    technical_area,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


@pytest.fixture
def client15():
    return ClientFactory(headcount=15)


def plan(by, client, **kw):
    kw.setdefault("audit_type", AuditType.STAGE_2)
    kw.setdefault("standards", [StandardInput(iso9001())])
    kw.setdefault("start_date", datetime.date(2030, 1, 7))
    kw.setdefault("end_date", datetime.date(2030, 1, 8))
    kw.setdefault("on_site_days", D(2))
    return services.audit_plan(by=by, client=client, **kw)


def test_stage_2_of_15_people_gets_the_md5_initial_time_minus_stage_1(admin, client15):
    audit = plan(admin, client15)
    # IAF MD 5 Table QMS 1: 11-15 persons -> 2.5 days for stage 1 + stage 2; the CB's default
    # stage 1 share (20 %, rounded up to a half day) is 0.5, so stage 2 is 2.
    assert audit.calculation["total"] == "2.5"
    assert audit.calculation["stage_1_days"] == "0.5"
    assert audit.calculated_man_days == D("2")
    assert audit.planned_man_days == D("2")
    assert audit.man_days_deviation_reason == ""
    assert audit.purpose == "stage2"
    assert audit.status == AuditStatus.PLANNED


def test_stage_1_audit_of_the_programme_sets_the_split(admin, client15):
    stage_1 = plan(
        admin,
        client15,
        audit_type=AuditType.STAGE_1,
        start_date=datetime.date(2029, 12, 2),
        end_date=datetime.date(2029, 12, 2),
        on_site_days=D(1),
        planned_man_days=D(1),
        man_days_deviation_reason="文件审核需要一天",
    )
    assert stage_1.calculated_man_days == D("0.5")
    stage_2 = plan(admin, client15, programme=stage_1.programme)
    assert stage_2.calculation["stage_1_from"] == "stage_1_audit"
    assert stage_2.calculated_man_days == D("1.5")


def test_surveillance_is_a_third_of_the_initial_time_rounded_up(admin, client15):
    audit = plan(admin, client15, audit_type=AuditType.SURVEILLANCE_1)
    assert audit.calculation["fraction"] == "1/3"
    assert audit.calculated_man_days == D("1")  # 2.5 / 3 = 0.83 -> 1


def test_man_days_above_the_calculation_need_a_reason(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, planned_man_days=D("2.5"))
    assert "man_days_deviation_reason" in exc.value.message_dict
    audit = plan(admin, client15, planned_man_days=D("2.5"), man_days_deviation_reason="两班倒，夜班需现场审核")
    assert audit.planned_man_days == D("2.5")
    assert audit.calculated_man_days == D("2")


def test_man_days_below_the_calculation_are_refused_even_with_a_reason(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, planned_man_days=D("1.5"), man_days_deviation_reason="远程运维，无现场服务")
    assert "planned: 1.5" in " ".join(exc.value.message_dict["planned_man_days"])


def test_audit_type_without_md5_figure_needs_a_reason(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, audit_type=AuditType.SPECIAL, planned_man_days=D(1))
    assert "man_days_deviation_reason" in exc.value.message_dict
    audit = plan(
        admin, client15, audit_type=AuditType.SPECIAL, planned_man_days=D(1), man_days_deviation_reason="投诉调查"
    )
    assert audit.calculated_man_days is None


def test_integrated_audit_sums_standards_and_applies_the_md11_reduction(admin):
    client = ClientFactory(headcount=15)
    standards = [StandardInput(iso9001()), StandardInput(iso14001(), "medium")]
    audit = plan(
        admin,
        client,
        audit_type=AuditType.STAGE_2,
        standards=standards,
        integrated=True,
        integration_reduction_percent=D(20),
        integration_reduction_reason="一体化手册和内审",
    )
    # QMS 2.5 + EMS medium 3.5 = 6; minus 20 % = 4.8 -> 5 (rounded up)
    assert audit.calculation["initial_before_integration"] == "6"
    assert audit.calculation["initial_after_integration"] == "4.8"
    assert audit.calculation["total"] == "5"


def test_integration_reduction_needs_an_integrated_audit_and_a_reason(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, integration_reduction_percent=D(10))
    assert "integration_reduction_percent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan(
            admin,
            client15,
            standards=[StandardInput(iso9001()), StandardInput(iso14001(), "low")],
            integrated=True,
            integration_reduction_percent=D(10),
        )
    assert "integration_reduction_reason" in exc.value.message_dict


def test_ems_needs_a_complexity_category(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, standards=[StandardInput(iso14001())], planned_man_days=D(2))
    assert "man_days_deviation_reason" in exc.value.message_dict  # no figure without the category


def test_adjustments_change_the_calculation_and_need_a_reason(admin, client15):
    std = iso9001()
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, standards=[StandardInput(std)], adjustments=[AdjustmentInput(std, D(-20), " ")])
    assert "adjustments" in exc.value.message_dict
    audit = plan(
        admin,
        client15,
        standards=[StandardInput(std)],
        adjustments=[AdjustmentInput(std, D(-20), "单一场所，过程简单")],
    )
    assert audit.calculation["lines"][0]["adjusted_days"] == "2"
    assert audit.calculation["total"] == "2"
    assert audit.time_adjustments.get().reason == "单一场所，过程简单"


def test_effective_personnel_other_than_the_headcount_needs_a_reason(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, effective_personnel=30)
    assert "effective_personnel_reason" in exc.value.message_dict


def test_criteria_and_non_applicable_clauses_are_kept(admin, client15):
    std = iso9001()
    clause = ClauseFactory(standard=std, number="8.3")
    audit = plan(
        admin,
        client15,
        standards=[StandardInput(std)],
        criteria_other="GB/T 20157-2006",
        non_applicable=[NonApplicableInput(clause, "无设计开发")],
    )
    assert audit.criteria == ["gb19001", "client_ms_documents", "applicable_legislation", "other"]
    assert [row.clause.number for row in audit.non_applicable_for(std)] == ["8.3"]


def test_non_applicable_clause_needs_a_justification_and_an_audited_standard(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, non_applicable=[NonApplicableInput(ClauseFactory(standard=iso9001(), number="8.3"), "")])
    assert "non_applicable" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan(
            admin, client15, non_applicable=[NonApplicableInput(ClauseFactory(standard=iso14001(), number="8.2"), "x")]
        )
    assert "non_applicable" in exc.value.message_dict


def test_sites_must_be_the_clients_and_dates_in_order(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, sites=[SiteFactory()], end_date=datetime.date(2030, 1, 6))
    assert {"sites", "end_date"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, on_site_days=D(3))
    assert "on_site_days" in exc.value.message_dict


def test_multi_site_sample_follows_md1(admin, client15):
    SiteFactory(client=client15, kind=SiteKind.OPERATING, is_central=True)
    for _ in range(4):
        SiteFactory(client=client15, kind=SiteKind.BRANCH)
    audit = plan(admin, client15)
    assert audit.calculation["sites_excluding_central"] == 4
    assert audit.calculation["site_sample"]["sites_to_sample"] == 2  # sqrt(4)
    assert audit.calculation["site_sample"]["locations_visited"] == 3


def test_planning_uses_or_creates_the_clients_programme(admin, client15):
    audit = plan(admin, client15)
    again = plan(admin, client15, audit_type=AuditType.STAGE_1)
    assert again.programme == audit.programme
    assert audit.programme.rule_set == "cnca"
    assert audit.programme.starts_with_initial_audit


def test_new_programmes_take_the_cbs_rule_set(admin, client15):
    CertificationBodyFactory(default_rule_set="iso_17021_1")
    assert plan(admin, client15).programme.rule_set == "iso_17021_1"


def test_programme_of_another_client_is_refused(admin, client15):
    with pytest.raises(ValidationError) as exc:
        plan(admin, client15, programme=ProgrammeFactory())
    assert "programme" in exc.value.message_dict


def test_only_cb_administrators_plan(make_user, client15):
    with pytest.raises(PermissionDenied):
        plan(make_user(role=Role.TEAM_LEADER), client15)


def test_update_detects_a_concurrent_edit(admin, client15):
    audit = plan(admin, client15)
    kwargs = {"standards": [StandardInput(iso9001())], "notes": "first"}
    services.audit_update(audit=audit, by=admin, version=1, **kwargs)
    with pytest.raises(ValidationError) as exc:
        services.audit_update(audit=audit, by=admin, version=1, standards=[StandardInput(iso9001())], notes="second")
    assert "Someone else changed" in " ".join(exc.value.messages)
    audit.refresh_from_db()
    assert audit.notes == "first" and audit.version == 2


def test_update_recalculates_and_keeps_the_deviation_rule(admin, client15):
    audit = plan(admin, client15)
    with pytest.raises(ValidationError):
        services.audit_update(
            audit=audit,
            by=admin,
            version=1,
            standards=[StandardInput(iso9001())],
            effective_personnel=30,
            effective_personnel_reason="含外包人员",
        )
    audit = services.audit_update(
        audit=audit,
        by=admin,
        version=1,
        standards=[StandardInput(iso9001())],
        effective_personnel=30,
        effective_personnel_reason="含外包人员",
        planned_man_days=None,
    )
    assert audit.calculated_man_days == D("3")  # 26-45 -> 4; stage 1 share 20 % -> 1; stage 2 = 3


def test_history_records_who_changed_what(admin, client15):
    audit = plan(admin, client15)
    services.audit_update(audit=audit, by=admin, version=1, standards=[StandardInput(iso9001())], notes="改期")
    records = audit.history.order_by("history_date")
    assert records.last().notes == "改期"
    assert records.last().history_user == admin
    assert audit.audit_standards.get().history.first().history_user == admin


def test_every_transition_is_logged_with_who_and_from_to(admin, client15, make_user):
    audit = plan(admin, client15)
    concluded_stage_1(audit.programme, end_date=datetime.date(2029, 12, 10))
    client15.technical_areas.add(technical_area("33.02.01"))
    leader_user = make_user(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader_user), role=TeamRole.LEADER)
    services.audit_start(audit=audit, by=leader_user)
    log = list(audit.transitions.values_list("from_status", "to_status", "by"))
    assert log == [("", "planned", admin.pk), ("planned", "in_progress", leader_user.pk)]
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.IN_PROGRESS
    assert audit.history.first().history_user == leader_user


def test_a_team_member_who_does_not_lead_cannot_start(admin, make_user):
    audit = AuditFactory()
    member = make_user(role=Role.AUDITOR)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=member), role=TeamRole.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.audit_start(audit=audit, by=member)


def test_cancel_needs_a_reason_and_only_from_planned(admin):
    audit = AuditFactory()
    with pytest.raises(ValidationError):
        services.audit_cancel(audit=audit, by=admin, reason="")
    services.audit_cancel(audit=audit, by=admin, reason="客户推迟")
    assert audit.transitions.get().note == "客户推迟"
    with pytest.raises(ValidationError):
        services.audit_cancel(audit=audit, by=admin, reason="again")
