import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Standard


class ClientFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Client name"), method="filter_name")
    code = django_filters.CharFilter(
        label=_("Technical-area code"),
        method="filter_code",
        widget=forms.TextInput(attrs={"placeholder": _("33.02 finds clients with 33.02 and with 33.02.01.")}),
    )
    standard = django_filters.ModelChoiceFilter(
        label=_("Standard"),
        queryset=Standard.objects.all(),
        field_name="scopes__standard",
        distinct=True,
        widget=forms.Select,
    )

    prospective = django_filters.BooleanFilter(
        label=_("Prospective (registered, no agreement yet)"), widget=forms.NullBooleanSelect
    )

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value))

    def filter_code(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(
            Q(technical_areas__code=value) | Q(technical_areas__code__startswith=value + ".")
        ).distinct()
