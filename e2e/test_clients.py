"""The CB administrator enters the seed client through the browser and fills the matrix grid.

Done-when of the issue: "The seed client (中食互联, 15 people, code 33.02.01) … can be entered
through the browser".
"""

from accounts.tests.factories import UserFactory
from clients.models import Client, Responsibility
from clients.tests.factories import StandardFactory, technical_area
from core.access import Role


def test_cb_admin_enters_the_seed_client_and_fills_two_matrix_cells(page, live_server, login):
    UserFactory(role=Role.CB_ADMIN, username="e2e-admin")
    iso9001 = StandardFactory()  # the shipped ISO 9001:2015 (or one like it)
    technical_area("33.02.01")
    login("e2e-admin")

    page.goto(f"{live_server.url}/clients/")
    page.get_by_test_id("new-client").click()
    form = page.get_by_test_id("client-form")
    fields = {
        "name_zh": "中食互联（北京）科技有限公司",
        "name_en": "Zhongshi Hulian (Beijing) Technology Co., Ltd.",
        "headcount": "15",
        "legal_representative": "段进生",
        "top_management": "段进生",
        "ms_contact": "付微",
        "contact_name": "吴瑶",
        "contact_phone": "15711433118",
        "technical_area_codes": "33.02.01",
        "system_implemented_on": "2019-05-20",
        "changes_since_last_audit": "不适用",
    }
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)

    # Sites: the registered address, then one more row for the operating address.
    form.locator("[name=sites-0-kind]").select_option("registered")
    form.locator("[name=sites-0-address_zh]").fill("北京市房山区良乡凯旋大街建设路18号-D5689")
    page.get_by_test_id("formset-sites").locator("button.add-row").click()
    form.locator("[name=sites-1-kind]").select_option("operating")
    form.locator("[name=sites-1-address_zh]").fill("北京市朝阳区东土城路8号林达大厦A座14E")
    form.locator("[name=sites-1-is_central]").check()
    # Requested scope: QMS on ISO 9001:2015.
    form.locator("[name=scopes-0-standard]").select_option(str(iso9001.pk))
    form.locator("[name=scopes-0-scope_zh]").fill("基础软件服务")
    # Departments of part 五: two extra rows are there, add a third.
    page.get_by_test_id("formset-departments").locator("button.add-row").click()
    for i, name in enumerate(["管理层", "综合部", "技术部"]):
        form.locator(f"[name=departments-{i}-name_zh]").fill(name)
        form.locator(f"[name=departments-{i}-order]").fill(str(i + 1))
    page.get_by_test_id("save-client").click()

    page.wait_for_selector("[data-testid=client-name]")
    assert page.get_by_test_id("client-name").inner_text() == "中食互联（北京）科技有限公司"
    assert "15" in page.get_by_test_id("headcount").inner_text()
    assert page.get_by_test_id("codes").inner_text() == "33.02.01"
    assert "基础软件服务" in page.get_by_test_id("scopes").inner_text()
    info = page.get_by_test_id("auditee-info").inner_text()
    for text in ["吴瑶", "15711433118", "段进生", "付微", "2019-05-20", "北京市朝阳区东土城路8号林达大厦A座14E"]:
        assert text in info

    client = Client.objects.get(name_zh="中食互联（北京）科技有限公司")
    assert client.headcount == 15 and [a.code for a in client.technical_areas.all()] == ["33.02.01"]
    assert client.sites.count() == 2 and client.departments.count() == 3

    # The responsibility matrix grid: 9.2 internal audit → 综合部 ●, 8.3 design → 技术部 ○.
    page.goto(f"{live_server.url}/clients/{client.pk}/matrix/")
    page.get_by_test_id("edit-matrix").click()
    grid = page.get_by_test_id("matrix-grid")
    grid.locator("select[data-clause='9.2'][data-department='综合部']").select_option("owner")
    grid.locator("select[data-clause='8.3'][data-department='技术部']").select_option("support")
    page.get_by_test_id("save-matrix").click()
    page.wait_for_selector("[data-testid=matrix]")

    assert set(
        Responsibility.objects.filter(department__client=client).values_list(
            "clause__number", "department__name_zh", "role"
        )
    ) == {("9.2", "综合部", "owner"), ("8.3", "技术部", "support")}
    matrix = page.get_by_test_id("matrix")
    assert matrix.locator("td[data-clause='9.2'][data-department='综合部']").inner_text() == "●"
    assert matrix.locator("td[data-clause='8.3'][data-department='技术部']").inner_text() == "○"
    assert matrix.locator("td[data-clause='9.2'][data-department='技术部']").inner_text() == ""
