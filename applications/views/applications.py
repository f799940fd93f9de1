"""Staff and client-portal pages of applications, reviews, quotations and contracts. Objects are
fetched only through ``restrict()`` (another organisation's id is 404); every rule is in
``applications.services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, CLIENT_USER, STAFF_ROLES, Role, access, roles
from core.views import filtered_list, perform

from .. import rules, selectors, services
from ..filters import ApplicationFilter
from ..forms import (
    ApplicationForm,
    AttachmentForm,
    ConcludeForm,
    NoteForm,
    QuotationAnswerForm,
    ReviewForm,
    SignedCopyForm,
    SiteFormSet,
    StandardFormSet,
)
from ..lifecycle import APPLICATION_MACHINE, CONTRACT_MACHINE, QUOTATION_MACHINE
from ..models import Application, Contract, Quotation
from ..pdf import quotation_pdf

STAFF_OR_CLIENT = roles(*STAFF_ROLES, Role.CLIENT)
ADMIN_OR_CLIENT = roles(Role.CB_ADMIN, Role.CLIENT)
COLUMNS = [
    gettext_lazy("Reference"),
    gettext_lazy("Organisation"),
    gettext_lazy("Kind"),
    gettext_lazy("Status"),
    gettext_lazy("Created"),
]


def _is_client(user):
    return user.role == Role.CLIENT


def _version(request):
    """The version the user saw (a hidden field), or None when missing or not a number."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@access(CB_STAFF)
def application_list(request):
    return filtered_list(
        request,
        queryset=selectors.application_list(user=request.user),
        filterset_class=ApplicationFilter,
        template_name="applications/list.html",
        context={"columns": COLUMNS},
    )


@access(CLIENT_USER)
def portal_index(request):
    return render(
        request, "applications/portal_index.html", {"applications": selectors.application_list(user=request.user)}
    )


def _rows(standard_formset, site_formset):
    standards = [
        services.StandardRow(
            standard=f.cleaned_data["standard"],
            scope_zh=f.cleaned_data.get("scope_zh") or "",
            scope_en=f.cleaned_data.get("scope_en") or "",
            complexity=f.cleaned_data.get("complexity") or "",
        )
        for f in standard_formset
        if f.cleaned_data.get("standard")
    ]
    sites = [
        services.SiteRow(
            kind=f.cleaned_data["kind"],
            address_zh=f.cleaned_data.get("address_zh") or "",
            is_central=bool(f.cleaned_data.get("is_central")),
            headcount=f.cleaned_data.get("headcount"),
            shifts=f.cleaned_data.get("shifts") or 1,
        )
        for f in site_formset
        if f.cleaned_data.get("kind") and f.cleaned_data.get("address_zh")
    ]
    return standards, sites


def _edit(request, application=None):
    staff = not _is_client(request.user)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application, staff=staff)
    initial_standards = (
        [
            {"standard": s.standard, "scope_zh": s.scope_zh, "scope_en": s.scope_en, "complexity": s.complexity}
            for s in application.standards.all()
        ]
        if application
        else []
    )
    initial_sites = (
        [
            {
                "kind": s.kind,
                "address_zh": s.address_zh,
                "is_central": s.is_central,
                "headcount": s.headcount,
                "shifts": s.shifts,
            }
            for s in application.sites.all()
        ]
        if application
        else []
    )
    standard_formset = StandardFormSet(data, prefix="std", initial=initial_standards)
    site_formset = SiteFormSet(data, prefix="site", initial=initial_sites)
    if request.method == "POST" and form.is_valid() and standard_formset.is_valid() and site_formset.is_valid():
        standards, sites = _rows(standard_formset, site_formset)
        fields = {name: form.cleaned_data[name] for name in form.fields if name not in ("client", "codes")}
        for name in ("temporary_staff", "part_time_staff"):
            fields[name] = fields.get(name) or 0
        saved = []
        if perform(
            request,
            lambda: saved.append(
                services.application_save(
                    by=request.user,
                    application=application,
                    client=form.cleaned_data.get("client"),
                    fields=fields,
                    standards=standards,
                    sites=sites,
                    technical_areas=form.cleaned_data["codes"],
                    version=_version(request) if application else None,
                )
            ),
            success=_("Draft saved."),
            form=form,
        ):
            return redirect("applications:detail", saved[0].pk)
    return render(
        request,
        "applications/edit.html",
        {"form": form, "standard_formset": standard_formset, "site_formset": site_formset, "application": application},
    )


@access(ADMIN_OR_CLIENT)
def application_new(request):
    return _edit(request)


@access(ADMIN_OR_CLIENT)
def application_edit(request, pk):
    application = get_object_or_404(Application.objects.restrict(request.user, "edit"), pk=pk)
    if application.status != "draft":
        return redirect("applications:detail", pk)
    return _edit(request, application)


@access(STAFF_OR_CLIENT)
def application_detail(request, pk):
    application = get_object_or_404(selectors.application_detail(user=request.user), pk=pk)
    user = request.user
    review = getattr(application, "review", None)
    contract = Contract.objects.filter(application=application).first()
    quotations = list(application.quotations.all())
    context = {
        "application": application,
        "allowed": sorted(
            APPLICATION_MACHINE.allowed(user, application) & {"submit", "withdraw", "start_review", "return"}
        ),
        "review": review,
        "quotations": quotations,
        "quotation_actions": {q.pk: QUOTATION_MACHINE.allowed(user, q) for q in quotations},
        "contract": contract,
        "contract_actions": CONTRACT_MACHINE.allowed(user, contract) if contract else set(),
        "is_client": _is_client(user),
        "may_edit": application.status == "draft"
        and Application.objects.restrict(user, "edit").filter(pk=application.pk).exists(),
        "may_manage": Application.objects.restrict(user, "manage").filter(pk=application.pk).exists(),
        "note_form": NoteForm(),
        "attachment_form": AttachmentForm(),
        "signed_copy_form": SignedCopyForm(),
        "review_points": rules.REVIEW_POINTS,
    }
    return render(request, "applications/detail.html", context)


