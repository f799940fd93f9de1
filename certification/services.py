"""The certification rules in action: technical review (评定), the committee's two-step decision
(evaluation, then approval: part 十六), part 十七's remarks, the certificates the decisions issue
and change, and the daily job that expires certificates and flags matters to the committee.

Every function takes keyword-only arguments and the acting user ``by``; a broken rule raises
``ValidationError`` (translated message, a ``code``), a user who may not act at all
``PermissionDenied``. Tracked models are saved one by one with ``_history_user`` so
django-simple-history records who changed what; every certificate status change is a
``CertificateStatusChange`` row written by ``certificate_status_change``, the one place a status
changes.

Independence (ISO/IEC 17021-1 9.5.1.2) comes first in every review, evaluation and approval
step and binds every user, CB administrators and superusers included: nobody who was on the
audit's team (any team role) reviews it or decides on it.

Choices this module makes (README "Certification"):

* CB code: the CB profile's three digits; "000" while none is configured (rules.cb_code).
* Renewal: allowed when approved on or before the expiry day; the new certificate keeps the
  number's year and serial, its recertification count is one more (R0 → R1), its size band
  follows today's headcount; issue date = ``issued_on`` or the approval date, never before it;
  expiry = previous expiry + validity (rules.renewal_expiry). The old certificate becomes 04
  (cancelled) with withdrawal reason 0120, and a new programme (cycle + 1) takes the new anchors.
* Scope extension / reduction: a reissue under the same number (reissue + 1), same expiry.
* Multi-site: every permanent branch site (kind "branch", not the central function) covered
  gets a sub-certificate numbered ``<main number>-<n>`` that follows its main certificate in
  every status change.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audits import programme_rules
from audits import services as audit_services
from audits.models import Audit, AuditProgramme, AuditStatus, AuditType, CertificationBody, TeamAssignment
from audits.rule_texts import translated
from clients.models import SiteKind
from core.access import Role
from standards.models import code_covers

from . import rules
from .models import (
    CHECKLIST,
    ApprovalConclusion,
    Certificate,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    CertificationPolicy,
    ChecklistAnswer,
    CommitteeFlag,
    Decision,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    FlagKind,
    ReasonKind,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    ReviewStatus,
    StatusReason,
    TechnicalReview,
)
from .models.review import CHECKLIST_KEYS
from .rules import invalid

__all__ = [
    "certificate_issue",
    "certificate_status_change",
    "certification_daily",
    "decision_approve",
    "decision_evaluate",
    "decision_open",
    "decision_remarks_save",
    "eligible_approvers",
    "eligible_evaluators",
    "eligible_reviewers",
    "flag_resolve",
    "independence_check",
    "review_answer",
    "review_blockers",
    "review_conclude",
    "review_issue_raise",
    "review_issue_resolve",
    "review_issue_respond",
    "review_open",
    "reviewer_assign",
]

APPROVE_PERMISSION = "certification.approve_decision"
REPLACED_REASON_CODE = "0120"  # withdrawal list: replaced by a new certificate
SUSPENSION_ENDED_REASON_CODE = "0115"  # withdrawal list: suspension expired unresolved
OVERDUE_SURVEILLANCE_REASON_CODE = "0112"  # suspension list: client does not meet its contract duties
OVERDUE_NC_REASON_CODE = "0111"  # suspension list: failure to meet the requirements

# Who may move a certificate from one status to another (anything else is refused).
STATUS_TRANSITIONS = {
    CertificateStatus.VALID: {
        CertificateStatus.SUSPENDED,
        CertificateStatus.WITHDRAWN,
        CertificateStatus.CANCELLED,
        CertificateStatus.EXPIRED,
    },
    CertificateStatus.SUSPENDED: {
        CertificateStatus.VALID,
        CertificateStatus.WITHDRAWN,
        CertificateStatus.CANCELLED,
        CertificateStatus.EXPIRED,
    },
    # A renewal approved on or before the expiry day replaces the certificate even when the
    # daily job has already marked it expired.
    CertificateStatus.EXPIRED: {CertificateStatus.CANCELLED},
    CertificateStatus.WITHDRAWN: set(),
    CertificateStatus.CANCELLED: set(),
}
# The reason list a status needs (None: no reason).
REASON_KIND_FOR_STATUS = {
    CertificateStatus.SUSPENDED: ReasonKind.SUSPENSION,
    CertificateStatus.WITHDRAWN: ReasonKind.WITHDRAWAL,
    CertificateStatus.CANCELLED: ReasonKind.WITHDRAWAL,
}
from .models.certificate import LIVE_STATUSES  # noqa: E402

# Audit types a decision may be based on (None: any audit type; the decision needs no audit
# when the type is not in AUDIT_REQUIRED).
AUDIT_TYPES_FOR = {
    DecisionType.GRANT: {AuditType.STAGE_2, AuditType.TRANSFER},
    DecisionType.RENEW: {AuditType.RECERTIFICATION},
    DecisionType.MAINTAIN: {
        AuditType.SURVEILLANCE_1,
        AuditType.SURVEILLANCE_2,
        AuditType.SPECIAL,
        AuditType.SHORT_NOTICE,
    },
    DecisionType.EXTEND_SCOPE: {
        AuditType.SCOPE_EXTENSION,
        AuditType.SURVEILLANCE_1,
        AuditType.SURVEILLANCE_2,
        AuditType.RECERTIFICATION,
        AuditType.SPECIAL,
    },
}
AUDIT_REQUIRED = {
    DecisionType.GRANT,
    DecisionType.REFUSE,
    DecisionType.MAINTAIN,
    DecisionType.RENEW,
    DecisionType.EXTEND_SCOPE,
}
# Types acting on existing certificates, and the statuses those certificates must have.
CERTIFICATE_STATUSES_FOR = {
    DecisionType.MAINTAIN: (CertificateStatus.VALID,),
    DecisionType.RENEW: (CertificateStatus.VALID,),
    DecisionType.EXTEND_SCOPE: (CertificateStatus.VALID,),
    DecisionType.REDUCE_SCOPE: (CertificateStatus.VALID, CertificateStatus.SUSPENDED),
    DecisionType.SUSPEND: (CertificateStatus.VALID,),
    DecisionType.RESTORE: (CertificateStatus.SUSPENDED,),
    DecisionType.WITHDRAW: (CertificateStatus.VALID, CertificateStatus.SUSPENDED),
}


# --- helpers --------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _d(value):
    return date_format(value, "Y-m-d") if value else ""


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_cb_admin(user):
    return _active(user) and user.role == Role.CB_ADMIN


def _is_committee(user):
    return _active(user) and user.role == Role.COMMITTEE


def _may_approve(user):
    return _active(user) and user.role != Role.CLIENT and user.has_perm(APPROVE_PERMISSION)


def _save(obj, by, **kwargs):
    obj._history_user = by
    obj.save(**kwargs)
    return obj


def _stale(obj, version):
    if version is not None and obj.version != int(version):
        raise invalid(
            _("Someone else changed this record since you opened it. Reload the page and make your changes again."),
            code="stale",
        )


def _policy():
    return CertificationPolicy.objects.current()


def _cb():
    return CertificationBody.objects.current()


def _reason(kind, code):
    reason = StatusReason.objects.filter(kind=kind, code=code).first()
    if reason is None:
        raise invalid(
            _("The %(kind)s reason code %(code)s is missing from the reference data.")
            % {"kind": ReasonKind(kind).label, "code": code},
            code="reason_missing",
        )
    return reason


# --- independence and who may be chosen ------------------------------------------------------


def independence_check(*, audit, user):
    """Refuse anyone who was on the audit's team (ISO/IEC 17021-1 9.5.1.2), whoever they are."""
    if audit is None or user is None or not getattr(user, "pk", None):
        return
    roles = list(
        TeamAssignment.objects.filter(audit_id=audit.pk, profile__user_id=user.pk).values_list("role", flat=True)
    )
    if roles:
        from audits.models import TeamRole

        raise invalid(
            _(
                "ISO/IEC 17021-1 9.5.1.2: %(person)s was on this audit's team (%(roles)s) and may not review "
                "it or take part in the certification decision."
            )
            % {"person": user.get_full_name(), "roles": ", ".join(str(TeamRole(r).label) for r in roles)},
            code="not_independent",
        )


