"""PDF generation as a Celery task: queued on commit, one at a time per report, retried with
back-off, shown in the browser (htmx panel) as queued / rendering / ready / failed.

Without CELERY_BROKER_URL the task runs eagerly; in CI (a broker configured) the tests marked
``celery_worker`` run it through a real worker (``celery_worker_if_broker``)."""

import datetime
import time

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.access import Role
from reports.models import RenderJob, RenderStatus, ReportVersion, VersionKind
from reports.versions import services as version_services
from reports.versions import tasks

from .version_factories import approved_setup, fake_render_pdf, reopen

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the services translate them into the active language)."""
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


def wait_for(job, timeout=180):
    """The job once it is ready or failed (a real worker runs it in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (RenderStatus.READY, RenderStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"render job still {job.status} after {timeout} s")


class Flaky:
    """A PDF engine that fails ``failures`` times, then renders (fake)."""

    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError("font cache busy")
        return fake_render_pdf(**kwargs)


# --- queueing and the browser ------------------------------------------------------------------


@pytest.mark.django_db
def test_asking_for_a_pdf_returns_at_once_and_queues_the_task_on_commit(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    setup = approved_setup()
    queued = []
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kwargs: queued.append((job_id, kwargs)))
    client.force_login(setup.auditor_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:render_draft", kwargs={"pk": setup.report.pk}), {"language": "en"}, **HTMX
        )
    assert response.status_code == 200
    job = RenderJob.objects.get()
    assert (job.status, job.kind, job.language, job.requested_by) == ("queued", "draft", "en", setup.auditor_user)
    html = response.content.decode()
    assert 'data-job-status="queued"' in html and 'hx-trigger="every 2s"' in html
    assert queued == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    # The task writes its messages in the requester's language (here English, from the request).
    assert queued == [(job.pk, {"language": "en"})]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_and_the_panel_shows_ready_with_a_download(client, celery_worker_if_broker):
    setup = approved_setup()
    client.force_login(setup.leader_user)
    response = client.post(reverse("reports:issue", kwargs={"pk": setup.report.pk}), {"language": "zh-hans"}, **HTMX)
    assert response.status_code == 200
    job = wait_for(RenderJob.objects.get())
    assert job.status == RenderStatus.READY, job.message
    assert job.version.kind == VersionKind.ISSUED and job.attempts == 1
    panel = client.get(reverse("reports:versions_panel", kwargs={"pk": setup.report.pk}), **HTMX).content.decode()
    assert 'data-job-status="ready"' in panel and "every 2s" not in panel
    assert reverse("reports:version_download", kwargs={"pk": job.version.pk}) in panel


@pytest.mark.django_db
def test_the_panel_polls_while_a_render_is_queued_or_running_and_stops_after(client, fast_pdf):
    setup = approved_setup()
    job, _created = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    client.force_login(setup.leader_user)
    url = reverse("reports:versions_panel", kwargs={"pk": setup.report.pk})
    for status in (RenderStatus.QUEUED, RenderStatus.RENDERING):
        RenderJob.objects.filter(pk=job.pk).update(status=status)
        html = client.get(url, **HTMX).content.decode()
        assert f'data-job-status="{status}"' in html and 'hx-trigger="every 2s"' in html
        assert (
            'data-testid="pdf-render-draft" disabled' in html.replace("\n", " ").replace('"  ', '" ')
            or "disabled" in html
        )
    RenderJob.objects.filter(pk=job.pk).update(status=RenderStatus.FAILED, message="Font missing")
    html = client.get(url, **HTMX).content.decode()
    assert 'data-job-status="failed"' in html and "Font missing" in html and "every 2s" not in html


@pytest.mark.django_db
def test_the_versions_page_works_without_htmx(client, fast_pdf):
    setup = approved_setup()
    client.force_login(setup.auditor_user)
    response = client.post(reverse("reports:render_draft", kwargs={"pk": setup.report.pk}), {"language": "zh-hans"})
    assert response.status_code == 302 and response.url == reverse("reports:versions", kwargs={"pk": setup.report.pk})
    page = client.get(response.url)
    assert page.status_code == 200 and 'data-testid="pdf-panel"' in page.content.decode()


# --- one render at a time --------------------------------------------------------------------------


@pytest.mark.django_db
def test_asking_twice_while_a_render_runs_does_not_start_a_second(client, monkeypatch):
    setup = approved_setup()
    monkeypatch.setattr(tasks.render_report_version, "delay", lambda job_id, **kwargs: None)
    first, created = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    assert created
    RenderJob.objects.filter(pk=first.pk).update(status=RenderStatus.RENDERING, started_at=timezone.now())
    again, created = version_services.render_request(report=setup.report, by=setup.auditor_user, kind=VersionKind.DRAFT)
    assert (again.pk, created) == (first.pk, False)
    issued, created = version_services.render_request(
        report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED
    )
    assert (issued.pk, created) == (first.pk, False)
    client.force_login(setup.leader_user)
    html = client.post(reverse("reports:render_draft", kwargs={"pk": setup.report.pk}), **HTMX).content.decode()
    assert "not started a second time" in html
    assert RenderJob.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_job_for_a_report():
    setup = approved_setup()
    RenderJob.objects.create(report=setup.report, kind="draft", language="zh-hans", status=RenderStatus.RENDERING)
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderJob.objects.create(report=setup.report, kind="draft", language="en", status=RenderStatus.QUEUED)
    # Finished jobs do not count.
    RenderJob.objects.update(status=RenderStatus.READY)
    RenderJob.objects.create(report=setup.report, kind="draft", language="en", status=RenderStatus.QUEUED)


@pytest.mark.django_db
def test_a_request_racing_another_falls_back_on_the_constraint(monkeypatch):
    """Two requests that both saw no active job (the lock aside): the second create hits the
    unique constraint and the request returns the job that won."""
    setup = approved_setup()
    winner = RenderJob.objects.create(report=setup.report, kind="draft", language="zh-hans", status=RenderStatus.QUEUED)
    real_filter = RenderJob.objects.filter
    seen = {"first": True}

    def blind_filter(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        if "status__in" in kwargs and seen["first"]:
            seen["first"] = False
            return queryset.none()  # as if the other request had not committed yet
        return queryset

    monkeypatch.setattr(RenderJob.objects, "filter", blind_filter)
    job, created = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    assert (job.pk, created) == (winner.pk, False)
    assert real_filter(report=setup.report).count() == 1


# --- failures, retries -------------------------------------------------------------------------


def test_back_off_doubles_from_the_configured_base(settings):
    settings.REPORT_PDF_RETRY_SECONDS = 30
    assert [tasks.retry_countdown(n) for n in range(3)] == [30, 60, 120]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_render_is_retried_then_shown_failed_with_its_reason(celery_worker_if_broker, monkeypatch):
    setup = approved_setup()
    engine = Flaky(failures=99)
    monkeypatch.setattr("core.pdf.render_pdf", engine)
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user)
    job = wait_for(job)
    assert job.status == RenderStatus.FAILED
    assert job.attempts == engine.calls == tasks.MAX_RETRIES + 1
    assert "font cache busy" in job.message and not ReportVersion.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_transient_failure_succeeds_on_a_retry(celery_worker_if_broker, monkeypatch):
    setup = approved_setup()
    engine = Flaky(failures=2)
    monkeypatch.setattr("core.pdf.render_pdf", engine)
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user)
    job = wait_for(job)
    assert job.status == RenderStatus.READY and job.attempts == 3 and job.version is not None


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_refused_render_is_not_retried(celery_worker_if_broker, fast_pdf):
    setup = approved_setup()
    with transaction.atomic():
        job, _ = version_services.render_request(
            report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, enqueue=False
        )
        reopen(setup)
    tasks.render_report_version.delay(job.pk, language="en")
    job = wait_for(job)
    assert job.status == RenderStatus.FAILED and job.attempts == 1
    assert "reopened" in job.message  # in the language passed to the task, also in a worker thread


@pytest.mark.django_db
def test_a_delivered_twice_job_renders_once_and_a_stale_one_is_taken_over(fast_pdf):
    setup = approved_setup()
    job, _ = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    version_services.render_job_run(job_id=job.pk)
    version_services.render_job_run(job_id=job.pk)  # the broker delivered the message again
    assert ReportVersion.objects.count() == 1
    stale, _ = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    RenderJob.objects.filter(pk=stale.pk).update(
        status=RenderStatus.RENDERING, started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert version_services.render_job_run(job_id=stale.pk).status == RenderStatus.READY
    busy, _ = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    RenderJob.objects.filter(pk=busy.pk).update(status=RenderStatus.RENDERING, started_at=timezone.now())
    assert version_services.render_job_run(job_id=busy.pk).status == RenderStatus.RENDERING
    assert ReportVersion.objects.count() == 2


@pytest.mark.django_db
def test_client_users_and_outsiders_cannot_reach_the_panel(client):
    setup = approved_setup()
    url = reverse("reports:versions_panel", kwargs={"pk": setup.report.pk})
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.CLIENT, client=setup.audit.client))
    assert client.get(url).status_code == 403
