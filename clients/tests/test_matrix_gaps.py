"""A standard whose responsibility matrix leaves clauses without a department is flagged on the
client's page, naming the standard and the number of unassigned clauses, with a link to fix it."""

import pytest
from django.urls import reverse

from clients import selectors
from clients.tests.factories import (
    ClauseFactory,
    ClientFactory,
    ClientScopeFactory,
    DepartmentFactory,
    ResponsibilityFactory,
    StandardFactory,
    UserFactory,
)
from core.access import Role
from standards.models import Clause

pytestmark = pytest.mark.django_db


def ohs_standard():
    return StandardFactory(code="ISO 45001", edition="2018", family="OHSMS", title_en="OH&S")


def leaves(standard, under=""):
    """Requirement clauses without sub-clauses (from chapter 4 on), counted independently."""
    rows = Clause.objects.filter(standard=standard, children__isnull=True).exclude(number__regex=r"^[123](\.|$)")
    return sorted(c.number for c in rows if c.number.startswith(under))


@pytest.fixture
def two_standards():
    """A client of ISO 9001 (every chapter assigned) and ISO 45001 (its matrix empty but for
    chapter 5, as after the client's OH&S standard changed from GB/T 28001)."""
    client = ClientFactory()
    department = DepartmentFactory(client=client, name_zh="综合部")
    quality, ohs = StandardFactory(), ohs_standard()
    for standard in (quality, ohs):
        ClientScopeFactory(client=client, standard=standard)
    # A department given a chapter answers for every clause below it.
    for number in ("4", "5", "6", "7", "8", "9", "10"):
        ResponsibilityFactory(department=department, clause=ClauseFactory(standard=quality, number=number))
    ResponsibilityFactory(department=department, clause=ClauseFactory(standard=ohs, number="5"))
    return client, quality, ohs


def test_a_standard_with_unassigned_clauses_is_a_gap_and_an_assigned_one_is_not(two_standards):
    client, quality, ohs = two_standards
    gaps = selectors.matrix_gaps(client=client, standards=[quality, ohs])
    unassigned = [n for n in leaves(ohs) if not n.startswith("5.")]
    assert len(unassigned) > 10 and leaves(ohs, "5.")
    assert [(g.standard, g.count, g.total) for g in gaps] == [(ohs, len(unassigned), len(leaves(ohs)))]
    assert sorted(c.number for c in gaps[0].unassigned) == unassigned


def test_clauses_declared_not_applicable_need_no_department(two_standards):
    client, _quality, ohs = two_standards
    excluded = set(ohs.clauses.filter(number__startswith="8.").values_list("pk", flat=True))
    (gap,) = selectors.matrix_gaps(client=client, standards=[ohs], excluded_clause_ids=excluded)
    assert gap.count == len([n for n in leaves(ohs) if not n.startswith(("5.", "8."))])


def test_the_client_page_warns_about_each_standard_with_unassigned_clauses(two_standards, en_client):
    client, _quality, ohs = two_standards
    admin = UserFactory(role=Role.CB_ADMIN)
    en_client.force_login(admin)
    html = en_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    count = len([n for n in leaves(ohs) if not n.startswith("5.")])
    assert f"ISO 45001:2018: {count} clauses are not assigned to a department" in html
    assert "ISO 9001:2015:" not in html.split('data-testid="matrix-gaps"')[1].split("</div>")[0]
    assert f"{reverse('clients:matrix_edit', args=[client.pk])}?standard={ohs.pk}" in html


def test_the_client_user_sees_no_matrix_warning(two_standards, en_client):
    client, _quality, _ohs = two_standards
    en_client.force_login(UserFactory(role=Role.CLIENT, client=client))
    html = en_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert 'data-testid="matrix-gaps"' not in html


def test_the_matrix_tab_of_a_standard_with_gaps_carries_their_count(two_standards, en_client):
    client, quality, ohs = two_standards
    en_client.force_login(UserFactory(role=Role.CB_ADMIN))
    html = en_client.get(reverse("clients:matrix", args=[client.pk]) + f"?standard={quality.pk}").content.decode()
    count = len([n for n in leaves(ohs) if not n.startswith("5.")])
    assert html.count('data-testid="tab-gap"') == 1
    assert f'clauses without a department">{count}</span>' in html
