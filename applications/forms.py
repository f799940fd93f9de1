"""The application form (a draft saves incomplete), its standards and sites as formsets, the
review's checklist, the small action forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audits.audit_time import Complexity
from clients.models import Client, SiteKind, phone_validator
from standards.models import Standard, TechnicalArea

from . import rules
from .models import Application, InvoiceMilestone, ReviewResult
from .services.applications import APPLICATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class ApplicationForm(forms.ModelForm):
    codes = forms.CharField(
        label=_("Proposed technical-area codes"),
        required=False,
        help_text=_("Codes separated by commas, e.g. 33.02.01, 19.05."),
    )

    class Meta:
        model = Application
        fields = ["client", *APPLICATION_FIELDS]
        widgets = {
            "consultancy_ended_on": DATE,
            "existing_certificate_expires_on": DATE,
            "preferred_from": DATE,
            "preferred_until": DATE,
            "outsourced_processes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, staff=True, **kwargs):
        super().__init__(*args, **kwargs)
        if staff and not self.instance.pk:
            self.fields["client"].queryset = Client.objects.order_by("name_zh")
            self.fields["client"].required = False
            self.fields["client"].help_text = _("Empty for a new organisation.")
        else:
            del self.fields["client"]
        if self.instance.pk:
            self.fields["codes"].initial = ", ".join(self.instance.technical_areas.values_list("code", flat=True))

    def clean_codes(self):
        wanted = [c.strip() for c in self.cleaned_data["codes"].replace("，", ",").split(",") if c.strip()]
        found = {a.code: a for a in TechnicalArea.objects.filter(code__in=wanted)}
        unknown = [c for c in wanted if c not in found]
        if unknown:
            raise ValidationError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[c] for c in wanted]


COMPLEXITY_CHOICES = [("", "—")] + [(c.value, c.value) for c in Complexity]


class StandardRowForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.filter(retired=False).order_by("family", "code"), required=False
    )
    scope_zh = forms.CharField(label=_("Requested scope (Chinese)"), required=False)
    scope_en = forms.CharField(label=_("Requested scope (English)"), required=False)
    complexity = forms.ChoiceField(label=_("Complexity (EMS/OHSMS)"), choices=COMPLEXITY_CHOICES, required=False)


class SiteRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of site"), choices=[("", "—"), *SiteKind.choices], required=False)
    address_zh = forms.CharField(label=_("Address (Chinese)"), required=False)
    is_central = forms.BooleanField(label=_("Central function"), required=False)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, required=False)
    shifts = forms.IntegerField(label=_("Shifts"), min_value=1, max_value=4, initial=1, required=False)


StandardFormSet = forms.formset_factory(StandardRowForm, extra=3, max_num=10)
SiteFormSet = forms.formset_factory(SiteRowForm, extra=3, max_num=30)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """One yes/no and one remark per point of ``rules.REVIEW_POINTS``."""

    def __init__(self, *args, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        points = points or {}
        for key, text in rules.REVIEW_POINTS:
            given = points.get(key) or {}
            self.fields[f"{key}_ok"] = forms.TypedChoiceField(
                label=_(text),
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
                initial={True: "yes", False: "no"}.get(given.get("ok"), ""),
            )
            self.fields[f"{key}_remark"] = forms.CharField(
                label=_("Remark"),
                required=False,
                initial=given.get("remark", ""),
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def points(self):
        data = self.cleaned_data
        return {
            key: {
                "ok": {"yes": True, "no": False}.get(data.get(f"{key}_ok") or ""),
                "remark": data.get(f"{key}_remark", ""),
            }
            for key in rules.REVIEW_POINT_KEYS
        }


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    conditions = forms.CharField(
        label=_("Conditions or reasons (shown to the client)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Signed copy"))


class QuotationAnswerForm(forms.Form):
    """The client's answer to a quotation: accept or decline, with an optional remark."""

    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    note = forms.CharField(label=_("Remark"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RegistrationForm(forms.Form):
    """A new organisation registers in the portal (no login)."""

    name_zh = forms.CharField(label=_("Organisation name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Organisation name (English)"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, help_text=_("18 characters (GB 32100).")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    email = forms.EmailField(label=_("E-mail (your login)"))
    phone = forms.CharField(label=_("Telephone"), max_length=40, validators=[phone_validator])
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    # A field people never see: a form that fills it is a robot's, refused as invalid.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("The form could not be sent."))
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class InvoiceIssueForm(forms.Form):
    milestone = forms.ChoiceField(label=_("Milestone"))
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Empty: the amount of the accepted quotation. A corrected amount only replaces a cancelled invoice."
        ),
    )

    def __init__(self, *args, amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(InvoiceMilestone.choices)
        self.fields["milestone"].choices = [(key, f"{labels[key]} · {value}") for key, value in (amounts or {}).items()]


class InvoicePaidForm(forms.Form):
    # ISO format: the browser's date input shows nothing for a localised value.
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class InvoiceCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
