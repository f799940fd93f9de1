"""The certificate list's filter (django-filter): holder, standard, status, number, expiring
within N days. Choice lists only offer what the user may see."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.autocomplete import AutocompleteSelect, with_choices_url
from core.dates import local_today
from standards.models import Standard

from .models import Certificate, CertificateStatus

EXPIRING_CHOICES = [
    ("", "---------"),
    ("30", _("within 30 days")),
    ("90", _("within 90 days")),
    ("180", _("within 180 days")),
]


def _clients(request):
    if request is None:
        return Client.objects.none()
    certificates = Certificate.objects.restrict(request.user, "view").values("client_id")
    return Client.objects.restrict(request.user, "view").filter(pk__in=certificates).order_by("name_zh")


def _standards(request):
    return Standard.objects.filter(pk__in=Certificate.objects.values("standard_id")).order_by("code", "edition")


class CertificateFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Certificate number"), field_name="number", lookup_expr="icontains")
    client = django_filters.ModelChoiceFilter(
        label=_("Holder"),
        queryset=_clients,
        widget=AutocompleteSelect(search_fields=["name_zh", "name_en"], label=lambda client: client.name_zh),
    )
    standard = django_filters.ModelChoiceFilter(label=_("Standard"), queryset=_standards)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices)
    expiring = django_filters.ChoiceFilter(
        # Valid or suspended certificates whose expiry date falls within the period.
        label=_("Expiring"),
        choices=EXPIRING_CHOICES[1:],
        method="filter_expiring",
    )

    class Meta:
        model = Certificate
        fields = ["number", "client", "standard", "status", "expiring"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_choices_url(self, "certification:certificate_list_choices")

    def filter_expiring(self, queryset, name, value):
        if not value:
            return queryset
        today = local_today()
        return queryset.filter(
            status__in=(CertificateStatus.VALID, CertificateStatus.SUSPENDED),
            expires_on__lte=today + datetime.timedelta(days=int(value)),
        )
