"""Benchmark of the pages of one record on a CB-sized data set: a report (editor, preview), an NC
with three response rounds, its audit (with its history) and the activity log.

    createdb -h 127.0.0.1 -U postgres bench_mid
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid bench/make_data --size mid
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid .venv/bin/python bench/record_pages.py [--runs 7]

Needs a data set made by a ``make_data`` that writes reports and NC rounds (see the README). Adds a
CB administrator once, picks the first closed NC with three rounds and its audit's team leader,
then requests each page in-process (Django's test client, DEBUG off) ``--runs`` times after one
warm-up and prints the median wall time, the queries and the HTML size, with the load average.
"""

import argparse
import os
import statistics
import sys
import time

import in_process  # noqa: F401  (Django set up as the benchmarks run it)
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from accounts.models import User
from core.access import Role
from findings.models import Nonconformity
from reports.models import Report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    setup_test_environment()
    call_command("collectstatic", "--noinput", "-v", "0")
    nc = Nonconformity.objects.annotate(n=Count("responses")).filter(n=3, status="closed").order_by("pk").first()
    report = nc and Report.objects.filter(audit=nc.audit).first()
    if report is None:
        sys.exit("No NC with three rounds and a report: run bench/make_data on a new database first.")
    leader = nc.audit.team.get(role="leader").profile.user
    admin = User.objects.filter(username="bench-records-admin").first() or User.objects.create_user(
        "bench-records-admin", password="bench-only", role=Role.CB_ADMIN
    )
    pages = [
        (leader, "reports:editor", [report.pk]),
        (leader, "reports:preview", [report.pk]),
        (leader, "findings:nc_detail", [nc.pk]),
        (leader, "audits:detail", [nc.audit_id]),
        (admin, "findings:nc_detail", [nc.pk]),
        (admin, "activity:log", []),
        (admin, "reports:list", []),
    ]
    print("load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"{'page':22} {'as':12} median  queries  size")
    for user, name, args in pages:
        client = HttpClient()
        client.force_login(user)
        url = reverse(name, args=args)
        client.get(url)  # warm-up
        walls = []
        for _ in range(runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            walls.append(time.perf_counter() - started)
        assert response.status_code == 200, (name, response.status_code)
        median = statistics.median(walls) * 1000
        print(f"{name:22} {user.role:12} {median:4.0f} ms {len(queries):5}  {len(response.content) // 1024} KiB")
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
