import contextlib

from django import template

from people.models import QualificationLevel

from ..calculation import calculation_warnings as _calculation_warnings
from ..models import AuditStatus, RoundingChoice
from ..models.audit import Complexity
from ..selectors import STATUS_CSS

register = template.Library()

AUDIT_STATUS_CSS = {
    AuditStatus.PLANNED: "info",
    AuditStatus.IN_PROGRESS: "primary",
    AuditStatus.CANCELLED: "secondary",
    AuditStatus.CLOSED: "dark",
}


@register.filter
def complexity_label(value):
    try:
        return Complexity(value).label
    except ValueError:
        return value or ""


@register.filter
def rounding_label(value):
    try:
        return RoundingChoice(value).label
    except ValueError:
        return value or ""


@register.filter
def schedule_css(status):
    return STATUS_CSS.get(status, "secondary")


@register.filter
def audit_status_css(status):
    return AUDIT_STATUS_CSS.get(status, "success")


@register.filter
def qualification_list(snapshot):
    """'QMS:lead_auditor; EMS:auditor' -> 'QMS 审核组长, EMS 审核员' (labels of accounts)."""
    out = []
    for part in (snapshot or "").split(";"):
        if ":" not in part:
            continue
        family, level = part.strip().split(":", 1)
        with contextlib.suppress(ValueError):
            level = QualificationLevel(level).label
        out.append(f"{family} {level}")
    return ", ".join(out)


@register.filter
def calculation_warnings(calc):
    """The warnings of a stored audit-time calculation, in the reader's language."""
    return _calculation_warnings(calc)
