"""The committee's decision in two steps (evaluation, approval) and what each decision type does
to certificates, statuses, dates and the audit programme."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import AuditProgramme, AuditStatus, AuditType
from audits.selectors import programme_schedule
from certification import rules, services
from certification.certificate_pdfs import tasks as pdf_tasks
from certification.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    CertificationPolicy,
    DecisionStatus,
    DecisionType,
)
from certification.tests.factories import (
    CommitteeFlagFactory,
    SiteFactory,
    certified_client,
    committee_user,
    decide,
    grant,
    iso9001,
    iso14001,
    pass_review,
    review_cast,
    suspension_reason,
    withdrawal_reason,
)
from clients.models import SiteKind

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def today():
    return services._today()


def error_codes(caught):
    error = caught.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def at(monkeypatch):
    """Set the services' today (dates after the real today: reviews are concluded now)."""

    def set_today(day):
        monkeypatch.setattr(services.base, "today", lambda: day)
        return day

    return set_today


def follow_up(certified, audit_type, **kwargs):
    """A cast around a new audit of a certified client's programme (report approved)."""
    return review_cast(
        client=certified.client,
        programme=certified.programme,
        audit_type=audit_type,
        standards=[certified.certificate.standard],
        **kwargs,
    )


def by_cast(cast, decision_type, **kwargs):
    return decide(
        decision_type=decision_type,
        client=cast.audit.client,
        opened_by=cast.admin,
        evaluator=cast.evaluator,
        approver=cast.approver,
        **kwargs,
    )


# --- the two steps --------------------------------------------------------------------------


def test_evaluation_then_approval_moves_the_decision_along():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    assert decision.status == DecisionStatus.AWAITING_EVALUATION
    services.decision_evaluate(
        decision=decision,
        conclusion="agree",
        remarks="同意注册",
        evaluated_on=today(),
        by=cast.evaluator,
        closing_meeting_differences="无",
        other_remarks="无",
        version=decision.version,
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL and decision.evaluated_by == cast.evaluator
    services.decision_approve(
        decision=decision,
        conclusion="approve",
        remarks="",
        approved_on=today(),
        by=cast.approver,
        version=decision.version,
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.approved_by == cast.approver
    assert decision.history.count() >= 3


def test_a_stale_version_is_refused():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_remarks_save(
        decision=decision, closing_meeting_differences="无", other_remarks="", by=cast.evaluator, version=1
    )
    with pytest.raises(ValidationError) as caught:
        services.decision_evaluate(
            decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator, version=1
        )
    assert "stale" in error_codes(caught)


def test_only_the_committee_evaluates_and_only_holders_of_the_permission_approve():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    with pytest.raises(PermissionDenied):
        services.decision_evaluate(
            decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.admin
        )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator
    )
    with pytest.raises(PermissionDenied):
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=today(), by=committee_user()
        )


def test_approval_cannot_precede_the_evaluation_nor_lie_in_the_future(at):
    at(today() + 10 * DAY)
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator
    )
    with pytest.raises(ValidationError) as caught:
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=today() - DAY, by=cast.approver
        )
    assert "before_evaluation" in error_codes(caught)
    with pytest.raises(ValidationError) as caught:
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=today() + DAY, by=cast.approver
        )
    assert "date_in_future" in error_codes(caught)


def test_a_decision_not_approved_changes_no_certificate_and_leaves_the_audit_waiting():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator
    )
    with pytest.raises(ValidationError):  # a refusal says why
        services.decision_approve(
            decision=decision, conclusion="not_approve", remarks="", approved_on=today(), by=cast.approver
        )
    services.decision_approve(
        decision=decision, conclusion="not_approve", remarks="需补充审核", approved_on=today(), by=cast.approver
    )
    decision.refresh_from_db()
    cast.audit.refresh_from_db()
    assert decision.status == DecisionStatus.NOT_APPROVED and not Certificate.objects.exists()
    assert cast.audit.status == AuditStatus.TECHNICAL_REVIEW


