"""The planned time of an audit never goes below the calculated minimum (IAF MD 5:2019, reductions at
most 30 %; IAF MD 11:2019, integration at most 20 %); for an initial certification stage 1 and
stage 2 together. The issue's client: ISO 9001 + ISO 14001 + ISO 45001, 25 people, EMS and OH&S
complexity low, integrated with a 20 % reduction: (3 + 3.5 + 3.5) × 0.8 = 8 man-days for stage 1 +
stage 2; the CB's stage 1 share (20 %, rounded up) is 2, stage 2 is 6."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from audits import rules, services
from audits.calculation import StandardInput
from audits.models import AuditType
from audits.tests.factories import CertificationBodyFactory, ClientFactory, iso9001, iso14001, iso45001
from core.access import Role

pytestmark = pytest.mark.django_db

STAGE_1_DAY = datetime.date(2030, 3, 2)
STAGE_2_DAY = datetime.date(2030, 4, 6)


@pytest.fixture
def setup():
    CertificationBodyFactory()
    admin = UserFactory(role=Role.CB_ADMIN)
    client = ClientFactory(headcount=25)
    standards = [StandardInput(iso9001()), StandardInput(iso14001(), "low"), StandardInput(iso45001(), "low")]
    return admin, client, standards


def plan(setup, audit_type, planned=None, *, day=STAGE_2_DAY, reason=""):
    admin, client, standards = setup
    return services.audit_plan(
        by=admin,
        client=client,
        audit_type=audit_type,
        standards=standards,
        integrated=True,
        integration_reduction_percent=Decimal(20),
        integration_reduction_reason="一体化管理体系，文件和内审、管理评审合一",
        start_date=day,
        end_date=day + datetime.timedelta(days=2),
        on_site_days=Decimal(3),
        planned_man_days=None if planned is None else Decimal(planned),
        man_days_deviation_reason=reason,
    )


def refused(setup, audit_type, planned, **kwargs):
    with pytest.raises(ValidationError) as exc:
        plan(setup, audit_type, planned, **kwargs)
    return " ".join(exc.value.message_dict.get("planned_man_days", []))


def test_the_calculated_split_of_the_issues_client(setup):
    stage_1 = plan(setup, AuditType.STAGE_1, day=STAGE_1_DAY)
    assert stage_1.calculation["total"] == "8" and stage_1.planned_man_days == 2
    stage_2 = plan(setup, AuditType.STAGE_2)
    assert stage_2.calculated_man_days == stage_2.planned_man_days == 6


def test_stage_2_at_exactly_the_minimum_is_planned(setup):
    plan(setup, AuditType.STAGE_1, 2, day=STAGE_1_DAY)
    assert plan(setup, AuditType.STAGE_2, 6).planned_man_days == 6


def test_stage_2_half_a_day_below_the_minimum_is_refused_with_the_figures(setup):
    plan(setup, AuditType.STAGE_1, 2, day=STAGE_1_DAY)
    message = refused(setup, AuditType.STAGE_2, "5.5", reason="客户要求缩短")
    assert "IAF MD 5" in message and "IAF MD 11" in message
    assert "8 man-days" in message and "at least 6" in message and "planned: 5.5" in message


def test_the_reported_stage_2_of_4_days_is_refused_whatever_the_reason(setup):
    plan(setup, AuditType.STAGE_1, 2, day=STAGE_1_DAY)
    message = refused(setup, AuditType.STAGE_2, 4, reason="按客户预算")
    assert "planned: 4" in message and "at least 6" in message


def test_more_stage_1_time_lowers_the_stage_2_minimum_but_not_the_total(setup):
    plan(setup, AuditType.STAGE_1, 3, day=STAGE_1_DAY, reason="两个场所的文件评审")
    assert plan(setup, AuditType.STAGE_2, 5).planned_man_days == 5  # 3 + 5 = 8
    with pytest.raises(ValidationError):
        plan(setup, AuditType.STAGE_2, "4.5", reason="x")


def test_a_stage_1_planned_after_its_stage_2_keeps_the_total(setup):
    plan(setup, AuditType.STAGE_2, "6.5", reason="增加一个班次的现场审核")
    assert "at least 1.5" in refused(setup, AuditType.STAGE_1, 1, day=STAGE_1_DAY, reason="文件少")
    assert plan(setup, AuditType.STAGE_1, "1.5", day=STAGE_1_DAY, reason="文件少").planned_man_days == Decimal("1.5")


def test_an_increase_needs_a_reason(setup):
    plan(setup, AuditType.STAGE_1, 2, day=STAGE_1_DAY)
    with pytest.raises(ValidationError) as exc:
        plan(setup, AuditType.STAGE_2, 7)
    assert "man_days_deviation_reason" in exc.value.message_dict
    assert plan(setup, AuditType.STAGE_2, 7, reason="三班倒，夜班需现场审核").planned_man_days == 7


@pytest.mark.parametrize(
    ("audit_type", "calculated", "below"),
    [(AuditType.SURVEILLANCE_1, "3", "2.5"), (AuditType.RECERTIFICATION, "5.5", "5")],
)
def test_surveillance_and_recertification_follow_md5_the_same_way(setup, audit_type, calculated, below):
    # IAF MD 5: surveillance one third (8 / 3 -> 3), recertification two thirds (16 / 3 -> 5.5).
    assert plan(setup, audit_type).planned_man_days == Decimal(calculated)
    assert plan(setup, audit_type, calculated).planned_man_days == Decimal(calculated)
    message = refused(setup, audit_type, below, reason="客户规模缩小")
    assert f"Calculated: {calculated} man-days, minimum: {calculated}, planned: {below}." in message


def test_the_floor_rule_at_its_edges():
    floor = rules.time_floor(
        audit_type=AuditType.STAGE_2, calculated=Decimal(6), initial_total=Decimal(8), other_stage=Decimal(2)
    )
    assert floor.minimum == 6
    assert rules.time_floor_refusal(floor=floor, audit_type=AuditType.STAGE_2, planned=Decimal(6)) == ""
    assert rules.time_floor_refusal(floor=floor, audit_type=AuditType.STAGE_2, planned=Decimal("5.5"))
    # Stage 1 before stage 2 is planned: half a day at least, stage 2 makes up the rest.
    floor = rules.time_floor(
        audit_type=AuditType.STAGE_1, calculated=Decimal(2), initial_total=Decimal(8), other_stage=None
    )
    assert floor.minimum == Decimal("0.5")
    # No IAF MD 5 figure (special audits): no floor.
    assert rules.time_floor(audit_type=AuditType.SPECIAL, calculated=None, initial_total=None, other_stage=None) is None
