"""Stored certificate PDFs: hashes, PDF/A data, immutability, who renders and issues, who
downloads what, the Celery task (eager, retried, and through a real worker when
CELERY_BROKER_URL is set). The client portal's "My certificates" is tested in
portal/tests/test_certificates.py."""

import hashlib
import io
import json
import time

import pypdf
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.tests.factories import audit_for
from certification.certificate_pdfs import render as pdf
from certification.certificate_pdfs import services as pdf_services
from certification.certificate_pdfs import tasks as pdf_tasks
from certification.models import CertificateStatus, CertificateVersion
from clients.tests.factories import ClientFactory
from core.access import Role
from core.issued import ImmutablePdfError, VersionKind

from .pdf_factories import (
    CertificateFactory,
    approver_user,
    cb_admin,
    client_user,
    draft_now,
    fake_render_pdf,
    file_bytes,
    issue_now,
    seed_certificate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the services translate them into the active language,
    pages into the browser's)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_PDF_RETRY_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager():
    """Tasks run in-process even when CELERY_BROKER_URL is set (tests of what the task does;
    the worker test below goes through the broker)."""
    from celery import current_app as app  # the project's app (auditbody/celery.py), set as current on start-up

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def fast_pdf(monkeypatch):
    """No WeasyPrint (tests about versions, permissions and the task, not the PDF's content)."""
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


def _download(client, user, version):
    client.force_login(user)
    response = client.get(reverse("certification:certificate_pdf_download", kwargs={"pk": version.pk}))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


# --- what is stored --------------------------------------------------------------------------------


def test_the_issued_pdf_is_stored_with_its_hash_and_the_data_it_was_rendered_from():
    certificate = seed_certificate()
    admin = cb_admin()
    version = issue_now(certificate, language="zh-hans", by=admin)
    content = file_bytes(version)
    assert hashlib.sha256(content).hexdigest() == version.sha256
    assert (version.size, version.pages, version.kind, version.pdf_variant) == (len(content), 1, "issued", "pdf/a-3b")
    assert (version.sequence, version.created_by, version.language) == (1, admin, "zh-hans")
    assert version.data == pdf.certificate_snapshot(certificate)
    reader = pypdf.PdfReader(io.BytesIO(content))
    attached = json.loads(reader.attachments[pdf.ATTACHMENT_NAME][0])
    assert attached["data"] == version.data and attached["data_sha256"] == pdf.data_hash(version.data)
    assert attached["issued_by"] == (admin.get_full_name() or admin.username)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp


def test_a_draft_is_a_plain_pdf_with_the_draft_mark(fast_pdf):
    version = draft_now(seed_certificate(), language="en", by=cb_admin())
    assert version.kind == VersionKind.DRAFT and version.pdf_variant == ""
    assert b"DRAFT" in file_bytes(version)


def test_an_issued_pdf_cannot_be_changed_or_deleted(fast_pdf):
    version = issue_now(seed_certificate(), by=cb_admin())
    version.sha256 = "0" * 64
    with pytest.raises(ImmutablePdfError):
        version.save()
    with pytest.raises(ImmutablePdfError):
        CertificateVersion.objects.get(pk=version.pk).delete()
    version.refresh_from_db()
    assert hashlib.sha256(file_bytes(version)).hexdigest() == version.sha256


def test_stored_pdfs_cannot_be_changed_in_bulk_and_issued_ones_not_deleted_in_bulk(fast_pdf):
    certificate, admin = seed_certificate(), cb_admin()
    issued, draft = issue_now(certificate, by=admin), draft_now(certificate, by=admin)
    with pytest.raises(ImmutablePdfError):
        CertificateVersion.objects.filter(pk=issued.pk).update(size=1)
    with pytest.raises(ImmutablePdfError):
        CertificateVersion.objects.filter(certificate=certificate).delete()
    assert CertificateVersion.objects.count() == 2
    CertificateVersion.objects.filter(pk=draft.pk).delete()  # a draft may go
    assert list(CertificateVersion.objects.values_list("pk", flat=True)) == [issued.pk]


def test_a_pdf_whose_row_is_refused_leaves_no_file(fast_pdf, monkeypatch, settings):
    """The rules are checked again on the locked certificate after the render: a refusal then
    deletes the file already written (its folder stays, empty)."""
    certificate, admin = seed_certificate(), cb_admin()
    checks = []

    def refuse_on_second_check(**kwargs):
        checks.append(kwargs)
        if len(checks) == 2:
            raise ValidationError("withdrawn meanwhile", code="wrong_status")

    monkeypatch.setattr(pdf_services, "_check", refuse_on_second_check)
    with pytest.raises(ValidationError):
        issue_now(certificate, by=admin)
    assert len(checks) == 2 and not CertificateVersion.objects.exists()
    folder = settings.MEDIA_ROOT / "private" / "certificates" / str(certificate.pk)
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_versions_are_numbered_in_turn_across_kinds_and_languages(fast_pdf):
    certificate, admin = seed_certificate(), cb_admin()
    versions = [
        draft_now(certificate, by=admin),
        issue_now(certificate, language="zh-hans", by=admin),
        issue_now(certificate, language="en", by=admin),
        draft_now(certificate, language="en", by=admin),
    ]
    assert [v.sequence for v in versions] == [1, 2, 3, 4]


def test_a_language_is_issued_once_and_a_replacement_names_the_pdf_it_replaces(fast_pdf, client):
    certificate, admin = seed_certificate(), cb_admin()
    first = issue_now(certificate, by=admin)
    with pytest.raises(ValidationError) as refused:
        issue_now(certificate, by=admin)
    assert refused.value.code == "already_issued"
    second = issue_now(certificate, by=admin, replace=True)
    assert (
        second.replaces == first and pdf_services.issued_in_force(certificate=certificate, language="zh-hans") == second
    )
    # The client sees the replacement only; staff keep both.
    owner = client_user(certificate.client)
    assert _download(client, owner, first)[0].status_code == 404
    assert _download(client, owner, second)[0].status_code == 200
    assert _download(client, admin, first)[0].status_code == 200


def test_only_a_valid_certificate_is_issued_but_any_may_be_drafted(fast_pdf):
    certificate, admin = seed_certificate(), cb_admin()
    type(certificate).objects.filter(pk=certificate.pk).update(status=CertificateStatus.WITHDRAWN)
    certificate.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        issue_now(certificate, by=admin)
    assert refused.value.code == "wrong_status" and "Withdrawn" in refused.value.messages[0]
    assert draft_now(certificate, by=admin).kind == VersionKind.DRAFT


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE, Role.CLIENT])
def test_only_cb_administrators_render_certificate_pdfs(fast_pdf, role):
    certificate = seed_certificate()
    user = UserFactory(role=role)
    for kind in VersionKind.values:
        with pytest.raises(PermissionDenied):
            pdf_services.certificate_pdf_render(certificate=certificate, language="zh-hans", kind=kind, by=user)
    assert not CertificateVersion.objects.exists()


