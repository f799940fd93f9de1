"""Every action endpoint (a page that takes a POST) × every role, on the role's own objects and
on another organisation's: whoever is refused gets 403/404 (a redirect to the login page when not
logged in) and nothing is written; nobody gets a 500.

The endpoints and their objects come from the access table (access_table.PAGES): ``kwargs(user)``
builds objects that are the user's own (its organisation, an audit it is on); built for another
user of the same role, they are another organisation's. Roles that see every organisation (CB
administrator, committee) have no "other organisation": for them only the no-500 holds."""

import inspect

import pytest
from django.db import connection
from django.urls import resolve, reverse

from core.access import Role
from core.testing import PUBLIC

from .access_table import PAGES

# Database-agnostic (the permission layer and the templates): run by `make test` (SQLite) only.
pytestmark = pytest.mark.request_matrix

ANONYMOUS = "anonymous"
# Roles whose reach is their own organisation or their own audits (core/access.py, restrict()).
SCOPED_ROLES = (Role.CLIENT, Role.AUDITOR, Role.TEAM_LEADER)
# Writes a refused request may make: the session and the login bookkeeping, never a record.
BOOKKEEPING_TABLES = ("django_session", "axes_", "activity_activityrecord")


def _view_takes_post(view) -> bool:
    cls = getattr(view, "view_class", None)
    if cls is not None:
        return hasattr(cls, "post")
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return True
    return "POST" in source or "perform(" in source or "require_post" in source.lower()


def _post_pages():
    from .test_access import ALL_VIEWS

    views = dict(ALL_VIEWS)
    return [page for page in PAGES if page.method == "post" or _view_takes_post(views[page.url_name])]


POST_PAGES = _post_pages()


def test_the_action_endpoints_are_found():
    names = {page.url_name for page in POST_PAGES}
    assert {"reports:approve", "findings:nc_verify", "certification:decision_approve", "logout"} <= names


class Writes:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        words = sql.lstrip().split(None, 3)
        if words and words[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            lowered = sql.lower()
            if not any(f'"{table}' in lowered or f" {table}" in lowered for table in BOOKKEEPING_TABLES):
                self.statements.append(sql[:200])
        return execute(sql, params, many, context)


def _post(client, url):
    writes = Writes()
    with connection.execute_wrapper(writes):
        response = client.post(url, {"version": "1", "note": "x", "action": "approve"})
    return response, writes.statements


def _is_allowed(page, role):
    return page.allowed == PUBLIC or (role != ANONYMOUS and role in page.allowed)


CASES = [(page, role) for page in POST_PAGES for role in [ANONYMOUS, *Role.values]]


@pytest.mark.django_db
@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.url_name}-{r}" for p, r in CASES])
def test_a_refused_post_changes_nothing(client, user_of_role, page, role):
    user = None if role == ANONYMOUS else user_of_role(role)
    kwargs = page.kwargs(user) if page.kwargs else None
    if user is not None:
        client.force_login(user)
    response, writes = _post(client, reverse(page.url_name, kwargs=kwargs))
    assert response.status_code < 500
    if _is_allowed(page, role):
        return  # its own object: the action may run (the lifecycle matrix tests say which)
    if role == ANONYMOUS:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code in (403, 404)
    assert writes == []


OTHER_CASES = [
    (page, role)
    for page in POST_PAGES
    if page.kwargs and page.allowed != PUBLIC
    for role in SCOPED_ROLES
    if role in page.allowed
]


@pytest.mark.django_db
@pytest.mark.parametrize("page,role", OTHER_CASES, ids=[f"{p.url_name}-{r}" for p, r in OTHER_CASES])
def test_a_post_on_another_organisations_object_is_refused_and_changes_nothing(client, make_user, page, role):
    user = make_user(role=role)
    other = make_user(role=role)  # another organisation (client), or not on the audit's team
    kwargs = page.kwargs(other)
    client.force_login(user)
    url = reverse(page.url_name, kwargs=kwargs)
    resolve(url)
    response, writes = _post(client, url)
    assert response.status_code in (403, 404), response.content[:300]
    assert writes == []
