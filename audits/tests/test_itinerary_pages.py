"""The audit plan's pages warn about each audited standard whose clauses are not all assigned to
a department of the client (the itinerary is pre-filled from that matrix), with a link to fix
it, and show the itinerary's clauses with their standard's letter."""

import pytest
from django.urls import reverse

from audits.models import AuditStandard, NonApplicableClause
from clients.tests.factories import ClauseFactory, DepartmentFactory, ResponsibilityFactory
from core.access import Role

from .factories import AuditFactory, PlanItemFactory, iso9001, iso45001

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrated():
    """ISO 9001 (every chapter assigned) + ISO 45001 (nothing assigned) audit."""
    audit = AuditFactory()
    AuditStandard.objects.create(audit=audit, standard=iso45001(), complexity="low")
    department = DepartmentFactory(client=audit.client, name_zh="综合部")
    for number in ("4", "5", "6", "7", "8", "9", "10"):
        ResponsibilityFactory(department=department, clause=ClauseFactory(standard=iso9001(), number=number))
    return audit


@pytest.fixture
def admin_client(client, make_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user(role=Role.CB_ADMIN))
    return client


def gap_lines(html):
    return [line for line in html.splitlines() if "not assigned to a department" in line]


@pytest.mark.parametrize("url", ["audits:itinerary", "audits:detail", "audits:plan_print"])
def test_the_plan_names_each_standard_with_unassigned_clauses_and_links_to_the_matrix(integrated, admin_client, url):
    html = admin_client.get(reverse(url, args=[integrated.pk])).content.decode()
    lines = gap_lines(html)
    assert len(lines) == 1 and "ISO 45001:2018: " in lines[0] and "clauses are not assigned" in lines[0]
    assert f"{reverse('clients:matrix', args=[integrated.client.pk]).rstrip('/')}" in html
    assert f"?standard={iso45001().pk}" in html


def test_non_applicable_clauses_are_not_counted(integrated, admin_client):
    ohs = iso45001()
    url = reverse("audits:itinerary", args=[integrated.pk])
    before = gap_lines(admin_client.get(url).content.decode())[0]
    NonApplicableClause.objects.create(audit=integrated, clause=ohs.clauses.get(number="8.1"), justification="-")
    after = gap_lines(admin_client.get(url).content.decode())[0]
    count = lambda line: int(line.split("ISO 45001:2018: ")[1].split()[0])  # noqa: E731
    below = ohs.clauses.filter(number__startswith="8.1.", children__isnull=True).count()
    assert count(before) - count(after) == max(below, 1)


def test_a_client_user_sees_no_matrix_warning_on_the_plan(integrated, client, make_user):
    client.force_login(make_user(role=Role.CLIENT, client=integrated.client))
    response = client.get(reverse("audits:plan_print", args=[integrated.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and not gap_lines(html) and 'data-testid="matrix-gaps"' not in html


def test_the_itinerary_shows_each_clause_with_its_standards_letter(integrated, admin_client):
    item = PlanItemFactory(audit=integrated, process="领导作用")
    item.clauses.set([iso9001().clauses.get(number="5.1"), iso45001().clauses.get(number="5.1")])
    html = admin_client.get(reverse("audits:detail", args=[integrated.pk])).content.decode()
    assert "Q 5.1, S 5.1" in html
