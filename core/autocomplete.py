"""Choice fields over large tables as search-as-you-type widgets.

A plain ``<select>`` renders every row of its queryset as an ``<option>``: a filter over 2,000
clients and 5,000 audits made the NC register render 17,000 options per request. Here the widget
renders only the chosen value(s); the browser (Tom Select, served from ``core/static/vendor``)
asks a JSON endpoint for at most ``CHOICES_LIMIT`` matches as the user types. The endpoint starts
from the same restricted queryset the filter validates against, so a user is never offered
something he may not see, and a value typed into the URL that is not in it is refused by the form.

Use::

    client = django_filters.ModelChoiceFilter(queryset=_clients, widget=AutocompleteSelect())
    # the filterset's __init__ names the endpoint: with_choices_url(self, "findings:nc_register_choices")

    def nc_register_choices(request, field):     # @access(...) like its page
        return choices_response(request, NonconformityFilter(request=request), field)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse

from core.bounds import parse_id

CHOICES_LIMIT = 20
QUERY_MAX_LENGTH = 100


class AutocompleteSelect(forms.Select):
    """A select that renders only its chosen option; the rest come from ``data-autocomplete-url``.

    ``search_fields`` are the model fields the endpoint matches the typed text against
    (``icontains``); ``label`` turns a row into its text (default ``str``)."""

    def __init__(
        self,
        *,
        search_fields: Iterable[str] = (),
        label: Callable[[Any], str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.search_fields = tuple(search_fields)
        self.label = label or str
        self.url = ""

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        # Only ids the database can hold: ``?client=<25 digits>`` must not overflow the query.
        chosen = [v for v in value if parse_id(v) is not None]
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        if chosen:
            rows = list(queryset.filter(pk__in=[parse_id(v) for v in chosen])[: len(chosen)])
            for index, row in enumerate(rows, start=1):
                options.append(self.create_option(name, str(row.pk), self.label(row), True, index))
        return [(None, options, 0)]

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if self.url:
            attrs["data-autocomplete-url"] = self.url
        return attrs


def with_choices_url(filterset: Any, url_name: str) -> None:
    """Point every ``AutocompleteSelect`` of ``filterset``'s form at ``url_name`` (one URL per
    list page, taking the field name)."""
    for name, field in filterset.form.fields.items():
        if isinstance(field.widget, AutocompleteSelect):
            field.widget.url = reverse(url_name, kwargs={"field": name})


def matching(queryset: QuerySet, search_fields: Iterable[str], text: str) -> QuerySet:
    """Rows of ``queryset`` whose search fields contain every word of ``text``."""
    for word in text[:QUERY_MAX_LENGTH].split():
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def choices_response(request: HttpRequest, filterset: Any, field_name: str) -> JsonResponse:
    """The endpoint behind an ``AutocompleteSelect`` of ``filterset``: at most ``CHOICES_LIMIT``
    ``{"value", "text"}`` matches of ``?q=`` from the field's own (restricted) queryset, in one
    query. An unknown field answers 404."""
    field = filterset.form.fields.get(field_name)
    if field is None or not isinstance(field.widget, AutocompleteSelect):
        raise Http404
    widget = field.widget
    rows = matching(field.queryset, widget.search_fields, request.GET.get("q", ""))[:CHOICES_LIMIT]
    return JsonResponse({"results": [{"value": str(row.pk), "text": widget.label(row)} for row in rows]})