def test_an_approved_disagreement_refuses_certification():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="disagree", remarks="范围不清", evaluated_on=today(), by=cast.evaluator
    )
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="", approved_on=today(), by=cast.approver
    )
    decision.refresh_from_db()
    cast.audit.refresh_from_db()
    assert decision.status == DecisionStatus.NOT_APPROVED and not Certificate.objects.exists()
    assert cast.audit.status == AuditStatus.DECIDED


# --- grant ----------------------------------------------------------------------------------


def test_grant_issues_one_certificate_per_standard_and_anchors_the_programme():
    cast = review_cast(standards=[iso9001(), iso14001()])
    decision = grant(cast)
    certificates = list(decision.issued_certificates.order_by("standard_code"))
    assert [c.standard_code for c in certificates] == ["E1", "Q1"]
    policy = CertificationPolicy.objects.current()
    for certificate in certificates:
        assert certificate.status == CertificateStatus.VALID and certificate.recertification_count == 0
        assert certificate.issued_on == decision.approved_on == certificate.first_issued_on
        assert certificate.expires_on == rules.expiry(certificate.issued_on, policy)
        assert certificate.holder_name_zh == cast.audit.client.name_zh and certificate.address_zh
        assert certificate.technical_codes == "33.02.01" and certificate.scope_zh == "基础软件服务"
        change = certificate.status_changes.get()
        assert (change.from_status, change.to_status, change.by, change.decision) == (
            "",
            "01",
            cast.approver,
            decision,
        )
    programme = AuditProgramme.objects.get(pk=cast.audit.programme_id)
    assert programme.decision_on == decision.approved_on
    assert programme.certificate_issued_on == certificates[0].issued_on
    assert programme.expires_on == certificates[0].expires_on
    cast.audit.refresh_from_db()
    assert cast.audit.status == AuditStatus.DECIDED
    surveillance = next(e for e in programme_schedule(programme=programme) if e.kind == AuditType.SURVEILLANCE_1)
    assert surveillance.due_by == datetime.date(
        programme.certificate_issued_on.year + 1, *programme.certificate_issued_on.timetuple()[1:3]
    )


def test_the_issue_date_may_follow_the_decision_but_never_precede_it(at):
    at(today() + 5 * DAY)
    cast = review_cast()
    decision = grant(cast, issued_on=today() + 3 * DAY)
    certificate = decision.issued_certificates.get()
    assert certificate.issued_on == decision.approved_on + 3 * DAY
    assert certificate.expires_on == rules.expiry(certificate.issued_on)

    other = review_cast()
    with pytest.raises(ValidationError) as caught:
        grant(other, issued_on=today() - DAY)
    assert "issue_before_decision" in error_codes(caught)
    assert not Certificate.objects.filter(client=other.audit.client).exists()


def test_grant_needs_a_passed_review_and_a_refusal_follows_a_failed_one():
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.REFUSE, client=cast.audit.client, audit=cast.audit, by=cast.admin
        )
    assert "review_open" in error_codes(caught)
    services.review_conclude(review=review, passed=False, remark="严重不符合未关闭", by=cast.reviewer)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, by=cast.admin
        )
    assert "review_not_passed" in error_codes(caught)
    decision = by_cast(cast, DecisionType.REFUSE, audit=cast.audit)
    cast.audit.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and cast.audit.status == AuditStatus.DECIDED
    assert not Certificate.objects.exists()


def test_a_client_holding_a_certificate_is_not_granted_a_second_one():
    certified = certified_client()
    cast = follow_up(certified, AuditType.STAGE_2)
    review = pass_review(cast)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.GRANT, client=certified.client, audit=cast.audit, review=review, by=cast.admin
        )
    assert "already_certified" in error_codes(caught)


