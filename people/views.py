"""CB pages to manage auditors: profile, qualifications, competence codes, conflicts."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.invitations import password_set_path
from core.access import CB_ADMIN, CB_STAFF, access
from core.views import paginate, perform

from .forms import AuditorProfileForm, auditor_formsets
from .models import AuditorProfile, ConflictOfInterest
from .services import auditor_profile_save, auditor_user_create

AUDITOR_COLUMNS = [
    gettext_lazy("Auditor"),
    gettext_lazy("Registration number"),
    gettext_lazy("Gender"),
    gettext_lazy("Qualifications"),
    gettext_lazy("Competence codes"),
    gettext_lazy("Conflicts of interest"),
]


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
    # A CB has tens of auditors: the page is cut from all of them, loaded at once, so the list
    # keeps its fixed number of queries (no COUNT).
    return render(
        request,
        "people/auditor_list.html",
        {
            "profiles": paginate(request, list(profiles)),
            "columns": AUDITOR_COLUMNS,
            "can_edit": CB_ADMIN.allows(request.user),
        },
    )


def _save(request, form, formsets):
    """The profile (and a new user, if one is made with it) and its qualification and conflict
    rows, all or nothing. Returns the new user, if any."""
    with transaction.atomic():
        profile = form.save(commit=False)
        new_user = None
        if (fields := form.new_user_fields()) is not None:
            new_user = auditor_user_create(**fields, by=request.user)
            profile.user = new_user
        saved = auditor_profile_save(
            profile=profile, technical_areas=form.cleaned_data["competence_codes"], by=request.user
        )
        for formset in formsets.values():
            formset.instance = saved
            for obj in formset.save(commit=False):
                obj._history_user = request.user
                obj.save()
            for obj in formset.deleted_objects:
                obj._history_user = request.user
                obj.delete()
    return new_user


def _edit(request, profile):
    creating = profile.pk is None
    if request.method == "POST":
        form = AuditorProfileForm(request.POST, instance=profile)
        formsets = auditor_formsets(request.POST, instance=profile)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            made: list = []
            if perform(request, lambda: made.append(_save(request, form, formsets)), form=form):
                messages.success(request, _("Auditor profile of %(name)s saved.") % {"name": profile.user})
                if made and made[0] is not None:
                    link = request.build_absolute_uri(password_set_path(made[0]))
                    messages.info(
                        request,
                        _("Give %(name)s this link to set their password (it works once): %(link)s")
                        % {"name": made[0], "link": link},
                    )
                return redirect("people:auditor_list")
            if creating:  # nothing was written: the page shows the input again, unsaved
                profile.pk = None
                profile._state.adding = True
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
