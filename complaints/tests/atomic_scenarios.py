"""The complaints app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

import datetime
from decimal import Decimal

from accounts.tests.factories import UserFactory
from certification.models import ReasonKind, StatusReason
from certification.tests.factories import today
from complaints import services
from core.access import Role
from core.tests.atomicity import leaves_files, scenarios, single_write
from findings.tests.factories import pdf_file
from people.tests.factories import ConflictOfInterestFactory

from .factories import appeal_in, cast, complaint_in, public_complaint

READS: dict[str, str] = {
    "find_certificate": "reads the certificate a complainant named",
    "complaint_reminders_send": "the daily job: it writes no row, it mails (beat runs it once a day)",
    "declarations_due": "the due list of declarations (a read)",
}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {
    "complaints.services.common": "helpers of the actions (numbers, the policy row, refusals)",
    "complaints.services.independence": "the independence rule and the lists it gives (reads)",
}


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def scenario_complaint_submit():
    people = cast()
    public_complaint(people)  # the second one is numbered after it
    return lambda: public_complaint(people)


def _move(status, call):
    def scenario():
        people = cast()
        complaint = complaint_in(status, people)
        return lambda: call(_fresh(complaint), people)

    return scenario


scenario_complaint_acknowledge = _move(
    "received", lambda c, p: services.complaint_acknowledge(complaint=c, by=p.admin, note="已收到")
)
scenario_complaint_validate = _move(
    "acknowledged", lambda c, p: services.complaint_validate(complaint=c, by=p.admin, note="属于认证活动")
)
scenario_complaint_reject = _move(
    "acknowledged", lambda c, p: services.complaint_reject(complaint=c, by=p.admin, note="与认证无关")
)
scenario_complaint_investigate = _move(
    "validated", lambda c, p: services.complaint_investigate(complaint=c, by=p.admin)
)
scenario_complaint_decide = _move(
    "investigation",
    lambda c, p: services.complaint_decide(
        complaint=c,
        by=p.investigator,
        findings="属实",
        outcome="upheld",
        decision_text="安排特殊审核",
        misuse_action="request",
        misuse_action_note="要求撤下宣传",
    ),
)
scenario_complaint_answer = _move(
    "decided", lambda c, p: services.complaint_answer(complaint=c, by=p.admin, answer_text="已处理")
)
scenario_complaint_close = _move("answered", lambda c, p: services.complaint_close(complaint=c, by=p.admin))
scenario_complaint_assign = single_write("an assignment writes the handler on the record, one row")(
    _move(
        "acknowledged",
        lambda c, p: services.complaint_assign(complaint=c, investigator=p.investigator, by=p.admin),
    )
)
scenario_complaint_open_special_audit = _move(
    "investigation",
    lambda c, p: services.complaint_open_special_audit(
        complaint=c,
        by=p.admin,
        start_date=today() + datetime.timedelta(days=20),
        end_date=today() + datetime.timedelta(days=20),
        on_site_days=Decimal("1"),
        man_days=Decimal("1"),
    ),
)
scenario_complaint_open_suspension = _move(
    "investigation",
    lambda c, p: services.complaint_open_suspension(
        complaint=c,
        by=p.admin,
        reason=StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, active=True).first(),
        suspension_ends_on=today() + datetime.timedelta(days=90),
    ),
)


def scenario_appeal_submit():
    people = cast()
    return lambda: services.appeal_submit(decision=people.decision, grounds="不同意", by=people.client_user)


def _appeal(status, call):
    def scenario():
        people = cast()
        appeal = appeal_in(status, people)
        return lambda: call(_fresh(appeal), people)

    return scenario


ASSIGN = "an assignment writes the handler on the record, one row"
scenario_appeal_assign = single_write(ASSIGN)(
    _appeal("received", lambda a, p: services.appeal_assign(appeal=a, reviewer=p.reviewer, by=p.admin))
)


def scenario_appeal_review():
    people = cast()
    appeal = appeal_in("received", people)
    services.appeal_assign(appeal=appeal, reviewer=people.reviewer, by=people.admin)
    return lambda: services.appeal_review(appeal=_fresh(appeal), by=people.admin)


scenario_appeal_decide = _appeal(
    "review", lambda a, p: services.appeal_decide(appeal=a, by=p.reviewer, outcome="changed", findings="应改变")
)
scenario_appeal_answer = _appeal(
    "decided", lambda a, p: services.appeal_answer(appeal=a, by=p.admin, answer_text="维持")
)
scenario_appeal_close = _appeal("answered", lambda a, p: services.appeal_close(appeal=a, by=p.admin))


def scenario_appeal_open_decision():
    """A grant appealed and changed: the new decision reduces the scope (the normal path)."""
    people = cast()
    appeal = appeal_in("review", people)
    services.appeal_decide(appeal=appeal, by=people.reviewer, outcome="changed", findings="范围应缩小")
    standard = people.certificate.standard
    return lambda: services.appeal_open_decision(
        appeal=_fresh(appeal),
        by=people.admin,
        decision_type="reduce_scope",
        certificates=[people.certificate],
        scopes={standard: ("软件开发", "Software development")},
        audit=None,
        review=None,
    )


# --- impartiality -------------------------------------------------------------------------------

ONE_ROW = "it writes one row"


def _admin():
    return UserFactory(role=Role.CB_ADMIN)


def _risk(admin):
    return services.risk_record(
        threat="familiarity",
        description="长期审核同一客户",
        likelihood=2,
        impact=2,
        control="轮换",
        next_review_on=today() + datetime.timedelta(days=90),
        by=admin,
    )


@single_write(ONE_ROW)
def scenario_risk_record():
    admin = _admin()
    return lambda: _risk(admin)


@single_write(ONE_ROW)
def scenario_risk_review():
    admin = _admin()
    risk = _risk(admin)
    return lambda: services.risk_review(
        risk=risk, likelihood=1, impact=2, control="轮换", next_review_on=today() + datetime.timedelta(days=9), by=admin
    )


def scenario_risks_from_conflicts():
    admin = _admin()
    ConflictOfInterestFactory(description="咨询", until=None)
    ConflictOfInterestFactory(description="亲属", until=None)
    return lambda: services.risks_from_conflicts(by=admin)


@single_write(ONE_ROW)
def scenario_committee_member_add():
    admin = _admin()
    return lambda: services.committee_member_add(name="赵委员", interest="行业协会", joined_on=today(), by=admin)


@leaves_files("the minutes are stored before the meeting's row; nothing removes them when a later write fails")
def scenario_meeting_record():
    admin = _admin()
    member = services.committee_member_add(name="赵委员", interest="行业协会", joined_on=today(), by=admin)
    return lambda: services.meeting_record(
        held_on=today(), summary="年度会议", attendees=[member], by=admin, minutes=pdf_file("minutes.pdf")
    )


def _meeting(admin):
    member = services.committee_member_add(name="赵委员", interest="行业协会", joined_on=today(), by=admin)
    return services.meeting_record(held_on=today(), summary="年度会议", attendees=[member], by=admin)


@single_write(ONE_ROW)
def scenario_meeting_action_add():
    admin = _admin()
    meeting = _meeting(admin)
    return lambda: services.meeting_action_add(
        meeting=meeting, description="更新风险", owner="质量部", due_on=today(), by=admin
    )


@single_write(ONE_ROW)
def scenario_meeting_action_done():
    admin = _admin()
    action = services.meeting_action_add(
        meeting=_meeting(admin), description="更新风险", owner="质量部", due_on=today(), by=admin
    )
    return lambda: services.meeting_action_done(action=action, by=admin)


@single_write("a signed declaration is one row (the policy is read, never written, by signing)")
def scenario_declaration_sign():
    user = UserFactory(role=Role.AUDITOR)
    return lambda: services.declaration_sign(by=user)


SCENARIOS = scenarios(globals())
