"""Stored PDF versions: hashes, immutability, corrections, report numbers, who downloads what."""

import hashlib
import io
import json

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import CertificationBody
from clients.tests.factories import ClientFactory
from core.access import Role
from core.issued import canonical_json
from reports.models import RenderJob, RenderStatus, ReportNumber, ReportVersion, VersionKind
from reports.versions import services as version_services

from .version_factories import approved_setup, client_user, draft, fake_render_pdf, issue, reopen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the services translate them into the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fast_pdf(monkeypatch):
    """No WeasyPrint (tests about versions and permissions, not the PDF's content)."""
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


@pytest.fixture
def setup():
    return approved_setup()


@pytest.fixture
def issued(setup):
    job = issue(setup)
    assert job.status == RenderStatus.READY, job.message
    return job.version


def _bytes(version):
    with version.file.open("rb") as handle:
        return handle.read()


def _download(client, user, version):
    client.force_login(user)
    response = client.get(reverse("reports:version_download", kwargs={"pk": version.pk}))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


# --- what is stored --------------------------------------------------------------------------------


def test_the_issued_pdf_hash_matches_the_stored_one(issued):
    assert hashlib.sha256(_bytes(issued)).hexdigest() == issued.sha256
    assert issued.size == len(_bytes(issued)) and issued.pages > 5


def test_the_issued_pdf_is_pdf_a_3b_with_the_reports_data_attached(issued, setup):
    reader = pypdf.PdfReader(io.BytesIO(_bytes(issued)))
    attached = json.loads(reader.attachments["report.json"][0])
    assert attached["data_sha256"] == issued.data_sha256
    assert attached["data"] == issued.data
    assert attached["issue"] == 1 and attached["report_number"] == issued.report_number
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp and issued.pdf_variant == "pdf/a-3b"
    assert issued.created_by == setup.leader_user and issued.kind == VersionKind.ISSUED


def test_every_render_stores_who_when_and_a_hash_of_the_data_it_was_made_from(fast_pdf, setup):
    job = draft(setup, by=setup.auditor_user)
    version = job.version
    assert version.kind == VersionKind.DRAFT and version.issue is None and version.sequence == 1
    assert version.created_by == setup.auditor_user and version.created_at is not None
    assert version.data_sha256 == hashlib.sha256(canonical_json(version.data)).hexdigest()
    assert version.report_status == "approved"
    assert version.file.name.startswith("private/reports/")
    second = draft(setup).version
    assert second.sequence == 2 and second.data_sha256 == version.data_sha256


def test_versions_are_numbered_per_language_and_the_pdf_prints_its_languages_number(setup):
    """The first English draft after two Chinese ones is version 1 of the English report: its
    PDF (read back with pdftotext) says so, not "version 3"."""
    from .version_factories import pdftotext

    first, second = draft(setup).version, draft(setup).version
    english = draft(setup, language="en").version
    assert (first.language_version, second.language_version, english.language_version) == (1, 2, 1)
    assert (first.sequence, second.sequence, english.sequence) == (1, 2, 3)
    text = pdftotext(_bytes(english))
    assert "Draft, version 1" in text and "version 3" not in text
    assert english.download_name.endswith("draft-v1-en.pdf")
    assert draft(setup, language="en").version.language_version == 2


def test_changed_content_changes_the_data_hash(fast_pdf, setup):
    first = draft(setup).version
    reopen(setup)
    from .version_factories import set_topic_text

    set_topic_text(setup, "context_of_organization", "改过的文字")
    second = draft(setup).version
    assert second.data_sha256 != first.data_sha256
    assert "改过的文字" in json.dumps(second.data, ensure_ascii=False)


# --- immutability ----------------------------------------------------------------------------------


def test_a_stored_version_cannot_be_changed(fast_pdf, issued):
    issued.pages = 1
    with pytest.raises(ValidationError):
        issued.save()
    with pytest.raises(ValidationError):
        ReportVersion.objects.filter(pk=issued.pk).update(pages=1)
    issued.refresh_from_db()
    assert issued.pages > 1


def test_an_issued_version_cannot_be_deleted(fast_pdf, issued):
    with pytest.raises(ValidationError):
        issued.delete()
    with pytest.raises(ValidationError):
        ReportVersion.objects.filter(pk=issued.pk).delete()
    assert ReportVersion.objects.filter(pk=issued.pk).exists()


