"""Benchmark of each role's start page (``/``) and the figures page on a CB-sized data set.

    createdb -h 127.0.0.1 -U postgres bench_mid
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid bench/make_data --size mid
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid .venv/bin/python bench/start_pages.py [--runs 20]

Adds (once) a CB administrator, a committee member, an approver and a client user of the client
with the most audits, then requests each page in-process (Django's test client, DEBUG off, the
database's real rows) ``--runs`` times after one warm-up, and prints per page the median and the
95th percentile of the wall time, the median CPU time, the queries and the HTML size, with the
load average (on a shared machine the wall time is several times the CPU time). Target (start
pages): under 100 ms at mid size, a fixed number of queries.
"""

import argparse
import os
import statistics
import time

import in_process  # noqa: F401  (Django set up as the benchmarks run it)
from bench_users import users
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, setup_test_environment


def measure(user, path, runs):
    browser = HttpClient()
    browser.force_login(user)
    assert browser.get(path).status_code == 200  # warm-up (template and URL caches)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = browser.get(path)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(path)
    return wall, cpu, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()  # the test client's response attributes; nothing else changes
    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest DEBUG=0 reads
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<16} {'median ms':>9} {'p95 ms':>7} {'cpu ms':>7} {'queries':>7} {'KiB':>6}")
    for name, user, path in users():
        wall, cpu, queries, size = measure(user, path, args.runs)
        p95 = sorted(wall)[max(0, round(0.95 * len(wall)) - 1)]
        print(
            f"{name:<16} {statistics.median(wall) * 1000:9.1f} {p95 * 1000:7.1f} "
            f"{statistics.median(cpu) * 1000:7.1f} {queries:7d} {size / 1024:6.1f}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
