"""A CB administrator sees the month's CNCA sheets with a validation problem, follows its link to
fix the client's credit code, exports the month and finds it in the submission history."""

import datetime

from accounts.tests.factories import UserFactory
from core.access import Role
from core.dates import local_today
from regulator.models import Submission
from regulator.tests.factories import VALID_CREDIT_CODE, reportable


def test_cb_admin_fixes_a_problem_and_exports_the_month(page, live_server, login):
    UserFactory(role=Role.CB_ADMIN, username="e2e-admin")
    due_month = (local_today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    reportable(issued_on=due_month + datetime.timedelta(days=4), credit_code=VALID_CREDIT_CODE[:-1] + "0")
    login("e2e-admin")

    page.goto(f"{live_server.url}/regulator/")
    problems = page.get_by_test_id("month-problems")
    assert "ORG_CODE" in problems.inner_text()
    problems.locator("a").first.click()
    page.locator("[name=credit_code]").fill(VALID_CREDIT_CODE)
    page.locator("form button.btn-primary").first.click()
    page.goto(f"{live_server.url}/regulator/")
    assert "ORG_CODE" not in page.get_by_test_id("month-problems").inner_text()
    page.get_by_test_id("export-month").click()
    page.wait_for_load_state()
    assert Submission.objects.filter(kind="monthly", draft=False).count() == 1
    assert "下载" in page.get_by_test_id("submissions").inner_text()
