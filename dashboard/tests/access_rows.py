"""Who may open the dashboard's pages (see auditbody/tests/access_table.py)."""

from core.testing import ALL_ROLES, Page

PAGES = [
    # Each role's start page, the site's root (named accounts:home, where it always was).
    Page("accounts:home", ALL_ROLES),
]
