import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.autocomplete import AutocompleteSelect, with_choices_url

from .models import Audit, AuditStatus, AuditType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clients(request):
    if request is None:
        return Client.objects.none()
    # The clients of the audits the user may see (a client user: only its own organisation).
    audits = Audit.objects.restrict(request.user, "view").values("client")
    return Client.objects.filter(pk__in=audits).order_by("name_zh")


class AuditFilter(django_filters.FilterSet):
    client = django_filters.ModelChoiceFilter(
        label=_("Client organisation"),
        queryset=_clients,
        widget=AutocompleteSelect(search_fields=["name_zh", "name_en"], label=lambda client: client.name_zh),
    )
    audit_type = django_filters.ChoiceFilter(label=_("Audit type"), choices=AuditType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AuditStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("Ending on or after"), field_name="end_date", lookup_expr="gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("Starting on or before"), field_name="start_date", lookup_expr="lte", widget=DATE_INPUT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_choices_url(self, "audits:list_choices")
