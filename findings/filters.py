"""The NC register's filter (django-filter): client, audit, grade, status, clause, department,
overdue. Choice lists only offer what the user may see."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from clients.models import Client, Department

from . import selectors
from .models import NonconformityGrade, NonconformityStatus


def _clients(request):
    if request is None:
        return Client.objects.none()
    return Client.objects.restrict(request.user, "view").order_by("name_zh")


def _audits(request):
    if request is None:
        return Audit.objects.none()
    return (
        Audit.objects.restrict(request.user, "view").select_related("client").order_by("client__name_zh", "-start_date")
    )


def _departments(request):
    if request is None:
        return Department.objects.none()
    clients = Client.objects.restrict(request.user, "view").values("pk")
    return (
        Department.objects.filter(client__in=clients)
        .select_related("client")
        .order_by("client__name_zh", "order", "pk")
    )


class DepartmentChoice(django_filters.ModelChoiceFilter):
    class field_class(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.client.name_zh} · {obj.name}"


class NonconformityFilter(django_filters.FilterSet):
    client = django_filters.ModelChoiceFilter(
        label=_("Client organisation"), field_name="audit__client", queryset=_clients
    )
    audit = django_filters.ModelChoiceFilter(label=_("Audit"), queryset=_audits)
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=NonconformityGrade.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NonconformityStatus.choices)
    clause = django_filters.CharFilter(
        label=_("Clause"),
        method="filter_clause",
        help_text=_("A clause number: 8.5 also finds 8.5.1."),
    )
    department = DepartmentChoice(label=_("Department"), queryset=_departments)
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "---------"), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )

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