def _team_user_ids(audit):
    if audit is None:
        return []
    return TeamAssignment.objects.filter(audit_id=audit.pk).values("profile__user_id")


def _client_codes(client):
    return sorted(client.technical_areas.values_list("code", flat=True))


def _uncovered(profile_codes, required):
    return [code for code in required if not any(code_covers(have, code) for have in profile_codes)]


def eligible_reviewers(*, audit):
    """Active committee members with an active competence profile covering every code of the
    client, never a member of the audit's team."""
    User = get_user_model()
    required = _client_codes(audit.client)
    candidates = (
        User.objects.filter(is_active=True, role=Role.COMMITTEE, committee_profile__active=True)
        .exclude(pk__in=_team_user_ids(audit))
        .prefetch_related("committee_profile__technical_areas")
    )
    ok = [
        user.pk
        for user in candidates
        if not _uncovered([a.code for a in user.committee_profile.technical_areas.all()], required)
    ]
    return User.objects.filter(pk__in=ok).order_by("full_name", "username")


def eligible_evaluators(*, decision):
    """Active committee members who were not on the team of the decision's audit."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role=Role.COMMITTEE)
        .exclude(pk__in=_team_user_ids(decision.audit))
        .order_by("full_name", "username")
    )


def eligible_approvers(*, decision):
    """Active staff users holding certification.approve_decision (directly, through a group, or
    as superusers), never a member of the audit's team nor the decision's evaluator."""
    User = get_user_model()
    holds = (
        Q(is_superuser=True)
        | Q(user_permissions__codename="approve_decision", user_permissions__content_type__app_label="certification")
        | Q(
            groups__permissions__codename="approve_decision",
            groups__permissions__content_type__app_label="certification",
        )
    )
    ids = User.objects.filter(holds, is_active=True).exclude(role=Role.CLIENT).values("pk")
    approvers = User.objects.filter(pk__in=ids).exclude(pk__in=_team_user_ids(decision.audit))
    if decision.evaluated_by_id:
        approvers = approvers.exclude(pk=decision.evaluated_by_id)  # the second signature (decision_approve)
    return approvers.order_by("full_name", "username")


# --- technical review -----------------------------------------------------------------------


def _lock_review(review):
    return TechnicalReview.objects.select_for_update(of=("self",)).select_related("audit__client").get(pk=review.pk)


def _require_open(review):
    if review.status != ReviewStatus.OPEN:
        raise invalid(
            _("This technical review is concluded (%(status)s): it can no longer change.")
            % {"status": review.get_status_display()},
            code="review_concluded",
        )


def _require_reviewer(review, by):
    """Independence first (binds everybody), then: an assigned reviewer."""
    independence_check(audit=review.audit, user=by)
    if not (_active(by) and ReviewerAssignment.objects.filter(review_id=review.pk, reviewer_id=by.pk).exists()):
        raise PermissionDenied(_("Only a reviewer assigned to this technical review may do this."))


def _bump(obj, by):
    obj.version += 1
    return _save(obj, by)


@transaction.atomic
def review_open(*, audit, by):
    """Open the technical review of an audit whose report is approved (CB administrators); the
    audit moves to "in technical review"."""
    if not _is_cb_admin(by):
        raise PermissionDenied(_("Only a CB administrator may open a technical review."))
    given, audit = audit, Audit.objects.select_for_update().get(pk=audit.pk)
    if TechnicalReview.objects.filter(audit=audit).exists():
        raise invalid(_("This audit already has a technical review."), code="review_exists")
    if audit.status not in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
        raise invalid(
            _("The technical review starts once the audit report is approved; this audit is %(status)s.")
            % {"status": audit.get_status_display()},
            code="report_not_approved",
        )
    review = _save(TechnicalReview(audit=audit, created_by=by), by)
    audit_services.audit_move(audit=audit, action="review_opened", by=by, note=_("Technical review opened."))
    given.status, given.version = audit.status, audit.version
    return review


@transaction.atomic
def reviewer_assign(*, review, reviewer, by):
    """Assign a reviewer (CB administrators): an active committee member whose competence
    codes cover every code of the client, independent of the audit."""
    if not _is_cb_admin(by):
        raise PermissionDenied(_("Only a CB administrator may assign reviewers."))
    review = _lock_review(review)
    _require_open(review)
    independence_check(audit=review.audit, user=reviewer)
    if not (_active(reviewer) and reviewer.role == Role.COMMITTEE):
        raise invalid(
            {"reviewer": _("A reviewer must be an active member of the certification committee.")},
            code="not_committee",
        )
    profile = getattr(reviewer, "committee_profile", None)
    if profile is None or not profile.active:
        raise invalid(
            {
                "reviewer": _("%(person)s has no active committee competence record.")
                % {"person": reviewer.get_full_name()}
            },
            code="no_competence",
        )
    missing = _uncovered(
        list(profile.technical_areas.values_list("code", flat=True)), _client_codes(review.audit.client)
    )
    if missing:
        raise invalid(
            {
                "reviewer": _("%(person)s is not competent for the client's codes %(codes)s.")
                % {"person": reviewer.get_full_name(), "codes": ", ".join(missing)}
            },
            code="not_competent",
        )
    if ReviewerAssignment.objects.filter(review=review, reviewer=reviewer).exists():
        raise invalid(
            {"reviewer": _("%(person)s is already a reviewer of this audit.") % {"person": reviewer.get_full_name()}},
            code="already_assigned",
        )
    assignment = _save(ReviewerAssignment(review=review, reviewer=reviewer, assigned_by=by), by)
    _bump(review, by)
    return assignment


@transaction.atomic
def review_answer(*, review, point, answer, remark, by):
    """Answer one checklist point with a remark (an assigned reviewer, review open)."""
    review = _lock_review(review)
    _require_reviewer(review, by)
    _require_open(review)
    if point not in CHECKLIST_KEYS:
        raise invalid({"point": _("Unknown checklist point.")}, code="unknown_point")
    if answer not in ChecklistAnswer.values:
        raise invalid({"answer": _("Answer yes, no or not applicable.")}, code="invalid_answer")
    remark = (remark or "").strip()
    if not remark:
        raise invalid({"remark": _("Give a remark for every checklist point.")}, code="remark_required")
    row = ReviewAnswer.objects.filter(review=review, point=point).first() or ReviewAnswer(review=review, point=point)
    row.answer, row.remark, row.answered_by = answer, remark, by
    _save(row, by)
    _bump(review, by)
    return row


@transaction.atomic
def review_issue_raise(*, review, text, by):
    """Send a question back to the audit's team leader (an assigned reviewer)."""
    review = _lock_review(review)
    _require_reviewer(review, by)
    _require_open(review)
    text = (text or "").strip()
    if not text:
        raise invalid({"text": _("Describe the issue for the team leader.")}, code="text_required")
    issue = _save(ReviewIssue(review=review, text=text, raised_by=by), by)
    _bump(review, by)
    return issue


