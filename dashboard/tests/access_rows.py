"""Who may open the dashboard's pages (see auditbody/tests/access_table.py)."""

from core.access import Role
from core.testing import ALL_ROLES, Page

# --- figures and the weekly digest (dashboard.chart_urls) -----------------------------------------
FIGURE_READERS = frozenset({Role.CB_ADMIN, Role.COMMITTEE})

PAGES = [
    # Each role's start page, the site's root (named accounts:home, where it always was).
    Page("accounts:home", ALL_ROLES),
    Page("figures:figures", FIGURE_READERS),
    Page("figures:figure_csv", FIGURE_READERS, kwargs=lambda user: {"name": "certificates-by-status"}),
    Page("figures:digest_preference", ALL_ROLES),
]
