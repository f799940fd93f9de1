"""A committee member's or approver's start page: the technical reviews and decisions waiting for
them with their age, the matters the daily check raised, the NCs that are grounds for suspension.
What the independence rule bars the user from (``certification.services.independence``, ISO/IEC
17021-1 9.5.1.2: no one who took part in the audit reviews or decides it) is not listed: the
certification selectors leave those audits out."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from certification import dashboard as certification_dashboard
from certification import selectors as certification_selectors
from certification.models import DecisionStatus
from core.access import COMMITTEE, DECISION_APPROVER
from findings import selectors as findings_selectors

from .common import LIMIT, Bounded, age_in_days, days_until, first, today


def _capped(rows: list[Any], url: str) -> Bounded:
    """A certification to-do list (read at most ``certification.dashboard.LIST_LIMIT`` rows, one
    query whatever the table's size): its first rows and its length."""
    on = today()
    for row in rows[:LIMIT]:
        row.age = age_in_days(row.created_at, on)
    return Bounded(rows=rows[:LIMIT], total=len(rows), url=url)


def page(user: Any) -> dict[str, Any]:
    on = today()
    dashboard_url = reverse("certification:dashboard")
    data: dict[str, Any] = {"capped_at": certification_dashboard.LIST_LIMIT}
    if COMMITTEE.allows(user):
        data["reviews"] = _capped(certification_dashboard.open_reviews(user=user), dashboard_url)
        data["to_evaluate"] = _capped(
            certification_dashboard.decisions_to_act_on(user=user, status=DecisionStatus.AWAITING_EVALUATION),
            dashboard_url,
        )
    if DECISION_APPROVER.allows(user):
        data["to_approve"] = _capped(
            certification_dashboard.decisions_to_act_on(user=user, status=DecisionStatus.AWAITING_APPROVAL),
            dashboard_url,
        )
    flags = first(certification_selectors.open_flags(user=user), url=dashboard_url)
    for flag in flags.rows:
        flag.age = age_in_days(flag.basis_date, on)
    data["flags"] = flags
    ncs: list[Any] = findings_selectors.overdue_surveillance(user=user, limit=LIMIT)
    for nc in ncs:
        nc.days_left = days_until(nc.due_date, on)
    data["suspension_ncs"] = Bounded(
        rows=ncs, total=findings_selectors.total_of(ncs), url=reverse("findings:nc_register") + "?overdue=true"
    )
    return data
