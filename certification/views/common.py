"""What the certification pages share: showing a service's refusal as messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def error_messages(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal as error messages on the next page."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, refusal_text(exc))
        return
    for message in exc.messages:
        messages.error(request, message)


def refusal_text(exc: PermissionDenied) -> str:
    return str(exc) or _("You may not do this.")
