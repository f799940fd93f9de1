"""Changes a certified client reports (name, address, scope, headcount, sites): reported in the portal or by CB
staff, approved or rejected by a CB administrator. Objects are fetched only through ``restrict()``
(another organisation's change is 404); the rules are in ``applications.services.changes``."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, CLIENT_USER, STAFF_ROLES, Role, access, roles
from core.views import paginate, perform

from .. import selectors, services
from ..change_lifecycle import CHANGE_MACHINE
from ..forms import ChangeDecisionForm, ChangeForm
from ..models import ChangeRequest

STAFF_OR_CLIENT = roles(*STAFF_ROLES, Role.CLIENT)
ADMIN_OR_CLIENT = roles(Role.CB_ADMIN, Role.CLIENT)


def _changes(user):
    return ChangeRequest.objects.restrict(user, "view").select_related("client", "standard", "decision", "audit")


@access(CB_STAFF)
def change_list(request):
    return render(
        request, "applications/change_list.html", {"page": paginate(request, _changes(request.user)), "portal": False}
    )


@access(CLIENT_USER)
def change_portal(request):
    return render(
        request, "applications/change_list.html", {"page": paginate(request, _changes(request.user)), "portal": True}
    )


@access(ADMIN_OR_CLIENT)
def change_new(request):
    staff = request.user.role != Role.CLIENT
    form = ChangeForm(request.POST or None, staff=staff, client=None if staff else request.user.client)
    if request.method == "POST" and form.is_valid():
        client = form.cleaned_data["client"] if staff else request.user.client
        done = []
        if perform(
            request,
            lambda: done.append(
                services.change_report(
                    client=client, kind=form.cleaned_data["kind"], fields=form.change_fields(), by=request.user
                )
            ),
            success=_("Change reported: the CB reviews it."),
            form=form,
        ):
            return redirect("applications:change_detail", done[0].pk)
    return render(request, "applications/change_new.html", {"form": form})


@access(STAFF_OR_CLIENT)
def change_detail(request, pk):
    change = get_object_or_404(_changes(request.user), pk=pk)
    return render(
        request,
        "applications/change_detail.html",
        {
            "change": change,
            "allowed": CHANGE_MACHINE.allowed(request.user, change),
            "form": ChangeDecisionForm(),
            "events": change.events.select_related("by"),
            "audits_to_review": selectors.audits_to_review_for_headcount(change=change, user=request.user),
        },
    )


@require_POST
@access(CB_ADMIN)
def change_act(request, pk):
    change = get_object_or_404(ChangeRequest.objects.restrict(request.user, "manage"), pk=pk)
    form = ChangeDecisionForm(request.POST)
    version = request.POST.get("version", "")
    version_seen = int(version) if version.isdigit() else None
    if form.is_valid():
        note = form.cleaned_data["note"]
        if request.POST.get("action") == "approve":
            perform(
                request,
                lambda: services.change_approve(
                    change=change,
                    by=request.user,
                    note=note,
                    audit_start=form.cleaned_data["audit_start"],
                    version=version_seen,
                ),
                success=_("Change approved."),
            )
        else:
            perform(
                request,
                lambda: services.change_reject(change=change, by=request.user, note=note, version=version_seen),
                success=_("Change rejected."),
            )
    return redirect("applications:change_detail", pk)
