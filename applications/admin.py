from django import forms
from django.contrib import admin

from . import rules
from .models import ContractSettings, DayRate, InvoiceSettings, PriceList, Registration


class DayRateInline(admin.TabularInline):
    model = DayRate
    extra = 1
    autocomplete_fields = ()
    raw_id_fields = ("technical_area",)


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("name", "currency", "day_rate", "application_fee", "certificate_fee", "active")
    inlines = [DayRateInline]


class ContractSettingsForm(forms.ModelForm):
    class Meta:
        model = ContractSettings
        fields = "__all__"

    def clean_number_pattern(self):
        return rules.validate_contract_pattern(self.cleaned_data["number_pattern"])


@admin.register(ContractSettings)
class ContractSettingsAdmin(admin.ModelAdmin):
    form = ContractSettingsForm
    list_display = ("__str__", "number_pattern", "quotation_valid_days")

    def has_add_permission(self, request):
        return not ContractSettings.objects.exists()


class InvoiceSettingsForm(forms.ModelForm):
    class Meta:
        model = InvoiceSettings
        fields = "__all__"

    def clean_number_pattern(self):
        return rules.validate_contract_pattern(self.cleaned_data["number_pattern"])


@admin.register(InvoiceSettings)
class InvoiceSettingsAdmin(admin.ModelAdmin):
    form = InvoiceSettingsForm
    list_display = ("__str__", "number_pattern", "payment_days", "release_only_when_paid")

    def has_add_permission(self, request):
        return not InvoiceSettings.objects.exists()


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations are made by the organisations themselves."""

    list_display = ("client", "credit_code", "user", "registered_at", "email_confirmed_at")
    readonly_fields = ("client", "credit_code", "user", "registered_at", "email_confirmed_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
