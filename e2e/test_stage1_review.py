"""Issue 18's journey in the browser: the client uploads its manual (in English) → the team leader
reviews it, confirms two proposals and dismisses one (in Chinese) → writes the stage 1 report
(its own template: the concerns printed from the database) and submits it → approves it "ready
for stage 2" → the client answers an area of concern on the portal's page of concerns (Chinese) →
stage 2 planning (the stage 2 audit's page) shows the one still open."""

from types import SimpleNamespace

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, AuditType, Stage1Outcome
from audits.tests.factories import AuditFactory
from core.access import Role
from reports.models import Report, ReportStatus
from reports.tests.factories import ensure_shipped_standards, fill_report
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
    ensure_shipped_standards()
    leader = UserFactory(role=Role.TEAM_LEADER, username="e2e-leader")
    audit = stage1_audit(leader, status=AuditStatus.IN_PROGRESS)
    UserFactory(role=Role.CLIENT, username="e2e-client", client=audit.client)
    UserFactory(role=Role.CB_ADMIN, username="e2e-admin")
    stage_2 = AuditFactory(client=audit.client, programme=audit.programme, audit_type=AuditType.STAGE_2)
    manual = tmp_path / "管理手册.docx"
    manual.write_bytes(spoiled_manual())
    stage1_page = f"{live_server.url}/stage1/audit/{audit.pk}/"

    login("e2e-client")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(stage1_page)
    assert "Stage 1: documents and areas of concern" in page.content()
    page.locator("summary").first.click()
    form = page.get_by_test_id("stage1-upload")
    form.locator("input[name=title]").fill("管理手册")
    form.locator("input[type=file]").set_input_files(str(manual))
    form.locator("button[type=submit]").click()
    page.get_by_test_id("documents").get_by_text("v1 · 管理手册.docx").wait_for()

    page.context.clear_cookies()
    login("e2e-leader")
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
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
    first, second = AreaOfConcern.objects.filter(audit=audit).order_by("pk")

    # The stage 1 report: started, one topic written in the editor (autosave), the rest filled
    # for the test, submitted; its part 四 prints the two concerns from the database.
    page.goto(f"{live_server.url}/reports/audit/{audit.pk}/")
    page.get_by_test_id("start-report").click()
    page.get_by_test_id("report-status").wait_for()
    report = Report.objects.get(audit=audit)
    assert report.template.key == "cnca_stage_1_report"
    card = page.locator('[data-topic="document_review_conclusion"]').first
    text = card.get_by_test_id("topic-text")
    text.click()
    text.type("手册覆盖三个标准的主要条款；8.4 子条款编号错误，仍引用 GB/T 28001。", delay=5)
    card.get_by_test_id("save-state").filter(has_text="版本 1").wait_for()
    fill_report(SimpleNamespace(report=report, leader_user=leader))
    page.reload()
    editor = page.content()
    assert "第一阶段审核报告" in editor or "关注事项" in editor
    assert first.text[:15] in editor and second.text[:15] in editor
    page.get_by_test_id("submit-report").click()
    assert "已提交审核组长" in page.get_by_test_id("report-status").inner_text()
    approve = page.get_by_test_id("stage-1-approve-form")
    approve.locator("input[name=stage_1_outcome][value=ready]").check()
    approve.locator("[name=stage_1_remark]").fill("文件基本齐全，关注事项须在第二阶段前答复。")
    approve.get_by_test_id("approve-report").click()
    assert "已批准" in page.get_by_test_id("report-status").inner_text()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert audit.stage_1_conclusion.outcome == Stage1Outcome.READY

    # The client answers on the portal's page of areas of concern, now in Chinese (its language
    # is remembered: it switches back).
    page.goto("about:blank")
    page.context.clear_cookies()
    login("e2e-client")
    page.goto(f"{live_server.url}/clients/portal/")
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    page.get_by_test_id("portal-nav-concerns").click()
    assert "等待您的答复" in page.get_by_test_id("portal-concerns-open").inner_text()
    page.get_by_test_id(f"portal-concern-answer-{first.pk}").click()
    form = page.get_by_test_id("concern-answer-form")
    form.locator("textarea[name=answer]").fill("已按 GB/T 19001-2016 重新编号。")
    form.locator("select[name=version]").select_option(index=1)
    page.get_by_test_id("concern-answer-submit").click()
    page.get_by_test_id("portal-concerns").get_by_text("已按 GB/T 19001-2016 重新编号。").wait_for()
    first.refresh_from_db()
    assert not first.is_open and first.answer_version is not None

    page.context.clear_cookies()
    login("e2e-admin")
    page.goto(f"{live_server.url}/audits/{stage_2.pk}/")
    panel = page.get_by_test_id("stage-1-concerns")
    text = panel.inner_text()
    assert "1" in text and second.text[:20] in text and first.text[:20] not in text
