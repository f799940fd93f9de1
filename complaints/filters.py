import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import local_today

from .models import (
    OPEN_APPEAL_STATUSES,
    OPEN_COMPLAINT_STATUSES,
    Appeal,
    AppealOutcome,
    AppealStatus,
    Complaint,
    ComplaintOutcome,
    ComplaintSource,
    ComplaintStatus,
    ComplaintSubject,
    MisuseAction,
)


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ComplaintStatus.choices)
    subject = django_filters.ChoiceFilter(label=_("About"), choices=ComplaintSubject.choices)
    source = django_filters.ChoiceFilter(label=_("Received through"), choices=ComplaintSource.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=ComplaintOutcome.choices)
    misuse_action = django_filters.ChoiceFilter(label=_("Action on the misuse"), choices=MisuseAction.choices)
    overdue = django_filters.BooleanFilter(label=_("Past its deadline"), method="past_deadline")
    received_after = django_filters.DateFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(label=_("Received until"), field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Complaint
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(summary__icontains=value) | Q(client__name_zh__icontains=value)
        )

    def past_deadline(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=OPEN_COMPLAINT_STATUSES, answer_due_on__lt=local_today()) | Q(
            status=ComplaintStatus.RECEIVED, acknowledge_due_on__lt=local_today()
        )
        return queryset.filter(late) if value else queryset.exclude(late)


class AppealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AppealStatus.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=AppealOutcome.choices)
    overdue = django_filters.BooleanFilter(label=_("Past its deadline"), method="past_deadline")

    class Meta:
        model = Appeal
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(client__name_zh__icontains=value))

    def past_deadline(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=OPEN_APPEAL_STATUSES, answer_due_on__lt=local_today())
        return queryset.filter(late) if value else queryset.exclude(late)
