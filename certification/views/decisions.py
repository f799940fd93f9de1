"""Certification decisions: opened from a concluded review, a certificate or a committee flag;
then the committee's evaluation, the approval and part 十七's remarks on one page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit, AuditProgramme
from clients.models import Client
from core.access import COMMITTEE, COMMITTEE_ADMIN_OR_APPROVER, COMMITTEE_AND_ADMIN, DECISION_APPROVER, access
from core.views import perform, refusal_messages
from standards.models import Standard

from .. import decision_types, selectors, services
from ..forms import (
    AUDIT_DECISION_TYPES,
    CERTIFICATE_DECISION_TYPES,
    ApprovalForm,
    DecisionOpenForm,
    EvaluationForm,
    RemarksForm,
    conclusion_choices,
)
from ..models import (
    ApprovalConclusion,
    Certificate,
    CertificateStatus,
    CommitteeFlag,
    Decision,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    ReviewStatus,
    TechnicalReview,
)
from .reviews import review_or_404


def _decision_or_404(request: HttpRequest, pk: int) -> Decision:
    try:
        return selectors.decision_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _decision_open_page(
    request: HttpRequest,
    *,
    client: Client,
    types: list[DecisionType],
    initial: dict[str, Any],
    source: str,
    audit: Audit | None = None,
    review: TechnicalReview | None = None,
    programme: AuditProgramme | None = None,
    flag: CommitteeFlag | None = None,
) -> HttpResponse:
    if audit is not None:
        standards = audit.standards.all()
    elif programme is not None:
        standards = programme.standards.all()
    else:
        standards = Standard.objects.none()
    certificates = selectors.live_certificates(user=request.user, client=client)
    # A scope for each standard the decision may certify: the audit's, or those of the
    # certificates it may act on.
    scope_standards = list(standards) if audit is not None else []
    for certificate in certificates:
        if all(s.pk != certificate.standard_id for s in scope_standards):
            scope_standards.append(certificate.standard)
    initial = {**_scope_initial(client, scope_standards, list(certificates), prefer_printed=audit is None), **initial}
    form = DecisionOpenForm(
        request.POST or None,
        initial=initial,
        types=types,
        standards=standards,
        certificates=certificates,
        scope_standards=scope_standards,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened = []

        def open_decision() -> None:
            decision = services.decision_open(
                decision_type=data["decision_type"],
                client=client,
                by=request.user,
                audit=audit,
                review=review,
                programme=programme,
                certificates=list(data["certificates"]),
                standards=list(data["standards"]),
                scopes=form.scopes(),
                reason=data["reason"],
                suspension_ends_on=data["suspension_ends_on"],
                flag=flag,
            )
            opened.append(decision)

        if perform(request, open_decision, success=_("Decision opened: the committee evaluates it next."), form=form):
            return redirect("certification:decision", pk=opened[0].pk)
    return render(
        request,
        "certification/decision_open.html",
        {"form": form, "client": client, "audit": audit, "review": review, "flag": flag, "source": source},
    )


def _scope_initial(
    client: Client, standards: list[Standard], certificates: list[Certificate], *, prefer_printed: bool
) -> dict[str, str]:
    """Each standard's scope fields pre-filled (editable on the form): after an audit, with the
    client's requested scope for that standard; on a certificate (a scope reduction), with the
    scope it prints; each falling back on the other."""
    requested = {s.standard_id: (s.scope_zh, s.scope_en) for s in client.scopes.all()}
    printed = {c.standard_id: (c.scope_zh, c.scope_en) for c in certificates if c.main_certificate_id is None}
    first, second = (printed, requested) if prefer_printed else (requested, printed)
    initial = {}
    for standard in standards:
        zh, en = first.get(standard.pk) or second.get(standard.pk) or ("", "")
        initial[f"scope_zh_{standard.pk}"], initial[f"scope_en_{standard.pk}"] = zh, en
    return initial


@access(COMMITTEE_AND_ADMIN)
def decision_open_from_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = review_or_404(request, review_pk)
    audit = review.audit
    standards = list(audit.standards.all())
    if review.status == ReviewStatus.OPEN:
        messages.error(request, _("The technical review is still open: conclude it before the decision."))
        return redirect("certification:review", audit_pk=audit.pk)
    if review.status == ReviewStatus.PASSED:
        types = AUDIT_DECISION_TYPES
        proposed = decision_types.proposed_after_audit(audit.audit_type)
    else:
        types = [DecisionType.REFUSE]
        proposed = DecisionType.REFUSE
    current = [
        c
        for c in selectors.live_certificates(user=request.user, client=audit.client)
        if c.programme_id == audit.programme_id
    ]
    initial = {
        "decision_type": proposed,
        "standards": standards,
        # Only a decision acting on certificates starts with the programme's certificates ticked.
        "certificates": current if decision_types.kind_of(proposed).certificate_statuses else [],
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
def decision_open_from_certificate(request: HttpRequest, certificate_pk: int) -> HttpResponse:
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
def decision_open_from_flag(request: HttpRequest, flag_pk: int) -> HttpResponse:
    flag = get_object_or_404(selectors.open_flags(user=request.user), pk=flag_pk)
    certificate = flag.certificate
    programme = flag.programme or (certificate.programme if certificate else None)
    client = certificate.client if certificate else (programme.client if programme else None)
    if client is None:
        raise Http404
    initial = {
        "decision_type": decision_types.proposed_for_flag(flag.kind),
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


def _in(queryset: Any, user: Any) -> bool:
    return queryset.filter(pk=user.pk).exists()


def _independence_problem(decision: Decision, user: Any) -> str:
    """Why the user may not evaluate or approve this decision (the service's message), or ''."""
    if decision.audit_id is None:
        return ""
    try:
        services.independence_check(audit=decision.audit, user=user)
    except ValidationError as exc:
        return " ".join(refusal_messages(exc))
    return ""


def _decision_context(request: HttpRequest, decision: Decision, **forms: Form) -> dict[str, Any]:
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
        "scopes": list(decision.scopes.all()),
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
        **_pdf_panel_context(request, decision),
    }


