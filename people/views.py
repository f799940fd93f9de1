"""CB pages to manage auditors: profile, qualifications, competence codes, conflicts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.access import CB_ADMIN, CB_STAFF, access

from .forms import AuditorProfileForm, auditor_formsets
from .models import AuditorProfile, ConflictOfInterest
from .services import auditor_profile_save


@access(CB_STAFF)
def auditor_list(request):
    profiles = (
        AuditorProfile.objects.restrict(request.user, "view")
        .select_related("user")
        .prefetch_related(
            "qualifications",
            "technical_areas",
            Prefetch("conflicts", queryset=ConflictOfInterest.objects.select_related("client")),
        )
    )
    return render(
        request,
        "people/auditor_list.html",
        {"profiles": profiles, "can_edit": CB_ADMIN.allows(request.user)},
    )


def _edit(request, profile):
    creating = profile.pk is None
    if request.method == "POST":
        form = AuditorProfileForm(request.POST, instance=profile)
        formsets = auditor_formsets(request.POST, instance=profile)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            try:
                with transaction.atomic():
                    saved = auditor_profile_save(
                        profile=form.save(commit=False),
                        technical_areas=form.cleaned_data["competence_codes"],
                        by=request.user,
                    )
                    for formset in formsets.values():
                        formset.instance = saved
                        for obj in formset.save(commit=False):
                            obj._history_user = request.user
                            obj.save()
                        for obj in formset.deleted_objects:
                            obj._history_user = request.user
                            obj.delete()
            except ValidationError as exc:
                if creating:
                    profile.pk = None
                    profile._state.adding = True
                form.add_error(None, exc)
            else:
                messages.success(request, _("Auditor profile of %(name)s saved.") % {"name": saved.user})
                return redirect("people:auditor_list")
    else:
        form = AuditorProfileForm(instance=profile)
        formsets = auditor_formsets(instance=profile)
    return render(
        request,
        "people/auditor_form.html",
        {"form": form, "formsets": formsets, "profile": profile, "creating": creating},
    )


@access(CB_ADMIN)
def auditor_create(request):
    return _edit(request, AuditorProfile())


@access(CB_ADMIN)
def auditor_edit(request, pk):
    profile = get_object_or_404(AuditorProfile.objects.restrict(request.user, "change").select_related("user"), pk=pk)
    return _edit(request, profile)
