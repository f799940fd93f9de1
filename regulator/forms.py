"""Forms of the regulator pages: the regulator data of a record, the export choices, the import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import AuditorIdentity, AuditRegistration, CertificateRegistration, ClientRegistration, ProgrammeContract


class ClientRegistrationForm(forms.ModelForm):
    class Meta:
        model = ClientRegistration
        fields = [
            "credit_code",
            "former_name",
            "industry_code",
            "country_code",
            "division_code",
            "organisation_type",
            "registered_capital",
            "capital_currency",
            "total_staff",
            "covered_staff",
        ]

    def clean_credit_code(self):
        code = rules.no_spaces_upper(self.cleaned_data["credit_code"])
        problem = rules.credit_code_problem(code) if code else ""
        if problem:
            raise forms.ValidationError(
                _("Not a valid unified social credit code (GB 32100: 18 characters, last one a check character).")
            )
        return code


class AuditorIdentityForm(forms.ModelForm):
    id_number = forms.CharField(label=_("ID document number"), max_length=30, required=False)

    class Meta:
        model = AuditorIdentity
        fields = ["id_type", "id_number"]


class AuditRegistrationForm(forms.ModelForm):
    class Meta:
        model = AuditRegistration
        fields = ["plan_number", "actual_days", "remarks"]


class CertificateRegistrationForm(forms.ModelForm):
    class Meta:
        model = CertificateRegistration
        fields = ["item_code", "cnas_codes", "accreditation_mark", "risk_level", "base_audit_days"]


class ProgrammeContractForm(forms.ModelForm):
    class Meta:
        model = ProgrammeContract
        fields = ["number", "amount", "currency"]


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7)
    draft = forms.BooleanField(label=_("Export as a marked draft despite errors"), required=False)
    include_imported = forms.BooleanField(
        label=_("Include the month's imported records (rows read back from past workbooks)"), required=False
    )

    def clean_month(self):
        try:
            return rules.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None


class PlansForm(forms.Form):
    start = forms.DateField(label=_("Audits starting from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    draft = forms.BooleanField(label=_("Export as a marked draft despite errors"), required=False)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    month = forms.CharField(
        label=_("Month the workbook reported (YYYY-MM)"),
        max_length=7,
        required=False,
        help_text=_("Empty: each certificate row's own event month (its report type's date)."),
    )
    apply = forms.BooleanField(
        label=_("Import (unchecked: a dry run that only lists what would happen)"), required=False
    )

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        try:
            return rules.parse_month(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None


class AuditorListForm(forms.Form):
    auditor_list = forms.FileField(label=_("Auditor list (.csv or .xlsx)"))
    apply = forms.BooleanField(
        label=_("Import (unchecked: a dry run that only lists what would happen)"), required=False
    )


class PlanSheetForm(forms.Form):
    plan_sheet = forms.FileField(label=_("Plan sheet (102010, .xlsx)"))
    apply = forms.BooleanField(
        label=_("Import (unchecked: a dry run that only lists what would happen)"), required=False
    )
