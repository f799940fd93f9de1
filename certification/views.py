"""Staff pages of certification: the committee's dashboard, the technical review of an audit,
decisions (open, evaluate, approve, part 十七), certificates (list and detail) and the daily job's
flags.

Thin views: every rule (independence, the review's blockers, what each decision type needs,
dates, allowed status changes, optimistic concurrency) is in ``certification.services``; its
ValidationError is shown on the form or as a message, its PermissionDenied as a message — never a
500. Objects are fetched only through ``restrict()`` or the selectors: another id is 404.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit, AuditType, TeamRole
from core.access import (
    AUDITING_STAFF,
    CB_ADMIN,
    CB_STAFF,
    COMMITTEE,
    COMMITTEE_ADMIN_OR_APPROVER,
    COMMITTEE_AND_ADMIN,
    DECISION_APPROVER,
    access,
)

from . import dashboard, selectors, services
from .filters import CertificateFilter
from .forms import (
    AUDIT_DECISION_TYPES,
    CERTIFICATE_DECISION_TYPES,
    ApprovalForm,
    ChecklistForm,
    DecisionOpenForm,
    EvaluationForm,
    FlagResolveForm,
    IssueRaiseForm,
    IssueRespondForm,
    RemarksForm,
    ReviewConcludeForm,
    ReviewerAssignForm,
    add_service_errors,
    conclusion_choices,
)
from .models import (
    ApprovalConclusion,
    Certificate,
    CertificateStatus,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    FlagKind,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
)
from .models.certificate import LIVE_STATUSES

PAGE_SIZE = 50
# The decision an audit's type leads to once its review passed.
DECISION_OF_AUDIT_TYPE = {
    AuditType.STAGE_2: DecisionType.GRANT,
    AuditType.TRANSFER: DecisionType.GRANT,
    AuditType.SURVEILLANCE_1: DecisionType.MAINTAIN,
    AuditType.SURVEILLANCE_2: DecisionType.MAINTAIN,
    AuditType.SPECIAL: DecisionType.MAINTAIN,
    AuditType.SHORT_NOTICE: DecisionType.MAINTAIN,
    AuditType.RECERTIFICATION: DecisionType.RENEW,
    AuditType.SCOPE_EXTENSION: DecisionType.EXTEND_SCOPE,
    AuditType.RESTORATION: DecisionType.RESTORE,
}
DECISION_OF_FLAG = {
    FlagKind.PROPOSED_SUSPENSION: DecisionType.SUSPEND,
    FlagKind.PROPOSED_WITHDRAWAL: DecisionType.WITHDRAW,
}


def _error_messages(request, exc):
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not do this."))
        return
    for message in exc.messages:
        messages.error(request, message)


def _today():
    return timezone.localdate()


# --- dashboard ----------------------------------------------------------------------------------


@access(COMMITTEE_ADMIN_OR_APPROVER)
def committee_dashboard(request):
    user = request.user
    is_admin = CB_ADMIN.allows(user)
    is_committee = COMMITTEE_AND_ADMIN.allows(user)
    can_approve = DECISION_APPROVER.allows(user)
    context = {
        "is_admin": is_admin,
        "is_committee": is_committee,
        "can_approve": can_approve,
        "awaiting_review": dashboard.audits_awaiting_review(user=user) if is_committee else [],
        "open_reviews": dashboard.open_reviews(user=user) if is_committee else [],
        "reviews_awaiting_decision": dashboard.reviews_awaiting_decision(user=user) if is_committee else [],
        "awaiting_evaluation": dashboard.decisions_with_status(DecisionStatus.AWAITING_EVALUATION)
        if is_committee
        else [],
        "awaiting_approval": dashboard.decisions_with_status(DecisionStatus.AWAITING_APPROVAL)
        if (can_approve or is_committee)
        else [],
        "flags": list(selectors.open_flags(user=user)) if is_committee else [],
        "expiring": dashboard.expiring_certificates(user=user) if is_committee else [],
        "recent": dashboard.recent_decisions() if is_committee else [],
        "flag_form": FlagResolveForm(),
        "today": _today(),
    }
    return render(request, "certification/dashboard.html", context)


@access(COMMITTEE_AND_ADMIN)
@require_POST
def flag_resolve(request, pk):
    flag = get_object_or_404(selectors.open_flags(user=request.user), pk=pk)
    form = FlagResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the matter was resolved."))
        return redirect("certification:dashboard")
    try:
        services.flag_resolve(flag=flag, by=request.user, resolution=form.cleaned_data["resolution"])
    except (ValidationError, PermissionDenied) as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The matter is resolved."))
    return redirect("certification:dashboard")


# --- technical review -----------------------------------------------------------------------------


def _audit_or_404(request, pk):
    return get_object_or_404(Audit.objects.restrict(request.user, "view").select_related("client", "programme"), pk=pk)


def _review_or_404(request, pk):
    """A review of an audit the user may see."""
    audits = Audit.objects.restrict(request.user, "view").values("pk")
    return get_object_or_404(TechnicalReview.objects.filter(audit__in=audits).select_related("audit__client"), pk=pk)


def _is_leader(user, audit):
    return audit.team.filter(profile__user=user, role=TeamRole.LEADER).exists()


def _review_context(request, audit, review, **forms):
    user = request.user
    is_admin = CB_ADMIN.allows(user)
    report = getattr(audit, "report", None)  # reverse one-to-one (reports.Report): None when not started
    context = {"audit": audit, "review": review, "is_admin": is_admin, "report": report}
    if review is None:
        context["can_open"] = is_admin and audit.status in dashboard.READY_FOR_REVIEW
        return context
    assignments = list(review.reviewers.all())  # prefetched by selectors.review_for_audit
    answers = {a.point: a for a in review.answers.all()}
    issues = list(review.issues.all())
    is_open = review.status == ReviewStatus.OPEN
    is_reviewer = any(a.reviewer_id == user.pk for a in assignments)
    can_review = is_open and is_reviewer
    is_leader = _is_leader(user, audit)
    if is_leader and is_open:
        for issue in issues:  # one form per issue, with HTML ids of its own
            issue.respond_form = IssueRespondForm(auto_id=f"id_issue{issue.pk}_%s")
    decisions = list(review.decisions.order_by("-created_at", "-pk"))
    context.update(
        assignments=assignments,
        issues=issues,
        is_open=is_open,
        is_reviewer=is_reviewer,
        can_review=can_review,
        can_assign=is_admin and is_open,
        is_leader=is_leader,
        blockers=services.review_blockers(review=review) if is_open else [],
        decisions=decisions,
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
    if is_reviewer and not is_open:
        context["can_review"] = False
    return context


@access(CB_STAFF)
def review_detail(request, audit_pk):
    """The technical review of one audit: reviewers, checklist, issues, conclusion."""
    audit = _audit_or_404(request, audit_pk)
    review = selectors.review_for_audit(audit=audit)
    return render(request, "certification/review.html", _review_context(request, audit, review))


@access(CB_ADMIN)
@require_POST
def review_open(request, audit_pk):
    audit = _audit_or_404(request, audit_pk)
    try:
        services.review_open(audit=audit, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The technical review is open: assign the reviewers."))
    return redirect("certification:review", audit_pk=audit.pk)


@access(CB_ADMIN)
@require_POST
def review_assign(request, pk):
    review = _review_or_404(request, pk)
    audit = review.audit
    reviewers = services.eligible_reviewers(audit=audit)
    form = ReviewerAssignForm(request.POST, reviewers=reviewers)
    if form.is_valid():
        try:
            services.reviewer_assign(review=review, reviewer=form.cleaned_data["reviewer"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error(None, str(exc) or _("You may not do this."))
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s assigned as reviewer.") % {"name": form.cleaned_data["reviewer"]})
            return redirect("certification:review", audit_pk=audit.pk)
    return render(request, "certification/review.html", _review_context(request, audit, review, assign_form=form))


@access(COMMITTEE)
@require_POST
def review_checklist(request, pk):
    """The reviewer's answers to the checklist points (each with a remark)."""
    review = _review_or_404(request, pk)
    audit = review.audit
    answers = {a.point: a for a in review.answers.all()}
    form = ChecklistForm(request.POST, answers=answers)
    if form.is_valid():
        saved = 0
        try:
            for point, answer, remark in form.changed_answers():
                services.review_answer(review=review, point=point, answer=answer, remark=remark, by=request.user)
                saved += 1
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Checklist saved (%(n)s answers changed).") % {"n": saved})
            return redirect("certification:review", audit_pk=audit.pk)
    return render(request, "certification/review.html", _review_context(request, audit, review, checklist_form=form))