def test_the_approver_issues_the_certificates_but_renders_no_drafts(fast_pdf):
    certificate, approver = seed_certificate(), approver_user()
    assert issue_now(certificate, by=approver).created_by == approver
    with pytest.raises(PermissionDenied):
        draft_now(certificate, by=approver)


# --- downloads -------------------------------------------------------------------------------------


def test_a_client_downloads_its_own_issued_pdf_with_its_hash(fast_pdf, client):
    certificate = seed_certificate()
    version = issue_now(certificate, by=cb_admin())
    response, body = _download(client, client_user(certificate.client), version)
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == version.sha256 == response["X-Content-SHA256"]
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    assert f'filename="{certificate.number}-issued-zh-hans.pdf"' in response["Content-Disposition"]


def test_a_client_gets_404_for_another_clients_pdf_and_for_drafts(fast_pdf, client):
    certificate, admin = seed_certificate(), cb_admin()
    issued, drafted = issue_now(certificate, by=admin), draft_now(certificate, by=admin)
    stranger = client_user(ClientFactory())
    assert _download(client, stranger, issued)[0].status_code == 404
    owner = client_user(certificate.client)
    assert _download(client, owner, drafted)[0].status_code == 404
    assert _download(client, owner, issued)[0].status_code == 200


def test_staff_download_per_their_rights(fast_pdf, client):
    certificate, admin = seed_certificate(), cb_admin()
    drafted = draft_now(certificate, by=admin)
    assert _download(client, UserFactory(role=Role.COMMITTEE), drafted)[0].status_code == 200
    outsider = UserFactory(role=Role.AUDITOR)
    assert _download(client, outsider, drafted)[0].status_code == 404
    audit_for(outsider, client=certificate.client)
    assert _download(client, outsider, drafted)[0].status_code == 200


def test_stored_pdfs_are_never_served_as_media(fast_pdf, client):
    version = issue_now(seed_certificate(), by=cb_admin())
    client.force_login(cb_admin())
    assert client.get(f"/media/{version.file.name}").status_code == 404
    assert version.file.name.startswith("private/certificates/")


# --- staff page and actions ------------------------------------------------------------------------


