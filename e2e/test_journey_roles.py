"""Each role logs in, sees its own start page, switches language and logs out."""

import pytest
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.access import Role

SECTION = {
    Role.CB_ADMIN: "admin",
    Role.AUDITOR: "auditor",
    Role.TEAM_LEADER: "auditor",
    Role.COMMITTEE: "committee",
    Role.CLIENT: "client",
}


@pytest.mark.parametrize("role", Role.values)
def test_role_logs_in_sees_home_switches_language_and_logs_out(page, live_server, login, role):
    user = UserFactory(role=role, username=f"e2e-{role}")
    login(user.username)

    with translation.override("zh-hans"):
        expected_zh = f"{Role(role).label}首页"
    assert page.get_by_test_id("home-title").inner_text() == expected_zh
    assert user.full_name in page.get_by_test_id("current-user").inner_text()
    # The start page answers the role's first question in its own section (dashboard.selectors).
    assert page.get_by_test_id(f"home-{SECTION[role]}").count() == 1
    assert page.locator('a[href="/admin/"]').count() == (1 if role == Role.CB_ADMIN else 0)

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    with translation.override("en"):
        assert page.get_by_test_id("home-title").inner_text() == f"{Role(role).label} start page"
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
