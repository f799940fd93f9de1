"""The NC register's client filter is search-as-you-type: typing part of a name offers the
matching clients (from the JSON endpoint), choosing one and applying filters shows its NCs only."""

import pytest
from playwright.sync_api import expect

from audits.tests.factories import AuditFactory, ClientFactory
from findings.tests.factories import cast, make_nc

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_client_name_offers_it_and_filters_the_register(live_server, page, login):
    people = cast(audit_type="surveillance_1", client=ClientFactory(name_zh="中食互联网络科技有限公司"))
    people.admin.set_password("pw-for-tests-1")
    people.admin.save()
    make_nc(people.audit)
    for index in range(5):
        make_nc(AuditFactory(client=ClientFactory(name_zh=f"另一家公司{index}")))
    login(people.admin.username)
    page.goto(f"{live_server.url}/audits/nc/")
    assert page.locator('[data-testid="nc-row"]').count() == 6
    page.locator("#id_client-ts-control").fill("中食")
    option = page.locator(".ts-dropdown .option", has_text="中食互联网络科技有限公司")
    expect(page.locator(".ts-dropdown .option", has_text="另一家公司")).to_have_count(0)
    expect(option).to_have_count(1)
    option.click()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/audits/nc/?*client=*")
    assert page.locator('[data-testid="nc-row"]').count() == 1
