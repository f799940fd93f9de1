"""The technical review of one audit: reviewers, checklist, issues sent to the team leader,
conclusion."""

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audits import rules as audit_rules
from audits.models import Audit, AuditType, TeamRole
from core.access import AUDITING_STAFF, CB_ADMIN, CB_STAFF, COMMITTEE, COMMITTEE_AND_ADMIN, access
from core.views import perform

from .. import dashboard, selectors, services
from ..forms import (
    ChecklistForm,
    IssueRaiseForm,
    IssueRespondForm,
    ReviewConcludeForm,
    ReviewerAssignForm,
)
from ..models import Decision, ReviewIssue, ReviewStatus, TechnicalReview
from ..models.access import sees_decisions

DECISION_COLUMNS = [gettext_lazy("Decision"), gettext_lazy("Status")]


def _audit_or_404(request: HttpRequest, pk: int) -> Audit:
    return get_object_or_404(Audit.objects.restrict(request.user, "view").select_related("client", "programme"), pk=pk)


def review_or_404(request: HttpRequest, pk: int) -> TechnicalReview:
    """A review the user may see."""
    return get_object_or_404(
        TechnicalReview.objects.restrict(request.user, "view").select_related("audit__client"), pk=pk
    )


def _issue_or_404(request: HttpRequest, pk: int) -> ReviewIssue:
    return get_object_or_404(ReviewIssue.objects.restrict(request.user, "view").select_related("review__audit"), pk=pk)


def _is_leader(user: Any, audit: Audit) -> bool:
    return audit.team.filter(profile__user=user, role=TeamRole.LEADER).exists()


def _review_context(request: HttpRequest, audit: Audit, review: TechnicalReview | None, **forms: Form) -> dict:
    user = request.user
    is_admin = CB_ADMIN.allows(user)
    report = getattr(audit, "report", None)  # reverse one-to-one (reports.Report): None when not started
    context: dict[str, Any] = {
        "audit": audit,
        "review": review,
        "is_admin": is_admin,
        "report": report,
        "audit_time": audit_rules.audit_time_summary(audit),
        "stage_1": audit_rules.latest_stage_1(programme=audit.programme, exclude=audit)
        if audit_rules.needs_stage_1(audit)
        else None,
    }
    if review is None:
        context["can_open"] = (
            is_admin and audit.status in dashboard.READY_FOR_REVIEW and audit.audit_type != AuditType.STAGE_1
        )
        return context
    assignments = list(review.reviewers.all())  # prefetched by selectors.review_for_audit
    answers = {a.point: a for a in review.answers.all()}
    issues = list(review.issues.all())
    is_open = review.status == ReviewStatus.OPEN
    is_reviewer = any(a.reviewer_id == user.pk for a in assignments)
    is_leader = _is_leader(user, audit)
    if is_leader and is_open:
        for issue in issues:  # one form per issue, with HTML ids of its own
            issue.respond_form = IssueRespondForm(auto_id=f"id_issue{issue.pk}_%s")
    decisions = list(Decision.objects.restrict(user, "view").filter(review=review).order_by("-created_at", "-pk"))
    context.update(
        assignments=assignments,
        issues=issues,
        is_open=is_open,
        is_reviewer=is_reviewer,
        can_review=is_open and is_reviewer,
        can_assign=is_admin and is_open,
        is_leader=is_leader,
        blockers=services.review_blockers(review=review) if is_open else [],
        sees_decisions=sees_decisions(user),
        decisions=decisions,
        decision_columns=DECISION_COLUMNS,
        can_decide=COMMITTEE_AND_ADMIN.allows(user) and review.status != ReviewStatus.OPEN and not decisions,
        checklist_form=forms.get("checklist_form") or ChecklistForm(answers=answers),
        answers=answers,
        issue_form=forms.get("issue_form") or IssueRaiseForm(),
        conclude_form=forms.get("conclude_form") or ReviewConcludeForm(),
    )
    if context["can_assign"]:
        assigned = [a.reviewer_id for a in assignments]
        reviewers = services.eligible_reviewers(audit=audit).exclude(pk__in=assigned)
        context["assign_form"] = forms.get("assign_form") or ReviewerAssignForm(reviewers=reviewers)
    return context