@require_POST
@access(ADMIN_OR_CLIENT)
def application_act(request, pk):
    application = get_object_or_404(Application.objects.restrict(request.user, "edit"), pk=pk)
    action = request.POST.get("action", "")
    if action not in ("submit", "withdraw", "start_review", "return"):
        messages.error(request, _("Choose an action."))
        return redirect("applications:detail", pk)
    perform(
        request,
        lambda: services.application_move(
            application=application,
            action=action,
            by=request.user,
            version=_version(request),
            note=request.POST.get("note", ""),
        ),
        success=_("Done."),
    )
    return redirect("applications:detail", pk)


@require_POST
@access(ADMIN_OR_CLIENT)
def attachment_add(request, pk):
    application = get_object_or_404(Application.objects.restrict(request.user, "edit"), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        perform(
            request,
            lambda: services.attachment_add(
                application=application,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=request.user,
            ),
            success=_("File joined."),
        )
    return redirect("applications:detail", pk)


@access(CB_STAFF)
def review(request, pk):
    application = get_object_or_404(selectors.application_detail(user=request.user), pk=pk)
    current = getattr(application, "review", None)
    form = ReviewForm(request.POST or None, points=current.points if current else {})
    conclude_form = ConcludeForm(request.POST if request.POST.get("conclude") else None)
    refusal = services.reviewer_refusal(user=request.user, application=application)
    if request.method == "POST" and refusal:
        raise PermissionDenied(refusal)
    if request.method == "POST" and form.is_valid():
        ok = perform(
            request,
            lambda: services.review_save(application=application, points=form.points(), by=request.user),
            success=_("Checklist saved."),
        )
        if ok and request.POST.get("conclude") and conclude_form.is_valid():
            ok = perform(
                request,
                lambda: services.review_conclude(
                    application=application,
                    result=conclude_form.cleaned_data["result"],
                    conditions=conclude_form.cleaned_data["conditions"],
                    by=request.user,
                ),
                success=_("Review concluded."),
                form=conclude_form,
            )
            if ok:
                return redirect("applications:detail", pk)
        elif ok:
            return redirect("applications:review", pk)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "form": form,
            "conclude_form": conclude_form,
            "coverage": services.code_coverage(application=application),
            "cycle": services.application_cycle(application=application),
            "refusal": refusal,
        },
    )


@require_POST
@access(CB_ADMIN)
def quotation_issue(request, pk):
    application = get_object_or_404(Application.objects.restrict(request.user, "manage"), pk=pk)
    perform(
        request,
        lambda: services.quotation_issue(application=application, by=request.user),
        success=_("Quotation issued."),
    )
    return redirect("applications:detail", pk)


@require_POST
@access(ADMIN_OR_CLIENT)
def quotation_respond(request, pk):
    quotation = get_object_or_404(Quotation.objects.restrict(request.user, "respond"), pk=pk)
    form = QuotationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline the quotation (a remark has at most 2000 characters)."))
        return redirect("applications:detail", quotation.application_id)
    perform(
        request,
        lambda: services.quotation_respond(
            quotation=quotation,
            accept=form.cleaned_data["answer"] == "accept",
            by=request.user,
            note=form.cleaned_data["note"],
            version=form.cleaned_data.get("version"),
        ),
        success=_("Your answer is recorded."),
    )
    return redirect("applications:detail", quotation.application_id)


@access(STAFF_OR_CLIENT)
def quotation_download(request, pk):
    quotation = get_object_or_404(Quotation.objects.restrict(request.user, "view").select_related("application"), pk=pk)
    language = "en" if request.GET.get("lang") == "en" else "zh-hans"
    pdf = quotation_pdf(quotation, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quotation.number}-{language}.pdf"'
    return response


@require_POST
@access(CB_ADMIN)
def contract_issue(request, pk):
    application = get_object_or_404(Application.objects.restrict(request.user, "manage"), pk=pk)
    perform(
        request,
        lambda: services.contract_issue(application=application, by=request.user),
        success=_("Agreement issued."),
    )
    return redirect("applications:detail", pk)


@require_POST
@access(ADMIN_OR_CLIENT)
def contract_act(request, pk):
    contract = get_object_or_404(Contract.objects.restrict(request.user, "view"), pk=pk)
    action = request.POST.get("action", "")
    version = _version(request)
    if action == "client_accept":
        perform(
            request,
            lambda: services.contract_client_accept(contract=contract, by=request.user, version=version),
            success=_("You accepted the agreement."),
        )
    elif action == "sign":
        perform(
            request,
            lambda: services.contract_sign(contract=contract, by=request.user, version=version),
            success=_("Agreement signed: the audit programme and the stage 1 audit are created."),
        )
    elif action == "upload":
        form = SignedCopyForm(request.POST, request.FILES)
        if form.is_valid():
            perform(
                request,
                lambda: services.contract_upload_signed(
                    contract=contract, file=form.cleaned_data["file"], by=request.user
                ),
                success=_("Signed copy uploaded."),
            )
    else:
        messages.error(request, _("Choose an action."))
    return redirect("applications:detail", contract.application_id)


@access(STAFF_OR_CLIENT)
def contract_copy(request, pk):
    contract = get_object_or_404(Contract.objects.restrict(request.user, "view"), pk=pk)
    if not contract.signed_copy:
        raise Http404
    return FileResponse(
        contract.signed_copy.open("rb"), as_attachment=True, filename=contract.signed_copy_name or "contract.pdf"
    )
