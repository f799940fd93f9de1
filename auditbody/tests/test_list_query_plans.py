"""Every list page's queries use indexes on a data set large enough for the planner:
``EXPLAIN (FORMAT JSON)`` of each query a list page makes, on PostgreSQL after ``make_data``'s
generator and ``ANALYZE``, shows no sequential scan of a large table.

Counting every row (the pager's ``COUNT(*)`` of an unfiltered list) reads the whole table by
nature and is left out; so are the session and user look-ups (primary keys)."""

import json
import random
import re

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

# Enough rows that a sequential scan is a choice, not the only sensible plan: 25,000 NCs, 2,500
# audits, 1,000 clients, 5,000 departments (below about 2,000 rows the planner rightly reads a
# table whole for a page's 50 ids; at mid size, checked by hand, the plans are the same).
SIZE = Size(clients=1000, audits_per_client=2.5, ncs_per_audit=10, certificates=800, auditors=50)
LARGE = 2000  # rows: a table at least this large must not be read whole

# A prefetch for the page's rows (``… "audit_id" IN (1, 2, …)``), or the records a page names
# loaded by primary key (``… "id" IN (1, 2, …)``: the activity log's ``in_bulk`` of the NCs its
# events name, with their audits), looks up at most a page of ids; at the test's size the planner
# may rightly read a 2,500-row table whole for them (at mid size it probes the indexes instead),
# so these are not judged here.
PAGE_IDS = re.compile(r'(_id|\."id)" IN \(\d')

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


def _outline(plan, depth=0):
    line = "  " * depth + f"{plan['Node Type']} {plan.get('Relation Name', '')} {plan.get('Index Name', '')}".rstrip()
    return [line] + [text for child in plan.get("Plans", []) for text in _outline(child, depth + 1)]


def _seq_scans(plan, large):
    """Sequential scans of large tables in the plan, except under a hashed subplan: there the
    planner reads the table once for the whole query because that is cheaper than an index
    probe per row (e.g. the certificates' state of a page of 50 programmes at mid size)."""
    if str(plan.get("Subplan Name", "")).startswith("hashed"):
        return []
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
            if PAGE_IDS.search(sql):
                continue  # a prefetch for the page's rows: at most a page of ids, see PAGE_IDS
            # Django logs the SQL with its parameters inlined; EXPLAIN that text as it is.
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            scans = _seq_scans(plan, large)
            if scans:
                problems.append(
                    f"{name} {params} {user.role}: {', '.join(sorted(set(scans)))}: {sql[:160]}\n"
                    + "\n".join(_outline(plan))
                )
    return problems


def test_list_pages_read_no_large_table_whole(client, data):
    """One data set (generating it is the slow part), every page, for a CB administrator, a team
    leader (whose lists are restricted to his audits) and with filters."""
    leader = TeamAssignment.objects.filter(role="leader").select_related("profile__user").first().profile.user
    some_client = Client.objects.order_by("pk")[17]
    cases = [(data, name, params) for name, params in PAGES]
    cases += [(leader, name, {}) for name in ("audits:list", "certification:certificate_list")]
    cases += [(data, "findings:nc_register", {"client": some_client.pk})]
    large = _large_tables()
    assert {"audits_nonconformity", "audits_audit", "clients_department"} <= large  # large enough to mean something
    problems = []
    for user, name, params in cases:
        problems += _problems(client, user, name, params, large)
    assert not problems, "sequential scans of large tables:\n" + "\n".join(problems)


def test_a_team_leaders_nc_register_reads_no_large_table_whole(client, data):
    leader = TeamAssignment.objects.filter(role="leader").select_related("profile__user").first().profile.user
    problems = _problems(client, leader, "findings:nc_register", {}, _large_tables())
    assert not problems, "\n".join(problems)
