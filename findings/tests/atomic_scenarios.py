"""The findings app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from accounts.tests.factories import UserFactory
from audits.models import Audit, AuditStatus
from clients.tests.factories import DepartmentFactory
from core.access import Role
from core.tests.atomicity import leaves_files, scenarios
from findings import services
from findings.models import Finding, NonconformityDueRule
from standards.models import Clause

from .factories import answer, cast, make_nc, pdf_file, png_file

READS: dict[str, str] = {}
NOT_ATOMIC = {
    "nonconformity_reminders_send": (
        "the daily job: each NC's reminder row and its mail are one transaction of their own, so a mail "
        "that fails is tried again next run without undoing the reminders already sent"
    ),
}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}

UPLOADS = "an evidence file is stored before its row is written; nothing removes it when a later write fails"


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _clause(number="7.5.3"):
    return Clause.objects.get(standard__code="ISO 9001", number=number)


def _in_progress():
    people = cast(status=AuditStatus.IN_PROGRESS)
    return people, DepartmentFactory(client=people.audit.client, name_zh="综合部")


def _finding(people, department):
    return Finding.objects.create(
        audit=people.audit,
        clause=_clause(),
        department=department,
        description="文件版本不一致",
        evidence="查文件清单",
        recorded_by=people.member,
    )


def _approved_with_nc(grade="minor"):
    """An audit whose report is approved, with its one NC answered by the client."""
    people = cast(status=AuditStatus.APPROVED)
    nc = make_nc(people.audit, grade=grade, raised_by=people.member)
    answer(nc, people.client_user)
    return people, nc


# --- recording ---------------------------------------------------------------------------------


@leaves_files(UPLOADS)
def scenario_finding_create():
    people, department = _in_progress()
    return lambda: services.finding_create(
        audit=_fresh(people.audit),
        by=people.member,
        clause=_clause(),
        department=department,
        description="文件版本不一致",
        evidence="查文件清单",
        files=[pdf_file(), png_file()],
    )


@leaves_files(UPLOADS)
def scenario_finding_update():
    people, department = _in_progress()
    finding = _finding(people, department)
    return lambda: services.finding_update(
        finding=_fresh(finding),
        by=people.member,
        version=1,
        clause=_clause("7.5.2"),
        description="受控文件未标识版本",
        department=department,
        evidence="抽查三份文件",
        files=[pdf_file()],
    )


@leaves_files(UPLOADS)
def scenario_finding_evidence_add():
    people, department = _in_progress()
    finding = _finding(people, department)
    return lambda: services.finding_evidence_add(finding=_fresh(finding), uploaded_file=png_file(), by=people.member)


def scenario_nonconformity_raise():
    people, department = _in_progress()
    finding = _finding(people, department)
    make_nc(people.audit, raised_by=people.member)  # numbered after the audit's first
    return lambda: services.nonconformity_raise(
        finding=_fresh(finding),
        by=people.member,
        grade="minor",
        requirement="GB/T 19001-2016 7.5.3 要求",
        statement="文件版本不一致",
        evidence="查文件清单",
    )


# --- the client's response and its verification --------------------------------------------------


@leaves_files(UPLOADS)
def scenario_nonconformity_respond():
    people = cast(status=AuditStatus.APPROVED)
    nc = make_nc(people.audit, raised_by=people.member)
    return lambda: services.nonconformity_respond(
        nc=_fresh(nc),
        by=people.client_user,
        correction="已收回旧版手册",
        root_cause="发放记录未更新",
        corrective_action="修订文件控制程序，月度核查",
        files=[pdf_file(), png_file()],
        version=1,
    )


@leaves_files(UPLOADS)
def scenario_nc_evidence_add():
    people, nc = _approved_with_nc()
    response = nc.responses.get()
    return lambda: services.nc_evidence_add(response=_fresh(response), uploaded_file=pdf_file(), by=people.client_user)


def scenario_nonconformity_accept():
    # The audit's last open NC: accepting it also moves the audit to "nonconformities closed".
    people, nc = _approved_with_nc()
    return lambda: services.nonconformity_accept(
        nc=_fresh(nc), by=people.member, method="next_audit", note="下次审核验证"
    )


def scenario_nonconformity_reject():
    people, nc = _approved_with_nc()
    return lambda: services.nonconformity_reject(nc=_fresh(nc), by=people.member, reason="根本原因分析不充分")


def scenario_nonconformity_close():
    # A verified major, the audit's last: closing it also moves the audit on.
    people, nc = _approved_with_nc(grade="major")
    services.nonconformity_accept(nc=nc, by=people.member, method="on_site")
    assert Audit.objects.get(pk=people.audit.pk).status == AuditStatus.APPROVED
    return lambda: services.nonconformity_close(nc=_fresh(nc), by=people.leader, note="纠正措施有效")


def scenario_nonconformity_reject_closure():
    people, nc = _approved_with_nc(grade="major")
    services.nonconformity_accept(nc=nc, by=people.member, method="on_site")
    return lambda: services.nonconformity_reject_closure(
        nc=_fresh(nc), by=people.leader, reason="纠正措施未覆盖其他部门"
    )


# --- due-date rules ------------------------------------------------------------------------------


def scenario_nc_due_rule_save():
    by = UserFactory(role=Role.CB_ADMIN)
    rule = NonconformityDueRule.objects.create(grade="minor", audit_type="", days=90)
    return lambda: services.nc_due_rule_save(
        by=by, grade="minor", audit_type="", days=30, source="CB 程序文件 QP-12", rule=_fresh(rule)
    )


def scenario_nc_due_rule_delete():
    by = UserFactory(role=Role.CB_ADMIN)
    rule = NonconformityDueRule.objects.create(grade="major", audit_type="stage_2", days=60)
    return lambda: services.nc_due_rule_delete(by=by, rule=_fresh(rule))


def scenario_nonconformity_record_past_closure():
    # An open NC of an approved report: entering its past closure also moves the audit on.
    import datetime

    people = cast(status=AuditStatus.APPROVED, start_date=datetime.date(2020, 1, 7), end_date=datetime.date(2020, 1, 8))
    nc = make_nc(people.audit, grade="minor", raised_by=people.member)
    admin = UserFactory(role=Role.CB_ADMIN)
    day = datetime.date(2020, 1, 11)
    return lambda: services.nonconformity_record_past_closure(
        nc=nc,
        by=admin,
        correction="已补充培训记录",
        root_cause="培训计划未覆盖新员工",
        corrective_action="修订培训程序",
        responded_on=day,
        verified_on=day,
        closed_on=day,
        verified_by=people.leader,
        closed_by=people.leader,
    )


SCENARIOS = scenarios(globals())
