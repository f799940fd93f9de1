"""What the audits services share: who may plan, whether a plan may still change, and how
dates and day figures are printed in messages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core import dates
from core.access import Role

from ..models import Audit, AuditStatus

if TYPE_CHECKING:
    from accounts.models import User

# Statuses in which the plan (audit data, team, itinerary) may still change.
PLAN_EDITABLE_STATUSES = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


def is_cb_admin(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN)


def require_cb_admin(by: User | None) -> None:
    if not is_cb_admin(by):
        raise PermissionDenied(_("Only a CB administrator may plan audits."))


def require_plan_editable(audit: Audit) -> None:
    if audit.status not in PLAN_EDITABLE_STATUSES:
        raise ValidationError(
            _("This audit is %(status)s: its plan can no longer be changed.") % {"status": audit.get_status_display()}
        )


def day_text(value: datetime.date | datetime.datetime) -> str:
    return dates.day_text(value)


def days_text(value: Any) -> str:
    """A day figure as the messages print it: 2, 2.5 (never 2.0)."""
    text = format(Decimal(value).quantize(Decimal("0.1")), "f")
    return text[:-2] if text.endswith(".0") else text
