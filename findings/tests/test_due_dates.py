"""Due dates stored on NCs from the CB's rules, overdue in SQL and in Python, the due-date
rules' service, and the facts the report prints (七, 十二, 十五)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.tests.factories import AuditFactory, ClauseFactory, DepartmentFactory, UserFactory, iso9001
from core.access import Role
from findings import selectors as nc_selectors
from findings import services as nc_services
from findings.models import Nonconformity, NonconformityDueRule

from .factories import make_nc

pytestmark = pytest.mark.django_db

D = datetime.date
END = D(2030, 3, 5)


def audit_of(audit_type="stage_2", **kwargs):
    return AuditFactory(audit_type=audit_type, start_date=END - datetime.timedelta(days=1), end_date=END, **kwargs)


def admin():
    return UserFactory(role=Role.CB_ADMIN)


def test_nc_gets_the_default_due_date_when_raised():
    audit = audit_of("surveillance_1")
    assert make_nc(audit, grade="minor").due_date == D(2030, 6, 3)  # 90 days
    assert make_nc(audit, grade="major").due_date == D(2030, 5, 4)  # 60 days
    assert make_nc(audit, grade="observation").due_date is None


def test_nc_gets_the_cbs_rule_for_its_grade_and_audit_type():
    by = admin()
    nc_services.nc_due_rule_save(by=by, grade="minor", audit_type="", days=30, source="CB 程序文件 QP-12")
    nc_services.nc_due_rule_save(by=by, grade="minor", audit_type="surveillance_1", days=45)
    assert make_nc(audit_of("surveillance_1"), grade="minor").due_date == END + datetime.timedelta(days=45)
    assert make_nc(audit_of("recertification"), grade="minor").due_date == END + datetime.timedelta(days=30)


def test_stage_2_major_is_due_at_most_six_months_after_stage_2():
    nc_services.nc_due_rule_save(by=admin(), grade="major", audit_type="stage_2", days=365)
    assert make_nc(audit_of("stage_2"), grade="major").due_date == D(2030, 9, 5)


def test_changing_a_rule_does_not_move_existing_due_dates():
    audit = audit_of("surveillance_1")
    nc = make_nc(audit, grade="minor")
    nc_services.nc_due_rule_save(by=admin(), grade="minor", days=10)
    nc.refresh_from_db()
    assert nc.due_date == D(2030, 6, 3)
    assert make_nc(audit, grade="minor").due_date == END + datetime.timedelta(days=10)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE, Role.CLIENT])
def test_only_a_cb_administrator_sets_the_rules(role):
    with pytest.raises(PermissionDenied):
        nc_services.nc_due_rule_save(by=UserFactory(role=role), grade="minor", days=30)
    assert not NonconformityDueRule.objects.exists()


def test_rules_are_for_majors_and_minors_once_per_audit_type():
    by = admin()
    with pytest.raises(ValidationError):
        nc_services.nc_due_rule_save(by=by, grade="observation", days=30)
    with pytest.raises(ValidationError):
        nc_services.nc_due_rule_save(by=by, grade="minor", days=0)
    nc_services.nc_due_rule_save(by=by, grade="minor", audit_type="stage_2", days=30)
    with pytest.raises(ValidationError):
        nc_services.nc_due_rule_save(by=by, grade="minor", audit_type="stage_2", days=40)
    rule = NonconformityDueRule.objects.get()
    nc_services.nc_due_rule_save(by=by, grade="minor", audit_type="stage_2", days=40, rule=rule)
    rule.refresh_from_db()
    assert rule.days == 40
    assert rule.history.first().history_user == by


def test_overdue_in_the_database_agrees_with_the_rule(monkeypatch):
    audit = audit_of("surveillance_1")
    ncs = {
        "open_past": make_nc(audit, due_date=D(2030, 4, 1)),
        "open_today": make_nc(audit, due_date=D(2030, 4, 10)),
        "responded_past": make_nc(audit, due_date=D(2030, 4, 1), status="responded"),
        "verified_past": make_nc(audit, due_date=D(2030, 4, 1), status="verified"),
        "closed_past": make_nc(audit, due_date=D(2030, 4, 1), status="closed"),
        "observation": make_nc(audit, grade="observation"),
    }
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2030, 4, 10))
    overdue = set(Nonconformity.objects.filter(nc_selectors.overdue_q()).values_list("pk", flat=True))
    assert overdue == {ncs["open_past"].pk, ncs["responded_past"].pk}
    flagged = nc_selectors.with_flags(list(Nonconformity.objects.select_related("audit")))
    assert {nc.pk for nc in flagged if nc.is_overdue} == overdue
    assert {nc.pk for nc in flagged if nc.suspension_grounds} == overdue  # a surveillance audit
    assert {nc.pk: nc.days_overdue for nc in flagged if nc.is_overdue} == dict.fromkeys(overdue, 9)


def test_only_surveillance_ncs_are_grounds_for_suspension(monkeypatch):
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2031, 1, 1))
    surveillance = make_nc(audit_of("surveillance_2"), due_date=D(2030, 4, 1))
    make_nc(audit_of("stage_2"), due_date=D(2030, 4, 1))
    assert list(Nonconformity.objects.filter(nc_selectors.suspension_grounds_q())) == [surveillance]


def test_stage_2_major_unverified_after_six_months_requires_a_new_stage_2(monkeypatch):
    nc = make_nc(audit_of("stage_2"), grade="major")
    monkeypatch.setattr(nc_selectors, "today", lambda: D(2030, 9, 6))
    flagged = nc_selectors.with_flags([Nonconformity.objects.select_related("audit").get(pk=nc.pk)])[0]
    assert flagged.stage2_limit == D(2030, 9, 5)
    assert flagged.new_stage2_required is True


# --- the report's facts -------------------------------------------------------------------------


def test_report_facts_count_by_grade_family_department_and_clause():
    audit = audit_of("stage_2")
    sales = DepartmentFactory(client=audit.client, name_zh="销售部")
    dev = DepartmentFactory(client=audit.client, name_zh="研发部")
    c753 = ClauseFactory(standard=iso9001(), number="7.5.3")
    c93 = ClauseFactory(standard=iso9001(), number="9.3")
    make_nc(audit, grade="minor", department=sales, clause=c753, status="verified")
    make_nc(audit, grade="minor", department=dev, clause=c753, status="open")
    make_nc(audit, grade="major", department=sales, clause=c93, status="closed")
    make_nc(audit, grade="observation", department=dev, clause=c93)
    make_nc(audit, grade="minor", family="EMS", department=dev, clause=c93, status="closed")
    facts = nc_selectors.audit_report_facts(audit)
    assert facts["nonconformities.count"] == 5
    assert (
        facts["nonconformities.major_count"],
        facts["nonconformities.minor_count"],
        facts["nonconformities.observation_count"],
    ) == (1, 3, 1)
    assert facts["nonconformities.clauses"] == ["7.5.3", "9.3"]
    assert {row["department"]: row["count"] for row in facts["nonconformities.by_department"]} == {
        sales.name: 2,
        dev.name: 3,
    }
    sales_row = next(row for row in facts["nonconformities.by_department"] if row["department"] == sales.name)
    assert (sales_row["major_count"], sales_row["minor_count"], sales_row["observation_count"]) == (1, 1, 0)
    assert {row["clause"]: row["count"] for row in facts["nonconformities.by_clause"]} == {
        "QMS 7.5.3": 2,
        "QMS 9.3": 2,
        "EMS 9.3": 1,
    }
    # 十五: one QMS minor is still open → issues remain; every EMS one is closed → verified.
    assert facts["nonconformities.by_family.QMS.minor_count"] == 2
    assert facts["nonconformities.by_family.QMS.major_count"] == 1
    assert facts["nonconformities.by_family.QMS.result"] == "issues_remain"
    assert facts["nonconformities.by_family.EMS.result"] == "verified"
    assert facts["nonconformities.by_family.EMS.major_count"] is None  # printed blank, not 0
    # 十二: the due days for this audit's type.
    assert (facts["settings.nc_due_days.minor"], facts["settings.nc_due_days.major"]) == (90, 60)


def test_readiness_needs_majors_closed_and_minors_accepted():
    audit = audit_of("stage_2")
    minor = make_nc(audit, grade="minor", status="verified")
    major = make_nc(audit, grade="major", status="verified")
    make_nc(audit, grade="observation")
    readiness = nc_selectors.audit_nc_readiness(audit=audit)
    assert not readiness.ready and readiness.blocking == [major]
    major.status = "closed"
    major.save()
    assert nc_selectors.audit_nc_readiness(audit=audit).ready
    minor.status = "responded"
    minor.save()
    assert nc_selectors.audit_nc_readiness(audit=audit).blocking == [minor]
