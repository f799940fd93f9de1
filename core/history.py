"""Who made a change, for django-simple-history: the history row that the next ``save()`` or
``delete()`` writes takes its user and reason from ``_history_user`` and ``_change_reason`` set on
the instance beforehand. simple-history reads these attributes dynamically and no model declares
them, so this is the one typed place that sets them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db import models


def set_history_user(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """The user the history row of ``obj``'s next save or delete names (None: the system)."""
    obj._history_user = user  # type: ignore[attr-defined]  # simple-history's undeclared instance attribute


def set_change_reason(obj: models.Model, reason: str) -> None:
    """The reason the history row of ``obj``'s next save or delete records."""
    obj._change_reason = reason  # type: ignore[attr-defined]  # simple-history's undeclared instance attribute
