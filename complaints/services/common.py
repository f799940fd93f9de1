"""Helpers of the complaints services (not actions)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.access import Role
from core.dates import local_today

from ..models import ComplaintPolicy

# An acknowledgement number: 80 random bits in base-32 groups, e.g. "K7Q2-M9XD-4TPA-C3HN".
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def invalid(message: Any, code: str | None = None) -> ValidationError:
    if isinstance(message, dict):
        return ValidationError({k: ValidationError(v, code=code) for k, v in message.items()})
    return ValidationError(message, code=code)


def today() -> datetime.date:
    return local_today()


def policy() -> ComplaintPolicy:
    return ComplaintPolicy.objects.current()


def new_ack_number() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _i in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def require_admin(by: Any) -> None:
    if not (by is not None and by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN):
        raise PermissionDenied(_("Only a CB administrator may do this."))


def next_reference(model: Any, prefix: str, year: int) -> str:
    """``PREFIX-YYYY-NNNN``, the next within the year (the caller holds the policy row's lock)."""
    start = f"{prefix}-{year}-"
    last = model.objects.filter(reference__startswith=start).order_by("-reference").values_list("reference", flat=True)
    number = int(last[0].rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{number:04d}"


def text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid({field: message}, code="required")
    return value
