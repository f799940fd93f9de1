"""Test data for complaints and appeals, built through the services."""

import datetime
from typing import Any

from accounts.tests.factories import UserFactory
from certification.tests.factories import certified_client, committee_user, today
from complaints import services
from complaints.models import Complaint, ComplaintSource, ComplaintSubject
from core.access import Role


class Cast(dict):
    """The people around one certified client's complaint and appeal, as items and attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def cast() -> Cast:
    """A certified client (its certificate's grant decision approved five days ago, its stage 2
    led by ``leader``); a CB administrator; an uninvolved investigator and reviewer; another
    auditor; a committee member; the client's user and another client's user."""
    certified = certified_client(issued_on=today() - datetime.timedelta(days=5))
    decision = certified.decision
    return Cast(
        certified=certified,
        client=certified.client,
        certificate=certified.certificate,
        decision=decision,
        audit=certified.audit,
        leader=certified.audit.team.get().profile.user,
        evaluator=decision.evaluated_by,
        approver=decision.approved_by,
        admin=UserFactory(role=Role.CB_ADMIN),
        investigator=UserFactory(role=Role.AUDITOR, email="inv@example.com"),
        reviewer=UserFactory(role=Role.TEAM_LEADER),
        other_staff=UserFactory(role=Role.AUDITOR),
        committee=committee_user(),
        client_user=UserFactory(role=Role.CLIENT, client=certified.client),
        other_client_user=UserFactory(role=Role.CLIENT),
    )


def public_complaint(people: Cast | None = None, **kwargs: Any) -> Complaint:
    values: dict[str, Any] = {
        "source": ComplaintSource.PUBLIC,
        "subject": ComplaintSubject.CERTIFIED_CLIENT,
        "complainant_name": "王女士",
        "complainant_email": "wang@example.com",
        "summary": "获证组织发生生产安全事故",
        "description": "该公司仓库上月发生火灾，仍在宣传其职业健康安全管理体系认证。",
    }
    if people is not None:
        values["certificate_number_given"] = people.certificate.number
    values.update(kwargs)
    return services.complaint_submit(**values)


def complaint_in(status: str, people: Cast) -> Complaint:
    """A complaint about the cast's certified client brought to ``status`` through the services."""
    complaint = public_complaint(people)
    if status == "received":
        return complaint
    services.complaint_acknowledge(complaint=complaint, by=people.admin)
    if status == "acknowledged":
        return complaint
    if status == "rejected":
        return services.complaint_reject(complaint=complaint, by=people.admin, note="不属于认证活动")
    services.complaint_validate(complaint=complaint, by=people.admin, note="涉及获证组织")
    services.complaint_assign(complaint=complaint, investigator=people.investigator, by=people.admin)
    if status == "validated":
        return complaint
    services.complaint_investigate(complaint=complaint, by=people.admin)
    if status == "investigation":
        return complaint
    services.complaint_decide(
        complaint=complaint, by=people.investigator, findings="属实", outcome="upheld", decision_text="安排特殊审核"
    )
    if status == "decided":
        return complaint
    services.complaint_answer(complaint=complaint, by=people.admin, answer_text="已处理")
    if status == "answered":
        return complaint
    services.complaint_close(complaint=complaint, by=people.admin)
    assert status == "closed"
    return complaint


def appeal_in(status: str, people: Cast):
    appeal = services.appeal_submit(decision=people.decision, grounds="我们不同意该决定", by=people.client_user)
    if status == "received":
        return appeal
    services.appeal_assign(appeal=appeal, reviewer=people.reviewer, by=people.admin)
    services.appeal_review(appeal=appeal, by=people.admin)
    if status == "review":
        return appeal
    services.appeal_decide(appeal=appeal, by=people.reviewer, outcome="upheld", findings="决定正确")
    if status == "decided":
        return appeal
    services.appeal_answer(appeal=appeal, by=people.admin, answer_text="维持原决定")
    if status == "answered":
        return appeal
    services.appeal_close(appeal=appeal, by=people.admin)
    assert status == "closed"
    return appeal
