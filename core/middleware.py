import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.shortcuts import render

from .access import rule_of
from .bounds import out_of_range

logger = logging.getLogger(__name__)


class AccessRuleMiddleware:
    """Evaluates the access rule each view declares; a view without one is refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and match.namespaces and match.namespaces[0] in settings.ACCESS_RULE_EXEMPT_NAMESPACES:
            return None
        rule = rule_of(view_func)
        if rule is None:
            logger.error("View %s declares no access rule; refused.", getattr(match, "view_name", view_func))
            raise PermissionDenied
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied


# What SQLite says when another connection holds the write lock past the busy timeout.
_LOCKED_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_database_busy(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and any(text in str(error).lower() for text in _LOCKED_MESSAGES)


class DatabaseBusyMiddleware:
    """A write that still finds the database locked after the busy timeout (SQLite under
    concurrent submits) answers 503 "try again" with Retry-After: the transaction was rolled back,
    nothing was saved, and the user can simply submit again. Never a 500."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
        response = render(request, "503_busy.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class BoundedUrlNumbersMiddleware:
    """A URL's ``<int:…>`` argument larger than any id (``/audits/<25 digits>/``) is a 404 before
    the view runs, so no view passes it to the database (core/bounds.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(out_of_range(value) for value in (*view_args, *view_kwargs.values())):
            raise Http404
        return None


class PermissionsPolicyMiddleware:
    """Adds the `Permissions-Policy` header (settings.PERMISSIONS_POLICY): the pages use no camera,
    microphone, location, payment, USB, ..., so a script injected anyway could not either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