@transaction.atomic
def review_issue_respond(*, issue, response, by):
    """The audit's team leader answers an issue (again, until the reviewer resolves it)."""
    issue = ReviewIssue.objects.select_for_update(of=("self",)).select_related("review__audit").get(pk=issue.pk)
    from audits.models import TeamRole

    is_leader = (
        _active(by)
        and TeamAssignment.objects.filter(
            audit_id=issue.review.audit_id, profile__user_id=by.pk, role=TeamRole.LEADER
        ).exists()
    )
    if not is_leader:
        raise PermissionDenied(_("Only the audit's team leader answers the reviewer's issues."))
    _require_open(issue.review)
    if issue.resolved:
        raise invalid(_("This issue is resolved: it can no longer be answered."), code="issue_resolved")
    response = (response or "").strip()
    if not response:
        raise invalid({"response": _("Write the answer to the reviewer's issue.")}, code="response_required")
    issue.response, issue.responded_by, issue.responded_at = response, by, timezone.now()
    return _save(issue, by)


@transaction.atomic
def review_issue_resolve(*, issue, by):
    """The reviewer accepts the team leader's answer (an assigned reviewer, after an answer)."""
    issue = ReviewIssue.objects.select_for_update(of=("self",)).select_related("review__audit").get(pk=issue.pk)
    _require_reviewer(issue.review, by)
    _require_open(issue.review)
    if issue.resolved:
        raise invalid(_("This issue is already resolved."), code="issue_resolved")
    if not issue.answered:
        raise invalid(
            _("The team leader has not answered this issue yet: it can be resolved after the answer."),
            code="issue_unanswered",
        )
    issue.resolved, issue.resolved_by, issue.resolved_at = True, by, timezone.now()
    return _save(issue, by)


def _nc_numbers(ncs):
    return ", ".join(str(nc.number) for nc in ncs)


def review_blockers(*, review):
    """Why the review cannot pass (empty: it can): unanswered or "no" checklist points,
    unresolved issues, unverified major NCs (named), minor NCs without an accepted plan."""
    from audits.models import NonconformityGrade
    from audits.nc_selectors import audit_nc_readiness

    blockers = []
    answers = {a.point: a for a in ReviewAnswer.objects.filter(review_id=review.pk)}
    for key, clause, text in CHECKLIST:
        answer = answers.get(key)
        if answer is None:
            blockers.append(
                _("Checklist point %(clause)s is not answered: %(text)s") % {"clause": clause, "text": text}
            )
        elif answer.answer == ChecklistAnswer.NO:
            blockers.append(
                _('Checklist point %(clause)s is answered "no": %(text)s') % {"clause": clause, "text": text}
            )
    open_issues = ReviewIssue.objects.filter(review_id=review.pk, resolved=False).count()
    if open_issues:
        blockers.append(_("%(count)s issue(s) sent to the team leader are not resolved.") % {"count": open_issues})
    blocking = audit_nc_readiness(audit=review.audit).blocking
    majors = [nc for nc in blocking if nc.grade == NonconformityGrade.MAJOR]
    minors = [nc for nc in blocking if nc.grade == NonconformityGrade.MINOR]
    if majors:
        blockers.append(
            _(
                "Major nonconformity No. %(numbers)s is not verified and closed: the review cannot pass "
                "(ISO/IEC 17021-1 9.5.2 b))."
            )
            % {"numbers": _nc_numbers(majors)}
        )
    if minors:
        blockers.append(
            _("Minor nonconformity No. %(numbers)s has no accepted action plan (ISO/IEC 17021-1 9.5.2 c)).")
            % {"numbers": _nc_numbers(minors)}
        )
    return blockers


@transaction.atomic
def review_conclude(*, review, passed, remark, by):
    """Conclude the review (an assigned reviewer). Passing needs every checklist point answered
    (none "no"), every issue resolved and no unverified major NC (review_blockers)."""
    review = _lock_review(review)
    _require_reviewer(review, by)
    _require_open(review)
    remark = (remark or "").strip()
    if passed:
        blockers = review_blockers(review=review)
        if blockers:
            raise invalid(
                [ValidationError(_("The review cannot pass:"), code="review_blocked")]
                + [ValidationError(message, code="review_blocked") for message in blockers]
            )
    elif not remark:
        raise invalid({"remark": _("Say why the review does not pass.")}, code="remark_required")
    review.status = ReviewStatus.PASSED if passed else ReviewStatus.NOT_PASSED
    review.conclusion_remark = remark
    review.concluded_by, review.concluded_at = by, timezone.now()
    return _bump(review, by)


# --- decisions ------------------------------------------------------------------------------


def _live_main_certificates(client, programme=None, standards=None):
    qs = Certificate.objects.filter(client=client, status__in=LIVE_STATUSES, main_certificate__isnull=True)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if standards is not None:
        qs = qs.filter(standard__in=standards)
    return qs


def _scope_for(*, decision, standard, certificate=None):
    """The scope printed: the decision's, else the certificate's (reissues), else the client's
    requested scope for the standard."""
    if decision.scope_zh.strip():
        return decision.scope_zh.strip(), decision.scope_en.strip()
    if certificate is not None:
        return certificate.scope_zh, certificate.scope_en
    scope = decision.client.scopes.filter(standard=standard).first()
    if scope is None:
        return "", ""
    return scope.scope_zh, scope.scope_en


