"""The certification app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

import datetime

from certification import services
from certification.certificate_pdfs import services as pdf_services
from certification.models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionStatus,
    DecisionType,
    ReviewIssue,
)
from certification.models.review import CHECKLIST_KEYS
from core.issued import VersionKind
from core.tests.atomicity import scenarios, single_write

from .factories import (
    CommitteeFlagFactory,
    certified_client,
    committee_user,
    iso9001,
    iso14001,
    pass_review,
    review_cast,
    withdrawal_reason,
)
from .pdf_factories import cb_admin, seed_certificate

READS = {
    "review_blockers": "what still stands in the way of concluding a review, for pages; writes nothing",
    "independence_check": "ISO/IEC 17021-1 9.5.1.2, a who-check that raises; writes nothing",
    "second_signature_check": "the approver is not the evaluator, a who-check that raises; writes nothing",
    "approval_refusal": "why a user may not approve a decision, for pages; writes nothing",
    "eligible_reviewers": "who may be chosen as reviewer; writes nothing",
    "eligible_evaluators": "who may be chosen as evaluator; writes nothing",
    "eligible_approvers": "who may be chosen as approver; writes nothing",
    "team_memberships": "ISO/IEC 17021-1 9.5.1.2, the one independence rule as a queryset; writes nothing",
    "independent_users": "a selection list without the people the independence rule bars; writes nothing",
    "without_barred_audits": "a to-do list without the audits the independence rule bars the user from; writes nothing",
    "barred_audits": "the audits awaiting a decision a user is barred from; writes nothing",
    "role_change_warnings": "the warnings a role change shows (independence); writes nothing",
    "scope_for": "a certificate's scope text for a decision; writes nothing",
    "recertification_after_expiry_message": "a refusal's text; writes nothing",
    "may_render": "a who-check; writes nothing",
    "issued_in_force": "the issued PDF in force; writes nothing",
    "issue_refusal": "why a certificate may not be issued now, for pages; writes nothing",
    "pending_renders": "the (certificate, language) pairs a batch renders; writes nothing",
    "pdf_request": (
        "writes no row: takes a cache lock against a second identical request and queues the task on commit; "
        "the task's renders store each version in its own transaction"
    ),
}
NOT_ATOMIC = {
    "issued_pdfs_send": (
        "runs after an approval's commit and queues the task; only when the broker cannot be reached does it "
        "write, one UPDATE statement marking that approval's queued PDF jobs failed (atomic on its own)"
    ),
    "certificate_pdfs_run": (
        "the Celery task's body: renders a batch of certificates and languages, each stored on its own "
        "(certificate_pdf_render) so that one that fails is retried without undoing those already issued"
    ),
}
ATOMIC_BLOCK = {
    "certificate_pdf_render": (
        "renders (about a second of WeasyPrint) outside any transaction so that no row lock is held meanwhile, "
        "then checks the rules again and stores the version in one transaction (core.issued.storing), which "
        "deletes the written file if that transaction fails"
    ),
}
HELPER_MODULES = {
    "certification.services.base": (
        "helpers the actions share (today, saving with the acting user, the policy, reason codes, who-checks); "
        "they run inside the calling action's transaction"
    ),
}


def today() -> datetime.date:
    return services._today()


def _review_ready():
    """An open review with its reviewer assigned and every point answered."""
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    for key in CHECKLIST_KEYS:
        services.review_answer(review=review, point=key, answer="yes", remark="已核查", by=cast.reviewer)
    return cast, review


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _opened_grant():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    return cast, decision


def _evaluated_grant():
    cast, decision = _opened_grant()
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator
    )
    return cast, decision


def _approved_without_certificates():
    """A grant approved as far as its own row goes, its effects not applied yet."""
    cast, decision = _evaluated_grant()
    Decision.objects.filter(pk=decision.pk).update(
        status=DecisionStatus.APPROVED, approval_conclusion="approve", approved_by=cast.approver, approved_on=today()
    )
    return cast, decision


def scenario_review_open():
    cast = review_cast()
    return lambda: services.review_open(audit=_fresh(cast.audit), by=cast.admin)


def scenario_reviewer_assign():
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    return lambda: services.reviewer_assign(review=_fresh(review), reviewer=cast.reviewer, by=cast.admin)


def scenario_review_answer():
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    return lambda: services.review_answer(
        review=_fresh(review), point=CHECKLIST_KEYS[0], answer="yes", remark="已核查", by=cast.reviewer
    )


def scenario_review_issue_raise():
    cast, review = _review_ready()
    return lambda: services.review_issue_raise(review=_fresh(review), text="请说明", by=cast.reviewer)


def scenario_review_issue_respond():
    cast, review = _review_ready()
    issue = services.review_issue_raise(review=review, text="请说明", by=cast.reviewer)
    return lambda: services.review_issue_respond(issue=_fresh(issue), response="已说明", by=cast.leader)


def scenario_review_issue_resolve():
    cast, review = _review_ready()
    issue = services.review_issue_raise(review=review, text="请说明", by=cast.reviewer)
    services.review_issue_respond(issue=issue, response="已说明", by=cast.leader)
    return lambda: services.review_issue_resolve(issue=ReviewIssue.objects.get(pk=issue.pk), by=cast.reviewer)


def scenario_review_conclude():
    cast, review = _review_ready()
    return lambda: services.review_conclude(review=_fresh(review), passed=True, remark="通过", by=cast.reviewer)


def scenario_decision_open():
    cast = review_cast()
    review = pass_review(cast)
    return lambda: services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )


def scenario_decision_evaluate():
    cast, decision = _opened_grant()
    return lambda: services.decision_evaluate(
        decision=_fresh(decision), conclusion="agree", remarks="同意", evaluated_on=today(), by=cast.evaluator
    )


def scenario_decision_remarks_save():
    cast, decision = _opened_grant()
    return lambda: services.decision_remarks_save(
        decision=_fresh(decision), closing_meeting_differences="无", other_remarks="无", by=cast.evaluator
    )


def scenario_decision_approve():
    cast, decision = _evaluated_grant()
    return lambda: services.decision_approve(
        decision=_fresh(decision), conclusion="approve", remarks="批准", approved_on=today(), by=cast.approver
    )


def scenario_decision_effect():
    cast, decision = _approved_without_certificates()
    return lambda: services.decision_effect(decision=_fresh(decision), by=cast.approver, issued_on=today())


def scenario_certificate_issue():
    cast, decision = _approved_without_certificates()
    return lambda: services.certificate_issue(
        decision=_fresh(decision),
        programme=_fresh(cast.audit.programme),
        standard=iso9001(),
        issued_on=today(),
        expires_on=today() + datetime.timedelta(days=1000),
        scope_zh="基础软件服务",
        by=cast.approver,
    )


def scenario_certificate_status_change():
    certificate = certified_client().certificate
    by = committee_user()
    return lambda: services.certificate_status_change(
        certificate=_fresh(certificate),
        to_status=CertificateStatus.WITHDRAWN,
        by=by,
        reason=withdrawal_reason(),
        effective_on=today(),
    )


def scenario_next_serial():
    return lambda: services.next_serial(year=2031, standard_code="Q1")


def scenario_certification_daily():
    certified_client(issued_on=datetime.date(2020, 1, 6))  # expired long ago
    return lambda: services.certification_daily(today=today())


def scenario_flag_resolve():
    certified = certified_client()
    flag = CommitteeFlagFactory(certificate=certified.certificate)
    decision = certified.decision  # answers the flag: the decision is written too
    by = committee_user()
    return lambda: services.flag_resolve(flag=_fresh(flag), by=by, resolution="已决定", decision=_fresh(decision))


def scenario_certificate_pdf_render():
    certificate, by = seed_certificate(), cb_admin()
    return lambda: pdf_services.certificate_pdf_render(
        certificate=Certificate.objects.get(pk=certificate.pk), language="zh-hans", kind=VersionKind.ISSUED, by=by
    )


# --- historical records ---------------------------------------------------------------------------

PAST = datetime.date(2020, 1, 7), datetime.date(2020, 1, 8)


@single_write("one INSERT of every new certificate's job (bulk_create)")
def scenario_pdf_jobs_create():
    certificate, by = seed_certificate(), cb_admin()
    return lambda: pdf_services.pdf_jobs_create(decision=certificate.decision, certificates=[certificate], by=by)


@single_write("the jobs' one INSERT (pdf_jobs_create); the render is queued after the commit")
def scenario_issued_pdfs_queue():
    certificate, by = seed_certificate(), cb_admin()
    return lambda: pdf_services.issued_pdfs_queue(decision=certificate.decision, certificates=[certificate], by=by)


def _past_cast():
    return review_cast(start_date=PAST[0], end_date=PAST[1])


def _past_decision(cast, review=None):
    return services.decision_import(
        client=cast.audit.client,
        by=cast.admin,
        decision_type=DecisionType.GRANT,
        audit=cast.audit,
        review=review,
        standards=list(cast.audit.standards.all()),
        evaluated_on=datetime.date(2020, 1, 20),
        evaluator_name="王评定",
        approved_on=datetime.date(2020, 1, 21),
        approver_name="王建国",
    )


def scenario_review_import():
    cast = _past_cast()
    return lambda: services.review_import(
        audit=cast.audit, by=cast.admin, concluded_on=datetime.date(2020, 1, 17), reviewer_name="王评定"
    )


def scenario_decision_import():
    cast = _past_cast()
    review = services.review_import(
        audit=cast.audit, by=cast.admin, concluded_on=datetime.date(2020, 1, 17), reviewer_name="王评定"
    )
    return lambda: _past_decision(cast, review)


def scenario_certificate_import():
    cast = _past_cast()
    decision = _past_decision(cast)
    return lambda: services.certificate_import(
        decision=decision,
        standard=iso9001(),
        by=cast.admin,
        issued_on=datetime.date(2020, 1, 21),
        expires_on=datetime.date(2023, 1, 20),
        status=CertificateStatus.EXPIRED,
        scope_zh="基础软件服务",
        allocate_number=True,
    )


def scenario_historical_cycle_import():
    cast = _past_cast()
    cycle = services.HistoricalCycle(
        client=cast.audit.client,
        audit_type="surveillance_1",
        standards=[iso9001()],
        start_date=datetime.date(2021, 1, 7),
        end_date=datetime.date(2021, 1, 7),
        leader_name="张老组长",
        review_on=datetime.date(2021, 1, 17),
        reviewer_name="李评定",
        evaluated_on=datetime.date(2021, 1, 20),
        evaluator_name="李评定",
        approved_on=datetime.date(2021, 1, 21),
        approver_name="赵总",
        decision_type=DecisionType.MAINTAIN,
        programme=cast.audit.programme,
    )
    return lambda: services.historical_cycle_import(cycle=cycle, by=cast.admin)


def scenario_certificates_release():
    """Two certificates of one programme withheld (ISO 9001 and ISO 14001): both released."""
    cast, decision = _approved_without_certificates()
    for standard in (iso9001(), iso14001()):
        services.certificate_issue(
            decision=_fresh(decision),
            programme=_fresh(cast.audit.programme),
            standard=standard,
            issued_on=today(),
            expires_on=today() + datetime.timedelta(days=1000),
            scope_zh="基础软件服务",
            by=cast.approver,
            withheld_reason="证书费未付",
        )
    return lambda: services.certificates_release(programme=_fresh(cast.audit.programme), by=cast.approver)


SCENARIOS = scenarios(globals())