def test_grant_needs_an_audit_of_a_fitting_type():
    cast = review_cast(audit_type=AuditType.SURVEILLANCE_1)
    review = pass_review(cast)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
        )
    assert "wrong_audit_type" in error_codes(caught)


def test_approval_queues_the_certificate_pdfs_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(pdf_tasks.issue_certificate_pdfs, "delay", lambda ids, user_id: queued.append((ids, user_id)))
    cast = review_cast()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision = grant(cast)
        assert queued == []  # nothing before the commit
    assert callbacks
    assert queued == [([decision.issued_certificates.get().pk], cast.approver.pk)]


# --- multi-site -------------------------------------------------------------------------------


def test_branch_sites_get_sub_certificates_that_follow_the_main_one():
    cast = review_cast()
    SiteFactory(client=cast.audit.client, kind=SiteKind.BRANCH, name="上海分公司")
    SiteFactory(client=cast.audit.client, kind=SiteKind.OPERATING, name="经营地址")
    decision = grant(cast)
    main = decision.issued_certificates.get(main_certificate=None)
    sub = decision.issued_certificates.get(main_certificate=main)
    assert sub.number == f"{main.number}-1" and sub.site.name == "上海分公司"
    assert len(main.sites) == 3 and len(sub.sites) == 1
    suspend = decide(
        decision_type=DecisionType.SUSPEND,
        client=cast.audit.client,
        opened_by=cast.admin,
        evaluator=cast.evaluator,
        approver=cast.approver,
        certificates=[main],
        reason=suspension_reason("0116"),
        suspension_ends_on=today() + 30 * DAY,
    )
    sub.refresh_from_db()
    assert sub.status == CertificateStatus.SUSPENDED and sub.status_changes.last().decision == suspend


# --- maintain -------------------------------------------------------------------------------


def test_maintain_after_surveillance_decides_the_audit_and_leaves_the_certificate_alone():
    certified = certified_client()
    cast = follow_up(certified, AuditType.SURVEILLANCE_1)
    pass_review(cast)
    decision = by_cast(cast, DecisionType.MAINTAIN, audit=cast.audit)
    certificate = Certificate.objects.get(pk=certified.certificate.pk)
    cast.audit.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and list(decision.certificates.all()) == [certificate]
    assert certificate.status == CertificateStatus.VALID and certificate.status_changes.count() == 1
    assert cast.audit.status == AuditStatus.DECIDED and not decision.issued_certificates.exists()


# --- renew ----------------------------------------------------------------------------------


def renewal_case(at, *, issued_on, decide_on):
    certified = certified_client(issued_on=issued_on)
    at(decide_on)
    cast = follow_up(certified, AuditType.RECERTIFICATION)
    pass_review(cast)
    return certified, cast


def test_renewal_before_expiry_continues_the_cycle(at):
    issued = today() + 400 * DAY
    certified, cast = renewal_case(at, issued_on=issued, decide_on=rules.expiry(issued) - 30 * DAY)
    old = certified.certificate
    decision = by_cast(cast, DecisionType.RENEW, audit=cast.audit)
    new = decision.issued_certificates.get()
    old.refresh_from_db()
    assert (new.year, new.standard_code, new.serial) == (old.year, old.standard_code, old.serial)
    assert new.recertification_count == 1 and new.number == old.number.replace("R0", "R1")
    assert new.replaces == old and new.first_issued_on == old.first_issued_on
    assert new.issued_on == decision.approved_on
    assert new.expires_on == rules.renewal_expiry(old.expires_on)
    assert old.status == CertificateStatus.CANCELLED
    change = old.status_changes.last()
    assert (change.from_status, change.to_status, change.reason.code, change.decision) == ("01", "04", "0120", decision)
    old_programme = AuditProgramme.objects.get(pk=certified.programme.pk)
    assert not old_programme.active
    programme = new.programme
    assert programme.cycle == 2 and not programme.starts_with_initial_audit and programme.active
    assert (programme.decision_on, programme.certificate_issued_on, programme.expires_on) == (
        decision.approved_on,
        new.issued_on,
        new.expires_on,
    )
    assert set(programme.standards.all()) == set(old_programme.standards.all())


