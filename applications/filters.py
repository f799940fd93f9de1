import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Application, ApplicationStatus


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