def _review_page(request: HttpRequest, review: TechnicalReview, **forms: Form) -> HttpResponse:
    """The review page again, with a form's errors."""
    return render(request, "certification/review.html", _review_context(request, review.audit, review, **forms))


@access(CB_STAFF)
def review_detail(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """The technical review of one audit: reviewers, checklist, issues, conclusion."""
    audit = _audit_or_404(request, audit_pk)
    review = selectors.review_for_audit(audit=audit, user=request.user)
    return render(request, "certification/review.html", _review_context(request, audit, review))


@access(CB_ADMIN)
@require_POST
def review_open(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit_or_404(request, audit_pk)
    perform(
        request,
        lambda: services.review_open(audit=audit, by=request.user),
        success=_("The technical review is open: assign the reviewers."),
    )
    return redirect("certification:review", audit_pk=audit.pk)


@access(CB_ADMIN)
@require_POST
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_or_404(request, pk)
    reviewers = services.eligible_reviewers(audit=review.audit)
    form = ReviewerAssignForm(request.POST, reviewers=reviewers)
    if form.is_valid() and perform(
        request,
        lambda: services.reviewer_assign(review=review, reviewer=form.cleaned_data["reviewer"], by=request.user),
        success=_("%(name)s assigned as reviewer.") % {"name": form.cleaned_data.get("reviewer")},
        form=form,
    ):
        return redirect("certification:review", audit_pk=review.audit_id)
    return _review_page(request, review, assign_form=form)


@access(COMMITTEE)
@require_POST
def review_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's answers to the checklist points (each with a remark)."""
    review = review_or_404(request, pk)
    answers = {a.point: a for a in review.answers.all()}
    form = ChecklistForm(request.POST, answers=answers)
    if form.is_valid():
        changed = form.changed_answers()

        def save_answers() -> None:
            for point, answer, remark in changed:
                services.review_answer(review=review, point=point, answer=answer, remark=remark, by=request.user)

        if perform(request, save_answers, form=form):
            messages.success(request, _("Checklist saved (%(n)s answers changed).") % {"n": len(changed)})
            return redirect("certification:review", audit_pk=review.audit_id)
    return _review_page(request, review, checklist_form=form)


@access(COMMITTEE)
@require_POST
def issue_raise(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_or_404(request, pk)
    form = IssueRaiseForm(request.POST)
    if form.is_valid() and perform(
        request,
        lambda: services.review_issue_raise(review=review, text=form.cleaned_data["text"], by=request.user),
        success=_("Issue sent to the team leader."),
        form=form,
    ):
        return redirect("certification:review", audit_pk=review.audit_id)
    return _review_page(request, review, issue_form=form)


@access(AUDITING_STAFF)
@require_POST
def issue_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit's team leader answers an issue the reviewer raised."""
    issue = _issue_or_404(request, pk)
    form = IssueRespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your answer."))
    else:
        perform(
            request,
            lambda: services.review_issue_respond(issue=issue, response=form.cleaned_data["response"], by=request.user),
            success=_("Answer sent to the reviewer."),
        )
    return redirect("certification:review", audit_pk=issue.review.audit_id)


@access(COMMITTEE)
@require_POST
def issue_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_or_404(request, pk)
    perform(request, lambda: services.review_issue_resolve(issue=issue, by=request.user), success=_("Issue resolved."))
    return redirect("certification:review", audit_pk=issue.review.audit_id)


@access(COMMITTEE)
@require_POST
def review_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_or_404(request, pk)
    form = ReviewConcludeForm(request.POST)
    if form.is_valid() and perform(
        request,
        lambda: services.review_conclude(
            review=review, passed=form.passed, remark=form.cleaned_data["remark"], by=request.user
        ),
        success=_("The technical review passed: the committee can open the certification decision.")
        if form.passed
        else _("The technical review did not pass."),
        form=form,
    ):
        return redirect("certification:review", audit_pk=review.audit_id)
    return _review_page(request, review, conclude_form=form)