def test_a_draft_version_cannot_be_changed_either(fast_pdf, setup):
    version = draft(setup).version
    version.sha256 = "0" * 64
    with pytest.raises(ValidationError):
        version.save()


def test_a_correction_is_a_new_issue_that_replaces_the_old(setup, issued, client):
    with pytest.raises(ValidationError, match="say why"):
        issue(setup)
    job = issue(setup, reason="改正第四部分的错字")
    correction = job.version
    assert correction.issue == 2 and correction.replaces == issued
    assert correction.correction_reason == "改正第四部分的错字"
    issued.refresh_from_db()
    assert issued.replaced_by == correction
    assert hashlib.sha256(_bytes(issued)).hexdigest() == issued.sha256  # the old file is untouched
    reader = pypdf.PdfReader(io.BytesIO(_bytes(correction)))
    assert json.loads(reader.attachments["report.json"][0])["replaces"] == 1
    # Staff still download the replaced issue; the client only the one in force.
    admin = UserFactory(role=Role.CB_ADMIN)
    assert _download(client, admin, issued)[0].status_code == 200
    customer = client_user(setup.audit.client)
    assert _download(client, customer, issued)[0].status_code == 404
    assert _download(client, customer, correction)[0].status_code == 200


def test_issues_are_counted_per_language(fast_pdf, setup, issued):
    english = issue(setup, language="en").version
    assert english.issue == 1 and english.replaces is None and english.language == "en"


def test_a_constraint_keeps_the_chain_of_corrections_linear(fast_pdf, setup, issued):
    correction = issue(setup, reason="first").version
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(
            report=setup.report,
            kind=VersionKind.ISSUED,
            sequence=99,
            issue=9,
            language="zh-hans",
            report_number=issued.report_number,
            report_status="approved",
            file=issued.file.name,
            sha256=issued.sha256,
            size=1,
            pages=1,
            data={},
            data_sha256="x",
            replaces=issued,
        )
    assert correction.replaces == issued


# --- who may issue ---------------------------------------------------------------------------------


def test_only_the_team_leader_issues_and_only_after_approval(fast_pdf, setup):
    for user in (setup.auditor_user, UserFactory(role=Role.CB_ADMIN)):
        with pytest.raises(PermissionDenied, match="team leader"):
            version_services.render_request(report=setup.report, by=user, kind=VersionKind.ISSUED)
    reopen(setup)
    with pytest.raises(ValidationError, match="approved") as refused:
        version_services.render_request(report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED)
    assert refused.value.code == "wrong_status"
    assert not RenderJob.objects.exists()


def test_a_report_reopened_before_the_render_runs_is_not_issued(fast_pdf, setup):
    job, _created = version_services.render_request(
        report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, enqueue=False
    )
    reopen(setup)
    job = version_services.render_job_run(job_id=job.pk)
    assert job.status == RenderStatus.FAILED and "reopened" in job.message
    assert job.attempts == 1 and not ReportVersion.objects.exists()


def test_drafts_are_rendered_by_the_team_and_cb_administrators_only(fast_pdf, setup):
    for user in (UserFactory(role=Role.COMMITTEE), UserFactory(role=Role.AUDITOR)):
        with pytest.raises(PermissionDenied, match="team and CB administrators"):
            version_services.render_request(report=setup.report, by=user)
    job, created = version_services.render_request(
        report=setup.report, by=UserFactory(role=Role.CB_ADMIN), enqueue=False
    )
    assert created and job.kind == VersionKind.DRAFT


# --- report numbers --------------------------------------------------------------------------------


def test_the_report_number_is_cb_code_systems_year_serial_and_stays(fast_pdf, setup):
    first = draft(setup).version
    again = draft(setup).version
    year = setup.audit.end_date.year
    assert first.report_number == again.report_number == f"CB-Q-{year}-0001"
    assert ReportNumber.objects.get().number == first.report_number
    CertificationBody.objects.filter(key=1).update(cb_code="123")
    from reports.tests.factories import iso14001

    other = approved_setup(standards=[setup.audit.standards.get(), iso14001()])
    assert draft(other).version.report_number == f"123-QE-{year}-0001"
    third = approved_setup()
    assert draft(third).version.report_number == f"123-Q-{year}-0002"


# --- downloads -------------------------------------------------------------------------------------


def test_a_client_user_downloads_its_own_issued_report(client, setup, issued):
    response, body = _download(client, client_user(setup.audit.client), issued)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == issued.sha256 == response["X-Content-SHA256"]
    assert "attachment" in response["Content-Disposition"]


