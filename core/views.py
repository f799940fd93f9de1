"""Page helpers every app's views use, so a list page or a POST action is written one way.

* ``filtered_list`` — a list page: the user's restricted queryset, a django-filter FilterSet, a
  page of results, rendered with the shared ``includes/filter_form.html`` and
  ``includes/list_table.html``.
* ``perform`` — a POST action: call one service function; a refusal becomes a message on the page
  (or errors on the form), never a 500, by the one mapping in ``report_refusal``:
  ``PermissionDenied`` → "you may not" message; ``ValidationError`` → its messages, field
  errors onto the form's fields where the form has them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def refusal_messages(exc: PermissionDenied | ValidationError) -> list[str]:
    """The texts a refused action shows: the service's own reason, or a generic one."""
    if isinstance(exc, PermissionDenied):
        return [str(exc) or _("You may not do this.")]
    return list(exc.messages) or [_("This could not be done.")]


def report_refusal(request: HttpRequest, exc: PermissionDenied | ValidationError, form: BaseForm | None = None) -> None:
    """Put a refused service action on the page: onto ``form`` when one is given (field errors on
    their fields, the rest as form-wide errors), else as error messages."""
    if form is None:
        for text in refusal_messages(exc):
            messages.error(request, text)
        return
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, refusal_messages(exc))


def perform(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str = "",
    form: BaseForm | None = None,
) -> bool:
    """Run ``action`` (one service call). True when it succeeded (``success`` is shown as a
    message); False when the service refused it (the reason is shown, see ``report_refusal``)."""
    try:
        action()
    except (PermissionDenied, ValidationError) as exc:
        report_refusal(request, exc, form=form)
        return False
    if success:
        messages.success(request, success)
    return True


def paginate(request: HttpRequest, queryset: QuerySet | Sequence[Any], page_size: int = PAGE_SIZE) -> Page:
    """The requested page of ``queryset`` (a COUNT query and the page's rows), or of a list
    already loaded (no query)."""
    return Paginator(queryset, page_size).get_page(request.GET.get("page"))


def filtered_list(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    filterset_class: type,
    template_name: str,
    context: Mapping[str, Any] | None = None,
    page_size: int = PAGE_SIZE,
    filterset_kwargs: Mapping[str, Any] | None = None,
    rows: Callable[[QuerySet], Sequence[Any]] | None = None,
) -> HttpResponse:
    """A list page: ``queryset`` (already restricted to what the user may see) filtered by the
    request's GET parameters, one page of it, as ``filter`` and ``page`` in the template.

    ``rows``, for a short list whose rows need Python (computed flags, an order the database
    cannot give), turns the filtered queryset into the list the page is cut from."""
    filterset = filterset_class(request.GET or None, queryset=queryset, **(filterset_kwargs or {}))
    page = paginate(request, filterset.qs if rows is None else rows(filterset.qs), page_size)
    return render(request, template_name, {"filter": filterset, "page": page, **(context or {})})
