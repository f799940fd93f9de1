"""Each role's start page, read at a fixed number of queries whatever the size of the CB: every
list is its first few rows (``LIMIT``) with its count, every figure an aggregate of the database.
``start_page(user)`` gives the template's context: ``sections`` names the role sections shown."""

from __future__ import annotations

from typing import Any

from core.access import AUDITING_STAFF, CB_ADMIN, CLIENT_USER, COMMITTEE, DECISION_APPROVER

from . import admin, auditor, client, committee
from .common import LIMIT

__all__ = ["LIMIT", "start_page"]


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