def test_a_client_user_gets_404_for_drafts_and_for_other_clients_versions(fast_pdf, client, setup, issued):
    own_draft = draft(setup).version
    other = approved_setup()
    other_issued = issue(other).version
    customer = client_user(setup.audit.client)
    assert _download(client, customer, own_draft)[0].status_code == 404
    assert _download(client, customer, other_issued)[0].status_code == 404
    assert _download(client, client_user(ClientFactory()), issued)[0].status_code == 404


def test_staff_download_per_their_rights(fast_pdf, client, setup, issued):
    own_draft = draft(setup).version
    assert _download(client, setup.auditor_user, own_draft)[0].status_code == 200
    outsider = UserFactory(role=Role.AUDITOR)
    assert _download(client, outsider, own_draft)[0].status_code == 404
    assert _download(client, outsider, issued)[0].status_code == 404
    committee = UserFactory(role=Role.COMMITTEE)
    assert _download(client, committee, issued)[0].status_code == 200
    assert _download(client, committee, own_draft)[0].status_code == 404
    assert _download(client, UserFactory(role=Role.CB_ADMIN), own_draft)[0].status_code == 200


def test_files_are_not_reachable_by_a_media_url(fast_pdf, client, setup, issued, settings):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    assert client.get("/" + settings.MEDIA_URL + issued.file.name).status_code == 404
    assert client.get("/media/" + issued.file.name).status_code == 404


def test_the_issued_list_shows_a_client_its_issues_in_force_only(fast_pdf, client, setup, issued):
    draft(setup)
    other = approved_setup()
    issue(other)
    client.force_login(client_user(setup.audit.client))
    response = client.get(reverse("reports:issued_list"))
    assert response.status_code == 200
    assert list(response.context["versions"]) == [issued]


@pytest.mark.parametrize("role", Role.values)
def test_every_role_finds_the_issued_reports_in_the_menu(role):
    from core.navigation import nav_items_for

    user = UserFactory(role=role, client=ClientFactory() if role == Role.CLIENT else None)
    assert reverse("reports:issued_list") in [url for _item, url in nav_items_for(user)]


def test_the_admin_registers_the_version_models_read_only(rf):
    from django.contrib import admin

    assert {ReportVersion, RenderJob} <= set(admin.site._registry)  # reports/admin.py imports versions.admin


def test_the_admin_lists_versions_read_only(rf):
    from django.contrib import admin

    from reports.versions import admin as version_admin

    request = rf.get("/")
    request.user = UserFactory(role=Role.CB_ADMIN, is_staff=True, is_superuser=True)
    model_admin = version_admin.ReportVersionAdmin(ReportVersion, admin.site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def _stored_versions(report, count, *, kind=VersionKind.ISSUED):
    from django.core.files.base import ContentFile

    start = (ReportVersion.objects.filter(report=report).count()) + 1
    for n in range(start, start + count):
        version = ReportVersion(
            report=report,
            kind=kind,
            sequence=n,
            issue=n if kind == VersionKind.ISSUED else None,
            language="zh-hans" if n % 2 else "en",
            report_number="CB-Q-2030-0001",
            report_status="approved",
            sha256="0" * 64,
            size=1,
            pages=1,
            data={},
            data_sha256="0" * 64,
        )
        version.file.save("v.pdf", ContentFile(b"%PDF"), save=False)
        version.save()


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.CLIENT, Role.CB_ADMIN])
def test_the_issued_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, role):
    from reports.tests.factories import report_for

    user = UserFactory(role=role, client=ClientFactory() if role == Role.CLIENT else None)
    client.force_login(user)
    url = reverse("reports:issued_list")
    _stored_versions(report_for(user, approved=True), 1)
    expected = _count_queries(client, url)
    for _ in range(3):
        _stored_versions(report_for(user, approved=True), 2)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["versions"]) == 7


def test_the_versions_panel_runs_a_fixed_number_of_queries(client, setup, django_assert_num_queries):
    client.force_login(setup.leader_user)
    url = reverse("reports:versions_panel", kwargs={"pk": setup.report.pk})
    _stored_versions(setup.report, 1, kind=VersionKind.DRAFT)
    expected = _count_queries(client, url)
    _stored_versions(setup.report, 5, kind=VersionKind.DRAFT)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["versions"]) == 6
