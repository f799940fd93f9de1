"""The page helpers: one mapping of refusals onto pages, and the shared list page."""

import django_filters
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import translation

from core.views import filtered_list, perform, report_refusal

from .lifecycle_models import Status, Ticket


def _request():
    request = RequestFactory().post("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    return request


def _texts(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def test_a_successful_action_shows_its_success_message():
    request = _request()
    assert perform(request, lambda: None, success="Saved.") is True
    assert _texts(request) == [("success", "Saved.")]


def test_permission_denied_becomes_an_error_message_with_the_services_reason():
    request = _request()

    def refuse():
        raise PermissionDenied("Only the team leader may approve.")

    assert perform(request, refuse, success="Saved.") is False
    assert _texts(request) == [("error", "Only the team leader may approve.")]


def test_permission_denied_without_a_reason_still_says_why():
    request = _request()

    def refuse():
        raise PermissionDenied

    with translation.override("en"):
        perform(request, refuse)
        assert _texts(request) == [("error", "You may not do this.")]


def test_validation_errors_become_one_message_each():
    request = _request()

    def refuse():
        raise ValidationError(["First.", "Second."])

    perform(request, refuse)
    assert _texts(request) == [("error", "First."), ("error", "Second.")]


def test_field_errors_land_on_the_forms_fields_and_the_rest_on_the_form():
    request = _request()
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"note": "Say why.", "elsewhere": "Not a field of this form."})

    assert perform(request, refuse, form=form) is False
    assert form.errors["note"] == ["Say why."]
    assert form.non_field_errors() == ["Not a field of this form."]
    assert _texts(request) == []


def test_a_permission_refusal_on_a_form_is_a_form_wide_error():
    request = _request()
    form = NoteForm({"note": "x"})
    form.is_valid()
    report_refusal(request, PermissionDenied("No."), form=form)
    assert form.non_field_errors() == ["No."]


def test_errors_other_than_refusals_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        perform(_request(), lambda: 1 / 0)


# --- filtered_list -------------------------------------------------------------------------------


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)


def _list_page(monkeypatch, query, **kwargs):
    """filtered_list's template context for GET ``query`` (the template itself is not rendered)."""
    seen = {}
    monkeypatch.setattr("core.views.render", lambda request, name, context: seen.update(context))
    filtered_list(
        RequestFactory().get("/", query),
        queryset=Ticket.objects.order_by("pk"),
        filterset_class=TicketFilter,
        template_name="unused.html",
        **kwargs,
    )
    return seen


@pytest.mark.django_db
def test_a_list_page_filters_the_queryset_and_pages_it(monkeypatch):
    open_tickets = [Ticket.objects.create(status=Status.OPEN) for _ in range(3)]
    Ticket.objects.create(status=Status.DONE)
    context = _list_page(monkeypatch, {"status": "open", "page": "2"}, page_size=2)
    assert list(context["page"]) == open_tickets[2:]
    assert context["filter"].form.cleaned_data["status"] == "open"


@pytest.mark.django_db
def test_rows_computed_in_python_are_paged_without_a_count_query(monkeypatch, django_assert_num_queries):
    tickets = [Ticket.objects.create(status=Status.OPEN) for _ in range(3)]
    with django_assert_num_queries(1):  # the rows; the page is cut from the list
        context = _list_page(monkeypatch, {}, page_size=2, rows=lambda qs: sorted(qs, key=lambda t: -t.pk))
    assert list(context["page"]) == tickets[:0:-1]
    assert context["page"].paginator.num_pages == 2
