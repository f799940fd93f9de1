"""The stage 1 pages: the audit's documents and concerns, a review with its proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit
from core.access import AUDITING_STAFF_AND_ADMIN, AUTHENTICATED, CLIENT_USER, access
from core.downloads import private_file_response
from core.views import perform

from . import selectors, services
from .forms import ANSWER_MAX_LENGTH, AnswerForm, ConcernForm, ConfirmForm, DismissForm, UploadForm
from .models import AreaOfConcern, DocumentReview, DocumentVersion, ReviewProposal, ReviewStatus, Stage1Document
from .services.documents import may_upload
from .services.review import may_review


def _audit_page(audit_id):
    return reverse("stage1:audit", kwargs={"pk": audit_id})


def _valid(request, form):
    """True when ``form`` is valid; else its errors become error messages (the actions answer
    with a redirect to the page, where the messages show) and nothing is saved."""
    if form.is_valid():
        return True
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return False


@access(AUTHENTICATED)
def audit_documents(request, pk):
    audit = get_object_or_404(Audit.objects.restrict(request.user, "view").select_related("client"), pk=pk)
    documents = selectors.audit_documents(audit)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload(request.user, audit):
            raise PermissionDenied
        document = None
        if request.POST.get("document"):
            document = get_object_or_404(Stage1Document.objects.filter(audit=audit), pk=request.POST["document"])
        if form.is_valid():
            data = form.cleaned_data
            if perform(
                request,
                lambda: services.stage1_document_upload(
                    audit=audit,
                    uploaded_file=data["file"],
                    by=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    document=document,
                ),
                success=_("Document uploaded."),
                form=form,
            ):
                return redirect(_audit_page(audit.pk))
    return render(
        request,
        "stage1/audit.html",
        {
            "audit": audit,
            "documents": documents,
            "concerns": selectors.audit_concerns(audit),
            "form": form,
            "concern_form": ConcernForm(),
            "answer_max_length": ANSWER_MAX_LENGTH,
            "may_upload": may_upload(request.user, audit),
            "may_review": Audit.objects.restrict(request.user, "change").filter(pk=audit.pk).exists()
            and request.user.role != "client",
            "is_client": request.user.role == "client",
        },
        status=400 if form.errors else 200,
    )


@access(AUTHENTICATED)
def version_download(request, pk):
    version = get_object_or_404(
        DocumentVersion.objects.filter(document__in=Stage1Document.objects.restrict(request.user, "view")), pk=pk
    )
    return private_file_response(version.file, filename=version.original_name, content_type=version.content_type)


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def review_request(request, pk):
    version = get_object_or_404(
        DocumentVersion.objects.filter(document__in=Stage1Document.objects.restrict(request.user, "review")), pk=pk
    )
    review = None

    def request_review():
        nonlocal review
        review = services.stage1_review_request(version=version, by=request.user)

    if perform(request, request_review, success=_("Review started.")):
        return redirect("stage1:review", pk=review.pk)
    return redirect(_audit_page(version.document.audit_id))


@access(AUDITING_STAFF_AND_ADMIN)
def review_detail(request, pk):
    reviewable = Stage1Document.objects.restrict(request.user, "review")
    review = get_object_or_404(
        DocumentReview.objects.filter(version__document__in=reviewable).select_related("version__document__audit"),
        pk=pk,
    )
    audit = review.version.document.audit
    proposals = list(review.proposals.select_related("decided_by", "concern"))
    context = {
        "review": review,
        "audit": audit,
        "proposals": proposals,
        "running": review.status in (ReviewStatus.QUEUED, ReviewStatus.RUNNING),
        "clauses": selectors.clause_tree(review.standards.all()),
        "outline_numbers": {h["number"] for h in review.outline},
        "dismiss_form": DismissForm(),
        "may_decide": may_review(request.user, review.version),
    }
    template = "stage1/review_progress.html" if request.htmx and context["running"] else "stage1/review.html"
    return render(request, template, context)


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def proposal_decide(request, pk):
    proposal = get_object_or_404(
        ReviewProposal.objects.filter(
            review__version__document__in=Stage1Document.objects.restrict(request.user, "review")
        ).select_related("review"),
        pk=pk,
    )
    if request.POST.get("decision") == "confirm":
        confirm = ConfirmForm(request.POST)
        if _valid(request, confirm):
            perform(
                request,
                lambda: services.stage1_proposal_confirm(
                    proposal=proposal, by=request.user, text=confirm.cleaned_data["text"]
                ),
                success=_("Confirmed: the proposal is now an area of concern."),
            )
    else:
        dismiss = DismissForm(request.POST)
        if _valid(request, dismiss):
            perform(
                request,
                lambda: services.stage1_proposal_dismiss(
                    proposal=proposal, by=request.user, reason=dismiss.cleaned_data["reason"]
                ),
                success=_("Dismissed."),
            )
    return redirect(reverse("stage1:review", kwargs={"pk": proposal.review_id}) + f"#proposal-{proposal.pk}")


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def concern_add(request, pk):
    audit = get_object_or_404(Audit.objects.restrict(request.user, "change"), pk=pk)
    form = ConcernForm(request.POST)
    if _valid(request, form):
        perform(
            request,
            lambda: services.stage1_concern_add(
                audit=audit, by=request.user, text=form.cleaned_data["text"], evidence=form.cleaned_data["evidence"]
            ),
            success=_("Area of concern added."),
        )
    return redirect(_audit_page(audit.pk) + "#concerns")


@access(CLIENT_USER)
@require_POST
def concern_answer(request, pk):
    concern = get_object_or_404(AreaOfConcern.objects.filter(audit__client_id=request.user.client_id), pk=pk)
    form = AnswerForm(request.POST, concern=concern)
    if not _valid(request, form):
        return redirect(_audit_page(concern.audit_id) + "#concerns")
    perform(
        request,
        lambda: services.stage1_concern_answer(
            concern=concern, by=request.user, answer=form.cleaned_data["answer"], version=form.cleaned_data["version"]
        ),
        success=_("Answer sent."),
    )
    return redirect(_audit_page(concern.audit_id) + "#concerns")
