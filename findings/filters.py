"""The NC register's filter (django-filter): client, audit, grade, status, clause, department,
overdue. The client, audit and department choices are search-as-you-type (``core.autocomplete``):
the page renders only the chosen value, and the choices offered are those of the NCs the user
may see (a team leader is never offered a client he has no audit with)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from clients.models import Client, Department
from core.autocomplete import AutocompleteSelect, with_choices_url

from . import selectors
from .models import Nonconformity, NonconformityGrade, NonconformityStatus


def _visible_ncs(request):
    return Nonconformity.objects.restrict(request.user, "view")


def _clients(request):
    if request is None:
        return Client.objects.none()
    return Client.objects.filter(pk__in=_visible_ncs(request).values("audit__client")).order_by("name_zh")


def _audits(request):
    if request is None:
        return Audit.objects.none()
    return (
        Audit.objects.filter(pk__in=_visible_ncs(request).values("audit"))
        .select_related("client")
        .order_by("client__name_zh", "-start_date")
    )


def _departments(request):
    if request is None:
        return Department.objects.none()
    return (
        Department.objects.filter(pk__in=_visible_ncs(request).values("department"))
        .select_related("client")
        .order_by("client__name_zh", "order", "pk")
    )


def _department_label(department):
    return f"{department.client.name_zh} · {department.name_zh}"


class NonconformityFilter(django_filters.FilterSet):
    client = django_filters.ModelChoiceFilter(
        label=_("Client organisation"),
        field_name="audit__client",
        queryset=_clients,
        widget=AutocompleteSelect(search_fields=["name_zh", "name_en"], label=lambda client: client.name_zh),
    )
    audit = django_filters.ModelChoiceFilter(
        label=_("Audit"),
        queryset=_audits,
        widget=AutocompleteSelect(search_fields=["client__name_zh", "client__name_en"], label=str),
    )
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=NonconformityGrade.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NonconformityStatus.choices)
    clause = django_filters.CharFilter(
        label=_("Clause"),
        method="filter_clause",
        help_text=_("A clause number: 8.5 also finds 8.5.1."),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=_departments,
        widget=AutocompleteSelect(search_fields=["name_zh", "name_en", "client__name_zh"], label=_department_label),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "---------"), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_choices_url(self, "findings:nc_register_choices")

    def filter_clause(self, queryset, name, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(Q(clause__number=value) | Q(clause__number__startswith=f"{value}."))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = selectors.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
