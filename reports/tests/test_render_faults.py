"""Faults and recovery of the report PDF jobs: the broker down, a worker killed.

* Broker down: asking for a PDF still saves the job; the panel says it waits for the queue; once
  the broker is back the beat job (``render_jobs_resume``) sends it again and it renders.
  Runs everywhere: on SQLite (tasks eager once "back") and, with a broker configured, through a
  real worker on the real broker.
* A worker that died mid-render leaves its job "rendering": a redelivered message, the beat job
  or asking again claims it once more (``attempts`` is the claim's fencing token, so the dead
  worker's attempt, should it finish after all, stores nothing); after the task's attempts it
  fails with its reason. Never two issues in force.
* The real thing: ``test_a_worker_killed_mid_render_...`` SIGKILLs a Celery worker process while
  it renders (PostgreSQL + Redis, CI's second step).
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.tests.broker import CLOSED_PORT_BROKER, broker
from reports.models import RenderJob, RenderStatus, ReportVersion, VersionKind
from reports.versions import services as version_services
from reports.versions import tasks

from .version_factories import approved_setup, fake_render_pdf

celery_app = tasks.render_report_version.app  # the project's Celery app (auditbody.celery, a layer above)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_PDF_RETRY_SECONDS = 0


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


def wait_for(job, statuses=(RenderStatus.READY, RenderStatus.FAILED), timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"render job still {job.status} after {timeout} s: {job.message}")


# --- the broker down ---------------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_request_saves_says_it_waits_and_renders_once_the_broker_is_back(
    client, settings, fast_pdf
):
    setup = approved_setup()
    client.force_login(setup.leader_user)
    with broker(CLOSED_PORT_BROKER):
        response = client.post(
            reverse("reports:issue", kwargs={"pk": setup.report.pk}), {"language": "zh-hans"}, **HTMX
        )
    assert response.status_code == 200
    job = RenderJob.objects.get()
    assert (job.status, job.kind, job.attempts) == (RenderStatus.QUEUED, VersionKind.ISSUED, 0)
    assert "Waiting for the job queue" in job.message
    panel = client.get(reverse("reports:versions_panel", kwargs={"pk": setup.report.pk}), **HTMX).content.decode()
    assert 'data-job-status="queued"' in panel and "Waiting for the job queue" in panel
    assert 'hx-trigger="every 2s"' in panel  # the panel keeps watching
    # Asking again while it waits starts nothing new: the one job waits.
    again = client.post(reverse("reports:issue", kwargs={"pk": setup.report.pk}), {"language": "zh-hans"}, **HTMX)
    assert again.status_code == 200 and RenderJob.objects.count() == 1

    # The broker is back: the beat job sends it again (a minute later, here at once).
    settings.REPORT_PDF_RESEND_SECONDS = 0
    if django_settings.CELERY_BROKER_URL:
        from celery.contrib.testing.worker import start_worker

        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            assert version_services.render_jobs_resume() == [job.pk]
            job = wait_for(job)
    else:
        assert version_services.render_jobs_resume() == [job.pk]  # eager: renders now
        job.refresh_from_db()
    assert job.status == RenderStatus.READY, job.message
    assert job.message == "" and job.attempts == 1
    assert ReportVersion.objects.in_force().filter(report=setup.report).count() == 1
    assert version_services.render_jobs_resume() == []  # nothing left to send


@pytest.mark.django_db
def test_a_job_waiting_for_the_queue_is_not_sent_again_before_its_time(settings, monkeypatch):
    setup = approved_setup()
    sent = []
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kw: sent.append(job_id))
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    settings.REPORT_PDF_RESEND_SECONDS = 120
    assert version_services.render_jobs_resume() == [] and sent == []
    later = timezone.now() + datetime.timedelta(minutes=3)
    assert version_services.render_jobs_resume(now=later) == [job.pk] and sent == [job.pk]
    # A job put back in the queue by a retry (attempts > 0) waits for its own countdown.
    RenderJob.objects.filter(pk=job.pk).update(attempts=1, started_at=timezone.now())
    sent.clear()
    assert version_services.render_jobs_resume(now=later) == [] and sent == []


# --- a worker that died mid-render -------------------------------------------------------------------


def _left_rendering(job, *, attempts=1, minutes_ago=20):
    """The job as a killed worker leaves it: claimed, never finished."""
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderStatus.RENDERING,
        attempts=attempts,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.mark.django_db
def test_the_beat_job_queues_again_a_job_whose_worker_died_and_it_renders(monkeypatch, fast_pdf):
    setup = approved_setup()
    sent = []
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kw: sent.append(job_id))
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED)
    _left_rendering(job, minutes_ago=1)
    assert version_services.render_jobs_resume() == []  # still within its time: maybe rendering
    _left_rendering(job, minutes_ago=20)
    assert version_services.render_jobs_resume() == [job.pk] and job.pk in sent
    job.refresh_from_db()
    assert job.status == RenderStatus.QUEUED and "stopped" in job.message
    job = version_services.render_job_run(job_id=job.pk)
    assert job.status == RenderStatus.READY and job.attempts == 2 and job.message == ""
    assert ReportVersion.objects.in_force().filter(report=setup.report).count() == 1


@pytest.mark.django_db
def test_a_job_whose_worker_died_on_every_attempt_is_failed_with_its_reason(monkeypatch):
    setup = approved_setup()
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kw: None)
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user)
    _left_rendering(job, attempts=tasks.MAX_RETRIES + 1)
    assert version_services.render_jobs_resume() == []
    job.refresh_from_db()
    assert job.status == RenderStatus.FAILED and "stopped 4 times" in job.message and job.finished_at
    # The report is free again: the next request is a new job.
    again, created = version_services.render_request(report=setup.report, by=setup.leader_user)
    assert created and again.pk != job.pk


@pytest.mark.django_db
def test_asking_again_takes_over_a_job_whose_worker_died(
    client, monkeypatch, fast_pdf, django_capture_on_commit_callbacks
):
    setup = approved_setup()
    sent = []
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kw: sent.append(job_id))
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    _left_rendering(job)
    client.force_login(setup.leader_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:render_draft", kwargs={"pk": setup.report.pk}), {"language": "en"}, **HTMX
        )
    assert response.status_code == 200 and 'data-job-status="queued"' in response.content.decode()
    assert sent == [job.pk] and RenderJob.objects.count() == 1  # the same job, sent again
    job = version_services.render_job_run(job_id=job.pk)  # what the worker does with it
    assert job.status == RenderStatus.READY and job.attempts == 2


@pytest.mark.django_db
def test_the_dead_workers_attempt_finishing_late_stores_nothing_and_never_a_second_issue(monkeypatch):
    setup = approved_setup()
    job, _ = version_services.render_request(
        report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, enqueue=False
    )
    late = []

    def slow_then_reclaimed(**kwargs):
        # While the first attempt renders, it is taken for dead and another attempt claims it.
        if not late:
            late.append(1)
            _left_rendering(job, attempts=1)
            assert version_services.render_job_run(job_id=job.pk).status == RenderStatus.READY
        return fake_render_pdf(**kwargs)

    monkeypatch.setattr("core.pdf.render_pdf", slow_then_reclaimed)
    files_before = set(Path(django_settings.MEDIA_ROOT).rglob("*.pdf"))
    first = version_services.render_job_run(job_id=job.pk)
    assert first.status == RenderStatus.READY and first.attempts == 2  # the reclaim's outcome, untouched
    assert ReportVersion.objects.filter(report=setup.report).count() == 1
    assert ReportVersion.objects.in_force().filter(report=setup.report, language=job.language).count() == 1
    # The late attempt's file was deleted with its refused transaction.
    stored = set(Path(django_settings.MEDIA_ROOT).rglob("*.pdf")) - files_before
    assert len(stored) == 1


# --- the real thing: SIGKILL to a Celery worker on the real broker ------------------------------------

WORKER = """
import os, sys, time
import django
django.setup()
if os.environ.get("FAULTS_SLOW_RENDER"):
    from reports.versions import services
    real = services.render_report
    def slow(**kwargs):
        time.sleep(float(os.environ["FAULTS_SLOW_RENDER"]))  # long enough to be killed in
        return real(**kwargs)
    services.render_report = slow
