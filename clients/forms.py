import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.bounds import BoundedIntegerField
from standards.models import Standard, TechnicalArea

from .models import Client, ClientScope, Department, DocumentKind, Site
from .uploads import ALLOWED_LABELS, ALLOWED_TYPES, MAX_DOCUMENT_SIZE

CODE_SPLIT = re.compile(r"[\s,，;；、]+")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(forms.ModelForm):
    technical_area_codes = forms.CharField(
        label=_("Technical-area codes"),
        required=False,
        help_text=_("Scope codes separated by commas or spaces, e.g. 33.02.01."),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Client
        fields = [
            "name_zh",
            "name_en",
            "headcount",
            "postal_code",
            "phone",
            "fax",
            "email",
            "legal_representative",
            "top_management",
            "ms_contact",
            "ohs_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
            "integrated_audit",
            "system_implemented_on",
            "last_audit_on",
            "changes_since_last_audit",
        ]
        widgets = {
            "system_implemented_on": DATE_INPUT,
            "last_audit_on": DATE_INPUT,
            "changes_since_last_audit": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["technical_area_codes"].initial = ", ".join(
                area.code for area in self.instance.technical_areas.all()
            )
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True  # an edit without it cannot be checked for staleness
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        row = "row g-3"
        self.helper.layout = Layout(
            Fieldset(
                _("Organisation"),
                Div(Div("name_zh", css_class="col-md-6"), Div("name_en", css_class="col-md-6"), css_class=row),
                Div(
                    Div("headcount", css_class="col-md-3"),
                    Div("postal_code", css_class="col-md-3"),
                    Div("legal_representative", css_class="col-md-3"),
                    Div("top_management", css_class="col-md-3"),
                    css_class=row,
                ),
                Div(
                    Div("phone", css_class="col-md-4"),
                    Div("fax", css_class="col-md-4"),
                    Div("email", css_class="col-md-4"),
                    css_class=row,
                ),
            ),
            Fieldset(
                _("Contacts"),
                Div(
                    Div("ms_contact", css_class="col-md-3"),
                    Div("ohs_representative", css_class="col-md-3"),
                    css_class=row,
                ),
                Div(
                    Div("contact_name", css_class="col-md-4"),
                    Div("contact_phone", css_class="col-md-4"),
                    Div("contact_email", css_class="col-md-4"),
                    css_class=row,
                ),
            ),
            Fieldset(
                _("Certification"),
                Div(
                    Div("technical_area_codes", css_class="col-md-4"),
                    Div("system_implemented_on", css_class="col-md-3"),
                    Div("last_audit_on", css_class="col-md-3"),
                    Div(Field("integrated_audit"), css_class="col-md-2 pt-md-4"),
                    css_class=row,
                ),
                "changes_since_last_audit",
            ),
            "version",
        )

    def clean_technical_area_codes(self):
        raw = self.cleaned_data.get("technical_area_codes") or ""
        codes = [code for code in CODE_SPLIT.split(raw.strip()) if code]
        areas = {area.code: area for area in TechnicalArea.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in areas]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Unknown technical-area code: %(codes)s.",
                    "Unknown technical-area codes: %(codes)s.",
                    len(unknown),
                )
                % {"codes": ", ".join(unknown)}
            )
        return [areas[code] for code in dict.fromkeys(codes)]


class _FormsetHelper(FormHelper):
    template = "bootstrap5/table_inline_formset.html"
    form_tag = False
    disable_csrf = True


class SiteFormSetBase(BaseInlineFormSet):
    def clean(self):
        super().clean()
        central = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("is_central")
        ]
        if len(central) > 1:
            raise forms.ValidationError(_("Only one site can be the central function."))

    def save_all(self):
        """Save, unsetting a central site before setting another (one central site per client
        is a database constraint, checked row by row)."""
        instances = self.save(commit=False)
        for obj in self.deleted_objects:
            obj.delete()
        for obj in sorted(instances, key=lambda site: site.is_central):
            obj.save()


class SimpleFormSetBase(BaseInlineFormSet):
    def save_all(self):
        return self.save()


class ScopeFormSetBase(SimpleFormSetBase):
    def add_fields(self, form, index):
        """Offer current standards, plus a retired one the client's scope still names
        (applies to the empty row the page copies, too)."""
        super().add_fields(form, index)
        wanted = Q(retired=False)
        if self.instance is not None and self.instance.pk:
            wanted |= Q(client_scopes__client=self.instance)
        form.fields["standard"].queryset = Standard.objects.filter(wanted).distinct()


SiteFormSet = inlineformset_factory(
    Client,
    Site,
    formset=SiteFormSetBase,
    fields=["kind", "name", "address_zh", "address_en", "postal_code", "is_central", "headcount"],
    extra=1,
    can_delete=True,
)
ScopeFormSet = inlineformset_factory(
    Client,
    ClientScope,
    formset=ScopeFormSetBase,
    fields=["standard", "scope_zh", "scope_en"],
    widgets={"scope_zh": forms.Textarea(attrs={"rows": 1}), "scope_en": forms.Textarea(attrs={"rows": 1})},
    extra=1,
    can_delete=True,
)
DepartmentFormSet = inlineformset_factory(
    Client,
    Department,
    formset=SimpleFormSetBase,
    fields=["name_zh", "name_en", "order"],
    extra=2,
    can_delete=True,
)


for _formset in (SiteFormSet, ScopeFormSet, DepartmentFormSet):
    for _field in _formset.form.base_fields.values():
        _field.help_text = ""  # table cells: the column header says enough


def client_formsets(data=None, instance=None):
    """The three formsets of the client page, in display order."""
    formsets = {
        "sites": SiteFormSet(data, instance=instance, prefix="sites"),
        "scopes": ScopeFormSet(data, instance=instance, prefix="scopes"),
        "departments": DepartmentFormSet(data, instance=instance, prefix="departments"),
    }
    formsets["scopes"].queryset = formsets["scopes"].queryset.select_related("standard")
    for formset in formsets.values():
        formset.helper = _FormsetHelper()
    return formsets


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_TYPES)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s, at most %(size)d MB.") % {
            "types": ALLOWED_LABELS,
            "size": MAX_DOCUMENT_SIZE // (1024 * 1024),
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
