import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import local_today

from .models import Application, ApplicationStatus, Invoice, InvoiceMilestone, InvoiceStatus


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    q = django_filters.CharFilter(label=_("Organisation or reference"), method="search")

    class Meta:
        model = Application
        fields = ["status"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(reference__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value)
        )


class InvoiceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvoiceStatus.choices)
    milestone = django_filters.ChoiceFilter(label=_("Milestone"), choices=InvoiceMilestone.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    q = django_filters.CharFilter(label=_("Organisation, invoice or agreement number"), method="search")

    class Meta:
        model = Invoice
        fields = ["status", "milestone"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(local_today()) if value else queryset

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(number__icontains=value)
            | Q(contract__number__icontains=value)
            | Q(contract__application__name_zh__icontains=value)
            | Q(contract__application__client__name_zh__icontains=value)
        )
