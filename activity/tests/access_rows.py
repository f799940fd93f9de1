"""Who may open the activity log (see auditbody/tests/access_table.py): CB administrators only."""

from core.access import Role
from core.testing import Page

ADMIN = frozenset({Role.CB_ADMIN})

PAGES = [
    Page("activity:log", ADMIN),
    Page("activity:export", ADMIN, kwargs=lambda user: {"fmt": "csv"}),
]