def test_renewal_on_the_expiry_day_is_still_in_time(at):
    issued = today() + 400 * DAY
    expiry = rules.expiry(issued)
    _certified, cast = renewal_case(at, issued_on=issued, decide_on=expiry)
    decision = by_cast(cast, DecisionType.RENEW, audit=cast.audit)
    assert decision.issued_certificates.get().recertification_count == 1


def test_renewal_the_day_after_expiry_is_refused_with_what_the_rules_require(at):
    issued = today() + 400 * DAY
    certified, cast = renewal_case(at, issued_on=issued, decide_on=rules.expiry(issued) + DAY)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.RENEW, client=certified.client, audit=cast.audit, by=cast.admin
        )
    assert "expired" in error_codes(caught)
    assert "certified again as an initial certification" in " ".join(caught.value.messages)


def test_renewal_opened_in_time_but_approved_after_expiry_is_refused(at):
    issued = today() + 400 * DAY
    expiry = rules.expiry(issued)
    certified, cast = renewal_case(at, issued_on=issued, decide_on=expiry)
    decision = services.decision_open(
        decision_type=DecisionType.RENEW, client=certified.client, audit=cast.audit, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=expiry, by=cast.evaluator
    )
    at(expiry + DAY)
    with pytest.raises(ValidationError) as caught:
        services.decision_approve(
            decision=decision, conclusion="approve", remarks="", approved_on=expiry + DAY, by=cast.approver
        )
    assert "expired" in error_codes(caught)
    assert Certificate.objects.get(pk=certified.certificate.pk).status == CertificateStatus.VALID


def test_renewal_of_a_certificate_issued_on_a_leap_day(at):
    issued = D(2032, 2, 29)
    assert rules.expiry(issued) == D(2035, 2, 28)
    _certified, cast = renewal_case(at, issued_on=issued, decide_on=D(2035, 2, 28))
    new = by_cast(cast, DecisionType.RENEW, audit=cast.audit).issued_certificates.get()
    assert new.issued_on == D(2035, 2, 28) and new.expires_on == D(2038, 2, 28)


def test_renewal_approved_in_time_replaces_a_certificate_the_job_already_expired(at):
    issued = today() + 400 * DAY
    expiry = rules.expiry(issued)
    certified, cast = renewal_case(at, issued_on=issued, decide_on=expiry)
    decision = services.decision_open(
        decision_type=DecisionType.RENEW, client=certified.client, audit=cast.audit, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=expiry, by=cast.evaluator
    )
    services.certification_daily(today=expiry + DAY)
    at(expiry + DAY)
    services.decision_approve(
        decision=decision,
        conclusion="approve",
        remarks="",
        approved_on=expiry,
        by=cast.approver,
        issued_on=expiry + DAY,
    )
    old = Certificate.objects.get(pk=certified.certificate.pk)
    assert [c.to_status for c in old.status_changes.all()] == ["01", "05", "04"]


# --- scope ----------------------------------------------------------------------------------


def test_extending_the_scope_reissues_the_certificate_under_its_number():
    certified = certified_client()
    cast = follow_up(certified, AuditType.SCOPE_EXTENSION)
    pass_review(cast)
    decision = by_cast(
        cast,
        DecisionType.EXTEND_SCOPE,
        audit=cast.audit,
        scopes={certified.certificate.standard: ("基础软件服务；信息系统集成服务", "Software; system integration")},
    )
    old = Certificate.objects.get(pk=certified.certificate.pk)
    new = decision.issued_certificates.get()
    assert (new.number, new.reissue, new.replaces) == (old.number, 1, old)
    assert new.scope_zh == "基础软件服务；信息系统集成服务" and new.expires_on == old.expires_on
    assert new.is_reissue and new.first_issued_on == old.first_issued_on
    assert old.status == CertificateStatus.CANCELLED and old.status_changes.last().reason.code == "0120"