@transaction.atomic
def decision_open(
    *,
    decision_type,
    client,
    by,
    audit=None,
    review=None,
    programme=None,
    certificates=(),
    standards=(),
    scope_zh="",
    scope_en="",
    reason=None,
    suspension_ends_on=None,
    flag=None,
):
    """Open a decision for the committee (CB administrators or committee members). What each
    type needs: grant, renew, maintain and scope extension an audit of a fitting type whose
    review passed (refusal: a concluded review); scope reduction and restoration, when based
    on an audit, a passed review too; suspension and withdrawal certificates and a reason of
    the right list; suspension an end date within the policy's limit."""
    if not (_is_cb_admin(by) or _is_committee(by)):
        raise PermissionDenied(_("Only a CB administrator or a committee member may open a certification decision."))
    if decision_type not in DecisionType.values:
        raise invalid({"decision_type": _("Unknown decision type.")}, code="invalid_type")
    decision_type = DecisionType(decision_type)
    errors = {}
    if review is not None and audit is None:
        audit = review.audit
    if audit is not None:
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.client_id != client.pk:
            raise invalid({"audit": _("The audit is of another client.")}, code="wrong_client")
        if review is None:
            review = TechnicalReview.objects.filter(audit=audit).first()
        elif review.audit_id != audit.pk:
            raise invalid({"review": _("The technical review is of another audit.")}, code="wrong_review")
    if decision_type in AUDIT_REQUIRED and audit is None:
        raise invalid(
            {
                "audit": _("A decision to %(type)s is based on an audit: choose the audit.")
                % {"type": decision_type.label.lower()}
            },
            code="audit_required",
        )
    if audit is not None:
        allowed_types = AUDIT_TYPES_FOR.get(decision_type)
        if allowed_types and audit.audit_type not in allowed_types:
            raise invalid(
                {
                    "audit": _("A decision to %(type)s cannot follow a %(audit_type)s.")
                    % {"type": decision_type.label.lower(), "audit_type": audit.get_audit_type_display().lower()}
                },
                code="wrong_audit_type",
            )
        if decision_type in (DecisionType.SUSPEND, DecisionType.WITHDRAW):
            pass  # an audit may be the occasion; no review needed
        elif review is None:
            raise invalid(
                {"audit": _("This audit has no technical review yet: the decision follows the review.")},
                code="review_missing",
            )
        elif decision_type == DecisionType.REFUSE:
            if review.status == ReviewStatus.OPEN:
                raise invalid(
                    {"audit": _("The technical review of this audit is not concluded yet.")}, code="review_open"
                )
        elif review.status != ReviewStatus.PASSED:
            raise invalid(
                {"audit": _("The technical review of this audit has not passed: only a refusal can follow it.")},
                code="review_not_passed",
            )
        if decision_type not in (DecisionType.SUSPEND, DecisionType.WITHDRAW):
            if audit.status != AuditStatus.TECHNICAL_REVIEW:
                raise invalid(
                    {
                        "audit": _("This audit is %(status)s: it is not waiting for a decision.")
                        % {"status": audit.get_status_display()}
                    },
                    code="audit_not_in_review",
                )
            if Decision.objects.filter(
                audit=audit, status__in=(DecisionStatus.AWAITING_EVALUATION, DecisionStatus.AWAITING_APPROVAL)
            ).exists():
                raise invalid(
                    {"audit": _("A decision on this audit is already in progress.")}, code="decision_in_progress"
                )
    if programme is None and audit is not None:
        programme = audit.programme
    certificates = list(
        Certificate.objects.filter(pk__in=[c.pk for c in certificates]).order_by("pk")
    )  # fresh statuses
    standards = list(standards)
    for certificate in certificates:
        if certificate.client_id != client.pk:
            raise invalid({"certificates": _("A certificate of another client was chosen.")}, code="wrong_client")
    if programme is None and certificates:
        programme = certificates[0].programme
    if programme is not None and programme.client_id != client.pk:
        raise invalid({"programme": _("The audit programme is of another client.")}, code="wrong_client")

    if decision_type == DecisionType.GRANT:
        standards = standards or list(audit.standards.all())
        audit_standards = set(audit.standards.values_list("pk", flat=True))
        if any(s.pk not in audit_standards for s in standards):
            errors["standards"] = ValidationError(
                _("Certification can only be granted for standards the audit covered."), code="standard_not_audited"
            )
        existing = _live_main_certificates(client, standards=standards).select_related("standard")
        if existing:
            errors["standards"] = ValidationError(
                _(
                    "The client already holds certificate %(number)s for %(standard)s: renew it or change its scope instead."
                )
                % {"number": existing[0].number, "standard": existing[0].standard},
                code="already_certified",
            )
        for standard in standards:
            if not (scope_zh or "").strip() and not client.scopes.filter(standard=standard).exists():
                errors["scope_zh"] = ValidationError(
                    _("Enter the scope to certify (no requested scope is recorded for %(standard)s).")
                    % {"standard": standard},
                    code="scope_required",
                )
    elif decision_type in CERTIFICATE_STATUSES_FOR:
        if (
            not certificates
            and audit is not None
            and decision_type in (DecisionType.MAINTAIN, DecisionType.RENEW, DecisionType.EXTEND_SCOPE)
        ):
            certificates = list(
                _live_main_certificates(client, programme=programme, standards=audit.standards.all()).filter(
                    status__in=CERTIFICATE_STATUSES_FOR[decision_type]
                )
            )
        if not certificates:
            errors["certificates"] = ValidationError(
                _("Choose the certificates this decision acts on."), code="certificates_required"
            )
        wanted = CERTIFICATE_STATUSES_FOR[decision_type]
        for certificate in certificates:
            if certificate.status not in wanted:
                errors["certificates"] = ValidationError(
                    _("Certificate %(number)s is %(status)s: a decision to %(type)s cannot act on it.")
                    % {
                        "number": certificate.number,
                        "status": certificate.get_status_display().lower(),
                        "type": decision_type.label.lower(),
                    },
                    code="wrong_certificate_status",
                )
        if decision_type == DecisionType.RENEW:
            for certificate in certificates:
                if rules.is_expired(certificate.expires_on, _today()):
                    raise invalid(
                        {"certificates": _recertification_after_expiry_message(certificate, _today())},
                        code="expired",
                    )
        if decision_type in (DecisionType.EXTEND_SCOPE, DecisionType.REDUCE_SCOPE) and not (scope_zh or "").strip():
            errors["scope_zh"] = ValidationError(_("Enter the new scope."), code="scope_required")
    if decision_type in (DecisionType.SUSPEND, DecisionType.WITHDRAW):
        kind = ReasonKind.SUSPENSION if decision_type == DecisionType.SUSPEND else ReasonKind.WITHDRAWAL
        if reason is None:
            errors["reason"] = ValidationError(_("Choose the reason code."), code="reason_required")
        elif reason.kind != kind or not reason.active:
            errors["reason"] = ValidationError(
                _("Choose a reason from the %(kind)s list.") % {"kind": kind.label.lower()}, code="wrong_reason"
            )
    elif reason is not None:
        errors["reason"] = ValidationError(
            _("Only a suspension or a withdrawal takes a reason code."), code="reason_not_allowed"
        )
    if decision_type == DecisionType.SUSPEND:
        try:
            rules.check_suspension_end(ends_on=suspension_ends_on, starts_on=_today(), policy=_policy())
        except ValidationError as exc:
            errors.update(exc.error_dict)
    elif suspension_ends_on is not None:
        errors["suspension_ends_on"] = ValidationError(_("Only a suspension has an end date."), code="end_not_allowed")
    if flag is not None and not flag.is_open:
        errors["flag"] = ValidationError(_("This flag is already resolved."), code="flag_resolved")
    if errors:
        raise invalid(errors)

    decision = _save(
        Decision(
            decision_type=decision_type,
            client=client,
            programme=programme,
            audit=audit,
            review=review,
            scope_zh=(scope_zh or "").strip(),
            scope_en=(scope_en or "").strip(),
            reason=reason,
            suspension_ends_on=suspension_ends_on,
            flag=flag,
            created_by=by,
        ),
        by,
    )
    decision._history_user = by
    if standards:
        decision.standards.set(standards)
    elif certificates:
        decision.standards.set({c.standard_id for c in certificates})
    if certificates:
        decision.certificates.set(certificates)
    return decision


def _lock_decision(decision):
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("audit", "client", "programme", "review")
        .get(pk=decision.pk)
    )


def _check_day(value, name, *, missing, future):
    if value is None:
        raise invalid({name: missing}, code="date_required")
    if value > _today():
        raise invalid({name: future}, code="date_in_future")


@transaction.atomic
def decision_evaluate(
    *, decision, conclusion, remarks, evaluated_on, by, closing_meeting_differences="", other_remarks="", version=None
):
    """Step 1 of part 十六: the committee's evaluation (同意注册 / 不同意注册), by a committee member
    independent of the audit; the decision then awaits approval."""
    decision = _lock_decision(decision)
    independence_check(audit=decision.audit, user=by)
    if not _is_committee(by):
        raise PermissionDenied(_("Only a member of the certification committee evaluates a decision."))
    _stale(decision, version)
    if decision.status != DecisionStatus.AWAITING_EVALUATION:
        raise invalid(
            _("This decision is %(status)s: it is not awaiting the committee's evaluation.")
            % {"status": decision.get_status_display().lower()},
            code="wrong_status",
        )
    if conclusion not in EvaluationConclusion.values:
        raise invalid({"conclusion": _("Choose agree or disagree.")}, code="invalid_conclusion")
    _check_day(
        evaluated_on,
        "evaluated_on",
        missing=_("Enter the evaluation date."),
        future=_("The evaluation date cannot be in the future."),
    )
    if (
        decision.review
        and decision.review.concluded_at
        and evaluated_on < timezone.localdate(decision.review.concluded_at)
    ):
        raise invalid(
            {
                "evaluated_on": _("The evaluation cannot be before the technical review was concluded (%(date)s).")
                % {"date": _d(timezone.localdate(decision.review.concluded_at))}
            },
            code="before_review",
        )
    remarks = (remarks or "").strip()
    if conclusion == EvaluationConclusion.DISAGREE and not remarks:
        raise invalid({"remarks": _("Say why the committee does not agree.")}, code="remarks_required")
    decision.evaluation_conclusion = conclusion
    decision.evaluation_remarks = remarks
    decision.evaluated_by, decision.evaluated_on = by, evaluated_on
    if closing_meeting_differences:
        decision.closing_meeting_differences = closing_meeting_differences.strip()
    if other_remarks:
        decision.other_remarks = other_remarks.strip()
    decision.status = DecisionStatus.AWAITING_APPROVAL
    return _bump(decision, by)


