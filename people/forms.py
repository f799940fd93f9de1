from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clients.forms import CODE_SPLIT
from core.access import AUDITING_ROLES
from standards.models import TechnicalArea

from .models import AuditorProfile, ConflictOfInterest, Qualification

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditorProfileForm(forms.ModelForm):
    competence_codes = forms.CharField(
        label=_("Competence codes"),
        required=False,
        help_text=_("Technical-area codes separated by commas or spaces; 33.02 covers 33.02.01."),
    )

    class Meta:
        model = AuditorProfile
        fields = ["user", "registration_number", "gender", "phone", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role__in=AUDITING_ROLES, is_active=True)
        if self.instance.pk:
            self.fields["user"].disabled = True
            self.fields["competence_codes"].initial = ", ".join(a.code for a in self.instance.technical_areas.all())
        else:
            users = users.filter(auditor_profile__isnull=True)
        self.fields["user"].queryset = users.order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.username}, {u.get_role_display()})"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

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
    extra=1,
    can_delete=True,
)
ConflictFormSet = inlineformset_factory(
    AuditorProfile,
    ConflictOfInterest,
    fields=["client", "description", "declared_on", "until"],
    widgets={"declared_on": DATE_INPUT, "until": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 1})},
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
    for formset in formsets.values():
        formset.helper = _TableHelper()
    return formsets