def test_a_cb_admin_renders_drafts_and_issues_from_the_certificate_page(
    fast_pdf, eager, client, django_capture_on_commit_callbacks
):
    certificate, admin = seed_certificate(), cb_admin()
    client.force_login(admin)
    page = reverse("certification:certificate_pdfs", kwargs={"pk": certificate.pk})
    html = client.get(page).content.decode()
    assert 'data-testid="certificate-pdf-issue"' in html and "has not been issued yet" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:certificate_pdf_render", kwargs={"pk": certificate.pk}), {"language": "en"}
        )
    assert response.status_code == 302
    assert list(CertificateVersion.objects.values_list("kind", "language")) == [("draft", "en")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certification:certificate_pdf_issue", kwargs={"pk": certificate.pk}))
    issued = CertificateVersion.objects.filter(kind=VersionKind.ISSUED)
    assert sorted(issued.values_list("language", flat=True)) == ["en", "zh-hans"]
    html = client.get(page).content.decode()
    for version in issued:
        assert reverse("certification:certificate_pdf_download", kwargs={"pk": version.pk}) in html
    # Issuing again: refused with a message, nothing new.
    response = client.post(reverse("certification:certificate_pdf_issue", kwargs={"pk": certificate.pk}), follow=True)
    assert "already been issued in every language" in response.content.decode()
    assert CertificateVersion.objects.count() == 3


def test_asking_twice_while_pdfs_are_queued_queues_them_once(
    fast_pdf, client, django_capture_on_commit_callbacks, monkeypatch
):
    certificate, admin = seed_certificate(), cb_admin()
    queued = []
    monkeypatch.setattr(
        pdf_tasks.issue_certificate_pdfs, "delay", lambda *args, **kwargs: queued.append((args, kwargs))
    )
    client.force_login(admin)
    url = reverse("certification:certificate_pdf_issue", kwargs={"pk": certificate.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        response = client.post(url, follow=True)
    assert "already being produced" in response.content.decode()
    assert queued == [
        (([certificate.pk], admin.pk), {"kind": "issued", "languages": ["zh-hans", "en"], "replace": False})
    ]


def test_the_staff_certificate_page_includes_the_pdf_panel(fast_pdf, client):
    certificate, admin = seed_certificate(), cb_admin()
    version = issue_now(certificate, by=admin)
    client.force_login(admin)
    html = client.get(reverse("certification:certificate", kwargs={"pk": certificate.pk})).content.decode()
    assert 'data-testid="certificate-pdf-panel"' in html
    assert reverse("certification:certificate_pdf_download", kwargs={"pk": version.pk}) in html


# --- the task --------------------------------------------------------------------------------------


def test_the_task_issues_every_language_of_every_certificate_once(fast_pdf):
    admin = cb_admin()
    first, second = seed_certificate(), CertificateFactory()
    pdf_tasks.issue_certificate_pdfs.apply(args=([first.pk, second.pk], admin.pk))
    pdf_tasks.issue_certificate_pdfs.apply(args=([first.pk, second.pk], admin.pk))  # a repeated message adds nothing
    rows = sorted(CertificateVersion.objects.values_list("certificate_id", "kind", "language"))
    assert rows == sorted((c.pk, "issued", lang) for c in (first, second) for lang in ("zh-hans", "en"))


def test_the_task_skips_what_it_may_not_issue_and_issues_the_rest(fast_pdf):
    valid, withdrawn = seed_certificate(), CertificateFactory()
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(status=CertificateStatus.WITHDRAWN)
    pdf_tasks.issue_certificate_pdfs.apply(args=([withdrawn.pk, valid.pk, 999999], None))
    assert set(CertificateVersion.objects.values_list("certificate_id", flat=True)) == {valid.pk}


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


def test_a_failed_render_is_retried_and_then_given_up_with_its_reason(fast_pdf, monkeypatch, caplog):
    certificate = seed_certificate()
    flaky = Flaky(failures=2)
    monkeypatch.setattr("core.pdf.render_pdf", flaky)
    pdf_tasks.issue_certificate_pdfs.apply(args=([certificate.pk], None), kwargs={"languages": ["en"]})
    assert flaky.calls == 3 and CertificateVersion.objects.filter(language="en", kind="issued").count() == 1
    always = Flaky(failures=100)
    monkeypatch.setattr("core.pdf.render_pdf", always)
    pdf_tasks.issue_certificate_pdfs.apply(args=([certificate.pk], None), kwargs={"languages": ["zh-hans"]})
    assert always.calls == pdf_tasks.MAX_RETRIES + 1
    assert not CertificateVersion.objects.filter(language="zh-hans").exists()
    assert "giving up" in caplog.text and "font cache busy" in caplog.text


def test_retries_back_off_exponentially(settings):
    settings.CERTIFICATE_PDF_RETRY_SECONDS = 30
    assert [pdf_tasks.retry_countdown(n) for n in range(3)] == [30, 60, 120]


def test_importing_the_task_does_not_import_weasyprint():
    import subprocess
    import sys

    code = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'auditbody.settings'; django.setup(); "
        "import certification.certificate_pdfs.tasks, certification.tasks, certification.certificate_pdfs.render; "
        "sys.exit(1 if 'weasyprint' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_issued_pdfs(celery_worker_if_broker):
    """Through a real worker and broker when CELERY_BROKER_URL is set (CI), eagerly otherwise."""
    certificate, admin = seed_certificate(), cb_admin()
    pdf_tasks.issue_certificate_pdfs.delay([certificate.pk], admin.pk)
    deadline = time.monotonic() + 180
    while CertificateVersion.objects.filter(certificate=certificate).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    versions = list(CertificateVersion.objects.filter(certificate=certificate))
    assert sorted(v.language for v in versions) == ["en", "zh-hans"]
    for version in versions:
        assert hashlib.sha256(file_bytes(version)).hexdigest() == version.sha256 and version.pages == 1
