"""Panels applications adds to lower apps' pages (``core.panels``): a client's overdue invoices on
the client page, a programme's invoices (with an overdue badge) on the programme page."""

from __future__ import annotations

from typing import Any

from core.dates import local_today

from . import selectors


def client_invoices_panel(*, request: Any, obj: Any) -> tuple[str, dict[str, Any]] | None:
    today = local_today()
    overdue = list(selectors.client_invoices(user=request.user, client=obj).overdue(today))
    if not overdue:
        return None
    return "applications/panels/client_overdue.html", {"overdue": overdue, "today": today}


def programme_invoices_panel(*, request: Any, obj: Any) -> tuple[str, dict[str, Any]] | None:
    today = local_today()
    invoices = list(selectors.programme_invoices(user=request.user, programme=obj))
    if not invoices:
        return None
    overdue = [i for i in invoices if i.is_overdue(today)]
    return "applications/panels/programme_invoices.html", {"invoices": invoices, "overdue": overdue, "today": today}
