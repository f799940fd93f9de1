from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clients.forms import CODE_SPLIT
from core.access import AUDITING_ROLES
from standards.models import ManagementSystemFamily, TechnicalArea

from .models import AuditorProfile, ConflictOfInterest, Qualification

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditorProfileForm(forms.ModelForm):
    competence_codes = forms.CharField(
        label=_("Competence codes"),
        required=False,
        help_text=_("Technical-area codes separated by commas or spaces; 33.02 covers 33.02.01."),
    )

    # A new auditor without a login yet: the login is made with the profile (no password typed;
    # the page then gives a link where the auditor sets their own).
    new_username = forms.CharField(
        label=_("New user: login name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to choose an existing user above."),
    )
    new_full_name = forms.CharField(label=_("New user: full name"), max_length=100, required=False)
    new_email = forms.EmailField(label=_("New user: e-mail"), required=False)
    new_role = forms.ChoiceField(
        label=_("New user: role"),
        choices=[(role.value, role.label) for role in AUDITING_ROLES],
        required=False,
    )

    class Meta:
        model = AuditorProfile
        fields = ["user", "registration_number", "gender", "phone", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role__in=AUDITING_ROLES, is_active=True)
        if self.instance.pk:
            for name in ("new_username", "new_full_name", "new_email", "new_role"):
                del self.fields[name]
            self.fields["user"].disabled = True
            self.fields["competence_codes"].initial = ", ".join(a.code for a in self.instance.technical_areas.all())
        else:
            users = users.filter(auditor_profile__isnull=True)
            self.fields["user"].required = False
            self.fields["user"].help_text = _("An existing auditor or team leader, or make a new user below.")
            self.order_fields(["user", "new_username", "new_full_name", "new_email", "new_role"])
        self.fields["user"].queryset = users.order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.username}, {u.get_role_display()})"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        username = (cleaned.get("new_username") or "").strip()
        if cleaned.get("user") and username:
            self.add_error("new_username", _("Choose an existing user or make a new one, not both."))
        elif not cleaned.get("user") and not username:
            if "user" not in self.errors:
                self.add_error("user", _("Choose an existing user or enter the new user's login name."))
        elif username:
            if User.objects.filter(username=username).exists():
                self.add_error("new_username", _("A user with this login name already exists: choose it above."))
            if not cleaned.get("new_full_name"):
                self.add_error("new_full_name", _("Enter the new user's full name."))
            if not cleaned.get("new_role"):
                self.add_error("new_role", _("Choose auditor or team leader."))
        return cleaned

    def new_user_fields(self) -> dict | None:
        """The new user's login, name, e-mail and role, or None when an existing user was chosen."""
        if self.instance.pk or not (self.cleaned_data.get("new_username") or "").strip():
            return None
        return {
            "username": self.cleaned_data["new_username"],
            "full_name": self.cleaned_data["new_full_name"],
            "email": self.cleaned_data.get("new_email") or "",
            "role": self.cleaned_data["new_role"],
        }

    def clean_competence_codes(self):
        raw = self.cleaned_data.get("competence_codes") or ""
        codes = [code for code in CODE_SPLIT.split(raw.strip()) if code]
        areas = {a.code: a for a in TechnicalArea.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in areas]
        if unknown:
            raise forms.ValidationError(_("Unknown technical-area codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [areas[code] for code in dict.fromkeys(codes)]


class _TableHelper(FormHelper):
    template = "bootstrap5/table_inline_formset.html"
    form_tag = False
    disable_csrf = True


QualificationFormSet = inlineformset_factory(
    AuditorProfile,
    Qualification,
    fields=["family", "level", "registration_number", "valid_from", "valid_until"],
    widgets={"valid_from": DATE_INPUT, "valid_until": DATE_INPUT},
    extra=len(ManagementSystemFamily.values),
    max_num=len(ManagementSystemFamily.values),  # one qualification per family
    can_delete=True,
)
ConflictFormSet = inlineformset_factory(
    AuditorProfile,
    ConflictOfInterest,
    fields=["client", "description", "declared_on", "consulting_ended_on", "until"],
    widgets={
        "declared_on": DATE_INPUT,
        "consulting_ended_on": DATE_INPUT,
        "until": DATE_INPUT,
        "description": forms.Textarea(attrs={"rows": 1}),
    },
    extra=1,
    can_delete=True,
)


for _formset in (QualificationFormSet, ConflictFormSet):
    for _field in _formset.form.base_fields.values():
        _field.help_text = ""  # table cells: the column header says enough


def auditor_formsets(data=None, instance=None):
    formsets = {
        "qualifications": QualificationFormSet(data, instance=instance, prefix="qualifications"),
        "conflicts": ConflictFormSet(data, instance=instance, prefix="conflicts"),
    }
    formsets["conflicts"].queryset = formsets["conflicts"].queryset.select_related("client")
    # A blank row for every family the auditor has no qualification in yet, so one save records
    # them all (max_num caps the rows at one per family).
    held = len(formsets["qualifications"].get_queryset())
    formsets["qualifications"].extra = max(len(ManagementSystemFamily.values) - held, 0)
    for formset in formsets.values():
        formset.helper = _TableHelper()
    return formsets
