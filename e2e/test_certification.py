"""The certification path in the browser: the reviewer passes the technical review, a committee
member opens and evaluates the grant decision (同意注册), the approver (general manager)
approves it, the certificate PDF is issued (the Celery task, eager without a broker), the
client downloads it from the portal, and the public page opened from the QR code's URL shows
the certificate valid; after a suspension decision it shows it suspended and lists it among the
public suspensions."""

import datetime
import hashlib
import re
import time

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from certification import services
from certification.models import (
    CHECKLIST,
    Certificate,
    CertificateStatus,
    CertificateVersion,
    Decision,
    DecisionStatus,
    DecisionType,
    ReviewStatus,
    TechnicalReview,
)
from certification.models.certificate import VersionKind
from certification.tests.factories import suspension_reason
from certification.tests.view_setup import ReviewSetup
from core.access import Role


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _wait_until(condition, timeout=180):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the background task"
        time.sleep(0.5)


def _logout(page, live_server):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")


def _submit(page, test_id, timeout=60_000):
    with page.expect_navigation(timeout=timeout):
        page.get_by_test_id(test_id).click()


def test_review_decision_certificate_pdf_portal_and_public_page(
    page, live_server, login, private_media, settings, celery_worker_if_broker
):
    settings.PUBLIC_BASE_URL = live_server.url  # what the QR code printed on the certificate opens
    s = ReviewSetup()
    customer = UserFactory(role=Role.CLIENT, client=s.client, username="e2e-cert-client")
    # The CB administrator's part (tested in the view tests): open the review, assign the reviewer.
    review = services.review_open(audit=s.audit, by=s.admin)
    services.reviewer_assign(review=review, reviewer=s.reviewer, by=s.admin)

    # 1. The reviewer answers the checklist and passes the review.
    login(s.reviewer.username)
    page.goto(f"{live_server.url}/certification/reviews/audit/{s.audit.pk}/")
    for key, clause, _text in CHECKLIST:
        page.locator(f'select[name="{key}__answer"]').select_option("yes")
        page.locator(f'textarea[name="{key}__remark"]').fill(f"{clause} 符合要求")
    _submit(page, "checklist-save")
    assert not page.get_by_test_id("review-blockers").count()
    page.locator('input[name="outcome"][value="pass"]').check()
    page.locator('textarea[name="remark"]').fill("审核资料完整，评定通过。")
    _submit(page, "conclude")
    assert page.get_by_test_id("review-status").get_attribute("data-status") == ReviewStatus.PASSED
    _logout(page, live_server)

    # 2. A committee member opens the grant decision from the review and evaluates it: 同意注册.
    login(s.evaluator.username)
    page.goto(f"{live_server.url}/certification/reviews/audit/{s.audit.pk}/")
    _submit(page, "open-decision")
    assert page.locator('select[name="decision_type"]').input_value() == DecisionType.GRANT
    _submit(page, "decision-open-submit")
    decision = Decision.objects.get(review=TechnicalReview.objects.get(audit=s.audit))
    assert page.url.endswith(f"/certification/decisions/{decision.pk}/")
    page.get_by_test_id("evaluation-form").locator('input[name="conclusion"][value="agree"]').check()
    page.locator('textarea[name="closing_meeting_differences"]').fill("无")
    _submit(page, "evaluate")
    assert page.get_by_test_id("decision-status").get_attribute("data-status") == DecisionStatus.AWAITING_APPROVAL
    _logout(page, live_server)

    # 3. The approver approves: the certificate is issued and its PDFs rendered.
    login(s.approver.username)
    page.goto(f"{live_server.url}/certification/decisions/{decision.pk}/")
    page.get_by_test_id("approval-form").locator('input[name="conclusion"][value="approve"]').check()
    _submit(page, "approve", timeout=240_000)
    assert page.get_by_test_id("decision-status").get_attribute("data-status") == DecisionStatus.APPROVED
    certificate = Certificate.objects.get(decision=decision)
    assert certificate.status == CertificateStatus.VALID
    assert page.get_by_test_id("issued-certificate").inner_text() == certificate.number
    issued = CertificateVersion.objects.filter(certificate=certificate, kind=VersionKind.ISSUED)
    _wait_until(lambda: issued.count() == 2)  # rendered by the task (a real worker when a broker is set)
    assert sorted(issued.values_list("language", flat=True)) == ["en", "zh-hans"]
    _logout(page, live_server)

    # 4. The client downloads the issued certificate from the portal.
    login(customer.username)
    page.goto(f"{live_server.url}/certification/certificates/mine/")
    row = page.get_by_test_id("portal-certificates").locator(f'tr[data-certificate="{certificate.pk}"]')
    assert certificate.number in row.inner_text()
    version = issued.get(language="zh-hans")
    with page.expect_download() as download_info:
        row.locator('[data-testid="portal-certificate-pdf"][data-language="zh-hans"]').click()
    with open(download_info.value.path(), "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    _logout(page, live_server)

    # 5. The public page, opened from the URL the QR code carries (no login): valid.
    qr_url = version.data["certificate"]["public_url"]
    assert qr_url == f"{live_server.url}/verify/{certificate.public_token}/"
    page.goto(qr_url)
    card = page.get_by_test_id("certificate")
    assert card.get_by_test_id("certificate-number").inner_text() == certificate.number
    assert card.get_by_test_id("certificate-status").inner_text().startswith("01")

    # 6. A suspension decision (opened from the certificate page, evaluated, approved) ...
    reason = suspension_reason("0112")
    ends_on = timezone.localdate() + datetime.timedelta(days=60)
    login(s.evaluator.username)
    page.goto(f"{live_server.url}/certification/certificates/{certificate.pk}/")
    _submit(page, "certificate-decide")
    assert page.locator('select[name="decision_type"]').input_value() == DecisionType.SUSPEND
    # The form shows what the chosen type uses: a restoration has no reason code nor end date.
    page.locator('select[name="decision_type"]').select_option(DecisionType.RESTORE)
    assert not page.locator('select[name="reason"]').is_visible()
    assert not page.locator('input[name="suspension_ends_on"]').is_visible()
    page.locator('select[name="decision_type"]').select_option(DecisionType.SUSPEND)
    page.locator('select[name="reason"]').select_option(str(reason.pk))
    page.locator('input[name="suspension_ends_on"]').fill(ends_on.isoformat())
    _submit(page, "decision-open-submit")
    suspension = Decision.objects.get(decision_type=DecisionType.SUSPEND)
    page.get_by_test_id("evaluation-form").locator('input[name="conclusion"][value="agree"]').check()
    _submit(page, "evaluate")
    _logout(page, live_server)
    login(s.approver.username)
    page.goto(f"{live_server.url}/certification/decisions/{suspension.pk}/")
    page.get_by_test_id("approval-form").locator('input[name="conclusion"][value="approve"]').check()
    _submit(page, "approve")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED and certificate.suspended_until == ends_on
    _logout(page, live_server)

    # ... the public page shows it suspended, and it is on the public list of suspensions.
    page.goto(qr_url)
    assert page.get_by_test_id("certificate").get_by_test_id("certificate-status").inner_text().startswith("02")
    page.goto(f"{live_server.url}/verify/suspended/")
    assert certificate.number in page.get_by_test_id("suspended-list").inner_text()
