"""The technical review (评定) of one audit: opened by a CB administrator once the audit report
is approved, staffed with competent and independent reviewers, answered point by point against
ISO/IEC 17021-1 9.5.2, questions sent back to the team leader, and concluded (passed or not)
through ``REVIEW_MACHINE``.

Independence first (it binds everybody), then who (``PermissionDenied``), then what and when
(``ValidationError`` with a code)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits import rules as audit_rules
from audits import services as audit_services
from audits.models import Audit, AuditStatus, AuditType
from core.access import Role
from core.notes import NoteMessage
from findings.models import NonconformityGrade
from findings.selectors import audit_nc_readiness

from ..lifecycle import REVIEW_MACHINE
from ..models import (
    CHECKLIST,
    ChecklistAnswer,
    ReviewAction,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
)
from ..models.access import is_active, is_cb_admin
from ..models.review import CHECKLIST_KEYS
from ..rules import invalid
from .base import bump, client_codes, require, save, uncovered
from .independence import independence_check

REVIEW_OPENED_NOTE = NoteMessage(gettext_noop("Technical review opened."))

NOT_A_REVIEWER = gettext_noop("Only a reviewer assigned to this technical review may do this.")


def _lock_review(review: TechnicalReview) -> TechnicalReview:
    return TechnicalReview.objects.select_for_update(of=("self",)).select_related("audit__client").get(pk=review.pk)


def _require_open(review: TechnicalReview) -> None:
    if review.status != ReviewStatus.OPEN:
        raise invalid(
            _("This technical review is concluded (%(status)s): it can no longer change.")
            % {"status": review.get_status_display()},
            code="wrong_status",
        )


def _require_reviewer(review: TechnicalReview, by: Any) -> None:
    """Independence first (binds everybody), then: a reviewer assigned to the review."""
    independence_check(audit=review.audit, user=by)
    require(TechnicalReview, by, "review", review, _(NOT_A_REVIEWER))


@transaction.atomic
def review_open(*, audit: Audit, by: Any) -> TechnicalReview:
    """Open the technical review of an audit whose report is approved (CB administrators); the
    audit moves to "in technical review"."""
    if not is_cb_admin(by):
        raise PermissionDenied(_("Only a CB administrator may open a technical review."))
    given, audit = audit, Audit.objects.select_for_update().get(pk=audit.pk)
    if TechnicalReview.objects.filter(audit=audit).exists():
        raise invalid(_("This audit already has a technical review."), code="review_exists")
    if audit.audit_type == AuditType.STAGE_1:
        raise invalid(
            _(
                "A stage 1 audit ends with its conclusion on readiness for stage 2 (ISO/IEC 17021-1 9.3.1.2); "
                "the technical review is of the stage 2 audit."
            ),
            code="stage_1",
        )
    if audit.status not in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
        raise invalid(
            _("The technical review starts once the audit report is approved; this audit is %(status)s.")
            % {"status": audit.get_status_display()},
            code="report_not_approved",
        )
    review = save(TechnicalReview(audit=audit, created_by=by), by)
    REVIEW_MACHINE.record_creation(review, by=by)
    audit_services.audit_move(audit=audit, action="review_opened", by=by, note=REVIEW_OPENED_NOTE.text())
    given.status, given.version = audit.status, audit.version
    return review


@transaction.atomic
def reviewer_assign(*, review: TechnicalReview, reviewer: Any, by: Any) -> ReviewerAssignment:
    """Assign a reviewer (CB administrators): an active committee member whose competence
    codes cover every code of the client, independent of the audit."""
    require(TechnicalReview, by, "manage", review, _("Only a CB administrator may assign reviewers."))
    review = _lock_review(review)
    _require_open(review)
    independence_check(audit=review.audit, user=reviewer)
    if not (is_active(reviewer) and reviewer.role == Role.COMMITTEE):
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
    missing = uncovered(list(profile.technical_areas.values_list("code", flat=True)), client_codes(review.audit.client))
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
    assignment = save(ReviewerAssignment(review=review, reviewer=reviewer, assigned_by=by), by)
    bump(review, by)
    return assignment


@transaction.atomic
def review_answer(*, review: TechnicalReview, point: str, answer: str, remark: str, by: Any) -> ReviewAnswer:
    """Answer one checklist point with a remark (an assigned reviewer, review open)."""
    _require_reviewer(review, by)
    review = _lock_review(review)
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
    save(row, by)
    bump(review, by)
    return row


@transaction.atomic
def review_issue_raise(*, review: TechnicalReview, text: str, by: Any) -> ReviewIssue:
    """Send a question back to the audit's team leader (an assigned reviewer)."""
    _require_reviewer(review, by)
    review = _lock_review(review)
    _require_open(review)
    text = (text or "").strip()
    if not text:
        raise invalid({"text": _("Describe the issue for the team leader.")}, code="text_required")
    issue = save(ReviewIssue(review=review, text=text, raised_by=by), by)
    bump(review, by)
    return issue