def test_reducing_the_scope_needs_no_audit_and_a_new_scope(cast_admin_committee):
    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED)
    admin, evaluator, approver = cast_admin_committee
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.REDUCE_SCOPE,
            client=certified.client,
            certificates=[certified.certificate],
            by=admin,
        )
    assert "scope_required" in error_codes(caught)
    decision = decide(
        decision_type=DecisionType.REDUCE_SCOPE,
        client=certified.client,
        opened_by=admin,
        evaluator=evaluator,
        approver=approver,
        certificates=[certified.certificate],
        scopes={certified.certificate.standard_id: ("软件开发", "")},
    )
    new = decision.issued_certificates.get()
    assert new.reissue == 1 and new.scope_zh == "软件开发"


# --- suspend, restore, withdraw --------------------------------------------------------------


@pytest.fixture
def cast_admin_committee():
    from certification.tests.factories import UserFactory, approver_user
    from core.access import Role

    return UserFactory(role=Role.CB_ADMIN), committee_user(), approver_user()


def status_decision(people, certified, decision_type, **kwargs):
    admin, evaluator, approver = people
    return decide(
        decision_type=decision_type,
        client=certified.client,
        opened_by=admin,
        evaluator=evaluator,
        approver=approver,
        certificates=[certified.certificate],
        **kwargs,
    )


def test_suspension_records_status_reason_and_end_and_the_programme_expects_a_special_audit(cast_admin_committee):
    certified = certified_client()
    ends = today() + 90 * DAY
    decision = status_decision(
        cast_admin_committee, certified, DecisionType.SUSPEND, reason=suspension_reason("0112"), suspension_ends_on=ends
    )
    certificate = Certificate.objects.get(pk=certified.certificate.pk)
    assert (certificate.status, certificate.suspended_until, certificate.status_since) == (
        "02",
        ends,
        decision.approved_on,
    )
    change = certificate.status_changes.last()
    assert (
        change.from_status,
        change.to_status,
        change.reason.code,
        change.effective_on,
        change.by,
        change.suspension_ends_on,
    ) == (
        "01",
        "02",
        "0112",
        decision.approved_on,
        cast_admin_committee[2],
        ends,
    )
    first = programme_schedule(programme=certified.programme)[0]
    assert first.kind == AuditType.SPECIAL and first.due_by == ends and "suspension" in first.label


def test_a_suspension_lasts_at_most_the_policy_limit_and_takes_a_suspension_reason(cast_admin_committee):
    certified = certified_client()
    admin = cast_admin_committee[0]
    limit = rules.suspension_limit(today())
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.SUSPEND,
            client=certified.client,
            certificates=[certified.certificate],
            by=admin,
            reason=suspension_reason(),
            suspension_ends_on=limit + DAY,
        )
    assert "suspension_too_long" in error_codes(caught)
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.SUSPEND,
            client=certified.client,
            certificates=[certified.certificate],
            by=admin,
            reason=withdrawal_reason(),
            suspension_ends_on=limit,
        )
    assert "wrong_reason" in error_codes(caught)
    policy = CertificationPolicy.objects.current()
    policy.max_suspension_months = 12
    policy.save()
    services.decision_open(
        decision_type=DecisionType.SUSPEND,
        client=certified.client,
        certificates=[certified.certificate],
        by=admin,
        reason=suspension_reason(),
        suspension_ends_on=limit + DAY,
    )


def test_restoration_makes_a_suspended_certificate_valid_again(cast_admin_committee):
    certified = certified_client()
    status_decision(
        cast_admin_committee,
        certified,
        DecisionType.SUSPEND,
        reason=suspension_reason(),
        suspension_ends_on=today() + 30 * DAY,
    )
    decision = status_decision(cast_admin_committee, certified, DecisionType.RESTORE)
    certificate = Certificate.objects.get(pk=certified.certificate.pk)
    assert certificate.status == "01" and certificate.suspended_until is None
    change = certificate.status_changes.last()
    assert (change.from_status, change.to_status, change.reason, change.decision) == ("02", "01", None, decision)
    assert programme_schedule(programme=certified.programme)[0].kind != AuditType.SPECIAL


