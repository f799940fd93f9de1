"""A nonconformity to closure in the browser: the client answers it with an evidence file, the
auditor rejects the answer once, the client answers again, the auditor accepts, the team leader
approves the closure; every round stays on the NC's page."""

import re

from audits.models import TeamRole
from audits.tests.factories import AuditFactory, ClientFactory, TeamAssignmentFactory, UserFactory, qualified_profile
from core.access import Role
from findings.models import Nonconformity, NonconformityResponse
from findings.tests.factories import PDF_BYTES, make_nc


def _logout(page):
    page.goto("about:blank")  # no request of the last page may set a cookie after the clear
    page.context.clear_cookies()  # a fresh session for the next person


def _status(nc):
    nc.refresh_from_db()
    return nc.status


def test_nc_goes_from_the_clients_answer_to_closure(page, live_server, login, tmp_path):
    organisation = ClientFactory(name_zh="浏览器测试软件有限公司", contact_email="fw@client.example")
    audit = AuditFactory(client=organisation, audit_type="stage_2")
    leader = UserFactory(role=Role.TEAM_LEADER, username="leader_e2e", full_name="朱晓丽")
    auditor = UserFactory(role=Role.AUDITOR, username="auditor_e2e", full_name="李审核")
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=auditor, level="auditor"), role=TeamRole.AUDITOR)
    UserFactory(role=Role.CLIENT, client=organisation, username="client_e2e", full_name="付微")
    nc = make_nc(audit, grade="minor", statement="受控文件清单中手册版本为A/0，现场使用A/1版", raised_by=auditor)
    evidence = tmp_path / "发放记录.pdf"
    evidence.write_bytes(PDF_BYTES)
    nc_url = f"{live_server.url}/clients/portal/nonconformities/{nc.pk}/"
    staff_url = f"{live_server.url}/audits/nc/{nc.pk}/"

    # 1. The client finds the NC on its start page and answers it with a file.
    login("client_e2e")
    page.get_by_role("link", name=re.compile(f"NC-{nc.number}")).first.click()
    page.wait_for_url(nc_url)
    form = page.get_by_test_id("response-form")
    form.locator("textarea[name=correction]").fill("收回A/0版手册，统一发放A/1版")
    form.locator("textarea[name=root_cause]").fill("文件更改后未更新受控文件清单")
    form.locator("textarea[name=corrective_action]").fill("修订文件控制程序，增加发放核对")
    form.locator("input[name=files]").set_input_files(str(evidence))
    page.get_by_test_id("response-submit").click()
    page.wait_for_url(nc_url)
    assert "发放记录.pdf" in page.get_by_test_id("nc-rounds").inner_text()
    assert page.get_by_test_id("response-form").count() == 0
    assert _status(nc) == "responded"
    _logout(page)

    # 2. The auditor rejects the answer once, with the reason.
    login("auditor_e2e")
    page.get_by_role("link", name=re.compile(f"NC-{nc.number}")).first.click()
    page.wait_for_url(staff_url)
    verify = page.get_by_test_id("verify-form")
    verify.locator("input[name=decision][value=reject]").check()
    verify.locator("textarea[name=note]").fill("未提供A/0版收回记录")
    page.get_by_test_id("verify-submit").click()
    page.wait_for_url(staff_url)
    assert page.get_by_test_id("nc-status").inner_text().strip() != ""
    assert page.get_by_test_id("verify-form").count() == 0
    assert _status(nc) == "returned"
    _logout(page)

    # 3. The client sees why and answers again.
    login("client_e2e")
    page.goto(nc_url)
    assert "未提供A/0版收回记录" in page.get_by_test_id("returned-reason").inner_text()
    form = page.get_by_test_id("response-form")
    form.locator("textarea[name=correction]").fill("收回A/0版手册并附回收登记表")
    form.locator("textarea[name=root_cause]").fill("文件更改后未更新受控文件清单")
    form.locator("textarea[name=corrective_action]").fill("修订文件控制程序，增加发放与回收核对")
    form.locator("input[name=files]").set_input_files(str(evidence))
    page.get_by_test_id("response-submit").click()
    page.wait_for_url(nc_url)
    assert page.get_by_test_id("nc-round").count() == 2
    assert _status(nc) == "responded"
    _logout(page)

    # 4. The auditor accepts.
    login("auditor_e2e")
    page.goto(staff_url)
    verify = page.get_by_test_id("verify-form")
    verify.locator("input[name=decision][value=accept]").check()
    verify.locator("select[name=method]").select_option("documents")
    page.get_by_test_id("verify-submit").click()
    page.wait_for_url(staff_url)
    assert page.get_by_test_id("verify-form").count() == 0
    assert _status(nc) == "verified"
    _logout(page)

    # 5. The team leader approves the closure from the start page.
    login("leader_e2e")
    page.get_by_role("link", name=re.compile(f"NC-{nc.number}")).first.click()
    page.wait_for_url(staff_url)
    closure = page.get_by_test_id("closure-form")
    closure.locator("input[name=decision][value=approve]").check()
    page.get_by_test_id("closure-submit").click()
    page.wait_for_url(staff_url)

    nc.refresh_from_db()
    assert nc.status == "closed"
    rounds = page.get_by_test_id("nc-round")
    assert rounds.count() == 2
    assert "未提供A/0版收回记录" in rounds.nth(0).inner_text()
    assert page.get_by_test_id("nc-transition").count() == 5
    assert [r.verification for r in NonconformityResponse.objects.filter(nc=nc).order_by("round")] == [
        "rejected",
        "accepted",
    ]
    assert Nonconformity.objects.get(pk=nc.pk).responses.last().closure_by.username == "leader_e2e"
