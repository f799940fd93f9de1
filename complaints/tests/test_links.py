"""What complaints and appeals lead to, through the existing paths: a special audit and a
suspension decision from a complaint about a certified client; the new decision of an appeal
whose decision is changed (a refusal turned into a grant: the certificate is issued)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, AuditType
from certification import services as cert_services
from certification.models import Certificate, CertificateStatus, DecisionStatus, DecisionType, ReasonKind, StatusReason
from certification.tests.factories import committee_user, decide, pass_review, review_cast, today
from complaints import services
from core.access import Role

from .factories import cast, complaint_in

pytestmark = pytest.mark.django_db


def test_a_complaint_about_a_certified_client_opens_a_special_audit_and_a_suspension():
    people = cast()
    complaint = complaint_in("investigation", people)
    services.complaint_open_special_audit(
        complaint=complaint,
        by=people.admin,
        start_date=today() + datetime.timedelta(days=14),
        end_date=today() + datetime.timedelta(days=14),
        on_site_days=Decimal("1"),
        man_days=Decimal("1"),
    )
    complaint.refresh_from_db()
    audit = complaint.special_audit
    assert (audit.audit_type, audit.status, audit.client) == (AuditType.SPECIAL, AuditStatus.PLANNED, people.client)
    assert audit.programme == people.certificate.programme
    assert list(audit.standards.all()) == [people.certificate.standard]

    reason = StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, active=True).first()
    services.complaint_open_suspension(
        complaint=complaint, by=people.admin, reason=reason, suspension_ends_on=today() + datetime.timedelta(days=90)
    )
    complaint.refresh_from_db()
    decision = complaint.suspension_decision
    assert (decision.decision_type, decision.status) == (DecisionType.SUSPEND, DecisionStatus.AWAITING_EVALUATION)
    assert list(decision.certificates.all()) == [people.certificate]
    # The committee decides through the normal path; the certificate is suspended.
    cert_services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=committee_user()
    )
    from certification.tests.factories import approver_user

    cert_services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=today(), by=approver_user()
    )
    people.certificate.refresh_from_db()
    assert people.certificate.status == CertificateStatus.SUSPENDED
    with pytest.raises(ValidationError) as refused:
        services.complaint_open_suspension(
            complaint=complaint, by=people.admin, reason=reason, suspension_ends_on=today()
        )
    assert refused.value.code == "already_done"


def test_a_serious_misuse_leads_to_a_withdrawal_decision():
    people = cast()
    complaint = complaint_in("investigation", people)
    with pytest.raises(ValidationError):  # a suspension's reason list does not fit a withdrawal
        services.complaint_open_suspension(
            complaint=complaint,
            by=people.admin,
            decision_type="withdraw",
            reason=StatusReason.objects.filter(kind=ReasonKind.SUSPENSION).first(),
        )
    services.complaint_open_suspension(
        complaint=complaint,
        by=people.admin,
        decision_type="withdraw",
        reason=StatusReason.objects.filter(kind=ReasonKind.WITHDRAWAL, active=True).first(),
    )
    complaint.refresh_from_db()
    assert complaint.suspension_decision.decision_type == DecisionType.WITHDRAW


def test_a_rejected_complaint_leads_to_nothing():
    people = cast()
    complaint = complaint_in("rejected", people)
    with pytest.raises(ValidationError) as refused:
        services.complaint_open_suspension(
            complaint=complaint,
            by=people.admin,
            reason=StatusReason.objects.filter(kind=ReasonKind.SUSPENSION).first(),
            suspension_ends_on=today() + datetime.timedelta(days=30),
        )
    assert refused.value.code == "wrong_status"


def test_an_appeal_of_a_refusal_changed_by_an_uninvolved_reviewer_leads_to_a_grant_and_a_certificate():
    rc = review_cast()
    review = pass_review(rc)
    refusal = decide(
        decision_type=DecisionType.REFUSE,
        client=rc.audit.client,
        opened_by=rc.admin,
        evaluator=rc.evaluator,
        approver=rc.approver,
        audit=rc.audit,
        review=review,
    )
    rc.audit.refresh_from_db()
    assert rc.audit.status == AuditStatus.DECIDED
    client_user = UserFactory(role=Role.CLIENT, client=rc.audit.client)
    appeal = services.appeal_submit(decision=refusal, grounds="审核组建议推荐注册，拒绝理由不成立", by=client_user)

    for involved in (rc.evaluator, rc.approver, rc.leader, rc.auditor, rc.reviewer):
        with pytest.raises(ValidationError) as refused:
            services.appeal_assign(appeal=appeal, reviewer=involved, by=rc.admin)
        assert refused.value.code == "not_independent"
    reviewer = UserFactory(role=Role.COMMITTEE)
    services.appeal_assign(appeal=appeal, reviewer=reviewer, by=rc.admin)
    services.appeal_review(appeal=appeal, by=rc.admin)
    services.appeal_decide(appeal=appeal, by=reviewer, outcome="changed", findings="证据支持注册")
    with pytest.raises(ValidationError) as refused:
        services.appeal_answer(appeal=appeal, by=rc.admin, answer_text="改变决定")
    assert refused.value.code == "no_new_decision"

    grant = services.appeal_open_decision(appeal=appeal, by=rc.admin, decision_type=DecisionType.GRANT)
    rc.audit.refresh_from_db()
    assert rc.audit.status == AuditStatus.TECHNICAL_REVIEW
    assert rc.audit.transitions.order_by("-pk").first().action == "reopened_on_appeal"
    cert_services.decision_evaluate(
        decision=grant, conclusion="agree", remarks="同意", evaluated_on=today(), by=committee_user()
    )
    cert_services.decision_approve(
        decision=grant, conclusion="approve", remarks="批准", approved_on=today(), by=rc.approver
    )
    certificate = Certificate.objects.get(client=rc.audit.client)
    assert certificate.status == CertificateStatus.VALID
    services.appeal_answer(appeal=appeal, by=rc.admin, answer_text="决定已改变，证书已颁发")
    services.appeal_close(appeal=appeal, by=rc.admin)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.new_decision) == ("closed", grant)
    assert [e.by for e in appeal.events.order_by("pk")] == [client_user, rc.admin, reviewer, rc.admin, rc.admin]
