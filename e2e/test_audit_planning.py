"""The CB administrator plans an audit end to end in the browser: chooses the client, the
standard and the dates, sees the IAF MD 5 man-days, staffs the team with a leader, pre-fills
the itinerary from the client's responsibility matrix and opens the printable plan."""

import re

from accounts.tests.factories import UserFactory
from audits.models import Audit, TeamRole
from audits.tests.factories import (
    ClauseFactory,
    ClientFactory,
    DepartmentFactory,
    ResponsibilityFactory,
    iso9001,
    qualified_profile,
    technical_area,
)
from clients.tests.factories import ClientScopeFactory
from core.access import Role


def test_cb_admin_plans_an_audit_end_to_end(page, live_server, login):
    client = ClientFactory(name_zh="浏览器测试科技有限公司", headcount=15)
    standard = iso9001()
    ClientScopeFactory(client=client, standard=standard)
    client.technical_areas.add(technical_area("33.02.01"))
    management = DepartmentFactory(client=client, name_zh="管理层", order=1)
    office = DepartmentFactory(client=client, name_zh="综合部", order=2)
    ResponsibilityFactory(department=management, clause=ClauseFactory(standard=standard, number="5.1"))
    ResponsibilityFactory(department=office, clause=ClauseFactory(standard=standard, number="9.2"))
    leader = qualified_profile(
        user=UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽"), registration_number="2018-N1QMS-2205805"
    )
    UserFactory(role=Role.CB_ADMIN, username="planner")

    login("planner")
    page.goto(f"{live_server.url}/audits/new/")
    page.select_option("select[name=client]", label=client.name_zh)
    page.get_by_test_id("choose-client").get_by_role("button").click()

    form = page.get_by_test_id("audit-form")
    form.locator("select[name=audit_type]").select_option("stage_2")
    assert form.locator(f"input[name=standards][value='{standard.pk}']").is_checked()  # from the client's scope
    form.locator("input[name=start_date]").fill("2030-01-07")
    form.locator("input[name=end_date]").fill("2030-01-08")
    form.locator("input[name=on_site_days]").fill("2")
    page.get_by_test_id("calculate").click()
    assert page.get_by_test_id("calculated-man-days").inner_text() == "2"
    assert "IAF MD 5:2019 Annex A, Table QMS 1" in page.get_by_test_id("man-days").inner_text()
    assert "0.5" in page.get_by_test_id("stage-split").inner_text()
    page.get_by_test_id("save-audit").click()

    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    audit = Audit.objects.get(client=client)
    assert page.get_by_test_id("planned-man-days").inner_text() == "2"

    page.get_by_test_id("team-link").click()
    page.select_option("select[name=profile]", value=str(leader.pk))
    page.select_option("select[name=role]", TeamRole.LEADER.value)
    page.get_by_test_id("team-add").get_by_role("button").click()
    page.get_by_test_id("team-ok").wait_for()
    assert "2018-N1QMS-2205805" in page.get_by_test_id("team-table").inner_text()

    page.goto(f"{live_server.url}/audits/{audit.pk}/itinerary/")
    page.get_by_test_id("prefill").click()
    rows = page.get_by_test_id("itinerary-row")
    # The two meetings, the two departments (some over both days) and one empty line for a new entry.
    assert rows.count() >= 5
    page.get_by_test_id("print-link").click()
    sheet = page.get_by_test_id("plan-sheet")
    text = sheet.inner_text()
    assert "管理层" in text and "综合部" in text and "Q 9.2" in text and "朱晓丽" in text
    assert "首次会议" in text and "末次会议" in text and "2030-01-08" in text
    assert page.get_by_test_id("print-button").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
