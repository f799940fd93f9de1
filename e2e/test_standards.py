"""Staff browse the standards catalogue and use the clause picker in a real browser."""

from django import forms
from django.templatetags.static import static

from accounts.tests.factories import UserFactory
from core.access import Role
from e2e.helpers import open_menu
from standards.forms import ClauseMultipleChoiceField
from standards.models import Clause, Standard


def test_staff_browse_the_catalogue_see_the_9001_tree_and_find_a_clause(page, live_server, login):
    UserFactory(role=Role.AUDITOR, username="e2e-std-auditor")
    login("e2e-std-auditor")

    open_menu(page, "基础资料", "标准目录")
    table = page.get_by_test_id("standard-table")
    row = table.get_by_role("row").filter(has_text="ISO 9001:2015")
    assert row.get_by_test_id("clause-count").inner_text() == "94"

    row.get_by_role("link", name="ISO 9001:2015").click()
    tree = page.get_by_test_id("clause-tree")
    assert tree.locator("tbody tr").count() == 94
    deep = page.locator("#clause-7\\.1\\.5\\.2")
    assert "测量溯源" in deep.inner_text() and "Measurement traceability" in deep.inner_text()
    # Indented by depth: a depth-4 number sits further right than its depth-1 ancestor.
    assert deep.locator(".clause-number").evaluate("e => getComputedStyle(e).paddingLeft") != page.locator(
        "#clause-7 .clause-number"
    ).evaluate("e => getComputedStyle(e).paddingLeft")

    page.go_back()
    page.get_by_test_id("clause-search").fill("设计")
    results = page.get_by_test_id("clause-search-results")
    results.get_by_role("link").first.wait_for()
    assert "8.3" in results.inner_text() and "产品和服务的设计和开发" in results.inner_text()
    results.get_by_role("link").filter(has_text="ISO 9001:2015").first.click()
    page.wait_for_url("**#clause-8.3")

    open_menu(page, "基础资料", "标准目录")
    page.get_by_test_id("technical-areas-tab").click()
    assert "33.02.01" in page.get_by_test_id("technical-area-table").inner_text()


class _Form(forms.Form):
    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"] = ClauseMultipleChoiceField(standards=standards)


def test_clause_picker_widget_adds_the_clauses_a_user_picks(page, live_server, login):
    UserFactory(role=Role.TEAM_LEADER, username="e2e-std-leader")
    login("e2e-std-leader")
    page.goto(f"{live_server.url}/standards/")
    iso9001 = Standard.objects.get(code="ISO 9001")
    already = Clause.objects.get(standard=iso9001, number="7.2")
    widget_html = str(_Form(initial={"clauses": [already.pk]}, standards=[iso9001])["clauses"])
    page.add_script_tag(url=f"{live_server.url}{static('standards/clause_picker.js')}")
    page.evaluate(
        """html => { const form = document.createElement('form'); form.id = 'finding';
                     form.innerHTML = html; document.querySelector('main').append(form); htmx.process(form); }""",
        widget_html,
    )
    picker = page.locator("#finding [data-clause-picker]")
    picker.get_by_role("searchbox").fill("8.5")
    picker.locator("[data-clause-pick]").first.wait_for()
    assert picker.locator("[data-clause-pick]").count() == 7  # 8.5 and 8.5.1 … 8.5.6 of ISO 9001 only
    picker.locator("[data-clause-pick]").filter(has_text="8.5.1").click()

    chosen = page.get_by_test_id("clause-picker-chosen")
    assert "8.5.1" in chosen.inner_text() and "7.2" in chosen.inner_text()
    values = page.evaluate("() => new FormData(document.getElementById('finding')).getAll('clauses')")
    assert sorted(values) == sorted([str(already.pk), str(Clause.objects.get(standard=iso9001, number="8.5.1").pk)])
    assert page.evaluate("() => new FormData(document.getElementById('finding')).get('q')") is None
