import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client

from .models import AuditStatus, AuditType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clients(request):
    if request is None:
        return Client.objects.none()
    return Client.objects.restrict(request.user, "view").order_by("name_zh")


class AuditFilter(django_filters.FilterSet):
    client = django_filters.ModelChoiceFilter(label=_("Client organisation"), queryset=_clients)
    audit_type = django_filters.ChoiceFilter(label=_("Audit type"), choices=AuditType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AuditStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("Ending on or after"), field_name="end_date", lookup_expr="gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("Starting on or before"), field_name="start_date", lookup_expr="lte", widget=DATE_INPUT
    )
