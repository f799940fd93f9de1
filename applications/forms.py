"""The application form (a draft saves incomplete), its standards and sites as formsets, the
review's checklist, the small action forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audits.audit_time import Complexity
from clients.models import Client, Site, SiteKind, phone_validator
from standards.models import Standard, TechnicalArea

from . import rules
from .models import Application, InvoiceMilestone, ReviewResult
from .services.applications import APPLICATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


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


class ChecklistForm(forms.Form):
    """One yes/no and one remark per point of ``POINTS`` (``(key, text)`` pairs)."""

    POINTS: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        points = points or {}
        for key, text in self.POINTS:
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
            for key, _text in self.POINTS
        }


class ReviewForm(ChecklistForm):
    """The application review's points (``rules.REVIEW_POINTS``, 17021-1 9.1.2)."""

    POINTS = rules.REVIEW_POINTS


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    conditions = forms.CharField(
        label=_("Conditions or reasons (shown to the client)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Signed copy"))


# --- transfers (IAF MD 2) and reported changes ------------------------------------------------------


class TransferFactsForm(forms.ModelForm):
    """What the pre-transfer review found (``services.transfers.FACT_FIELDS``)."""

    ab_mla_signatory = forms.TypedChoiceField(
        label=_("The accreditation body is an IAF MLA signatory"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce={"yes": True, "no": False}.get,
        empty_value=None,
        required=False,
    )

    class Meta:
        from .models import TransferReview

        model = TransferReview
        fields = [
            "certificate_state",
            "certificate_issued_on",
            "accreditation_body",
            "ab_mla_signatory",
            "accreditation_state",
            "accreditation_lapsed_on",
            "last_audit",
            "last_audit_on",
            "first_surveillance_on",
            "open_major_ncs",
            "open_minor_ncs",
            "open_complaints",
            "issuing_cb_cooperates",
            "transfer_reason",
        ]
        widgets = {
            "certificate_issued_on": DATE,
            "accreditation_lapsed_on": DATE,
            "last_audit_on": DATE,
            "first_surveillance_on": DATE,
            "transfer_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.ab_mla_signatory
        self.initial["ab_mla_signatory"] = {True: "yes", False: "no"}.get(value, "")

    def facts(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class TransferPointsForm(ChecklistForm):
    """The pre-transfer review's points (``rules.TRANSFER_POINTS``, IAF MD 2)."""

    POINTS = rules.TRANSFER_POINTS


class TransferConcludeForm(forms.Form):
    reasons = forms.CharField(
        label=_("Remarks or reasons (shown to the client)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferProceedForm(forms.Form):
    audit_start = forms.DateField(
        label=_("Transfer audit from"),
        required=False,
        widget=DATE,
        help_text=_("Only when a transfer audit is needed."),
    )


class ChangeForm(forms.Form):
    """A change reported by the client or entered by CB staff (the service checks what each kind needs)."""

    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Change"))
    name_zh = forms.CharField(label=_("New name (Chinese)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("New name (English)"), max_length=200, required=False)
    address_zh = forms.CharField(label=_("New address (Chinese)"), max_length=300, required=False)
    address_en = forms.CharField(label=_("New address (English)"), max_length=300, required=False)
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.order_by("family", "code"), required=False
    )
    scope_zh = forms.CharField(label=_("New scope (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scope_en = forms.CharField(label=_("New scope (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    headcount = forms.IntegerField(
        label=_("New total headcount"),
        required=False,
        min_value=1,
        help_text=_("Everyone working under the management system, all sites together."),
    )
    site_kind = forms.ChoiceField(label=_("Kind of new site"), required=False)
    site_name = forms.CharField(label=_("Name of the new site"), max_length=200, required=False)
    site_address_zh = forms.CharField(label=_("Address of the new site (Chinese)"), max_length=300, required=False)
    site_address_en = forms.CharField(label=_("Address of the new site (English)"), max_length=300, required=False)
    site_headcount = forms.IntegerField(label=_("Headcount at the new site"), required=False, min_value=0)
    site = forms.ModelChoiceField(label=_("Site to close"), queryset=Site.objects.none(), required=False)
    effective_on = forms.DateField(label=_("Effective on"), required=False, widget=DATE)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, staff=False, client=None, **kwargs):
        from .models import NEW_SITE_KINDS, ChangeKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChangeKind.choices
        self.fields["site_kind"].choices = [("", "---------"), *((k.value, k.label) for k in NEW_SITE_KINDS)]
        if staff:
            self.fields["client"].queryset = Client.objects.order_by("name_zh")
            self.fields["client"].required = True
            # Any client's site is offered; the clean below keeps only the chosen client's.
            self.fields["site"].queryset = Site.objects.select_related("client")
        else:
            del self.fields["client"]
            # A client user is offered (and may name by id) its own organisation's sites only.
            self.fields["site"].queryset = (
                Site.objects.filter(client=client) if client is not None else Site.objects.none()
            )

    def clean(self):
        cleaned = super().clean()
        site = cleaned.get("site")
        client = cleaned.get("client")
        if site is not None and client is not None and site.client_id != client.pk:
            self.add_error("site", _("Choose one of the organisation's own sites to close."))
        return cleaned

    def change_fields(self):
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in ("client", "kind") and self.cleaned_data.get(name) not in (None, "")
        }


class ChangeDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note (shown to the client)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    audit_start = forms.DateField(
        label=_("Scope-extension audit from"), required=False, widget=DATE, help_text=_("Only for a scope extension.")
    )


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