@access(COMMITTEE_ADMIN_OR_APPROVER)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(request, pk)
    return render(request, "certification/decision.html", _decision_context(request, decision))


def _pdf_panel_context(request: HttpRequest, decision: Decision) -> dict[str, Any]:
    jobs = selectors.decision_pdf_jobs(user=request.user, decision=decision)
    return {"decision": decision, "pdf_jobs": jobs, "pdf_jobs_active": any(job.is_active for job in jobs)}


@access(COMMITTEE_ADMIN_OR_APPROVER)
def decision_pdfs_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the issued certificates' PDFs alone (htmx: polled while a job is queued or
    rendering, as the report's PDF panel)."""
    decision = _decision_or_404(request, pk)
    return render(request, "certification/_decision_pdfs_panel.html", _pdf_panel_context(request, decision))


def _decision_step(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    form_key: str,
    call: Callable[[Decision, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    decision = _decision_or_404(request, pk)
    form = form_class(request.POST, decision=decision)
    if form.is_valid() and perform(request, lambda: call(decision, form.cleaned_data), success=success, form=form):
        return redirect("certification:decision", pk=decision.pk)
    decision = _decision_or_404(request, pk)
    return render(request, "certification/decision.html", _decision_context(request, decision, **{form_key: form}))


@access(COMMITTEE)
@require_POST
def decision_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    def call(decision: Decision, data: dict[str, Any]) -> None:
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
def decision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def call(decision: Decision, data: dict[str, Any]) -> None:
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
def decision_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    def call(decision: Decision, data: dict[str, Any]) -> None:
        services.decision_remarks_save(
            decision=decision,
            closing_meeting_differences=data["closing_meeting_differences"],
            other_remarks=data["other_remarks"],
            version=data["version"],
            by=request.user,
        )

    return _decision_step(request, pk, RemarksForm, "remarks_form", call, _("Remarks saved (part 十七 of the report)."))