@transaction.atomic
def decision_remarks_save(*, decision, closing_meeting_differences, other_remarks, by, version=None):
    """Part 十七: differences from the closing-meeting conclusion and other remarks (committee
    members independent of the audit; until the decision is approved or not)."""
    decision = _lock_decision(decision)
    independence_check(audit=decision.audit, user=by)
    if not _is_committee(by):
        raise PermissionDenied(_("Only a member of the certification committee writes these remarks."))
    _stale(decision, version)
    if decision.status not in (DecisionStatus.AWAITING_EVALUATION, DecisionStatus.AWAITING_APPROVAL):
        raise invalid(_("The decision is taken: its remarks can no longer change."), code="wrong_status")
    decision.closing_meeting_differences = (closing_meeting_differences or "").strip()
    decision.other_remarks = (other_remarks or "").strip()
    return _bump(decision, by)


def second_signature_check(*, decision, user):
    """Part 十六 has two signatures: the approval is a second person's check of the evaluation,
    so the evaluator may not approve the same decision."""
    if decision.evaluated_by_id is not None and decision.evaluated_by_id == user.pk:
        raise invalid(
            _("%(person)s evaluated this decision; the approval must come from another person.")
            % {"person": user.get_full_name() or user.get_username()},
            code="same_person",
        )


