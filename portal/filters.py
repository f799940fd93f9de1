"""The client portal's NC list filter (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from findings.models import Nonconformity, NonconformityStatus


class PortalNonconformityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NonconformityStatus.choices)

    class Meta:
        model = Nonconformity
        fields = ["status"]
