"""Report authoring in the browser: an auditor fills a topic (autosave), records a finding and
raises a nonconformity, submits; the team leader returns one topic with a comment; the auditor
fixes it (autosave again) and resubmits; the leader approves and the report is locked."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from accounts.tests.factories import UserFactory
from core.access import Role
from findings.models import Nonconformity
from reports import services
from reports.models import ReportStatus
from reports.template_loader import load_report_template
from reports.tests.factories import DepartmentFactory, ReportSetup, ensure_shipped_standards, fill_report

TOPIC = "context_of_organization"


def _switch_user(page, login, username):
    # Leave the editor first: its htmx polling could answer after the cookies are cleared and
    # set a new CSRF cookie under the login form (a flaky 403 on the login POST).
    page.goto("about:blank")
    page.context.clear_cookies()
    login(username)


def _pick_clause(form, number):
    """Type into the clause picker and click the match. The form arrives by htmx: a keystroke
    typed before htmx has bound the search box sends nothing, so type again until it answers."""
    box = form.get_by_role("searchbox")
    match = form.locator("[data-clause-pick]").filter(has_text=number).first
    for _attempt in range(5):
        box.fill("")
        box.fill(number)
        try:
            match.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            continue
    match.click()


def _card(page, setup):
    return page.locator(f'[data-topic="{TOPIC}"]').first


def test_auditor_writes_leader_returns_auditor_fixes_leader_approves(page, live_server, login):
    ensure_shipped_standards()
    load_report_template()
    leader_user = UserFactory(role=Role.TEAM_LEADER, username="e2e-leader", full_name="朱晓丽")
    auditor_user = UserFactory(role=Role.AUDITOR, username="e2e-auditor", full_name="李审核")
    setup = ReportSetup(leader_user=leader_user, auditor_user=auditor_user)
    DepartmentFactory(client=setup.audit.client, name_zh="综合部")
    setup.assign(TOPIC, setup.auditor)
    fill_report(setup, skip={TOPIC})  # every other part is written: only the auditor's topic is missing
    editor_url = f"{live_server.url}/reports/{setup.report.pk}/"

    # 1. The auditor writes the topic; it saves itself while typing and survives a reload.
    login("e2e-auditor")
    page.goto(editor_url)
    card = _card(page, setup)
    text = card.get_by_test_id("topic-text")
    text.click()
    text.type("企业2005年4月成立，组织环境识别充分，符合要求。", delay=5)
    assert card.get_by_test_id("save-state").get_attribute("data-state") in ("unsaved", "saved")
    card.get_by_test_id("save-state").filter(has_text="版本 1").wait_for()
    assert card.get_by_test_id("save-state").get_attribute("data-state") == "saved"
    page.reload()
    assert "组织环境识别充分" in _card(page, setup).get_by_test_id("topic-text").input_value()

    # 2. The auditor records a finding (clause picker) and raises a minor NC from it.
    page.get_by_test_id("add-finding").click()
    form = page.get_by_test_id("finding-form")
    _pick_clause(form, "7.5.3")
    form.locator("select[name=department]").select_option(label="综合部")
    form.locator("textarea[name=description]").fill("受控文件清单为A/0版，手册为A/1版，版本不一致")
    form.locator("textarea[name=evidence]").fill("查《受控文件清单》")
    page.get_by_test_id("save-finding").click()
    page.get_by_test_id("finding-row").filter(has_text="版本不一致").get_by_test_id("raise-nc").click()
    nc_form = page.get_by_test_id("nc-form")
    nc_form.locator("input[name=grade][value=minor]").check()
    nc_form.locator("textarea[name=requirement]").fill("GB/T 19001-2016 7.5.3 成文信息的控制")
    page.get_by_test_id("save-nc").click()
    assert "NC-1" in page.get_by_test_id("nonconformities").inner_text()
    nc = Nonconformity.objects.get(audit=setup.audit)
    assert (nc.grade, nc.status, nc.clause.number) == ("minor", "open", "7.5.3")

    # 3. The report is complete: the auditor submits it to the team leader.
    page.get_by_test_id("completion-link").click()
    page.get_by_test_id("complete").wait_for()
    page.goto(editor_url)
    page.get_by_test_id("submit-report").click()
    assert "已提交审核组长" in page.get_by_test_id("report-status").inner_text()

    # 4. The leader returns the auditor's topic with a comment.
    _switch_user(page, login, "e2e-leader")
    page.goto(editor_url)
    page.get_by_test_id("return-report").click()
    page.locator(f'[data-topic="{TOPIC}"] textarea').fill("请补充企业名称变更手续的核查情况")
    page.get_by_test_id("confirm-return").click()
    assert "已退回修改" in page.get_by_test_id("report-status").inner_text()

    # 5. The auditor sees the comment, fixes the topic (autosave) and resubmits.
    _switch_user(page, login, "e2e-auditor")
    page.goto(editor_url)
    card = _card(page, setup)
    assert "请补充企业名称变更手续的核查情况" in card.get_by_test_id("topic-comment").inner_text()
    text = card.get_by_test_id("topic-text")
    text.click()
    text.press("End")
    text.type("2019年9月企业名称变更，查变更手续，符合要求。", delay=5)
    card.get_by_test_id("save-state").filter(has_text="版本 2").wait_for()
    page.reload()
    assert "已修改" in _card(page, setup).get_by_test_id("topic-comment").inner_text()
    page.get_by_test_id("submit-report").click()
    assert "已提交审核组长" in page.get_by_test_id("report-status").inner_text()

    # 6. The leader approves; the content is locked.
    _switch_user(page, login, "e2e-leader")
    page.goto(editor_url)
    page.get_by_test_id("approve-report").click()
    assert "已批准" in page.get_by_test_id("report-status").inner_text()
    page.get_by_test_id("locked-banner").wait_for()
    assert page.get_by_test_id("topic-text").count() == 0
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.APPROVED
    assert "名称变更" in setup.report.topics.get(topic__key=TOPIC).text

    page.get_by_test_id("preview-link").click()
    preview = page.get_by_test_id("report-preview")
    assert re.search(r"十九、附件", preview.inner_text())
    assert "本次审核共开具不符合项报告1项" in preview.inner_text()


def test_two_people_editing_one_topic_keep_both_texts(page, live_server, login):
    ensure_shipped_standards()
    load_report_template()
    leader_user = UserFactory(role=Role.TEAM_LEADER, username="e2e-leader2", full_name="朱晓丽")
    auditor_user = UserFactory(role=Role.AUDITOR, username="e2e-auditor2", full_name="李审核")
    setup = ReportSetup(leader_user=leader_user, auditor_user=auditor_user)
    setup.assign(TOPIC, setup.auditor)
    editor_url = f"{live_server.url}/reports/{setup.report.pk}/"

    login("e2e-auditor2")
    page.goto(editor_url)  # the auditor's editor starts from version 0
    content = setup.content(TOPIC)
    services.topic_save(content=content, text="组长先保存的文字", version=0, by=setup.leader_user)

    card = _card(page, setup)
    text = card.get_by_test_id("topic-text")
    text.click()
    text.type("组员的文字", delay=5)
    panel = page.get_by_test_id("conflict-panel").first
    panel.wait_for()
    assert "组长先保存的文字" in panel.get_by_test_id("conflict-theirs").inner_text()
    assert "组员的文字" in panel.get_by_test_id("conflict-mine").inner_text()
    content.refresh_from_db()
    assert content.text == "组长先保存的文字"  # nothing overwritten

    panel.get_by_test_id("merge-text").fill("组长先保存的文字\n组员的文字")
    panel.get_by_test_id("save-merged").click()
    page.locator(f'[data-topic="{TOPIC}"] [data-testid="save-state"]').filter(has_text="版本 2").wait_for()
    content.refresh_from_db()
    assert content.text == "组长先保存的文字\n组员的文字"  # both texts in the merged version
