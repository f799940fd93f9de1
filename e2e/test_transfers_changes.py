"""Before the audit, in the browser and in Chinese: a transfer of certification (IAF MD 2) and a
change of address ending in a reissued certificate.

Transfer: a competent reviewer records the pre-transfer review (facts and checklist) and concludes
it → the CB administrator proceeds (programme continuing the previous cycle, the transfer decision
for the committee) → a committee member evaluates → the approver approves → the certificate shows
where it was transferred from and keeps the previous expiry.

Change: the client user reports a new address in the portal → the CB administrator approves it →
the committee evaluates and approves the reissue decision → the reissued certificate (same number,
reissue 1) prints the new address and the client sees its change approved."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from applications.models import ApplicationStatus, ChangeRequest, TransferReview
from applications.tests import factories as f
from certification.models import Certificate, DecisionStatus
from certification.tests.factories import approver_user, certified_client, committee_user
from clients.models import SiteKind
from clients.tests.factories import SiteFactory
from core.access import Role


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _logout(page, live_server):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")


def _submit(page, test_id, timeout=60_000):
    with page.expect_navigation(timeout=timeout):
        page.get_by_test_id(test_id).click()


def _committee_decides(page, live_server, login, decision, evaluator, approver):
    login(evaluator.username)
    page.goto(f"{live_server.url}/certification/decisions/{decision.pk}/")
    page.get_by_test_id("evaluation-form").locator('input[name="conclusion"][value="agree"]').check()
    page.locator('textarea[name="closing_meeting_differences"]').fill("无")
    _submit(page, "evaluate")
    assert page.get_by_test_id("decision-status").get_attribute("data-status") == DecisionStatus.AWAITING_APPROVAL
    _logout(page, live_server)
    login(approver.username)
    page.goto(f"{live_server.url}/certification/decisions/{decision.pk}/")
    page.get_by_test_id("approval-form").locator('input[name="conclusion"][value="approve"]').check()
    _submit(page, "approve", timeout=240_000)
    assert page.get_by_test_id("decision-status").get_attribute("data-status") == DecisionStatus.APPROVED


def test_transfer_from_another_cb(page, live_server, login, private_media, celery_worker_if_broker):
    admin = UserFactory(username="e2e-transfer-admin", role=Role.CB_ADMIN, full_name="钱管理")
    application = f.transfer_under_review(admin=admin)
    reviewer = f.reviewer()
    evaluator, approver = committee_user(full_name="李委员"), approver_user(full_name="王建国")
    today = timezone.localdate()

    # 1. The reviewer records the pre-transfer review and concludes it.
    login(reviewer.username)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    _submit(page, "open-transfer-review")
    assert page.get_by_test_id("previous-cb").inner_text() == "某认证有限公司"
    form = page.get_by_test_id("transfer-review-form")
    form.locator("[name=certificate_state]").select_option("valid")
    form.locator("[name=certificate_issued_on]").fill((today - datetime.timedelta(days=500)).isoformat())
    form.locator("[name=accreditation_body]").fill("中国合格评定国家认可委员会（CNAS）")
    form.locator("[name=ab_mla_signatory]").select_option("yes")
    form.locator("[name=accreditation_state]").select_option("valid")
    form.locator("[name=last_audit]").select_option("surveillance_1")
    form.locator("[name=last_audit_on]").fill((today - datetime.timedelta(days=90)).isoformat())
    form.locator("[name=open_minor_ncs]").fill("1")
    form.locator("[name=transfer_reason]").fill("原机构服务网点撤销")
    for key in f.TRANSFER_OK:
        form.locator(f"[name={key}_ok]").select_option("yes")
        form.locator(f"[name={key}_remark]").fill("已核实")
    _submit(page, "transfer-save")
    assert page.get_by_test_id("transfer-outcome").inner_text() == "无需审核即可转换"
    _submit(page, "transfer-conclude")
    assert page.get_by_test_id("application-status").inner_text() == ApplicationStatus.ACCEPTED.label
    _logout(page, live_server)

    # 2. The CB administrator proceeds: programme and transfer decision.
    login(admin.username)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    _submit(page, "transfer-proceed")
    assert page.get_by_test_id("transfer-programme").is_visible()
    review = TransferReview.objects.get(application=application)
    assert review.programme.starts_with_initial_audit is False and review.decision is not None
    _logout(page, live_server)

    # 3. The committee evaluates and approves: the certificate keeps the previous one's facts.
    _committee_decides(page, live_server, login, review.decision, evaluator, approver)
    certificate = Certificate.objects.get(decision=review.decision)
    page.goto(f"{live_server.url}/certification/certificates/{certificate.pk}/")
    _logout(page, live_server)
    login(admin.username)
    page.goto(f"{live_server.url}/certification/certificates/{certificate.pk}/")
    assert "某认证有限公司 · 01321Q12345R0S" in page.get_by_test_id("transferred-from").inner_text()
    assert page.get_by_test_id("expires-on").inner_text() == application.existing_certificate_expires_on.isoformat()


def test_change_of_address_ends_in_a_reissued_certificate(
    page, live_server, login, private_media, celery_worker_if_broker
):
    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区旧路1号")
    UserFactory(username="e2e-change-client", role=Role.CLIENT, client=certified.client, full_name="赵客户")
    admin = UserFactory(username="e2e-change-admin", role=Role.CB_ADMIN, full_name="钱管理")
    evaluator, approver = committee_user(full_name="李委员"), approver_user(full_name="王建国")

    # 1. The client reports its new address in the portal.
    login("e2e-change-client")
    page.goto(f"{live_server.url}/applications/mine/")
    _submit(page, "portal-changes")
    _submit(page, "change-new")
    form = page.get_by_test_id("change-form")
    form.locator("[name=kind]").select_option("address")
    form.locator("[name=address_zh]").fill("北京市朝阳区新路8号")
    _submit(page, "change-submit")
    assert page.get_by_test_id("change-status").inner_text() == "已提交"
    change = ChangeRequest.objects.get()
    _logout(page, live_server)

    # 2. The CB administrator approves: the client's address changes, a reissue is proposed.
    login(admin.username)
    page.goto(f"{live_server.url}/applications/changes/{change.pk}/")
    page.locator("[name=note]").fill("营业执照已核对")
    _submit(page, "change-approve")
    assert page.get_by_test_id("change-status").inner_text() == "已批准"
    assert page.get_by_test_id("change-decision").is_visible()
    change.refresh_from_db()
    _logout(page, live_server)

    # 3. The committee evaluates and approves the reissue.
    _committee_decides(page, live_server, login, change.decision, evaluator, approver)
    reissued = Certificate.objects.get(replaces=certified.certificate)
    _logout(page, live_server)
    login(admin.username)
    page.goto(f"{live_server.url}/certification/certificates/{reissued.pk}/")
    assert "北京市朝阳区新路8号" in page.get_by_test_id("certificate-fields").inner_text()
    assert page.get_by_test_id("certificate-title").inner_text().startswith(certified.certificate.number)
    assert "1" in page.get_by_test_id("certificate-title").inner_text()
    _logout(page, live_server)

    # 4. The client sees its change approved.
    login("e2e-change-client")
    page.goto(f"{live_server.url}/applications/changes/{change.pk}/")
    assert page.get_by_test_id("change-status").inner_text() == "已批准"
