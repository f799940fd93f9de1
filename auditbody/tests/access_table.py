"""Who may open which page: one row per URL name, read by the permission tests.

Project-wide pages are listed here; each app lists its own in ``<app>/tests/access_rows.py``
(``PROJECT_PAGES = [Page(...), ...]``) and they are all collected into ``PAGES`` below. Adding a page
means adding a row; test_access.py fails for any URL pattern without one.
`allowed` is the set of roles that get the page; everybody else is refused (403, or a
redirect to the login page when not logged in). `kwargs` builds the URL arguments (it may
create objects; it receives the requesting user so object pages can be made the user's own).
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.access import Role

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


PROJECT_PAGES = [
    Page("accounts:home", ALL_ROLES),
    Page("login", PUBLIC),
    Page("logout", PUBLIC, method="post", ok_status=302),
    Page("password_change", ALL_ROLES),
    Page("password_change_done", ALL_ROLES),
    Page("set_language", PUBLIC, method="post", ok_status=302),
]


def _app_pages():
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tests.access_rows")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(config.name):
                raise
            continue
        yield from module.PAGES


PAGES = PROJECT_PAGES + list(_app_pages())
