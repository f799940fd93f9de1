"""A new organisation in the browser, in Chinese: it registers itself on the public page (a
prospective client, logged in at once) → applies in the portal for ISO 9001 + ISO 14001 → the
CB reviews, quotes; the client accepts the quotation and the agreement → the CB signs → the
programme and the stage 1 audit exist with the application's data → the first invoice is issued
and marked paid, and the client sees it paid in the portal."""

import re

import pytest

from accounts.tests.factories import UserFactory
from applications.models import Contract, Invoice, Registration
from applications.tests import factories as f
from audits.models import AuditType
from clients.tests.factories import technical_area
from core.access import Role
from core.identifiers import credit_code_check_char

PASSWORD = "Xinqiye-2026-secure!"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _submit(page, locator):
    with page.expect_navigation():
        locator.click()


def _as(page, live_server, login, username, url, password="pw-for-tests-1"):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")
    login(username, password)
    page.goto(url)


def test_a_new_organisation_registers_applies_contracts_and_pays(page, live_server, login, private_media):
    UserFactory(username="cbadmin", role=Role.CB_ADMIN, full_name="钱管理")
    reviewer = f.reviewer()
    iso9001, iso14001 = f.iso9001(), f.iso14001()
    technical_area("33.02.01")
    f.price_list()
    code = "91110108MA01N7E2X" + credit_code_check_char("91110108MA01N7E2X")

    # 1. Registration on the public page (from the login page's link).
    page.goto(f"{live_server.url}/login/")
    _submit(page, page.get_by_test_id("register-link"))
    assert page.get_by_role("heading", name="注册贵组织").is_visible()
    form = page.get_by_test_id("registration-form")
    form.locator("[name=name_zh]").fill("新企业环保科技有限公司")
    form.locator("[name=name_en]").fill("Xinqiye Environmental Tech Co., Ltd.")
    form.locator("[name=credit_code]").fill(code[:17] + ("0" if code[17] != "0" else "1"))  # a typo first
    form.locator("[name=contact_name]").fill("孙注册")
    form.locator("[name=email]").fill("sun@xinqiye.example")
    form.locator("[name=phone]").fill("010-66668888")
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=password_again]").fill(PASSWORD)
    _submit(page, page.get_by_test_id("registration-submit"))
    assert "统一社会信用代码" in page.get_by_test_id("registration-form").inner_text()
    form.locator("[name=credit_code]").fill(code)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=password_again]").fill(PASSWORD)
    _submit(page, page.get_by_test_id("registration-submit"))
    page.wait_for_url(f"{live_server.url}/applications/new/")
    registration = Registration.objects.get(credit_code=code)
    client = registration.client
    assert client.prospective

    # 2. The application, at once in the portal.
    form = page.get_by_test_id("application-form")
    form.locator("[name=kind]").select_option("initial")
    form.locator("[name=address_zh]").fill("北京市朝阳区环保路8号")
    form.locator("[name=contact_phone]").fill("010-66668888")
    form.locator("[name=headcount]").fill("25")
    form.locator("[name=preferred_from]").fill("2027-04-06")
    form.locator("[name=codes]").fill("33.02.01")
    form.locator("[name=std-0-standard]").select_option(str(iso9001.pk))
    form.locator("[name=std-0-scope_zh]").fill("环保软件的开发")
    form.locator("[name=std-1-standard]").select_option(str(iso14001.pk))
    form.locator("[name=std-1-scope_zh]").fill("环保软件的开发所涉及的环境管理活动")
    form.locator("[name=std-1-complexity]").select_option("low")
    form.locator("[name=site-0-kind]").select_option("registered")
    form.locator("[name=site-0-address_zh]").fill("北京市朝阳区环保路8号")
    form.locator("[name=site-0-is_central]").check()
    form.locator("[name=site-0-headcount]").fill("25")
    _submit(page, page.get_by_test_id("save-draft"))
    detail = page.url
    _submit(page, page.get_by_test_id("do-submit"))
    assert page.get_by_test_id("application-status").inner_text() == "已提交"
    username = registration.user.username

    # 3. Review (the administrator starts it, the competent reviewer accepts), quotation.
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("do-start_review"))
    _as(page, live_server, login, reviewer.username, detail)
    _submit(page, page.get_by_test_id("open-review"))
    review = page.get_by_test_id("review-form")
    for key in f.ALL_OK:
        review.locator(f"[name={key}_ok]").select_option("yes")
        review.locator(f"[name={key}_remark]").fill("符合要求")
    review.locator("[name=result]").select_option("accept")
    _submit(page, page.get_by_test_id("review-conclude"))
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("issue-quotation"))

    # 4. The client accepts the quotation (with a remark) and, once issued, the agreement.
    _as(page, live_server, login, username, detail, PASSWORD)
    page.get_by_test_id("quotation-note").fill("同意报价")
    _submit(page, page.get_by_test_id("quotation-accept"))
    assert page.get_by_test_id("quotation-status").inner_text() == "客户已接受"
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("issue-contract"))
    _as(page, live_server, login, username, detail, PASSWORD)
    _submit(page, page.get_by_test_id("contract-accept"))
    _as(page, live_server, login, "cbadmin", detail)
    _submit(page, page.get_by_test_id("contract-sign"))
    assert page.get_by_test_id("contract-status").inner_text() == "已签订"

    # 5. The programme and the stage 1 audit carry the application's data; no longer prospective.
    contract = Contract.objects.get(application__client=client)
    assert contract.quotation.response_note == "同意报价"
    programme = contract.programme
    assert set(programme.standards.values_list("code", flat=True)) == {"ISO 9001", "ISO 14001"}
    audit = contract.stage_1_audit
    assert audit.audit_type == AuditType.STAGE_1 and audit.client == client and audit.effective_personnel == 25
    assert str(audit.start_date) == "2027-04-06"
    client.refresh_from_db()
    assert not client.prospective

    # 6. The first invoice: issued, then marked paid; the client sees it paid.
    _submit(page, page.get_by_test_id("contract-invoices"))
    issue = page.get_by_test_id("invoice-issue")
    issue.locator("[name=milestone]").select_option("application")
    _submit(page, page.get_by_test_id("invoice-issue-submit"))
    invoice = Invoice.objects.get(contract=contract)
    assert invoice.amount == 500 and invoice.status == "issued"
    row = page.get_by_test_id("invoice-table").locator(f"[data-number='{invoice.number}']")
    assert "已开具，未付款" in row.inner_text()
    _submit(page, page.get_by_test_id(f"invoice-actions-{invoice.number}").get_by_test_id("invoice-pay"))
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.paid_by.username == "cbadmin"
    _as(page, live_server, login, username, f"{live_server.url}/applications/invoices/mine/", PASSWORD)
    mine = page.get_by_test_id("portal-invoices")
    assert invoice.number in mine.inner_text() and "已付款" in mine.inner_text()
