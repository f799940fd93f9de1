"""seed_demo creates the seed report's CB, programme, stage 1 and stage 2 audits, team and itinerary."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from audits import rules
from audits.demo import AUDIT_END, AUDIT_START
from audits.models import Audit, AuditStatus, CertificationBody, Stage1Outcome, TeamRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_the_cb_of_part_one(seeded):
    cb = CertificationBody.objects.current()
    assert (cb.name_zh, cb.address_zh, cb.phone, cb.fax, cb.website) == (
        "北京国标联合认证有限公司",
        "北京市朝阳区北苑路168号1号楼16层1603",
        "010-51095332",
        "010-5351 6258",
        "www.china-isc.org.cn",
    )


def test_the_seed_stage_2_audit(seeded):
    # The seed's own audit (the demo also plans the client's current cycle).
    audit = Audit.objects.get(client__name_zh="中食互联（北京）科技有限公司", start_date=datetime.date(2020, 1, 7))
    assert audit.audit_type == "stage_2" and audit.purpose == "stage2" and audit.method == "FS01"
    assert [str(s) for s in audit.standards.all()] == ["ISO 9001:2015"]
    assert audit.criteria == ["gb19001", "client_ms_documents", "applicable_legislation"]
    assert not audit.non_applicable_rows.exists()
    assert (audit.start_date, audit.end_date, audit.on_site_days) == (
        datetime.date(2020, 1, 7),
        datetime.date(2020, 1, 8),
        2,
    )
    assert audit.calculation["total"] == "2.5"  # IAF MD 5 Table QMS 1, 11-15 persons
    assert audit.calculated_man_days == audit.planned_man_days == Decimal(2)
    assert audit.programme.rule_set == "cnca"
    # The demo goes on to write and approve the seed report (reports/demo.py), then the
    # committee reviews and decides it (certification/demo.py).
    assert audit.status == AuditStatus.DECIDED
    assert list(audit.transitions.order_by("pk").values_list("to_status", flat=True)) == [
        "planned",
        "in_progress",
        "report_drafted",
        "submitted",
        "approved",
        "technical_review",
        "decided",
    ]


def test_the_seed_stage_2_follows_a_stage_1_approved_ready_within_the_interval(seeded):
    stage_2 = Audit.objects.get(client__name_zh="中食互联（北京）科技有限公司", start_date=datetime.date(2020, 1, 7))
    stage_1 = Audit.objects.get(client__name_zh="中食互联（北京）科技有限公司", start_date=datetime.date(2019, 12, 16))
    assert stage_1.programme == stage_2.programme and stage_1.end_date < stage_2.start_date
    assert stage_1.status == AuditStatus.APPROVED and stage_1.report.status == "approved"
    assert stage_1.stage_1_conclusion.outcome == Stage1Outcome.READY
    assert stage_1.planned_man_days + stage_2.planned_man_days == Decimal("2.5")  # the IAF MD 5 initial time
    assert rules.stage_2_refusals(stage_2) == []
    assert not rules.audit_time_summary(stage_2).has_flags


def test_the_seed_team_and_itinerary(seeded):
    audit = Audit.objects.get(client__name_zh="中食互联（北京）科技有限公司", start_date=datetime.date(2020, 1, 7))
    leader = audit.team.get()
    assert (leader.name, leader.role, leader.registration_number, leader.codes, leader.gender) == (
        "朱晓丽",
        TeamRole.LEADER,
        "2018-N1QMS-2205805",
        "33.02.01",
        "female",
    )
    assert leader.profile.user.username == "leader"
    # The seed's attachment 1 is its audit plan: both days on site, the opening meeting first,
    # the three departments of part 五 with their times, the closing meeting last; 朱晓丽 audits.
    items = list(audit.plan_items.select_related("department").order_by("order"))
    assert (items[0].kind, items[0].day, items[0].start_time) == ("opening", AUDIT_START, datetime.time(8, 30))
    assert (items[-1].kind, items[-1].day, items[-1].end_time) == ("closing", AUDIT_END, datetime.time(17, 0))
    departments = [item.department.name_zh for item in items[1:-1]]
    assert list(dict.fromkeys(departments)) == ["管理层", "综合部", "技术部"]
    assert {item.day for item in items} == {AUDIT_START, AUDIT_END}
    assert all(item.start_time and item.end_time for item in items)
    assert all(item.clauses.exists() for item in items[1:-1])
    assert {item.auditor for item in items} == {leader}


def test_running_the_demo_twice_changes_nothing(seeded):
    from django.apps import apps

    models = [m for m in apps.get_models() if m._meta.app_label == "audits"]
    before = {m._meta.label: m.objects.count() for m in models}
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert {m._meta.label: m.objects.count() for m in models} == before