def approval_refusal(*, decision, user):
    """Why ``user`` may not approve ``decision`` (independence, second signature), or ''."""
    try:
        independence_check(audit=decision.audit, user=user)
        second_signature_check(decision=decision, user=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@transaction.atomic
def decision_approve(*, decision, conclusion, remarks, approved_on, by, issued_on=None, version=None):
    """Step 2 of part 十六: the approval (批准) by a holder of certification.approve_decision
    independent of the audit (superusers included), on or after the evaluation date. Approved
    with the committee's agreement: the decision takes effect (certificates, statuses,
    programme; the audit becomes decided). Otherwise the decision is recorded as not approved
    and no certificate changes (an approved disagreement still decides the audit: certification
    refused)."""
    decision = _lock_decision(decision)
    independence_check(audit=decision.audit, user=by)
    if not _may_approve(by):
        raise PermissionDenied(
            _("Only the general manager or a delegate holding the approval permission approves decisions.")
        )
    _stale(decision, version)
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise invalid(
            _("This decision is %(status)s: it is not awaiting approval.")
            % {"status": decision.get_status_display().lower()},
            code="wrong_status",
        )
    second_signature_check(decision=decision, user=by)
    if conclusion not in ApprovalConclusion.values:
        raise invalid({"conclusion": _("Choose approved or not approved.")}, code="invalid_conclusion")
    _check_day(
        approved_on,
        "approved_on",
        missing=_("Enter the approval date."),
        future=_("The approval date cannot be in the future."),
    )
    if approved_on < decision.evaluated_on:
        raise invalid(
            {
                "approved_on": _("The approval cannot be before the committee's evaluation (%(date)s).")
                % {"date": _d(decision.evaluated_on)}
            },
            code="before_evaluation",
        )
    remarks = (remarks or "").strip()
    if conclusion == ApprovalConclusion.NOT_APPROVE and not remarks:
        raise invalid({"remarks": _("Say why the decision is not approved.")}, code="remarks_required")
    decision.approval_conclusion = conclusion
    decision.approval_remarks = remarks
    decision.approved_by, decision.approved_on = by, approved_on
    takes_effect = (
        conclusion == ApprovalConclusion.APPROVE and decision.evaluation_conclusion == EvaluationConclusion.AGREE
    )
    decision.status = DecisionStatus.APPROVED if takes_effect else DecisionStatus.NOT_APPROVED
    _bump(decision, by)
    issued = []
    if takes_effect:
        issue_day = issued_on or approved_on
        rules.check_issue_date(issued_on=issue_day, decided_on=approved_on)
        issued = EFFECTS[decision.decision_type](decision=decision, by=by, issued_on=issue_day)
    if decision.audit_id and conclusion == ApprovalConclusion.APPROVE:
        status = Audit.objects.values_list("status", flat=True).get(pk=decision.audit_id)
        if status == AuditStatus.TECHNICAL_REVIEW:
            audit_services.audit_move(
                audit=decision.audit,
                action="decided",
                by=by,
                note=_("Certification decision: %(type)s (%(outcome)s).")
                % {"type": decision.get_decision_type_display(), "outcome": decision.get_status_display().lower()},
            )
    if decision.flag_id:
        flag = CommitteeFlag.objects.select_for_update().get(pk=decision.flag_id)
        if flag.is_open:
            flag.resolved_at, flag.resolved_by = timezone.now(), by
            flag.resolution = _("Decided: %(type)s, %(outcome)s on %(date)s.") % {
                "type": decision.get_decision_type_display(),
                "outcome": decision.get_status_display().lower(),
                "date": _d(approved_on),
            }
            flag.save()
    if issued:
        _queue_pdfs([c.pk for c in issued], by)
    return decision


def _queue_pdfs(certificate_ids, by):
    """Render the new certificates' PDFs after commit (C3's pdf_tasks; absent module: nothing)."""
    try:
        from .certificate_pdfs import tasks as pdf_tasks
    except ImportError:
        return
    task = getattr(pdf_tasks, "issue_certificate_pdfs", None)
    if task is None:
        return
    user_id = by.pk if by else None
    transaction.on_commit(lambda: task.delay(certificate_ids, user_id))


# --- effects of an approved decision (one function per type) ---------------------------------


def _decision_certificates(decision):
    """The decision's certificates (locked), main certificates first."""
    ids = list(decision.certificates.values_list("pk", flat=True))
    return list(Certificate.objects.select_for_update().filter(pk__in=ids).order_by("main_certificate_id", "pk"))


def _with_subs(certificate, statuses):
    """The certificate and its sub-certificates in the given statuses."""
    subs = list(
        Certificate.objects.select_for_update().filter(main_certificate=certificate, status__in=statuses).order_by("pk")
    )
    return [certificate] + subs


def _effect_grant(*, decision, by, issued_on):
    policy = _policy()
    expires_on = rules.expiry(issued_on, policy)
    programme = AuditProgramme.objects.select_for_update().get(pk=decision.programme_id)
    issued = []
    for standard in decision.standards.order_by("family", "code"):
        scope_zh, scope_en = _scope_for(decision=decision, standard=standard)
        issued += certificate_issue(
            decision=decision,
            programme=programme,
            standard=standard,
            issued_on=issued_on,
            expires_on=expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
        )
    if not programme.has_anchors:
        programme.decision_on = decision.approved_on
        programme.certificate_issued_on = issued_on
        programme.expires_on = expires_on
    missing = set(decision.standards.values_list("pk", flat=True)) - set(
        programme.standards.values_list("pk", flat=True)
    )
    programme.version += 1
    _save(programme, by)
    if missing:
        programme.standards.add(*missing)
    return issued


def _effect_none(*, decision, by, issued_on):
    return []


def _effect_maintain(*, decision, by, issued_on):
    for certificate in _decision_certificates(decision):
        if certificate.status != CertificateStatus.VALID:
            raise invalid(
                _("Certificate %(number)s is %(status)s: certification cannot be maintained.")
                % {"number": certificate.number, "status": certificate.get_status_display().lower()},
                code="wrong_certificate_status",
            )
    return []


def _recertification_after_expiry_message(certificate, on):
    programme = certificate.programme
    requirement = programme_rules.recertification_after_expiry(
        rule_set=programme_rules.RuleSet(programme.rule_set), expiry_date=certificate.expires_on, today=on
    )
    return _(
        "Certificate %(number)s expired on %(date)s, before the recertification decision. %(rule)s (%(source)s)"
    ) % {
        "number": certificate.number,
        "date": _d(certificate.expires_on),
        "rule": translated(requirement.message),
        "source": translated(requirement.source),
    }


def _effect_renew(*, decision, by, issued_on):
    """Continue the cycle: per certificate a new one (same year and serial, R + 1, expiry =
    previous expiry + validity), the old one cancelled (04, reason 0120); a new programme
    (cycle + 1) with the new anchors, the old one inactive."""
    policy = _policy()
    replaced = _reason(ReasonKind.WITHDRAWAL, REPLACED_REASON_CODE)
    certificates = [c for c in _decision_certificates(decision) if c.main_certificate_id is None]
    for certificate in certificates:
        if not rules.renewal_allowed(expires_on=certificate.expires_on, decided_on=decision.approved_on):
            raise invalid(_recertification_after_expiry_message(certificate, decision.approved_on), code="expired")
        if certificate.status not in (CertificateStatus.VALID, CertificateStatus.EXPIRED):
            raise invalid(
                _("Certificate %(number)s is %(status)s: it cannot be renewed.")
                % {"number": certificate.number, "status": certificate.get_status_display().lower()},
                code="wrong_certificate_status",
            )
    issued = []
    new_programmes = {}
    for certificate in certificates:
        old_programme = AuditProgramme.objects.select_for_update().get(pk=certificate.programme_id)
        expires_on = rules.renewal_expiry(certificate.expires_on, policy)
        if old_programme.pk not in new_programmes:
            new_programme = _save(
                AuditProgramme(
                    client=old_programme.client,
                    rule_set=old_programme.rule_set,
                    cycle=old_programme.cycle + 1,
                    starts_with_initial_audit=False,
                    decision_on=decision.approved_on,
                    certificate_issued_on=issued_on,
                    expires_on=expires_on,
                    created_by=by,
                    notes=_("Recertification of cycle %(cycle)s.") % {"cycle": old_programme.cycle},
                ),
                by,
            )
            new_programme.standards.set(old_programme.standards.all())
            old_programme.active = False
            old_programme.version += 1
            _save(old_programme, by)
            new_programmes[old_programme.pk] = new_programme
        scope_zh, scope_en = _scope_for(decision=decision, standard=certificate.standard, certificate=certificate)
        new = certificate_issue(
            decision=decision,
            programme=new_programmes[old_programme.pk],
            standard=certificate.standard,
            issued_on=issued_on,
            expires_on=expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            continues=certificate,
        )
        issued += new
        for old in _with_subs(
            certificate, (CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED)
        ):
            certificate_status_change(
                certificate=old,
                to_status=CertificateStatus.CANCELLED,
                by=by,
                reason=replaced,
                effective_on=issued_on,
                decision=decision,
                note=_("Replaced by certificate %(number)s.") % {"number": new[0].number},
            )
    return issued


def _effect_scope(*, decision, by, issued_on):
    """Reissue each certificate under its number (reissue + 1) with the new scope; the old one
    is cancelled (04, reason 0120)."""
    replaced = _reason(ReasonKind.WITHDRAWAL, REPLACED_REASON_CODE)
    issued = []
    for certificate in [c for c in _decision_certificates(decision) if c.main_certificate_id is None]:
        if certificate.status not in CERTIFICATE_STATUSES_FOR[decision.decision_type]:
            raise invalid(
                _("Certificate %(number)s is %(status)s: its scope cannot change.")
                % {"number": certificate.number, "status": certificate.get_status_display().lower()},
                code="wrong_certificate_status",
            )
        scope_zh, scope_en = _scope_for(decision=decision, standard=certificate.standard, certificate=certificate)
        new = certificate_issue(
            decision=decision,
            programme=certificate.programme,
            standard=certificate.standard,
            issued_on=issued_on,
            expires_on=certificate.expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            reissue_of=certificate,
        )
        issued += new
        for old in _with_subs(certificate, LIVE_STATUSES):
            certificate_status_change(
                certificate=old,
                to_status=CertificateStatus.CANCELLED,
                by=by,
                reason=replaced,
                effective_on=issued_on,
                decision=decision,
                note=_("Reissued as %(certificate)s.") % {"certificate": new[0]},
            )
    return issued


def _effect_status(to_status, *, from_statuses):
    def effect(*, decision, by, issued_on):
        if to_status == CertificateStatus.SUSPENDED:
            rules.check_suspension_end(
                ends_on=decision.suspension_ends_on, starts_on=decision.approved_on, policy=_policy()
            )
        done = set()
        for certificate in _decision_certificates(decision):
            for target in _with_subs(certificate, from_statuses):
                if target.pk in done:
                    continue
                done.add(target.pk)
                certificate_status_change(
                    certificate=target,
                    to_status=to_status,
                    by=by,
                    reason=decision.reason if to_status != CertificateStatus.VALID else None,
                    effective_on=decision.approved_on,
                    decision=decision,
                    suspension_ends_on=decision.suspension_ends_on
                    if to_status == CertificateStatus.SUSPENDED
                    else None,
                )
        if to_status == CertificateStatus.WITHDRAWN:
            _deactivate_finished_programmes(decision, by)
        return []

    return effect


def _deactivate_finished_programmes(decision, by):
    """A programme none of whose certificates is valid or suspended any more expects nothing."""
    ids = set(decision.certificates.values_list("programme_id", flat=True))
    for programme in AuditProgramme.objects.select_for_update().filter(pk__in=ids, active=True):
        if not Certificate.objects.filter(programme=programme, status__in=LIVE_STATUSES).exists():
            programme.active = False
            programme.version += 1
            _save(programme, by)


EFFECTS = {
    DecisionType.GRANT: _effect_grant,
    DecisionType.REFUSE: _effect_none,
    DecisionType.MAINTAIN: _effect_maintain,
    DecisionType.RENEW: _effect_renew,
    DecisionType.EXTEND_SCOPE: _effect_scope,
    DecisionType.REDUCE_SCOPE: _effect_scope,
    DecisionType.SUSPEND: _effect_status(CertificateStatus.SUSPENDED, from_statuses=(CertificateStatus.VALID,)),
    DecisionType.RESTORE: _effect_status(CertificateStatus.VALID, from_statuses=(CertificateStatus.SUSPENDED,)),
    DecisionType.WITHDRAW: _effect_status(CertificateStatus.WITHDRAWN, from_statuses=LIVE_STATUSES),
}


# --- certificates ---------------------------------------------------------------------------


def next_serial(*, year, standard_code):
    """The next serial for (year, standard code): the counter row is locked (select_for_update)
    so concurrent issues never share a serial."""
    CertificateSerial.objects.get_or_create(year=year, standard_code=standard_code)
    counter = CertificateSerial.objects.select_for_update().get(year=year, standard_code=standard_code)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _next_reissue(number):
    last = Certificate.objects.filter(number=number).aggregate(m=Max("reissue"))["m"]
    return 0 if last is None else last + 1


def _holder_address(client):
    sites = list(client.sites.all())
    for test in (lambda s: s.kind == SiteKind.REGISTERED, lambda s: s.is_central, lambda s: True):
        for site in sites:
            if test(site):
                return site.address_zh, site.address_en
    raise invalid(_("Record the client's registered address first: the certificate prints it."), code="address_missing")


def _covered_sites(decision):
    sites = list(decision.audit.sites.all()) if decision.audit_id else []
    return sites or list(decision.client.sites.all())


def _site_row(site):
    return {"name": site.name, "kind": site.kind, "address_zh": site.address_zh, "address_en": site.address_en}


def _headcount(decision):
    if decision.client.headcount:
        return decision.client.headcount
    if decision.audit_id:
        return decision.audit.effective_personnel
    return None


def _standard_label(standard):
    return f"{standard.national_equivalent}/{standard}" if standard.national_equivalent else str(standard)


def certificate_issue(
    *, decision, programme, standard, issued_on, expires_on, scope_zh, scope_en="", by, continues=None, reissue_of=None
):
    """Create a certificate for one standard (internal: decision_approve's effects call it, in
    their transaction), with its sub-certificates; returns [main, subs …].

    New certificate: serial from the locked counter, number from the policy's pattern.
    ``continues`` (renewal): same year and serial, recertification count + 1, replaces it.
    ``reissue_of`` (scope change): same number and number parts, reissue + 1, replaces it.
    The issue date is never before the decision; the expiry is after the issue date."""
    policy = _policy()
    client = decision.client
    decided_on = decision.approved_on or issued_on
    rules.check_issue_date(issued_on=issued_on, decided_on=decided_on)
    if expires_on <= issued_on:
        raise invalid(
            _("The certificate would expire (%(expiry)s) before it is issued (%(issue)s).")
            % {"expiry": _d(expires_on), "issue": _d(issued_on)},
            code="expiry_before_issue",
        )
    if not (scope_zh or "").strip():
        raise invalid({"scope_zh": _("Enter the scope to certify.")}, code="scope_required")
    address_zh, address_en = _holder_address(client)
    sites = _covered_sites(decision)
    cb = _cb()
    if reissue_of is not None:
        base = reissue_of
        year, code, serial, recert, size = (
            base.year,
            base.standard_code,
            base.serial,
            base.recertification_count,
            base.size_band,
        )
        number = base.number
        first_issued_on = base.first_issued_on
    else:
        size = rules.size_band(_headcount(decision), policy)
        if continues is not None:
            year, code, serial = continues.year, continues.standard_code, continues.serial
            recert = continues.recertification_count + 1
            first_issued_on = continues.first_issued_on
        else:
            year = issued_on.year
            code = rules.standard_code(standard.family, policy.standard_codes)
            serial = next_serial(year=year, standard_code=code)
            recert = 0
            first_issued_on = issued_on
        number = rules.format_number(
            pattern=policy.number_pattern,
            cb=rules.cb_code(cb.cb_code if cb else ""),
            year=year,
            std=code,
            serial=serial,
            recert=recert,
            size=size,
        )
    common = {
        "client": client,
        "programme": programme,
        "standard": standard,
        "decision": decision,
        "holder_name_zh": client.name_zh,
        "holder_name_en": client.name_en,
        "address_zh": address_zh,
        "address_en": address_en,
        "standard_label": _standard_label(standard),
        "scope_zh": scope_zh.strip(),
        "scope_en": (scope_en or "").strip(),
        "technical_codes": ", ".join(_client_codes(client)),
        "year": year,
        "standard_code": code,
        "serial": serial,
        "recertification_count": recert,
        "size_band": size,
        "first_issued_on": first_issued_on,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "status": CertificateStatus.VALID,
        "status_since": issued_on,
        "created_by": by,
    }
    main = Certificate.objects.create(
        number=number,
        reissue=_next_reissue(number),
        replaces=continues or reissue_of,
        sites=[_site_row(s) for s in sites],
        **common,
    )
    _record_issue(main, decision, by)
    issued = [main]
    old_subs = {}
    if continues or reissue_of:
        for sub in (continues or reissue_of).sub_certificates.all():
            old_subs[sub.site_id] = sub
    branches = [s for s in sites if s.kind == SiteKind.BRANCH and not s.is_central]
    for n, site in enumerate(branches, start=1):
        sub_number = f"{number}-{n}"
        sub = Certificate.objects.create(
            number=sub_number,
            reissue=_next_reissue(sub_number),
            main_certificate=main,
            site=site,
            replaces=old_subs.get(site.pk),
            sites=[_site_row(site)],
            **common,
        )
        _record_issue(sub, decision, by)
        issued.append(sub)
    return issued


def _record_issue(certificate, decision, by):
    CertificateStatusChange.objects.create(
        certificate=certificate,
        from_status="",
        to_status=CertificateStatus.VALID,
        effective_on=certificate.issued_on,
        decision=decision,
        decided_by=by,
        note=_("Issued (reissue %(n)s).") % {"n": certificate.reissue} if certificate.reissue else _("Issued."),
    )


@transaction.atomic
def certificate_status_change(
    *, certificate, to_status, by, reason=None, effective_on, decision=None, suspension_ends_on=None, note=""
):
    """The one place a certificate's status changes (decision effects, the daily job): checks
    the transition and the reason list, updates the certificate and writes the status-change
    row (before, after, reason, date, decided by, suspension end). Callers check who acts;
    ``by`` is None only when the date alone changes the status (expiry)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    from_status = CertificateStatus(locked.status)
    to_status = CertificateStatus(to_status)
    if to_status not in STATUS_TRANSITIONS[from_status]:
        raise invalid(
            _("Certificate %(number)s is %(from)s: it cannot become %(to)s.")
            % {"number": locked.number, "from": from_status.label.lower(), "to": to_status.label.lower()},
            code="invalid_status_change",
        )
    kind = REASON_KIND_FOR_STATUS.get(to_status)
    if kind is not None and (reason is None or reason.kind != kind):
        raise invalid(
            _("A change to %(to)s needs a reason code from the %(kind)s list.")
            % {"to": to_status.label.lower(), "kind": kind.label.lower()},
            code="reason_required",
        )
    if kind is None:
        reason = None
    if to_status == CertificateStatus.SUSPENDED and suspension_ends_on is None:
        raise invalid(_("A suspension needs an end date."), code="suspension_end_missing")
    if by is None and to_status != CertificateStatus.EXPIRED:
        raise invalid(_("Only expiry changes a certificate's status without a decision-maker."), code="no_actor")
    locked.status = to_status
    locked.status_since = effective_on
    locked.suspended_until = suspension_ends_on if to_status == CertificateStatus.SUSPENDED else None
    locked.save(update_fields=["status", "status_since", "suspended_until"])
    CertificateStatusChange.objects.create(
        certificate=locked,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        effective_on=effective_on,
        suspension_ends_on=locked.suspended_until,
        decision=decision,
        decided_by=by,
        note=note,
    )
    certificate.status, certificate.status_since, certificate.suspended_until = (
        locked.status,
        locked.status_since,
        locked.suspended_until,
    )
    return certificate


# --- the daily job and the committee's flags ---------------------------------------------------


@dataclass
class DailyRun:
    """What one run of the daily job did."""

    expired: list = field(default_factory=list)  # certificate numbers now 05
    flags: list = field(default_factory=list)  # CommitteeFlag rows raised by this run

    def as_dict(self):
        return {"expired": len(self.expired), "flags": len(self.flags)}


def _raise_flag(run, *, key, **fields):
    flag, created = CommitteeFlag.objects.get_or_create(key=key[:120], defaults=fields)
    if created:
        run.flags.append(flag)
    return flag


@transaction.atomic
def certification_daily(*, today=None):
    """The daily beat job (idempotent: a second run the same day changes nothing). Certificates
    valid or suspended past their expiry become 05 (expired, the day after the expiry date,
    decided by nobody). Everything else is only flagged to the committee, never decided:
    a suspension past its end → proposed withdrawal (0115); an overdue surveillance or an overdue
    NC of a surveillance audit → proposed suspension; a certificate expired without renewal →
    what the rules now require. Flags are stored in the CB's language."""
    today = today or _today()
    run = DailyRun()
    with translation.override(settings.LANGUAGE_CODE):
        for certificate in Certificate.objects.filter(status__in=LIVE_STATUSES, expires_on__lt=today).order_by("pk"):
            certificate_status_change(
                certificate=certificate,
                to_status=CertificateStatus.EXPIRED,
                by=None,
                effective_on=certificate.expires_on + datetime.timedelta(days=1),
                note=_("The validity ended on %(date)s.") % {"date": _d(certificate.expires_on)},
            )
            run.expired.append(certificate.number)
        _flag_ended_suspensions(run, today)
        _flag_overdue_surveillance(run, today)
        _flag_overdue_ncs(run, today)
        _flag_expired(run, today)
    return run


def _mains(qs):
    return qs.filter(main_certificate__isnull=True).select_related("programme", "client")


def _flag_ended_suspensions(run, today):
    reason = StatusReason.objects.filter(kind=ReasonKind.WITHDRAWAL, code=SUSPENSION_ENDED_REASON_CODE).first()
    for certificate in _mains(
        Certificate.objects.filter(status=CertificateStatus.SUSPENDED, suspended_until__lt=today)
    ):
        _raise_flag(
            run,
            key=f"suspension-ended:{certificate.pk}:{certificate.suspended_until.isoformat()}",
            kind=FlagKind.PROPOSED_WITHDRAWAL,
            certificate=certificate,
            programme=certificate.programme,
            suggested_reason=reason,
            basis_date=certificate.suspended_until,
            raised_on=today,
            message=_(
                "The suspension of certificate %(number)s ended on %(date)s and the certificate has not been "
                "restored: the committee decides on withdrawal (reason 0115) or restoration."
            )
            % {"number": certificate.number, "date": _d(certificate.suspended_until)},
        )


def _valid_certificate_of(programme_id):
    return (
        Certificate.objects.filter(
            programme_id=programme_id, status=CertificateStatus.VALID, main_certificate__isnull=True
        )
        .order_by("pk")
        .first()
    )


def _flag_overdue_surveillance(run, today):
    from audits.selectors import certification_body, programme_schedule, programmes_with_audits

    cb = certification_body()
    reason = StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, code=OVERDUE_SURVEILLANCE_REASON_CODE).first()
    valid_programmes = Certificate.objects.filter(status=CertificateStatus.VALID, main_certificate__isnull=True).values(
        "programme_id"
    )
    programmes = programmes_with_audits(
        AuditProgramme.objects.filter(
            active=True, pk__in=valid_programmes, decision_on__isnull=False, certificate_issued_on__isnull=False
        )
    )
    for programme in programmes:
        for entry in programme_schedule(programme=programme, on_date=today, cb=cb):
            if entry.kind not in (AuditType.SURVEILLANCE_1, AuditType.SURVEILLANCE_2) or entry.status != "overdue":
                continue
            certificate = _valid_certificate_of(programme.pk)
            _raise_flag(
                run,
                key=f"surveillance:{programme.pk}:{entry.kind}:{entry.due_by.isoformat()}",
                kind=FlagKind.PROPOSED_SUSPENSION,
                certificate=certificate,
                programme=programme,
                suggested_reason=reason,
                basis_date=entry.due_by,
                raised_on=today,
                message=_("%(audit)s was due by %(date)s and is not done. %(consequence)s")
                % {
                    "audit": entry.label,
                    "date": _d(entry.due_by),
                    "consequence": entry.consequence,
                },
            )


