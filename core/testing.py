"""Shapes the tests of every app share. Only tests import this module.

``Page`` is one row of the access table: who may open which page. Each app lists its pages in
``<app>/tests/access_rows.py`` (``PAGES = [Page(...), ...]``); ``auditbody/tests/access_table.py``
collects them, and the permission tests walk every URL pattern against them. ``allowed`` is the set
of roles that get the page (or ``PUBLIC``); everybody else is refused (403, or a redirect to the
login page when not logged in). ``kwargs`` builds the URL arguments (it may create objects; it
receives the requesting user so object pages can be made the user's own).
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.access import STAFF_ROLES, Role

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset(STAFF_ROLES)
PUBLIC = "public"


@dataclass(frozen=True)
class Page:
    url_name: str
    allowed: frozenset | str
    kwargs: Callable | None = None
    method: str = "get"
    ok_status: int = 200
