"""Every state change is a POST: opening any page (a GET, as any role that may open it) leaves the
database as it was — no row added or removed in any table, no lifecycle event, no history row.

The pages and the objects they are opened on come from the access table (access_table.PAGES), so
a new page is covered the day its row is added. Roles a page refuses are left out: the access
middleware refuses them before the view runs (test_access.py)."""

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from core.access import Role
from core.testing import PUBLIC

from .access_table import PAGES

# Database-agnostic (the permission layer and the templates): run by `make test` (SQLite) only.
pytestmark = pytest.mark.request_matrix

# Rows a GET may write without changing any record: the login session, and the activity log's
# line saying who downloaded an issued document (a log of the request, not a record's state).
NOT_RECORDS = {"django_session", "activity_activityrecord"}


def _tables():
    """The tables of every model that has one in this database (test-only models may not)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted((tables & set(connection.introspection.table_names())) - NOT_RECORDS)


def _row_counts(tables):
    """Every table's row count, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _cases():
    for page in PAGES:
        if page.method != "get":
            continue
        roles = ["anonymous"] if page.allowed == PUBLIC else sorted(page.allowed)
        for role in roles:
            yield page, role


CASES = list(_cases())


@pytest.mark.django_db
@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.url_name}-{r}" for p, r in CASES])
def test_a_get_changes_nothing(client, user_of_role, page, role):
    user = None if role == "anonymous" else user_of_role(role)
    if user is not None:
        client.force_login(user)
    url = reverse(page.url_name, kwargs=page.kwargs(user) if page.kwargs else None)
    tables = _tables()
    before = _row_counts(tables)
    response = client.get(url)
    assert response.status_code < 500
    after = _row_counts(tables)
    changed = {t: (before[t], after[t]) for t in tables if before[t] != after[t]}
    assert changed == {}, f"GET {url} as {role} wrote: {changed}"


def test_the_guard_covers_every_role_and_many_pages():
    assert {role for _, role in CASES} >= {*Role.values, "anonymous"}
    assert len({p.url_name for p, _ in CASES}) > 50
