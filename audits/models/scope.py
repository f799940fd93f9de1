"""Rows that belong to an audit (its team, findings, NCs, report, reviews) are visible exactly
when their audit is: ``audit_scoped`` applies ``AuditQuerySet.restrict`` through a foreign key.

For whoever sees every audit for the action (CB administrators; the committee reading) it adds no
filter at all: ``audit_id IN (SELECT id FROM audits_audit)`` would only cost a join of every row
(on the administrator's start page, two NC counts spent half their time on it)."""

from typing import Any, TypeVar

from django.apps import apps
from django.db.models import QuerySet

from core.access import Role

Rows = TypeVar("Rows", bound=QuerySet[Any])


def sees_every_audit(user: Any, action: str = "view") -> bool:
    """Whom ``AuditQuerySet.restrict`` leaves unfiltered for ``action`` (one rule, used there too)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.CB_ADMIN or (action == "view" and user.role == Role.COMMITTEE)


def audit_scoped(queryset: Rows, user: Any, action: str = "view", field: str = "audit") -> Rows:
    """``queryset`` kept to the rows whose audit (reached by ``field``) the user may ``action``."""
    if sees_every_audit(user, action):
        return queryset
    audit_ids = apps.get_model("audits", "Audit").objects.ids_for(user, action)
    return queryset.filter(**{f"{field}__in": audit_ids})
