"""Browse pages and the clause picker: staff only, fixed numbers of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.access import Role
from standards.models import Clause, Standard, TechnicalArea

from .factories import ClauseFactory, StandardFactory, TechnicalAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(role=Role.AUDITOR))
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def std(code):
    return Standard.objects.get(code=code)


# --- access ----------------------------------------------------------------------------------------

URLS = [
    ("standards:standard_list", None),
    ("standards:technical_area_list", None),
    ("standards:clause_picker", None),
    ("standards:standard_detail", "ISO 9001"),
]


@pytest.mark.parametrize("name,code", URLS)
def test_client_user_is_refused_every_standards_page(client, make_user, name, code):
    client.force_login(make_user(role=Role.CLIENT))
    url = reverse(name, kwargs={"pk": std(code).pk} if code else None)
    assert client.get(url, {"q": "8.5"}).status_code == 403


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_every_staff_role_may_browse_the_catalogue(client, make_user, role):
    client.force_login(make_user(role=role))
    assert client.get(reverse("standards:standard_list")).status_code == 200


def test_unknown_standard_id_is_404(staff_client):
    assert staff_client.get(reverse("standards:standard_detail", kwargs={"pk": 999999})).status_code == 404


def test_navigation_offers_the_catalogue_to_staff_only(client, make_user):
    client.force_login(make_user(role=Role.TEAM_LEADER))
    assert reverse("standards:standard_list") in client.get(reverse("accounts:home")).content.decode()
    client.force_login(make_user(role=Role.CLIENT))
    assert reverse("standards:standard_list") not in client.get(reverse("accounts:home")).content.decode()


# --- browse pages ----------------------------------------------------------------------------------


def test_standard_list_shows_each_standard_with_its_clause_count(staff_client):
    html = staff_client.get(reverse("standards:standard_list")).content.decode()
    for label, count in (
        ("ISO 9001:2015", 94),
        ("ISO 14001:2015", 48),
        ("ISO 45001:2018", 59),
        ("GB/T 28001:2011", 31),
    ):
        assert label in html
        assert f'data-testid="clause-count">{count}<' in html
    assert "GB/T 19001-2016" in html


def test_standard_list_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    url = reverse("standards:standard_list")
    queries = count_queries(staff_client, url)
    for _ in range(3):
        standard = StandardFactory()
        ClauseFactory.create_batch(4, standard=standard)
    with django_assert_num_queries(queries):
        response = staff_client.get(url)
    assert response.content.decode().count('data-testid="clause-count"') == Standard.objects.count() == 7


def test_standard_detail_shows_the_clause_tree_indented_with_both_titles(staff_client):
    response = staff_client.get(reverse("standards:standard_detail", kwargs={"pk": std("ISO 9001").pk}))
    html = response.content.decode()
    assert html.count('<tr id="clause-') == 94
    assert '<tr id="clause-7.1.5.2" class="clause-depth-4">' in html
    assert "测量溯源" in html and "Measurement traceability" in html
    assert html.index('id="clause-7.1.5.1"') < html.index('id="clause-7.1.5.2"') < html.index('id="clause-7.1.6"')
    assert html.index('id="clause-9.3.3"') < html.index('id="clause-10"')


def test_standard_detail_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    small = StandardFactory()
    ClauseFactory(standard=small, number="1")
    queries = count_queries(staff_client, reverse("standards:standard_detail", kwargs={"pk": small.pk}))
    url = reverse("standards:standard_detail", kwargs={"pk": std("ISO 9001").pk})
    with django_assert_num_queries(queries):
        staff_client.get(url)


def test_technical_areas_page_lists_sectors_with_their_codes(staff_client):
    html = staff_client.get(reverse("standards:technical_area_list")).content.decode()
    assert html.count('<tbody id="sector-') == 39
    sector33 = html[html.index('id="sector-33"') : html.index('id="sector-34"')]
    assert "信息技术" in sector33 and "33.02.01" in sector33 and "基础软件服务" in sector33
    assert sector33.count("badge text-bg-warning") == 2  # the two provisional titles are marked
    sector1 = html[html.index('id="sector-1"') : html.index('id="sector-2"')]
    assert "01.07.03" in sector1 and "33.02" not in sector1


def test_technical_areas_page_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    url = reverse("standards:technical_area_list")
    queries = count_queries(staff_client, url)
    parent = TechnicalArea.objects.get(code="19")
    TechnicalAreaFactory(code="19.01", parent=parent)
    with django_assert_num_queries(queries):
        staff_client.get(url)


# --- clause picker ---------------------------------------------------------------------------------


def picker(client, q, *standards, fmt="json", **extra):
    params = {"q": q, "format": fmt, "standard": [std(code).pk for code in standards], **extra}
    response = client.get(reverse("standards:clause_picker"), params)
    assert response.status_code == 200
    return response


def test_picker_matches_a_number_prefix_within_the_given_standards(staff_client):
    results = picker(staff_client, "8.5", "ISO 9001").json()["results"]
    numbers = [r["number"] for r in results]
    assert numbers == ["8.5", "8.5.1", "8.5.2", "8.5.3", "8.5.4", "8.5.5", "8.5.6"]
    assert {r["standard"] for r in results} == {"ISO 9001:2015"}


def test_picker_searches_several_standards_ordered_by_standard_then_clause(staff_client):
    # Standards in catalogue order (family code: EMS, OHSMS, QMS; retired last), clauses in document order.
    results = picker(staff_client, "10.2", "ISO 9001", "ISO 14001").json()["results"]
    assert [(r["standard"], r["number"]) for r in results] == [
        ("ISO 14001:2015", "10.2"),
        ("ISO 9001:2015", "10.2"),
        ("ISO 9001:2015", "10.2.1"),
        ("ISO 9001:2015", "10.2.2"),
    ]


def test_picker_matches_chinese_title_words(staff_client):
    results = picker(staff_client, "设计", "ISO 9001").json()["results"]
    assert [r["number"] for r in results][:3] == ["8.3", "8.3.2", "8.3.3"]
    assert all("设计" in r["title_zh"] for r in results)


def test_picker_matches_english_title_words_whatever_the_case(staff_client):
    results = picker(staff_client, "DESIGN", "ISO 9001").json()["results"]
    assert "8.3" in [r["number"] for r in results]
    assert all("design" in r["title_en"].lower() for r in results)


def test_picker_without_standards_searches_the_whole_catalogue(staff_client):
    results = picker(staff_client, "承包方").json()["results"]
    assert ("ISO 45001:2018", "8.1.4.2") in [(r["standard"], r["number"]) for r in results]


def test_picker_limits_the_results_and_says_there_are_more(staff_client):
    body = picker(staff_client, "8", "ISO 9001").json()
    assert len(body["results"]) == 30 and body["more"]
    html = picker(staff_client, "8", "ISO 9001", fmt="list").content.decode()
    assert html.count("data-clause-pick") == 30 and "30" in html


@pytest.mark.parametrize("q", ["", "   ", "no such clause title"])
def test_picker_returns_nothing_for_an_empty_or_unmatched_query(staff_client, q):
    assert picker(staff_client, q, "ISO 9001").json() == {"results": [], "more": False}


def test_picker_ignores_malformed_standard_ids(staff_client):
    response = staff_client.get(
        reverse("standards:clause_picker"), {"q": "8.5.1", "standard": ["x", "", "-1"], "format": "json"}
    )
    assert len(response.json()["results"]) >= 1


@pytest.mark.parametrize("q", ["设计", "design", "8.5"])
def test_picker_runs_a_fixed_number_of_queries_for_chinese_english_and_numbers(
    staff_client, django_assert_num_queries, q
):
    url = reverse("standards:clause_picker")
    params = {"q": "过程", "standard": [std("ISO 9001").pk, std("ISO 45001").pk]}
    baseline = count_queries(staff_client, f"{url}?q=zzz-nothing&standard={std('ISO 9001').pk}")
    with django_assert_num_queries(baseline):
        response = staff_client.get(url, {**params, "q": q})
    assert response.content.decode().count("data-clause-pick") > 0


def test_picker_html_formats(staff_client):
    pk = Clause.objects.get(standard__code="ISO 9001", number="8.3").pk
    options = picker(staff_client, "设计", "ISO 9001", fmt="options").content.decode()
    assert f'<option value="{pk}">ISO 9001:2015 8.3 产品和服务的设计和开发</option>' in options
    items = picker(staff_client, "设计", "ISO 9001", fmt="list").content.decode()
    assert f'data-clause-id="{pk}"' in items and "Design and development of products and services" in items
    links = picker(staff_client, "设计", "ISO 9001", fmt="links").content.decode()
    assert reverse("standards:standard_detail", kwargs={"pk": std("ISO 9001").pk}) + "#clause-8.3" in links


def test_picker_escapes_titles(staff_client):
    standard = StandardFactory()
    ClauseFactory(standard=standard, number="1", title_en="<script>alert(1)</script>")
    html = picker(staff_client, "script", fmt="list").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
