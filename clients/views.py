"""Client pages. CB administrators create and edit; CB staff view; a client user sees its own
organisation's page and documents only (any other id is 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import AUTHENTICATED, CB_ADMIN, CB_STAFF, CLIENT_USER, access
from core.downloads import private_file_response
from core.panels import page_panels
from core.views import filtered_list, perform, refusal_messages

from . import selectors, services
from .filters import ClientFilter
from .forms import ClientForm, DocumentUploadForm, client_formsets
from .models import Client, ClientDocument, ResponsibilityRole

CLIENT_COLUMNS = [
    gettext_lazy("Client"),
    gettext_lazy("Headcount"),
    gettext_lazy("Requested scope"),
    gettext_lazy("Technical-area codes"),
    gettext_lazy("Sites"),
]


@access(CB_STAFF)
def client_list(request):
    return filtered_list(
        request,
        queryset=selectors.client_list(user=request.user),
        filterset_class=ClientFilter,
        template_name="clients/client_list.html",
        context={"columns": CLIENT_COLUMNS, "can_create": CB_ADMIN.allows(request.user)},
    )


@access(AUTHENTICATED)
def client_detail(request, pk):
    try:
        client = selectors.client_detail(user=request.user, pk=pk)
    except Client.DoesNotExist:
        raise Http404 from None
    sites = list(client.sites.all())
    gaps = []
    if request.user.is_cb_staff:
        gaps = selectors.matrix_gaps(client=client, standards=[scope.standard for scope in client.scopes.all()])
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "registered_sites": [s for s in sites if s.kind == "registered"],
            "operating_sites": [s for s in sites if s.kind == "operating"],
            "branch_sites": [s for s in sites if s.kind == "branch"],
            "temporary_sites": [s for s in sites if s.kind == "temporary"],
            "can_edit": CB_ADMIN.allows(request.user),
            "is_staff_user": request.user.is_cb_staff,
            "gaps": gaps,
            # Panels of higher apps (applications: overdue invoices), core.panels.
            "panels": page_panels("clients.client", request=request, obj=client),
        },
    )


@access(CLIENT_USER)
def my_organisation(request):
    return redirect("clients:detail", pk=request.user.client_id)


def _edit(request, client):
    """Create (client unsaved) or edit a client with its sites, scopes and departments."""
    creating = client.pk is None
    if request.method == "POST":
        form = ClientForm(request.POST, instance=client)
        formsets = client_formsets(request.POST, instance=client)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            if perform(
                request,
                lambda: services.client_save(
                    client=form.save(commit=False),
                    by=request.user,
                    expected_version=None if creating else form.cleaned_data.get("version"),
                    technical_areas=form.cleaned_data["technical_area_codes"],
                    save_related=lambda c: _save_formsets(formsets, c),
                ),
                form=form,
            ):
                messages.success(request, _("Client “%(name)s” saved.") % {"name": client.name_zh})
                return redirect("clients:detail", pk=client.pk)
            # Nothing was written (the service's transaction rolled back); the page shows the
            # user's input again, from the POST data, with the reason.
            if creating:
                client.pk = None
                client._state.adding = True
    else:
        form = ClientForm(instance=client)
        formsets = client_formsets(instance=client)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "formsets": formsets, "client": client, "creating": creating},
    )


def _save_formsets(formsets, client):
    for formset in formsets.values():
        formset.instance = client
        formset.save_all()


@access(CB_ADMIN)
def client_create(request):
    return _edit(request, Client())


@access(CB_ADMIN)
def client_edit(request, pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "change"), pk=pk)
    return _edit(request, client)


# --- documents -------------------------------------------------------------------------------


@access(CB_ADMIN)
def document_upload(request, pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "change"), pk=pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: services.client_document_upload(
                client=client, kind=data["kind"], title=data["title"], uploaded_file=data["file"], by=request.user
            ),
            success=_("Document “%(title)s” uploaded.") % {"title": data["title"]},
            form=form,
        ):
            return redirect(reverse("clients:detail", kwargs={"pk": client.pk}) + "#documents")
    return render(
        request, "clients/document_upload.html", {"client": client, "form": form}, status=400 if form.errors else 200
    )


@access(AUTHENTICATED)
def document_download(request, pk):
    document = get_object_or_404(ClientDocument.objects.restrict(request.user, "view"), pk=pk)
    return private_file_response(
        document.file,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )


@access(CB_ADMIN)
@require_POST
def document_delete(request, pk):
    document = get_object_or_404(ClientDocument.objects.restrict(request.user, "change"), pk=pk)
    client_pk = document.client_id
    perform(
        request,
        lambda: services.client_document_delete(document=document, by=request.user),
        success=_("Document “%(title)s” deleted.") % {"title": document.title},
    )
    return redirect(reverse("clients:detail", kwargs={"pk": client_pk}) + "#documents")


# --- responsibility matrix -------------------------------------------------------------------


def _matrix_context(request, client):
    standards = selectors.matrix_standards(client=client)
    standard = None
    wanted = request.GET.get("standard") or request.POST.get("standard")
    for candidate in standards:
        if str(candidate.pk) == str(wanted):
            standard = candidate
    if standard is None and standards:
        standard = standards[0]
    departments = list(client.departments.all())
    clauses = selectors.matrix_rows(standard=standard) if standard else []
    cells = selectors.matrix_cells(client=client, clauses=clauses) if clauses else {}
    return standards, standard, departments, clauses, cells


def _tabs(client, standards):
    """(standard, number of its clauses without a department) per tab."""
    gaps = {gap.standard.pk: gap.count for gap in selectors.matrix_gaps(client=client, standards=standards)}
    return [(standard, gaps.get(standard.pk, 0)) for standard in standards]


def _grid(clauses, departments, cells):
    return [
        {
            "clause": clause,
            "cells": [(department, cells.get((clause.pk, department.pk), "")) for department in departments],
        }
        for clause in clauses
    ]


@access(CB_STAFF)
def matrix(request, pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "view"), pk=pk)
    standards, standard, departments, clauses, cells = _matrix_context(request, client)
    return render(
        request,
        "clients/matrix.html",
        {
            "client": client,
            "standards": standards,
            "tabs": _tabs(client, standards),
            "standard": standard,
            "departments": departments,
            "rows": _grid(clauses, departments, cells),
            "can_edit": CB_ADMIN.allows(request.user),
            "summary": _summary(clauses, departments, cells),
        },
    )


def _summary(clauses, departments, cells):
    """Rows with no ● (nobody responsible) and with more than one ●: what an auditor checks."""
    owners = {}
    for (clause_id, _department_id), role in cells.items():
        if role == ResponsibilityRole.OWNER:
            owners[clause_id] = owners.get(clause_id, 0) + 1
    return {
        "without_owner": [
            c for c in clauses if owners.get(c.pk, 0) == 0 and any((c.pk, d.pk) in cells for d in departments)
        ],
        "several_owners": [c for c in clauses if owners.get(c.pk, 0) > 1],
    }


@access(CB_ADMIN)
def matrix_edit(request, pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "change"), pk=pk)
    standards, standard, departments, clauses, cells = _matrix_context(request, client)
    errors = []
    if request.method == "POST" and standard is not None:
        posted = {}
        for clause in clauses:
            for department in departments:
                posted[(clause.pk, department.pk)] = request.POST.get(f"cell-{clause.pk}-{department.pk}", "")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            counts = services.responsibility_matrix_save(
                client=client, cells=posted, clauses=clauses, by=request.user, expected_version=version
            )
        except (PermissionDenied, ValidationError) as exc:
            # The grid comes back with the user's choices and the reasons above it.
            errors = refusal_messages(exc)
            status = 409 if getattr(exc, "code", None) == "stale" else 400
            cells = {key: role for key, role in posted.items() if role}
        else:
            messages.success(
                request,
                _("Responsibility matrix saved: %(created)d added, %(changed)d changed, %(removed)d removed.") % counts,
            )
            return redirect(reverse("clients:matrix", kwargs={"pk": client.pk}) + f"?standard={standard.pk}")
    return render(
        request,
        "clients/matrix_edit.html",
        {
            "client": client,
            "standards": standards,
            "tabs": _tabs(client, standards),
            "standard": standard,
            "departments": departments,
            "rows": _grid(clauses, departments, cells),
            "roles": ResponsibilityRole.choices,
            "errors": errors,
            "version": request.POST.get("version") if errors else client.version,
        },
        status=status if errors else 200,
    )
