"""Every list page's queries use indexes on a data set large enough for the planner (issue 23):
``EXPLAIN (FORMAT JSON)`` of each query a list page makes, on PostgreSQL after ``make_data``'s
generator and ``ANALYZE``, shows no sequential scan of a large table.

Counting every row (the pager's ``COUNT(*)`` of an unfiltered list) reads the whole table by
nature and is left out; so are the session and user look-ups (primary keys)."""

import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from auditbody.management.commands.make_data import Size, generate
from audits.models import TeamAssignment
from clients.models import Client
from core.access import Role

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the plans are PostgreSQL's. Run it with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db,
]

# Enough rows that a sequential scan is a choice, not the only sensible plan: 10,000 NCs, 1,000
# audits, 400 clients, 2,000 departments.
SIZE = Size(clients=400, audits_per_client=2.5, ncs_per_audit=10, certificates=300, auditors=30)
LARGE = 1000  # rows: a table at least this large must not be read whole

PAGES = [
    ("findings:nc_register", {}),
    ("findings:nc_register", {"status": "open"}),
    ("findings:nc_register", {"grade": "major"}),
    ("audits:list", {}),
    ("audits:programme_list", {}),
    ("certification:certificate_list", {}),
    ("clients:list", {}),
    ("activity:log", {}),
    ("complaints:complaint_register", {}),
    ("reports:list", {}),
]


@pytest.fixture
def data():
    generate(SIZE, random.Random(7), None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return User.objects.create_user("plans-admin", password="x", role=Role.CB_ADMIN)


def _seq_scans(plan, large):
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in large:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found.extend(_seq_scans(child, large))
    return found


def _large_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s "
            "AND relnamespace = 'public'::regnamespace",
            [LARGE],
        )
        return {row[0] for row in cursor.fetchall()}


def _problems(client, user, name, params, large):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    problems = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or sql.startswith("SELECT COUNT(*)") or "django_session" in sql:
                continue
            # Django logs the SQL with its parameters inlined; EXPLAIN that text as it is.
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            scans = _seq_scans(plan, large)
            if scans:
                problems.append(f"{name} {params} {user.role}: {', '.join(sorted(set(scans)))}: {sql[:400]}")
    return problems


def test_list_pages_read_no_large_table_whole(client, data):
    """One data set (generating it is the slow part), every page, for a CB administrator, a team
    leader (whose lists are restricted to his audits) and with filters."""
    leader = TeamAssignment.objects.filter(role="leader").select_related("profile__user").first().profile.user
    some_client = Client.objects.order_by("pk")[17]
    cases = [(data, name, params) for name, params in PAGES]
    cases += [(leader, name, {}) for name in ("findings:nc_register", "audits:list", "certification:certificate_list")]
    cases += [(data, "findings:nc_register", {"client": some_client.pk})]
    large = _large_tables()
    assert {"audits_nonconformity", "audits_audit", "clients_department"} <= large  # large enough to mean something
    problems = []
    for user, name, params in cases:
        problems += _problems(client, user, name, params, large)
    assert not problems, "sequential scans of large tables:\n" + "\n".join(problems)
