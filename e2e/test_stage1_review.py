"""Issue 18's journey in the browser: the client uploads its manual → the team leader reviews it,
confirms two proposals and dismisses one → the client answers an area of concern → stage 2
planning (the stage 2 audit's page) shows the one still open. (The stage 1 report's approval is
the report app's journey, e2e/test_report_authoring.py.)"""

from accounts.tests.factories import UserFactory
from audits.models import AuditType
from audits.tests.factories import AuditFactory
from core.access import Role
from stage1.models import AreaOfConcern
from stage1.tests.factories import stage1_audit
from stage1.tests.manuals import as_docx, clean_manual, replace_heading


def spoiled_manual():
    manual = clean_manual(["ISO 9001:2015"])
    replace_heading(manual, "8.5", new_title="和服务提供")
    for n in ("8.4.1", "8.4.2", "8.4.3"):
        replace_heading(manual, n, new_number=n.replace("8.4.", "8.9."))
    manual.preface.append("本手册依据 GB/T 28001-2011 编制。")
    return as_docx(manual)


def test_upload_review_decide_answer_and_stage_2_sees_the_open_concern(page, live_server, login, tmp_path, eager_tasks):
    leader = UserFactory(role=Role.TEAM_LEADER, username="e2e-leader")
    audit = stage1_audit(leader)
    UserFactory(role=Role.CLIENT, username="e2e-client", client=audit.client)
    UserFactory(role=Role.CB_ADMIN, username="e2e-admin")
    stage_2 = AuditFactory(client=audit.client, programme=audit.programme, audit_type=AuditType.STAGE_2)
    manual = tmp_path / "管理手册.docx"
    manual.write_bytes(spoiled_manual())
    stage1_page = f"{live_server.url}/stage1/audit/{audit.pk}/"

    login("e2e-client")
    page.goto(stage1_page)
    page.locator("summary").first.click()
    form = page.get_by_test_id("stage1-upload")
    form.locator("input[name=title]").fill("管理手册")
    form.locator("input[type=file]").set_input_files(str(manual))
    form.locator("button[type=submit]").click()
    page.get_by_test_id("documents").get_by_text("v1 · 管理手册.docx").wait_for()

    page.context.clear_cookies()
    login("e2e-leader")
    page.goto(stage1_page)
    page.get_by_test_id("documents").locator("button[type=submit]").click()
    page.get_by_test_id("proposals").wait_for()
    assert "管理手册" in page.get_by_test_id("review-version").inner_text()
    rows = page.get_by_test_id("proposal")
    assert rows.count() == 3
    rows.nth(0).get_by_test_id("confirm").click()
    page.get_by_test_id("proposals").wait_for()
    page.get_by_test_id("proposal").nth(1).get_by_test_id("confirm").click()
    page.get_by_test_id("proposals").wait_for()
    third = page.get_by_test_id("proposal").nth(2)
    third.locator("input[name=reason]").fill("措辞差异")
    third.get_by_test_id("dismiss").click()
    page.get_by_test_id("proposal").nth(2).get_by_text("措辞差异").wait_for()
    assert AreaOfConcern.objects.filter(audit=audit).count() == 2

    page.context.clear_cookies()
    login("e2e-client")
    page.goto(stage1_page)
    first = AreaOfConcern.objects.filter(audit=audit).order_by("pk").first()
    answer = page.get_by_test_id(f"answer-{first.pk}")
    answer.locator("textarea").fill("已按 GB/T 19001-2016 重新编号。")
    answer.locator("button[type=submit]").click()
    page.get_by_test_id("concerns").get_by_text("已按 GB/T 19001-2016 重新编号。").wait_for()

    page.context.clear_cookies()
    login("e2e-admin")
    page.goto(f"{live_server.url}/audits/{stage_2.pk}/")
    panel = page.get_by_test_id("stage-1-concerns")
    text = panel.inner_text()
    second = AreaOfConcern.objects.filter(audit=audit).order_by("pk").last()
    assert "1" in text and second.text[:20] in text and first.text[:20] not in text
