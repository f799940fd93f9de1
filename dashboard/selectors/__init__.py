"""Each role's start page, read at a fixed number of queries whatever the size of the CB: every
list is its first few rows (``LIMIT``) with its count, every figure an aggregate of the database.
``start_page(user)`` gives the template's context: ``sections`` names the role sections shown."""

from __future__ import annotations

from typing import Any

from core.access import AUDITING_STAFF, CB_ADMIN, CLIENT_USER, COMMITTEE, DECISION_APPROVER
from core.navigation import Action, next_actions_for

from . import admin, auditor, client, committee
from .common import LIMIT

__all__ = ["LIMIT", "other_actions", "start_page"]

# Next actions the role's sections already show (by ``Action.meta["kind"]``): not listed twice.
SHOWN_IN_SECTIONS = {
    "client": {"nc_answer", "nc_queue"},
    "auditor": {"audit", "nc_verify", "nc_close", "nc_queue", "report_approve", "report_revise", "report_write"},
    "committee": {"review", "evaluate", "approve", "flags", "nc_suspension", "nc_queue"},
    "admin": {"flags", "review_to_open", "programme", "programmes"},
}


def start_page(user: Any) -> dict[str, Any]:
    """The sections of the user's start page, by role (an approver who is also a committee member
    or an administrator sees the committee's section too)."""
    page: dict[str, Any] = {"sections": []}
    if CLIENT_USER.allows(user):
        page["sections"].append("client")
        page["client"] = client.page(user)
    if AUDITING_STAFF.allows(user):
        page["sections"].append("auditor")
        page["auditor"] = auditor.page(user)
    if COMMITTEE.allows(user) or DECISION_APPROVER.allows(user):
        page["sections"].append("committee")
        page["committee"] = committee.page(user)
    if CB_ADMIN.allows(user):
        page["sections"].append("admin")
        page["admin"] = admin.page(user)
    return page


def other_actions(user: Any, sections: list[str], actions: list[Action] | None = None) -> list[Action]:
    """The next actions every app contributes (``core.navigation``; ``actions`` when read
    already) that the user's role sections do not show (nor compute)."""
    shown = frozenset().union(*(SHOWN_IN_SECTIONS[s] for s in sections))
    if actions is None:
        return next_actions_for(user, shown=shown)
    return [a for a in actions if a.meta.get("kind") not in shown]
