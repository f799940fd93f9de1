"""The activity log's filter form (django-filter): by user, record, what happened and date. The
log is a union of several tables, so ``activity.selectors`` applies the cleaned values to each
table; this filter set validates and bounds them."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_ID

from .models import ActivityKind
from .selectors import STATUS_CHANGE, record_type_choices


def _what_choices():
    return [(STATUS_CHANGE, _("status change")), *ActivityKind.choices]


class ActivityFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=get_user_model().objects.order_by("username"), method="keep"
    )
    record_type = django_filters.ChoiceFilter(label=_("Record"), choices=record_type_choices, method="keep")
    record_id = django_filters.NumberFilter(
        label=_("Record id"), method="keep", min_value=1, max_value=MAX_ID, widget=forms.NumberInput
    )
    what = django_filters.ChoiceFilter(label=_("What"), choices=_what_choices, method="keep")
    date_from = django_filters.DateFilter(
        label=_("From"), method="keep", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(label=_("To"), method="keep", widget=forms.DateInput(attrs={"type": "date"}))

    def keep(self, queryset, name, value):
        return queryset  # applied per table by activity.selectors.activity_log