from auditbody.celery import app
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-Q", os.environ["FAULTS_QUEUE"], "-n", "faults-%s@%%h" % os.getpid()])
"""


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(queue: str, *, slow: float = 0) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "auditbody.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "REPORT_PDF_STALE_SECONDS": "2",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "FAULTS_QUEUE": queue,
        "FAULTS_SLOW_RENDER": str(slow) if slow else "",
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER], cwd=django_settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_one_issue_and_the_job_is_retried_and_the_next_render_succeeds(settings):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs a real broker (CELERY_BROKER_URL): runs in CI's PostgreSQL + Redis step")
    if connection.vendor != "postgresql":
        pytest.skip("needs a database a worker process can open (PostgreSQL): runs in CI's second step")
    settings.REPORT_PDF_STALE_SECONDS = 2
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    setup = approved_setup()
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    job, _ = version_services.render_request(
        report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, language="zh-hans", enqueue=False
    )
    first = _worker(queue, slow=30)
    second = None
    try:
        with broker(settings.CELERY_BROKER_URL):
            tasks.render_report_version.apply_async((job.pk,), {"language": "en"}, queue=queue)
        wait_for(job, statuses=(RenderStatus.RENDERING,), timeout=120)
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)  # mid-render: the message was never acknowledged (acks_late)
        first.wait(timeout=30)
        job.refresh_from_db()
        assert job.status == RenderStatus.RENDERING and job.attempts == 1
        assert not ReportVersion.objects.exists()

        time.sleep(3.5)  # the broker's visibility timeout passes: the message is delivered again
        second = _worker(queue)
        job = wait_for(job, timeout=240)
        assert job.status == RenderStatus.READY, job.message
        assert job.attempts == 2  # claimed again by the second worker
        in_force = ReportVersion.objects.in_force().filter(report=setup.report, language="zh-hans")
        assert in_force.count() == 1 and ReportVersion.objects.count() == 1

        # The next render succeeds.
        draft, created = version_services.render_request(
            report=setup.report, by=setup.leader_user, language="zh-hans", enqueue=False
        )
        assert created
        with broker(settings.CELERY_BROKER_URL):
            tasks.render_report_version.apply_async((draft.pk,), {"language": "en"}, queue=queue)
        draft = wait_for(draft, timeout=240)
        assert draft.status == RenderStatus.READY, draft.message
        assert ReportVersion.objects.in_force().filter(report=setup.report).count() == 1
        assert ReportVersion.objects.filter(report=setup.report, kind=VersionKind.DRAFT).count() == 1
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        if second is not None:
            _stop(second)