def _flag_overdue_ncs(run, today):
    from audits.models import Nonconformity
    from audits.nc_selectors import suspension_grounds_q

    reason = StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, code=OVERDUE_NC_REASON_CODE).first()
    ncs = Nonconformity.objects.filter(suspension_grounds_q(today)).select_related("audit__programme").order_by("pk")
    for nc in ncs:
        certificate = _valid_certificate_of(nc.audit.programme_id)
        if certificate is None:
            continue
        _raise_flag(
            run,
            key=f"nc:{nc.pk}:{nc.due_date.isoformat()}",
            kind=FlagKind.PROPOSED_SUSPENSION,
            certificate=certificate,
            programme=nc.audit.programme,
            suggested_reason=reason,
            basis_date=nc.due_date,
            raised_on=today,
            message=_(
                "Nonconformity No. %(number)s of the %(audit)s was due by %(date)s and its corrective action "
                "is not accepted: grounds for suspending certificate %(certificate)s."
            )
            % {
                "number": nc.number,
                "audit": nc.audit.get_audit_type_display().lower(),
                "date": _d(nc.due_date),
                "certificate": certificate.number,
            },
        )


def _flag_expired(run, today):
    for certificate in _mains(Certificate.objects.filter(status=CertificateStatus.EXPIRED, replaced_by__isnull=True)):
        requirement = programme_rules.recertification_after_expiry(
            rule_set=programme_rules.RuleSet(certificate.programme.rule_set),
            expiry_date=certificate.expires_on,
            today=today,
        )
        _raise_flag(
            run,
            key=f"expired:{certificate.pk}",
            kind=FlagKind.RECERTIFICATION_AFTER_EXPIRY,
            certificate=certificate,
            programme=certificate.programme,
            basis_date=certificate.expires_on,
            raised_on=today,
            message=_(
                "Certificate %(number)s expired on %(date)s without a recertification decision. %(rule)s (%(source)s)"
            )
            % {
                "number": certificate.number,
                "date": _d(certificate.expires_on),
                "rule": translated(requirement.message),
                "source": translated(requirement.source),
            },
        )


@transaction.atomic
def flag_resolve(*, flag, by, resolution, decision=None):
    """Close a flag with what the committee decided (committee members, CB administrators)."""
    if not (_is_committee(by) or _is_cb_admin(by)):
        raise PermissionDenied(_("Only the certification committee or a CB administrator resolves flags."))
    flag = CommitteeFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise invalid(_("This flag is already resolved."), code="flag_resolved")
    resolution = (resolution or "").strip()
    if not resolution and decision is None:
        raise invalid({"resolution": _("Say what was decided.")}, code="resolution_required")
    if decision is not None:
        if decision.flag_id is None:
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            decision.flag = flag
            _save(decision, by)
        resolution = resolution or _("Decision opened: %(decision)s.") % {"decision": decision}
    flag.resolution, flag.resolved_by, flag.resolved_at = resolution, by, timezone.now()
    flag.save()
    return flag