def test_withdrawal_ends_the_programme_and_a_withdrawn_certificate_cannot_be_restored(cast_admin_committee):
    certified = certified_client()
    decision = status_decision(cast_admin_committee, certified, DecisionType.WITHDRAW, reason=withdrawal_reason("0116"))
    certificate = Certificate.objects.get(pk=certified.certificate.pk)
    assert certificate.status == "03" and certificate.status_changes.last().reason.code == "0116"
    programme = AuditProgramme.objects.get(pk=certified.programme.pk)
    assert not programme.active and programme_schedule(programme=programme) == []
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.RESTORE,
            client=certified.client,
            certificates=[certificate],
            by=cast_admin_committee[0],
        )
    assert "wrong_certificate_status" in error_codes(caught)
    with pytest.raises(ValidationError) as caught:
        services.certificate_status_change(
            certificate=certificate, to_status="01", by=decision.approved_by, effective_on=today()
        )
    assert "wrong_status" in error_codes(caught)
    assert "Withdrawn" in caught.value.messages[0] or "withdrawn" in caught.value.messages[0]


def test_withdrawal_needs_a_reason_from_the_withdrawal_list(cast_admin_committee):
    certified = certified_client()
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.WITHDRAW,
            client=certified.client,
            certificates=[certified.certificate],
            by=cast_admin_committee[0],
        )
    assert "reason_required" in error_codes(caught)


def test_every_status_change_is_a_row_with_its_reason(cast_admin_committee):
    certified = certified_client()
    approver = cast_admin_committee[2]
    ends = today() + 60 * DAY
    status_decision(
        cast_admin_committee, certified, DecisionType.SUSPEND, reason=suspension_reason("0113"), suspension_ends_on=ends
    )
    status_decision(cast_admin_committee, certified, DecisionType.RESTORE)
    status_decision(
        cast_admin_committee, certified, DecisionType.SUSPEND, reason=suspension_reason("0116"), suspension_ends_on=ends
    )
    status_decision(cast_admin_committee, certified, DecisionType.WITHDRAW, reason=withdrawal_reason("0115"))
    rows = [
        (
            c.from_status,
            c.to_status,
            c.reason.code if c.reason else None,
            c.suspension_ends_on,
            c.by,
            c.effective_on,
        )
        for c in CertificateStatusChange.objects.filter(certificate=certified.certificate).order_by("pk")
    ]
    assert rows[1:] == [
        ("01", "02", "0113", ends, approver, today()),
        ("02", "01", None, None, approver, today()),
        ("01", "02", "0116", ends, approver, today()),
        ("02", "03", "0115", None, approver, today()),
    ]


def test_a_status_change_outside_a_decision_needs_a_person_except_expiry():
    certified = certified_client()
    with pytest.raises(PermissionDenied, match="without a decision-maker"):
        services.certificate_status_change(
            certificate=certified.certificate, to_status="03", by=None, reason=withdrawal_reason(), effective_on=today()
        )
    certificate = Certificate.objects.get(pk=certified.certificate.pk)
    assert certificate.status == CertificateStatus.VALID and certificate.status_changes.count() == 1


def test_a_decision_answering_a_flag_resolves_it(cast_admin_committee):
    certified = certified_client()
    flag = CommitteeFlagFactory(certificate=certified.certificate)
    status_decision(
        cast_admin_committee,
        certified,
        DecisionType.SUSPEND,
        reason=suspension_reason(),
        suspension_ends_on=today() + 30 * DAY,
        flag=flag,
    )
    flag.refresh_from_db()
    assert not flag.is_open and flag.resolved_by == cast_admin_committee[2]
