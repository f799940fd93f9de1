"""The decision page shows the issued certificates' PDFs as the report's panel shows its render:
queued with the approval, rendering, then ready or failed (written by the Celery task), polled
with htmx while a job is queued or rendering and no longer once they are all done."""

import pytest
from django.urls import reverse

from certification.certificate_pdfs import services as pdf_services
from certification.certificate_pdfs import tasks as pdf_tasks
from certification.models import Certificate, CertificatePdfJob, CertificateVersion
from core.access import Role

from .factories import UserFactory, grant, review_cast
from .pdf_factories import fake_render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """Tasks run in-process even when CELERY_BROKER_URL is set (what the task writes is tested;
    test_broker_down.py goes through a real broker and worker)."""
    from celery import current_app as app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def fast_pdf(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_PDF_RETRY_SECONDS = 0
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


def _approved(django_capture_on_commit_callbacks, *, run_hooks=False):
    """A granted decision; its commit hooks (queueing the PDFs' task) run only when asked."""
    cast = review_cast()
    with django_capture_on_commit_callbacks(execute=run_hooks):
        decision = grant(cast)
    return cast, decision


def _panel(client, user, decision):
    client.force_login(user)
    return client.get(
        reverse("certification:decision_pdfs_panel", kwargs={"pk": decision.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_approval_queues_one_pdf_job_per_new_certificate_shown_on_the_decision_page(
    client, django_capture_on_commit_callbacks
):
    cast, decision = _approved(django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(decision=decision)
    job = CertificatePdfJob.objects.get()
    assert (job.certificate, job.decision, job.status, job.requested_by) == (
        certificate,
        decision,
        "queued",
        cast.approver,
    )
    client.force_login(cast.admin)
    page = client.get(reverse("certification:decision", kwargs={"pk": decision.pk})).content.decode()
    assert 'data-testid="decision-pdfs"' in page and 'data-status="queued"' in page
    assert reverse("certification:decision_pdfs_panel", kwargs={"pk": decision.pk}) in page


@pytest.mark.parametrize(
    ("status", "badge", "polls"),
    [
        ("queued", "Queued", True),
        ("rendering", "Rendering", True),
        ("ready", "Ready", False),
        ("failed", "Failed", False),
    ],
)
def test_the_panel_shows_each_state_and_polls_only_while_a_job_is_queued_or_rendering(
    client, django_capture_on_commit_callbacks, status, badge, polls
):
    cast, decision = _approved(django_capture_on_commit_callbacks)
    CertificatePdfJob.objects.update(status=status, message="disk full" if status == "failed" else "")
    response = _panel(client, cast.admin, decision)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-status="{status}"' in html and badge in html
    assert ('hx-trigger="every 2s"' in html) is polls
    assert ('data-active="true"' in html) is polls
    assert ("disk full" in html) is (status == "failed")
    assert ('data-testid="decision-pdf-download"' in html) is (status == "ready")


def test_the_task_moves_the_job_to_ready_and_polling_stops(client, django_capture_on_commit_callbacks, eager, fast_pdf):
    cast, decision = _approved(django_capture_on_commit_callbacks, run_hooks=True)
    job = CertificatePdfJob.objects.get()
    assert job.status == "ready" and job.started_at and job.finished_at
    assert CertificateVersion.objects.filter(certificate=job.certificate).count() == 2  # zh-hans and en
    html = _panel(client, cast.approver, decision).content.decode()
    assert 'data-status="ready"' in html and "hx-trigger" not in html


def test_a_render_that_fails_is_retried_then_shown_failed_with_its_reason(
    client, django_capture_on_commit_callbacks, eager, fast_pdf, monkeypatch
):
    def broken(**kwargs):
        raise OSError("storage unreachable")

    monkeypatch.setattr("core.pdf.render_pdf", broken)
    cast, decision = _approved(django_capture_on_commit_callbacks)
    certificate_id = CertificatePdfJob.objects.get().certificate_id
    pending = pdf_services.pending_renders(certificate_ids=[certificate_id])

    left = pdf_services.certificate_pdfs_run(pending=pending, user_id=cast.approver.pk, final_attempt=False)
    job = CertificatePdfJob.objects.get()
    assert left == pending and job.status == "queued" and "tried again" in job.message

    pdf_services.certificate_pdfs_run(pending=left, user_id=cast.approver.pk, final_attempt=True)
    job.refresh_from_db()
    assert job.status == "failed" and "storage unreachable" in job.message and job.finished_at
    html = _panel(client, cast.admin, decision).content.decode()
    assert 'data-status="failed"' in html and "storage unreachable" in html and "hx-trigger" not in html


def test_a_job_is_rendering_while_the_task_renders_it(django_capture_on_commit_callbacks, eager, fast_pdf, monkeypatch):
    seen = []

    def watching_render(**kwargs):
        seen.append(CertificatePdfJob.objects.get().status)
        return fake_render_pdf(**kwargs)

    monkeypatch.setattr("core.pdf.render_pdf", watching_render)
    _approved(django_capture_on_commit_callbacks, run_hooks=True)
    assert seen == ["rendering", "rendering"]
    assert CertificatePdfJob.objects.get().status == "ready"


def test_when_the_task_cannot_be_queued_the_job_fails_and_says_where_to_ask_again(
    django_capture_on_commit_callbacks, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(pdf_tasks.issue_certificate_pdfs, "delay", unreachable)
    _approved(django_capture_on_commit_callbacks, run_hooks=True)
    job = CertificatePdfJob.objects.get()
    assert job.status == "failed" and "could not be queued" in job.message


def test_client_users_and_auditors_never_see_the_panel(client, django_capture_on_commit_callbacks):
    cast, decision = _approved(django_capture_on_commit_callbacks)
    assert _panel(client, cast.leader, decision).status_code in (403, 404)
    assert _panel(client, UserFactory(role=Role.CLIENT), decision).status_code in (403, 404)
