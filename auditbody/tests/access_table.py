"""Who may open which page: one row per URL name, read by the permission tests.

Adding a page means adding a row here; test_access.py fails for any URL pattern without one.
`allowed` is the set of roles that get the page; everybody else is refused (403, or a
redirect to the login page when not logged in). `kwargs` builds the URL arguments (it may
create objects; it receives the requesting user so object pages can be made the user's own).
"""
from dataclasses import dataclass
from typing import Callable

from accounts.models import Role

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE})
PUBLIC = "public"


@dataclass(frozen=True)
class Page:
    url_name: str
    allowed: frozenset | str
    kwargs: Callable | None = None
    method: str = "get"
    ok_status: int = 200


PAGES = [
    Page("accounts:home", ALL_ROLES),
    Page("login", PUBLIC),
    Page("logout", PUBLIC, method="post", ok_status=302),
    Page("password_change", ALL_ROLES),
    Page("password_change_done", ALL_ROLES),
    Page("set_language", PUBLIC, method="post", ok_status=302),
]
