"""Load test at a CB's size: gunicorn (2 workers, DEBUG off) under locust, per page p50/p95/p99.

    pip install -r requirements-bench.txt     # locust, not part of make install
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid bench/load [--users 20 --spawn-rate 5 --run-time 60s]

On a ``make_data`` database (see README, "Performance at a CB's size"):
1. adds the bench users of each role once (bench/bench_users.py) and, if the first generated team
   leader has no report yet, starts one on his first planned audit (the report editor needs a
   report and make_data makes none; starting one leaves a planned audit's status as it is);
2. makes one session per role in-process, as the login view would store it (no password hashing
   under load, nothing for the login lockouts to count); deleted at the end;
3. collects static files and starts gunicorn on a free port of 127.0.0.1 with the production
   set-up (DEBUG=0, a shared Redis cache, WhiteNoise's manifest) and the floor page
   (bench/floor_settings.py changes only ROOT_URLCONF); opens every page once per worker as a
   warm-up and stops if one answers anything but 200;
4. runs locust headless on bench/locustfile.py, prints per page the requests, failures, p50, p95,
   p99, requests/s and the p50's ratio to the floor's, the failures and the load average; stops
   gunicorn on the way out, also after Ctrl-C or an error.

The public register's lookups are rate-limited per address (VERIFY_RATE, 20/m); every locust user
comes from 127.0.0.1, so the limit is raised for the benchmark (still counted in Redis).
"""

import argparse
import csv
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to a make_data database, e.g. postgres://postgres@127.0.0.1:5432/bench_mid")
# The production-like set-up of the other benchmarks, served over plain HTTP without a proxy.
ENV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "BEHIND_TLS_PROXY": "0",  # gunicorn faces the clients itself: no X-Forwarded-Proto to trust
    "STATIC_ROOT": "/tmp/bench_load_static",
    "CACHE_URL": "redis://127.0.0.1:6379/5",  # DEBUG=0 refuses a per-process cache (core.E001)
    "VERIFY_RATE": "100000/m",  # all locust users share one address (see above)
}
for key, value in ENV_DEFAULTS.items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from bench_users import users  # noqa: E402  (bench/, the script's folder)
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from audits.models import Audit, AuditStatus, TeamRole  # noqa: E402
from certification.models import Certificate  # noqa: E402
from reports import services as report_services  # noqa: E402
from reports.models import Report  # noqa: E402

FLOOR = "admin · floor (bench/floor.py)"


def leader_report(leader):
    """The report the team leader edits under load: his first, else one started on his first
    planned audit by the app's own service (what the "Start the report" button calls)."""
    mine = Report.objects.filter(audit__team__profile__user=leader, audit__team__role=TeamRole.LEADER)
    report = mine.order_by("pk").first()
    if report is None:
        audit = (
            Audit.objects.filter(team__profile__user=leader, team__role=TeamRole.LEADER, status=AuditStatus.PLANNED)
            .order_by("pk")
            .first()
        )
        if audit is None:
            sys.exit(f"{leader} leads no planned audit to start a report on.")
        report = report_services.report_start(audit=audit, by=leader)
    return report


