"""From application to contract in the browser, in Chinese: a client user applies in
the portal for ISO 9001 + ISO 14001 → the CB administrator starts the review → a competent
reviewer answers the checklist and accepts → the administrator quotes → the client accepts the
quotation → the administrator issues the agreement → the client accepts it in the portal → the
administrator signs → the programme and the stage 1 audit exist with the application's data.

(The client is an existing client user; a new organisation registering itself, then paying its
first invoice, is e2e/test_registration_invoices.py.)"""

import datetime
import re

import pytest

from accounts.tests.factories import UserFactory
from applications.models import Application, Contract
from applications.tests import factories as f
from audits.models import AuditType
from clients.tests.factories import ClientFactory, technical_area
from core.access import Role


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit(page, locator):
    with page.expect_navigation():
        locator.click()


def _logout(page, live_server):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")


def _as(page, live_server, login, username, url):
    _logout(page, live_server)
    login(username)
    page.goto(url)


def test_client_applies_and_signing_creates_the_programme(page, live_server, login, private_media):
    client = ClientFactory(name_zh="浏览器申请科技有限公司", headcount=40)
    UserFactory(username="applicant", role=Role.CLIENT, client=client, full_name="赵申请")
    UserFactory(username="cbadmin", role=Role.CB_ADMIN, full_name="钱管理")
    reviewer = f.reviewer()
    iso9001, iso14001 = f.iso9001(), f.iso14001()
    technical_area("33.02.01")
    f.price_list()

    # 1. The client applies in the portal (in Chinese).
    login("applicant")
    page.goto(f"{live_server.url}/applications/mine/")
    assert page.get_by_role("heading", name="我的认证申请").is_visible()
    _submit(page, page.get_by_test_id("portal-apply"))
    form = page.get_by_test_id("application-form")
    form.locator("[name=kind]").select_option("initial")
    form.locator("[name=address_zh]").fill("北京市海淀区中关村大街1号")
    form.locator("[name=contact_name]").fill("赵申请")
    form.locator("[name=contact_phone]").fill("010-88886666")
    form.locator("[name=headcount]").fill("40")
    form.locator("[name=part_time_staff]").fill("3")
    form.locator("[name=preferred_from]").fill("2027-03-01")
    form.locator("[name=codes]").fill("33.02.01")
    form.locator("[name=std-0-standard]").select_option(str(iso9001.pk))
    form.locator("[name=std-0-scope_zh]").fill("软件开发及信息技术服务")
    form.locator("[name=std-1-standard]").select_option(str(iso14001.pk))
    form.locator("[name=std-1-scope_zh]").fill("软件开发及信息技术服务所涉及的环境管理活动")
    form.locator("[name=std-1-complexity]").select_option("low")
    form.locator("[name=site-0-kind]").select_option("registered")
    form.locator("[name=site-0-address_zh]").fill("北京市海淀区中关村大街1号")
    form.locator("[name=site-0-is_central]").check()
    form.locator("[name=site-0-headcount]").fill("40")
    _submit(page, page.get_by_test_id("save-draft"))
    assert page.get_by_test_id("application-status").inner_text() == "草稿"
    detail = page.url
    _submit(page, page.get_by_test_id("do-submit"))
    assert page.get_by_test_id("application-status").inner_text() == "已提交"
    application = Application.objects.get(client=client)

    # 2. The administrator starts the review; 3. the competent reviewer concludes it.
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("do-start_review"))
    _as(page, live_server, login, reviewer.username, detail)
    _submit(page, page.get_by_test_id("open-review"))
    assert page.get_by_test_id("coverage").inner_text().count("33.02.01") == 1
    review = page.get_by_test_id("review-form")
    for key in f.ALL_OK:
        review.locator(f"[name={key}_ok]").select_option("yes")
        review.locator(f"[name={key}_remark]").fill("符合要求")
    review.locator("[name=result]").select_option("accept")
    _submit(page, page.get_by_test_id("review-conclude"))
    assert page.get_by_test_id("application-status").inner_text() == "已接受"

    # 4. The administrator quotes; 5. the client accepts in the portal.
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("issue-quotation"))
    total = page.get_by_test_id("quotation-total").inner_text()
    _as(page, live_server, login, "applicant", detail)
    assert page.get_by_test_id("review-result").inner_text().startswith("申请评审")
    assert page.get_by_test_id("quotation-total").inner_text() == total
    _submit(page, page.get_by_test_id("quotation-accept"))
    assert page.get_by_test_id("quotation-status").inner_text() == "客户已接受"

    # 6. The agreement: issued, accepted by the client in the portal, signed by the CB.
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("issue-contract"))
    number = page.get_by_test_id("contract-number").inner_text()
    _as(page, live_server, login, "applicant", detail)
    _submit(page, page.get_by_test_id("contract-accept"))
    assert "赵申请" in page.get_by_test_id("contract-accepted").inner_text()
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("contract-sign"))
    assert page.get_by_test_id("contract-status").inner_text() == "已签订"
    assert page.get_by_test_id("application-status").inner_text() == "已签合同"

    # 7. Nothing retyped: the programme and the stage 1 audit carry the application's data.
    contract = Contract.objects.get(number=number)
    assert str(contract.amount) == total
    programme = contract.programme
    assert programme.client == client
    assert set(programme.standards.values_list("code", flat=True)) == {"ISO 9001", "ISO 14001"}
    audit = contract.stage_1_audit
    assert audit.audit_type == AuditType.STAGE_1 and audit.programme == programme
    assert audit.start_date == datetime.date(2027, 3, 1)
    assert audit.effective_personnel == 40
    assert {s.standard.code: s.complexity for s in audit.audit_standards.all()} == {"ISO 9001": "", "ISO 14001": "low"}
    scopes = {s.standard.code: s.scope_zh for s in client.scopes.all()}
    assert scopes == {"ISO 9001": "软件开发及信息技术服务", "ISO 14001": "软件开发及信息技术服务所涉及的环境管理活动"}
    assert list(client.technical_areas.values_list("code", flat=True)) == ["33.02.01"]
    application.refresh_from_db()
    assert application.part_time_staff == 3
    page.get_by_test_id("contract-stage-1").click()
    page.wait_for_url(re.compile(rf"/audits/{audit.pk}/$"))
