"""An auditor's or team leader's start page: my next audits (dates, client, my role), the report
parts assigned to me and not written, the NC answers waiting for my verification, the closures
waiting for my approval, each with the days left."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from audits.selectors import audits_of_auditor
from findings import selectors as findings_selectors
from reports.selectors import actions_for

from .common import LIMIT, Bounded, days_to_audit, days_until, first, today


def next_audits(user: Any) -> Bounded:
    on = today()
    found = first(audits_of_auditor(user=user), url=reverse("audits:list"))
    for audit in found.rows:
        audit.days_left = days_to_audit(audit, on)
    return found


def report_parts(user: Any) -> Bounded:
    """Reports where topics assigned to me are empty or returned, and submitted reports I lead
    (``reports.selectors.actions_for``, three queries over my own assignments); each with the
    days since the audit ended."""
    on = today()
    rows: list[dict[str, Any]] = [
        {"kind": kind, "report": report, "count": count, "since_end": -(days_until(report.audit.end_date, on) or 0)}
        for kind, report, count in actions_for(user=user)
    ]
    rows.sort(key=lambda row: (row["kind"] != "approve", row["report"].audit.end_date, row["report"].pk))
    return Bounded(rows=rows[:LIMIT], total=len(rows), url=reverse("reports:list"))


def _nc_queue(rows: list[Any]) -> Bounded:
    on = today()
    for nc in rows:
        nc.days_left = days_until(nc.due_date, on)
    return Bounded(rows=rows, total=findings_selectors.total_of(rows), url=reverse("findings:nc_register"))


def page(user: Any) -> dict[str, Any]:
    return {
        "audits": next_audits(user),
        "report_parts": report_parts(user),
        "to_verify": _nc_queue(findings_selectors.to_verify(user=user, limit=LIMIT)),
        "to_approve": _nc_queue(findings_selectors.to_approve(user=user, limit=LIMIT)),
    }
