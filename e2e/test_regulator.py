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


def test_cb_admin_imports_a_past_month_and_exports_it_with_its_imported_records(page, live_server, login, tmp_path):
    from audits.tests.factories import iso9001
    from regulator.tests.factories import cb_settings
    from regulator.tests.test_round_trip import CERT_ROWS, RESULT_ROWS, auditors, workbook

    UserFactory(role=Role.CB_ADMIN, username="e2e-admin")
    cb_settings()
    iso9001()
    auditors()
    path = tmp_path / "2026-03.xlsx"
    path.write_bytes(workbook(CERT_ROWS, RESULT_ROWS))
    login("e2e-admin")

    page.goto(f"{live_server.url}/regulator/import/")
    page.locator("[name=workbook]").set_input_files(str(path))
    page.locator("[name=month]").fill("2026-03")
    page.locator("[name=apply]").check()
    page.locator("form button.btn-primary").first.click()
    assert page.get_by_test_id("import-report").inner_text().count("\tcreate\t") == 14
    page.goto(f"{live_server.url}/regulator/?month=2026-03&imported=1")
    assert "(103010): 6" in page.content() and "(103011): 8" in page.content()
    page.locator("[name=draft]").first.check()
    page.get_by_test_id("include-imported").check()
    page.get_by_test_id("export-month").click()
    page.wait_for_load_state()
    submission = Submission.objects.get(kind="monthly")
    assert submission.rows == {"cnca_103010": 6, "cnca_103011": 8}