def session_for(user):
    """A logged-in session as django.contrib.auth.login stores it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "core.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def plan(think_seconds):
    """Who opens what: (name shown in the figures, path) per role."""
    by_role = {name: user for name, user, _path in users()}
    leader = by_role["team leader"]
    report = leader_report(leader)
    certificate = Certificate.objects.released().order_by("pk").first()
    if certificate is None:
        sys.exit("No released certificate on this database.")
    lookup = {"number": certificate.number, "holder": certificate.holder_name_zh}
    nc_register = reverse("findings:nc_register")
    admin_pages = [
        ("start page", "/"),
        ("audit list", reverse("audits:list")),
        ("programme list", reverse("audits:programme_list")),
        ("NC register", nc_register),
        ("NC register ?status=open", nc_register + "?status=open"),
        ("NC register ?overdue=true", nc_register + "?overdue=true"),
        ("certificate list", reverse("certification:certificate_list")),
        ("client list", reverse("clients:list")),
        ("report list", reverse("reports:list")),
    ]
    roles = {
        "admin": admin_pages,
        "committee": [("start page", "/"), ("certificate list", reverse("certification:certificate_list"))],
        "team leader": [
            ("start page", "/"),
            ("audit list", reverse("audits:list")),
            ("NC register", nc_register),
            ("report list", reverse("reports:list")),
        ],
        "auditor": [("start page", "/"), ("audit list", reverse("audits:list")), ("NC register", nc_register)],
        "client": [
            ("start page", "/"),
            ("portal", reverse("clients:portal_home")),
            ("portal audits", reverse("clients:portal_audits")),
            ("portal NCs", reverse("clients:portal_ncs")),
            ("portal reports", reverse("clients:portal_reports")),
            ("portal concerns", reverse("clients:portal_concerns")),
            ("portal certificates", reverse("certification:portal_certificates")),
        ],
        "public": [
            ("/verify/", reverse("verify:lookup")),
            ("/verify/ lookup", reverse("verify:lookup") + "?" + urlencode(lookup)),
            ("/verify/<token>/", reverse("verify:token", kwargs={"token": certificate.public_token})),
            ("/verify/suspended/", reverse("verify:suspended")),
        ],
    }
    result = {
        "think_seconds": think_seconds,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "editor": reverse("reports:editor", kwargs={"pk": report.pk}),
        "topic_save": reverse("reports:topic_save", kwargs={"pk": 0}).replace("/0/", "/{pk}/"),
        "roles": {},
    }
    for role, pages in roles.items():
        user = by_role.get(role)
        named = [(f"{role} · {name}", path) for name, path in pages]
        if role == "admin":
            named.append((FLOOR, "/_floor/audits/"))
        result["roles"][role] = {"session": session_for(user) if user else "", "pages": named}
    return result


def collect_static():
    """The manifest DEBUG=0 reads. Collecting post-processes (compresses) every file each time, a
    minute of CPU on this machine just before measuring, so only when a static file changed."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        (
            Path(storage.path(path)).stat().st_mtime
            for finder in finders.get_finders()
            for path, storage in finder.list([])
        ),
        default=0,
    )
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    print(f"collecting static files into {settings.STATIC_ROOT} (about a minute)")
    call_command("collectstatic", "--noinput", verbosity=0)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, session=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"} if session else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def start_gunicorn(port, workers, log):
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "auditbody.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--chdir={ROOT}",
            f"--error-logfile={log}",
            "--log-level=warning",
        ],
        # Its own process group: Ctrl-C reaches this script, which stops gunicorn in order.
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit {process.returncode}); see {log}")
        try:
            if get(port, "/verify/") == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    stop(process)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop(process):
    if process.poll() is None:
        process.terminate()  # SIGTERM: gunicorn finishes the requests under way, then exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def warm_up(port, the_plan, workers):
    """Each page once per worker (template, URL and connection set-up are not the figures), and a
    check that every page answers 200 before locust starts."""
    refused = []
    for role, spec in the_plan["roles"].items():
        pages = spec["pages"] + ([("team leader · report editor", the_plan["editor"])] if role == "team leader" else [])
        for name, path in pages:
            statuses = {get(port, path, spec["session"]) for _ in range(workers)}
            if statuses != {200}:
                refused.append(f"{name} {path}: HTTP {sorted(statuses)}")
    if refused:
        sys.exit("Pages not answering 200 before the load:\n  " + "\n  ".join(refused))


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_locust(args, port, plan_file, folder):
    locust = VENV_BIN / "locust"
    command = [
        str(locust),
        f"--locustfile={ROOT / 'bench' / 'locustfile.py'}",
        "--headless",
        f"--host=http://127.0.0.1:{port}",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.run_time}",
        f"--csv={folder / 'load'}",
        "--only-summary",
    ]
    log = folder / "locust.log"
    loads = []
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)}, stdout=out, stderr=out
        )
        try:
            while process.poll() is None:
                loads.append(os.getloadavg()[0])
                time.sleep(5)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait()
    return loads, log


def report(folder, the_plan):
    with (folder / "load_stats.csv").open() as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    floor = float(rows[FLOOR]["50%"]) if FLOOR in rows else None
    names = [name for spec in the_plan["roles"].values() for name, _path in spec["pages"]]
    names += ["team leader · report editor", "team leader · autosave (POST)"]
    print(
        f"{'page':<44} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>6} {'×floor':>7}"
    )
    for name in [*names, "Aggregated"]:
        row = rows.get(name)
        if row is None:
            print(f"{name:<44} {'(not requested)':>8}")
            continue
        ratio = f"{float(row['50%']) / floor:7.1f}" if floor else ""
        print(
            f"{name:<44} {row['Request Count']:>8} {row['Failure Count']:>5} {row['50%']:>7} {row['95%']:>7} "
            f"{row['99%']:>7} {float(row['Requests/s']):6.2f} {ratio}"
        )
    with (folder / "load_failures.csv").open() as file:
        failures = list(csv.DictReader(file))
    print(f"failures: {sum(int(f['Occurrences']) for f in failures)}")
    for failure in failures:
        print(f"  {failure['Occurrences']:>5} × {failure['Method']} {failure['Name']}: {failure['Error']}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"), help="seconds between pages"
    )
    args = parser.parse_args()
    if not (VENV_BIN / "locust").exists():
        sys.exit("locust is missing: .venv/bin/pip install -r requirements-bench.txt (or make bench-load)")
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so gunicorn is stopped below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    the_plan = plan(list(args.think))
    sessions = [spec["session"] for spec in the_plan["roles"].values() if spec["session"]]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; editor {the_plan['editor']}")
    folder = Path(tempfile.mkdtemp(prefix="bench_load_"))
    gunicorn = None
    try:
        collect_static()
        connection.close()  # idle while locust runs
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(the_plan, ensure_ascii=False))
        port = free_port()
        gunicorn = start_gunicorn(port, args.workers, folder / "gunicorn.log")
        warm_up(port, the_plan, args.workers)
        print(f"load average before: {load_average()}")
        print(
            f"locust: {args.users} users, spawn rate {args.spawn_rate}/s, {args.run_time}, think {args.think} s; gunicorn --workers {args.workers}"
        )
        loads, log = run_locust(args, port, plan_file, folder)
        print(
            f"load average after: {load_average()}; 1-minute load average while running: {min(loads):.2f}–{max(loads):.2f}"
        )
        if not (folder / "load_stats.csv").exists():
            sys.exit(f"locust wrote no figures; see {log}")
        # locust shares the machine: when it ran short of CPU, its times include its own wait.
        for line in log.read_text().splitlines():
            if "CPU usage" in line:
                print(f"locust: {line.strip()[:140]}")
        failures = report(folder, the_plan)
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        Session.objects.filter(session_key__in=sessions).delete()
    if failures:
        sys.exit(f"Failures: see {folder} (gunicorn.log, locust.log, load_*.csv)")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
