"""Writes of the activity log: one row per login, failed login, logout or download."""

from typing import Any

from django.db import models, transaction

from .models import ActivityKind, ActivityRecord


@transaction.atomic
def activity_record(
    *,
    kind: ActivityKind | str,
    by: Any = None,
    username: str = "",
    address: str | None = None,
    record: models.Model | None = None,
    detail: str = "",
) -> ActivityRecord:
    """Record one event; ``by`` the user (None for a failed login), ``record`` what it touched."""
    return ActivityRecord.objects.create(
        kind=kind,
        user=by if by is not None and getattr(by, "pk", None) else None,
        username=(username or (getattr(by, "get_username", lambda: "")() if by is not None else ""))[:150],
        address=address or None,
        record_type=record._meta.label_lower if record is not None else "",
        record_id=record.pk if record is not None else None,
        detail=detail[:255],
    )
