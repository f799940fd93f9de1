"""The scheduling journey in the browser: the CB administrator staffs an integrated audit from the
"who can go" list, sees it in the calendar, drags it to a week where a team member is on leave and
is refused, the member named; the audit stays where it was."""

import datetime
import re

from accounts.tests.factories import UserFactory
from audits.models import Absence, Audit, TeamRole
from audits.tests.factories import AuditFactory, iso9001, iso14001, qualified_profile, technical_area
from core.access import Role


def _drag(page, source, target):
    """Drag an event held by its first day (its left end) onto a day cell."""
    box, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 16, box["y"] + box["height"] / 2 + 4, steps=5)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=15)
    page.mouse.up()


def test_staff_from_who_can_go_then_a_drag_onto_leave_is_refused(page, live_server, login):
    audit = AuditFactory(
        standards=[iso9001(), iso14001()],
        integrated=True,
        start_date=datetime.date(2030, 3, 5),
        end_date=datetime.date(2030, 3, 6),
    )
    audit.client.technical_areas.add(technical_area("33.02.01"))
    leader = qualified_profile(families=("QMS", "EMS"), user=UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽"))
    member = qualified_profile(
        families=("QMS", "EMS"), level="auditor", user=UserFactory(role=Role.AUDITOR, full_name="陈静")
    )
    Absence.objects.create(profile=member, start_date=datetime.date(2030, 3, 12), end_date=datetime.date(2030, 3, 13))
    UserFactory(role=Role.CB_ADMIN, username="planner")

    login("planner")
    page.goto(f"{live_server.url}/audits/{audit.pk}/team/")
    page.get_by_test_id("who-can-go-link").click()
    page.wait_for_url(re.compile(r"/who-can-go/$"))
    page.locator(f"input[name=leader][value='{leader.pk}']").check()
    page.locator(f"input[name=member][value='{member.pk}']").check()
    page.get_by_test_id("propose").click()
    page.wait_for_url(re.compile(rf"/audits/{audit.pk}/team/$"))
    assert {(a.profile_id, a.role) for a in audit.team.all()} == {
        (leader.pk, TeamRole.LEADER),
        (member.pk, TeamRole.AUDITOR),
    }

    page.goto(f"{live_server.url}/scheduling/calendar/?date=2030-03-01")
    event = page.locator("[data-testid=calendar-event][data-kind=audit]").first
    event.wait_for()
    assert audit.client.name_zh in event.inner_text()
    _drag(page, event, page.locator("td.fc-daygrid-day[data-date='2030-03-12']"))
    refused = page.get_by_test_id("move-refused")
    refused.wait_for()
    assert "陈静" in refused.inner_text() and "朱晓丽" not in refused.inner_text()
    assert Audit.objects.get(pk=audit.pk).start_date == datetime.date(2030, 3, 5)

    # A free week: the move goes through.
    _drag(
        page,
        page.locator("[data-testid=calendar-event][data-kind=audit]").first,
        page.locator("td.fc-daygrid-day[data-date='2030-03-19']"),
    )
    page.get_by_test_id("move-done").wait_for()
    assert Audit.objects.get(pk=audit.pk).start_date == datetime.date(2030, 3, 19)