def _lock_issue(issue: ReviewIssue) -> ReviewIssue:
    return ReviewIssue.objects.select_for_update(of=("self",)).select_related("review__audit").get(pk=issue.pk)


@transaction.atomic
def review_issue_respond(*, issue: ReviewIssue, response: str, by: Any) -> ReviewIssue:
    """The audit's team leader answers an issue (again, until the reviewer resolves it)."""
    require(ReviewIssue, by, "respond", issue, _("Only the audit's team leader answers the reviewer's issues."))
    issue = _lock_issue(issue)
    _require_open(issue.review)
    if issue.resolved:
        raise invalid(_("This issue is resolved: it can no longer be answered."), code="issue_resolved")
    response = (response or "").strip()
    if not response:
        raise invalid({"response": _("Write the answer to the reviewer's issue.")}, code="response_required")
    issue.response, issue.responded_by, issue.responded_at = response, by, timezone.now()
    return save(issue, by)


@transaction.atomic
def review_issue_resolve(*, issue: ReviewIssue, by: Any) -> ReviewIssue:
    """The reviewer accepts the team leader's answer (an assigned reviewer, after an answer)."""
    independence_check(audit=issue.review.audit, user=by)
    require(ReviewIssue, by, "resolve", issue, _(NOT_A_REVIEWER))
    issue = _lock_issue(issue)
    _require_open(issue.review)
    if issue.resolved:
        raise invalid(_("This issue is already resolved."), code="issue_resolved")
    if not issue.answered:
        raise invalid(
            _("The team leader has not answered this issue yet: it can be resolved after the answer."),
            code="issue_unanswered",
        )
    issue.resolved, issue.resolved_by, issue.resolved_at = True, by, timezone.now()
    return save(issue, by)


def _nc_numbers(ncs: list[Any]) -> str:
    return ", ".join(str(nc.number) for nc in ncs)


def review_blockers(*, review: TechnicalReview) -> list[str]:
    """Why the review cannot pass (empty: it can): unanswered or "no" checklist points,
    unresolved issues, unverified major NCs (named), minor NCs without an accepted plan."""
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
    # An initial certification is granted on stage 2 only after a completed stage 1 of the same
    # programme, concluded "ready" (ISO/IEC 17021-1 9.3.1.1-9.3.1.2), whatever the audit's status says.
    for refusal in audit_rules.stage_2_refusals(review.audit):
        blockers.append(_("Initial certification: %(reason)s") % {"reason": refusal})
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
def review_conclude(
    *, review: TechnicalReview, passed: bool, remark: str, by: Any, version: int | None = None
) -> TechnicalReview:
    """Conclude the review (an assigned reviewer). Passing needs every checklist point answered
    (none "no"), every issue resolved and no unverified major NC (review_blockers); not passing
    needs the reason."""
    independence_check(audit=review.audit, user=by)
    remark = (remark or "").strip()

    def check(locked: TechnicalReview) -> None:
        if passed:
            blockers = review_blockers(review=locked)
            if blockers:
                raise ValidationError(
                    [ValidationError(_("The review cannot pass:"), code="review_blocked")]
                    + [ValidationError(message, code="review_blocked") for message in blockers]
                )
        elif not remark:
            raise invalid({"remark": _("Say why the review does not pass.")}, code="remark_required")

    locked, _event = REVIEW_MACHINE.move(
        review,
        ReviewAction.PASS if passed else ReviewAction.NOT_PASS,
        by=by,
        version=version,
        note=remark,
        on_locked=check,
        changes={"conclusion_remark": remark, "concluded_by": by, "concluded_at": timezone.now()},
    )
    return locked
