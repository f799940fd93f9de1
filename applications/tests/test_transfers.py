"""A transfer of certification (IAF MD 2) through the services: the pre-transfer review by a
competent reviewer, its outcome from the facts, proceeding (client, programme continuing the cycle,
the previous CB's surveillance as history), the committee's transfer decision and the certificate
that keeps the previous CB, certificate number, reason and expiry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications import services
from applications.models import ApplicationStatus, TransferReview
from audits import selectors as audit_selectors
from audits.models import AuditType
from certification import services as certification_services
from certification.models import Certificate, DecisionStatus
from certification.tests.factories import approver_user, committee_user

from . import factories as f

pytestmark = pytest.mark.django_db


def _reviewed(facts=None, points=None, **draft):
    admin = f.admin_user()
    application = f.transfer_under_review(admin=admin, **draft)
    rev = f.reviewer()
    services.transfer_review_save(
        application=application, facts=f.transfer_facts(**(facts or {})), points=points or f.TRANSFER_OK, by=rev
    )
    return application, admin, rev


def _approve(decision):
    on = timezone.localdate()
    certification_services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意转换", evaluated_on=on, by=committee_user()
    )
    certification_services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=on, by=approver_user()
    )


def test_a_transfer_without_an_audit_issues_a_certificate_that_keeps_the_previous_one():
    application, admin, rev = _reviewed()
    services.transfer_review_conclude(application=application, reasons="", by=rev)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED

    review = services.transfer_proceed(application=application, by=admin)
    application.refresh_from_db()
    assert review.audit is None and review.decision.decision_type == "transfer"
    programme = review.programme
    assert programme.starts_with_initial_audit is False
    assert programme.expires_on == application.existing_certificate_expires_on
    # The previous CB's first surveillance is history: the next audit due is the second surveillance.
    assert programme.audits.filter(audit_type=AuditType.SURVEILLANCE_1, imported=True).count() == 1
    schedule = audit_selectors.programme_schedule(programme=programme)
    pending = [entry.kind for entry in schedule if entry.status != "done"]
    assert AuditType.STAGE_1 not in [entry.kind for entry in schedule]
    assert pending[0] == AuditType.SURVEILLANCE_2

    _approve(review.decision)
    review.decision.refresh_from_db()
    assert review.decision.status == DecisionStatus.APPROVED
    certificate = Certificate.objects.get(decision=review.decision)
    assert certificate.client == application.client
    assert certificate.previous_cb == "某认证有限公司"
    assert certificate.previous_certificate_number == "01321Q12345R0S"
    assert certificate.transfer_reason == "服务地点更近"
    assert certificate.expires_on == application.existing_certificate_expires_on
    assert certificate.scope_zh == "软件开发"


def test_an_open_major_nonconformity_plans_a_transfer_audit_then_the_decision_follows_it():
    application, admin, rev = _reviewed(facts={"open_major_ncs": 1})
    services.transfer_review_conclude(application=application, reasons="需现场验证", by=rev)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED_CONDITIONS
    assert "2.1.2" in application.events.order_by("-pk").first().note
    review = services.transfer_proceed(application=application, by=admin)
    assert review.decision is None
    assert review.audit.audit_type == AuditType.TRANSFER
    assert review.audit.programme == review.programme
    with pytest.raises(ValidationError):  # the decision follows the audit's passed technical review
        services.transfer_decision_open(application=application, by=admin)


def test_a_suspended_certificate_is_declined_with_the_rule_shown_to_the_client():
    application, admin, rev = _reviewed(facts={"certificate_state": "suspended"})
    services.transfer_review_conclude(application=application, reasons="证书暂停中", by=rev)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    note = application.events.order_by("-pk").first().note
    assert "1.2" in note and "证书暂停中" in note
    with pytest.raises(ValidationError):
        services.transfer_proceed(application=application, by=admin)
    assert TransferReview.objects.get(application=application).outcome == "refused"


def test_an_expired_previous_certificate_is_refused_by_the_decision_too():
    from clients.tests.factories import ClientFactory

    admin = f.admin_user()
    standard = f.iso9001()
    with pytest.raises(ValidationError) as caught:
        certification_services.decision_open(
            decision_type="transfer",
            client=ClientFactory(),
            by=admin,
            standards=[standard],
            scopes={standard: ("软件开发", "")},
            transfer=certification_services.TransferFacts(
                previous_cb="某认证有限公司", previous_certificate_number="1", previous_expires_on=timezone.localdate()
            ),
        )
    assert "transfer" in caught.value.message_dict


def test_the_checklist_must_be_complete_and_only_a_competent_reviewer_concludes():
    incomplete = dict(f.TRANSFER_OK, reports={"ok": True, "remark": ""})
    application, admin, rev = _reviewed(points=incomplete)
    with pytest.raises(ValidationError):
        services.transfer_review_conclude(application=application, reasons="", by=rev)
    with pytest.raises(PermissionDenied):
        services.transfer_review_conclude(application=application, reasons="", by=f.reviewer(permission=False))
    with pytest.raises(PermissionDenied):
        services.transfer_review_save(application=application, facts={}, points=f.TRANSFER_OK, by=admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_a_second_surveillance_seen_needs_the_first_one_and_then_leaves_the_recertification_due():
    application, admin, rev = _reviewed(
        facts={
            "last_audit": "surveillance_2",
            "certificate_issued_on": timezone.localdate() - datetime.timedelta(days=800),
            "first_surveillance_on": timezone.localdate() - datetime.timedelta(days=450),
        }
    )
    services.transfer_review_conclude(application=application, reasons="", by=rev)
    review = services.transfer_proceed(application=application, by=admin)
    schedule = audit_selectors.programme_schedule(programme=review.programme)
    assert [entry.kind for entry in schedule if entry.status != "done"][0] == AuditType.RECERTIFICATION


def test_after_the_transfer_audit_the_decision_follows_it_and_issues_the_certificate():
    from .atomic_scenarios import transfer_audited

    application, admin = transfer_audited()
    review = services.transfer_decision_open(application=application, by=admin)
    assert review.decision.audit == review.audit
    with pytest.raises(ValidationError):  # once
        services.transfer_decision_open(application=application, by=admin)
    _approve(review.decision)
    certificate = Certificate.objects.get(decision=review.decision)
    assert certificate.previous_certificate_number == "01321Q12345R0S"
    review.audit.refresh_from_db()
    assert review.audit.status == "decided"


def test_a_transfer_without_its_review_cannot_proceed_nor_open_a_decision():
    admin = f.admin_user()
    application = f.transfer_under_review(admin=admin)
    with pytest.raises(ValidationError):
        services.transfer_proceed(application=application, by=admin)
    with pytest.raises(ValidationError):
        services.transfer_decision_open(application=application, by=admin)