@access(COMMITTEE)
@require_POST
def issue_raise(request, pk):
    review = _review_or_404(request, pk)
    form = IssueRaiseForm(request.POST)
    if form.is_valid():
        try:
            services.review_issue_raise(review=review, text=form.cleaned_data["text"], by=request.user)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Issue sent to the team leader."))
            return redirect("certification:review", audit_pk=review.audit_id)
    return render(request, "certification/review.html", _review_context(request, review.audit, review, issue_form=form))


def _issue_or_404(request, pk):
    audits = Audit.objects.restrict(request.user, "view").values("pk")
    return get_object_or_404(
        ReviewIssue.objects.filter(review__audit__in=audits).select_related("review__audit"), pk=pk
    )


@access(AUDITING_STAFF)
@require_POST
def issue_respond(request, pk):
    """The audit's team leader answers an issue the reviewer raised."""
    issue = _issue_or_404(request, pk)
    form = IssueRespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your answer."))
    else:
        try:
            services.review_issue_respond(issue=issue, response=form.cleaned_data["response"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Answer sent to the reviewer."))
    return redirect("certification:review", audit_pk=issue.review.audit_id)


@access(COMMITTEE)
@require_POST
def issue_resolve(request, pk):
    issue = _issue_or_404(request, pk)
    try:
        services.review_issue_resolve(issue=issue, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Issue resolved."))
    return redirect("certification:review", audit_pk=issue.review.audit_id)


@access(COMMITTEE)
@require_POST
def review_conclude(request, pk):
    review = _review_or_404(request, pk)
    form = ReviewConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.review_conclude(
                review=review, passed=form.passed, remark=form.cleaned_data["remark"], by=request.user
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.passed:
                messages.success(
                    request, _("The technical review passed: the committee can open the certification decision.")
                )
            else:
                messages.success(request, _("The technical review did not pass."))
            return redirect("certification:review", audit_pk=review.audit_id)
    return render(
        request, "certification/review.html", _review_context(request, review.audit, review, conclude_form=form)
    )


# --- decisions ----------------------------------------------------------------------------------


def _decision_or_404(request, pk):
    try:
        return selectors.decision_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _decision_open_page(request, *, client, types, initial, source, audit=None, review=None, programme=None, flag=None):
    standards = audit.standards.all() if audit is not None else (programme.standards.all() if programme else None)
    if standards is None:
        from standards.models import Standard

        standards = Standard.objects.none()
    certificates = selectors.live_certificates(user=request.user, client=client)
    form = DecisionOpenForm(
        request.POST or None,
        initial=initial,
        types=types,
        standards=standards,
        certificates=certificates,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_open(
                decision_type=data["decision_type"],
                client=client,
                by=request.user,
                audit=audit,
                review=review,
                programme=programme,
                certificates=list(data["certificates"]),
                standards=list(data["standards"]),
                scope_zh=data["scope_zh"],
                scope_en=data["scope_en"],
                reason=data["reason"],
                suspension_ends_on=data["suspension_ends_on"],
                flag=flag,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision opened: the committee evaluates it next."))
            return redirect("certification:decision", pk=decision.pk)
    return render(
        request,
        "certification/decision_open.html",
        {"form": form, "client": client, "audit": audit, "review": review, "flag": flag, "source": source},
    )


def _client_scope(client, standards):
    ids = {s.pk for s in standards}
    scopes = [s for s in client.scopes.all() if s.standard_id in ids] or list(client.scopes.all())
    return "；".join(s.scope_zh for s in scopes if s.scope_zh), "; ".join(s.scope_en for s in scopes if s.scope_en)


@access(COMMITTEE_AND_ADMIN)
def decision_open_from_review(request, review_pk):
    review = _review_or_404(request, review_pk)
    audit = review.audit
    standards = list(audit.standards.all())
    if review.status == ReviewStatus.OPEN:
        messages.error(request, _("The technical review is still open: conclude it before the decision."))
        return redirect("certification:review", audit_pk=audit.pk)
    if review.status == ReviewStatus.PASSED:
        types = AUDIT_DECISION_TYPES
        proposed = DECISION_OF_AUDIT_TYPE.get(audit.audit_type, DecisionType.MAINTAIN)
    else:
        types = [DecisionType.REFUSE]
        proposed = DecisionType.REFUSE
    scope_zh, scope_en = _client_scope(audit.client, standards)
    current = [
        c
        for c in selectors.live_certificates(user=request.user, client=audit.client)
        if c.programme_id == audit.programme_id
    ]
    initial = {
        "decision_type": proposed,
        "standards": standards,
        "certificates": current if proposed not in (DecisionType.GRANT, DecisionType.REFUSE) else [],
        "scope_zh": scope_zh,
        "scope_en": scope_en,
    }
    return _decision_open_page(
        request,
        client=audit.client,
        types=types,
        initial=initial,
        source="review",
        audit=audit,
        review=review,
        programme=audit.programme,
    )


@access(COMMITTEE_AND_ADMIN)
def decision_open_from_certificate(request, certificate_pk):
    certificate = get_object_or_404(
        Certificate.objects.restrict(request.user, "view").select_related("client", "programme"), pk=certificate_pk
    )
    proposed = DecisionType.RESTORE if certificate.status == CertificateStatus.SUSPENDED else DecisionType.SUSPEND
    initial = {"decision_type": proposed, "certificates": [certificate]}
    return _decision_open_page(
        request,
        client=certificate.client,
        types=CERTIFICATE_DECISION_TYPES,
        initial=initial,
        source="certificate",
        programme=certificate.programme,
    )


@access(COMMITTEE_AND_ADMIN)
def decision_open_from_flag(request, flag_pk):
    flag = get_object_or_404(selectors.open_flags(user=request.user), pk=flag_pk)
    certificate = flag.certificate
    programme = flag.programme or (certificate.programme if certificate else None)
    client = certificate.client if certificate else (programme.client if programme else None)
    if client is None:
        raise Http404
    initial = {
        "decision_type": DECISION_OF_FLAG.get(flag.kind, DecisionType.SUSPEND),
        "certificates": [certificate]
        if certificate
        else [
            c
            for c in selectors.live_certificates(user=request.user, client=client)
            if programme and c.programme_id == programme.pk
        ],
        "reason": flag.suggested_reason_id,
    }
    return _decision_open_page(
        request,
        client=client,
        types=CERTIFICATE_DECISION_TYPES,
        initial=initial,
        source="flag",
        programme=programme,
        flag=flag,
    )


def _in(queryset, user):
    return queryset.filter(pk=user.pk).exists()


def _independence_problem(decision, user):
    """Why the user may not evaluate or approve this decision (the service's message), or ''."""
    if decision.audit_id is None:
        return ""
    try:
        services.independence_check(audit=decision.audit, user=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _decision_context(request, decision, **forms):
    user = request.user
    awaiting_evaluation = decision.status == DecisionStatus.AWAITING_EVALUATION
    awaiting_approval = decision.status == DecisionStatus.AWAITING_APPROVAL
    can_evaluate = (
        awaiting_evaluation and COMMITTEE.allows(user) and _in(services.eligible_evaluators(decision=decision), user)
    )
    can_approve = (
        awaiting_approval
        and DECISION_APPROVER.allows(user)
        and _in(services.eligible_approvers(decision=decision), user)
    )
    open_status = awaiting_evaluation or awaiting_approval
    # Part 十七 with the evaluation form while evaluating; on its own otherwise (until approval).
    can_remark = (
        open_status and not can_evaluate and COMMITTEE.allows(user) and not _independence_problem(decision, user)
    )
    refusal = ""
    if (awaiting_evaluation and COMMITTEE.allows(user) and not can_evaluate) or (
        awaiting_approval and DECISION_APPROVER.allows(user) and not can_approve
    ):
        refusal = (
            services.approval_refusal(decision=decision, user=user)
            if awaiting_approval
            else _independence_problem(decision, user)
        )
    return {
        "decision": decision,
        "evaluation_choices": conclusion_choices(decision, EvaluationConclusion),
        "approval_choices": conclusion_choices(decision, ApprovalConclusion),
        "standards": list(decision.standards.all()),  # prefetched by selectors.decision_detail
        "certificates": list(decision.certificates.all()),
        "issued": list(decision.issued_certificates.all()),
        "status_changes": list(decision.status_changes.all()),
        "can_evaluate": can_evaluate,
        "can_approve": can_approve,
        "can_remark": can_remark,
        "refusal": refusal,
        "evaluation_form": forms.get("evaluation_form")
        or (EvaluationForm(decision=decision) if can_evaluate else None),
        "approval_form": forms.get("approval_form") or (ApprovalForm(decision=decision) if can_approve else None),
        "remarks_form": forms.get("remarks_form") or (RemarksForm(decision=decision) if can_remark else None),
    }


@access(COMMITTEE_ADMIN_OR_APPROVER)
def decision_detail(request, pk):
    decision = _decision_or_404(request, pk)
    return render(request, "certification/decision.html", _decision_context(request, decision))


def _decision_step(request, pk, form_class, form_key, call, success):
    decision = _decision_or_404(request, pk)
    form = form_class(request.POST, decision=decision)
    if form.is_valid():
        try:
            call(decision, form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("certification:decision", pk=decision.pk)
    decision = _decision_or_404(request, pk)
    return render(request, "certification/decision.html", _decision_context(request, decision, **{form_key: form}))


@access(COMMITTEE)
@require_POST
def decision_evaluate(request, pk):
    def call(decision, data):
        services.decision_evaluate(
            decision=decision,
            conclusion=data["conclusion"],
            remarks=data["remarks"],
            evaluated_on=data["evaluated_on"],
            closing_meeting_differences=data["closing_meeting_differences"],
            other_remarks=data["other_remarks"],
            version=data["version"],
            by=request.user,
        )

    return _decision_step(
        request, pk, EvaluationForm, "evaluation_form", call, _("Evaluation recorded: the decision awaits approval.")
    )


@access(DECISION_APPROVER)
@require_POST
def decision_approve(request, pk):
    def call(decision, data):
        services.decision_approve(
            decision=decision,
            conclusion=data["conclusion"],
            remarks=data["remarks"],
            approved_on=data["approved_on"],
            issued_on=data.get("issued_on"),
            version=data["version"],
            by=request.user,
        )

    return _decision_step(request, pk, ApprovalForm, "approval_form", call, _("Approval recorded."))


@access(COMMITTEE)
@require_POST
def decision_remarks(request, pk):
    def call(decision, data):
        services.decision_remarks_save(
            decision=decision,
            closing_meeting_differences=data["closing_meeting_differences"],
            other_remarks=data["other_remarks"],
            version=data["version"],
            by=request.user,
        )

    return _decision_step(request, pk, RemarksForm, "remarks_form", call, _("Remarks saved (part 十七 of the report)."))


# --- certificates -------------------------------------------------------------------------------


@access(CB_STAFF)
def certificate_list(request):
    cert_filter = CertificateFilter(
        request.GET or None, queryset=selectors.certificate_list(user=request.user), request=request
    )
    page = Paginator(cert_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "certification/certificate_list.html", {"filter": cert_filter, "page": page, "today": _today()}
    )


def _certificate_decisions(certificate):
    """The decision that issued the certificate and every later one acting on it, newest first."""
    from .models import Decision

    return list(
        Decision.objects.filter(Q(pk=certificate.decision_id) | Q(certificates=certificate))
        .distinct()
        .select_related("client", "evaluated_by", "approved_by")
        .prefetch_related("standards", "certificates")
        .order_by("-created_at", "-pk")
    )


@access(CB_STAFF)
def certificate_detail(request, pk):
    try:
        certificate = selectors.certificate_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "certification/certificate_detail.html",
        {
            "certificate": certificate,
            # Prefetched or computed by selectors.certificate_detail.
            "sub_certificates": list(certificate.sub_certificates.all()),
            "replaced_by": certificate.replacement,
            "status_changes": list(certificate.status_changes.all()),
            "after_expiry": certificate.requirement,
            "decisions": _certificate_decisions(certificate),
            "flags": list(certificate.flags.filter(resolved_at__isnull=True)),
            "can_decide": COMMITTEE_AND_ADMIN.allows(request.user) and certificate.status in LIVE_STATUSES,
            "today": _today(),
        },
    )
