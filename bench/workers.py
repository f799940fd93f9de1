"""Do report renders scale out with Celery workers? N draft renders queued with 1, then 2 workers.

    .venv/bin/python bench/workers.py [--reports 8] [--workers 1,2] [--keep]

Builds N approved ~5-page reports from factory data (``DATABASE_URL``, default a throw-away
SQLite file /tmp/bench_workers.sqlite3; files under /tmp/bench_workers_media), then for each
worker count starts that many real ``celery -A auditbody worker --concurrency=1`` processes on the
real broker (``CELERY_BROKER_URL``, default ``redis://127.0.0.1:6379/2``, on a queue of its own,
``bench-workers``, so nothing else's tasks are taken), waits until they answer a ping, asks for one
draft PDF of each report (``reports.versions.services.render_request``: a ``RenderJob`` queued on
commit, as the page does) and waits until every job is ready. It prints, per worker count, the
wall time from the first request to the last PDF, reports per minute, and the ratio to one worker.
The workers are stopped after each round. A figure states the machine and its load: the load
average is printed with each round.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_workers.sqlite3")
os.environ.setdefault("MEDIA_ROOT", "/tmp/bench_workers_media")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("LOG_LEVEL", "ERROR")

QUEUE = "bench-workers"
READY_TIMEOUT = 120  # seconds for the workers to answer a ping
ROUND_TIMEOUT = 1800  # seconds for one round's renders
FINDING = (
    "查：公司依据GB/T19001-2016标准对《质量手册》、《程序文件》进行修订，文件发放记录内容完整，外来文件清单已更新。"
)


def build_reports(count):
    """``count`` approved reports of one small template; returns their ids."""
    from django.core.management import call_command

    db = os.environ["DATABASE_URL"]
    if db.startswith("sqlite:////tmp/"):
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    from reports import services
    from reports.template_loader import load_report_template
    from reports.tests.factories import ReportSetup, build_template, fill_report

    load_report_template()
    template = build_template(topics=6, key="bench-workers")
    ids = []
    for _ in range(count):
        setup = ReportSetup(template=template)
        fill_report(setup)
        report = setup.report
        for content in report.topics.select_related("topic"):
            text = "\n".join(f"{i + 1}. {FINDING}" for i in range(6))
            services.topic_save(content=content, text=text, version=content.version, by=setup.leader_user)
        report.refresh_from_db()
        services.report_submit(report=report, by=setup.leader_user)
        services.report_approve(report=report, by=setup.leader_user)
        ids.append(report.pk)
    return ids


def start_workers(count):
    env = {**os.environ}
    celery = str(Path(sys.executable).with_name("celery"))
    workers = []
    for index in range(count):
        log = open(f"/tmp/bench_workers_{index}.log", "w")  # noqa: SIM115 (closed with the process)
        command = [
            celery,
            "-A",
            "auditbody",
            "worker",
            "--concurrency=1",
            "-Q",
            QUEUE,
            "-n",
            f"bench{index}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ]
        workers.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
    return workers


def wait_ready(app, count):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len([reply for reply in replies if any(name.startswith("bench") for name in reply)]) >= count:
            return
    raise SystemExit(f"{count} worker(s) did not answer within {READY_TIMEOUT} s (see /tmp/bench_workers_*.log)")


def stop_workers(workers):
    for process, _log in workers:
        process.terminate()
    for process, log in workers:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def run_round(app, report_ids, count):
    from django.db import transaction

    from reports.models import ACTIVE_RENDER_STATUSES, RenderJob, RenderStatus, Report
    from reports.versions import services as version_services

    app.control.purge()
    workers = start_workers(count)
    try:
        wait_ready(app, count)
        started = time.monotonic()
        job_ids = []
        for report in Report.objects.filter(pk__in=report_ids):
            with transaction.atomic():  # the job is queued when this commits, as from the page
                job, _created = version_services.render_request(report=report, by=None, language="zh-hans")
            job_ids.append(job.pk)
        deadline = started + ROUND_TIMEOUT
        while RenderJob.objects.filter(pk__in=job_ids, status__in=ACTIVE_RENDER_STATUSES).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"the renders did not finish within {ROUND_TIMEOUT} s")
            time.sleep(0.2)
        wall = time.monotonic() - started
        failed = RenderJob.objects.filter(pk__in=job_ids).exclude(status=RenderStatus.READY).count()
    finally:
        stop_workers(workers)
    return wall, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=8)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    import django

    django.setup()
    from auditbody.celery import app

    app.conf.task_default_queue = QUEUE  # this process's requests go to the bench's own queue
    print(f"building {args.reports} reports in {os.environ['DATABASE_URL']} …", flush=True)
    report_ids = build_reports(args.reports)
    results = {}
    for count in [int(part) for part in args.workers.split(",")]:
        wall, failed = run_round(app, report_ids, count)
        per_minute = args.reports / wall * 60
        results[count] = per_minute
        print(
            f"{count} worker(s): {args.reports} reports in {wall:.1f} s = {per_minute:.1f} reports/minute"
            f"{f', {failed} failed' if failed else ''}; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if 1 in results:
        for count, per_minute in results.items():
            if count != 1:
                print(f"{count} workers / 1 worker: {per_minute / results[1]:.2f}×")


if __name__ == "__main__":
    main()
