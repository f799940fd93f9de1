"""The team leader issues the approved report as PDF (rendered by the Celery task, the page
follows it with htmx) and the client downloads the issued report from its list."""

import hashlib
import re

import pytest

from accounts.tests.factories import UserFactory
from core.access import Role
from reports.models import ReportVersion, VersionKind


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_leader_issues_the_report_and_the_client_downloads_it(
    page, live_server, login, private_media, celery_worker_if_broker
):
    from reports.tests.version_factories import approved_setup

    setup = approved_setup()
    customer = UserFactory(role=Role.CLIENT, client=setup.audit.client, username="e2e-client")

    login(setup.leader_user.username)
    page.goto(f"{live_server.url}/reports/{setup.report.pk}/")
    panel = page.get_by_test_id("pdf-panel")
    panel.get_by_test_id("pdf-issue").click()
    ready = page.locator('[data-testid="pdf-job"][data-status="ready"]')
    ready.wait_for(timeout=180_000)
    version = ReportVersion.objects.get(kind=VersionKind.ISSUED)
    assert version.created_by == setup.leader_user and version.issue == 1
    assert page.get_by_test_id("pdf-versions").locator(f'tr[data-version="{version.pk}"]').count() == 1
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")

    login(customer.username)
    page.locator("#mainnav").get_by_role("link", name=re.compile("已发布的报告|Issued reports")).click()  # the menu
    page.wait_for_url(f"{live_server.url}/reports/pdf/issued/")
    row = page.get_by_test_id("issued-reports").locator(f'tr[data-version="{version.pk}"]')
    assert version.report_number in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_test_id("issued-download").click()
    download = download_info.value
    assert download.suggested_filename == version.download_name
    with open(download.path(), "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    # The staff pages of the report's PDFs are closed to client users.
    response = page.goto(f"{live_server.url}/reports/{setup.report.pk}/pdf/")
    assert response.status == 403
