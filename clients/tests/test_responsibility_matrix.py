"""The clause × department responsibility matrix: the grid page, saving in one transaction at a
fixed number of queries, the stale-edit refusal, and the rules on cells."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import selectors, services
from clients.models import Responsibility
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.CB_ADMIN)


@pytest.fixture
def admin_client(en_client, admin_user):
    en_client.force_login(admin_user)
    return en_client


def scoped_client(departments=3, clauses=("4.1", "4.2", "5.1", "7.1.5", "8.4.1")):
    client = ClientFactory()
    standard = StandardFactory()
    ClientScopeFactory(client=client, standard=standard)
    for i in range(departments):
        DepartmentFactory(client=client, name_zh=f"部门{i}", order=i)
    for number in clauses:
        ClauseFactory(standard=standard, number=number)
    return client, standard


def rows(client, standard):
    return selectors.matrix_rows(standard=standard)


def test_grid_has_a_row_per_requirement_clause_and_a_column_per_department(admin_client):
    client, standard = scoped_client()
    response = admin_client.get(reverse("clients:matrix_edit", args=[client.pk]))
    html = response.content.decode()
    clauses = rows(client, standard)
    assert clauses and not {c.number for c in clauses} & {"1", "2", "3"}
    assert html.count('name="cell-') == len(clauses) * 3
    for department in client.departments.all():
        assert f">{department.name_zh}</th>" in html


def test_saving_two_cells_from_the_grid(admin_client):
    client, standard = scoped_client()
    c41 = standard.clauses.get(number="4.1")
    c84 = standard.clauses.get(number="8.4.1")
    management, general, _ = client.departments.all()
    response = admin_client.post(
        reverse("clients:matrix_edit", args=[client.pk]),
        {
            "version": client.version,
            "standard": standard.pk,
            f"cell-{c41.pk}-{management.pk}": "owner",
            f"cell-{c84.pk}-{general.pk}": "support",
        },
    )
    assert response.status_code == 302
    assert set(Responsibility.objects.values_list("clause__number", "department__name_zh", "role")) == {
        ("4.1", management.name_zh, "owner"),
        ("8.4.1", general.name_zh, "support"),
    }
    client.refresh_from_db()
    assert client.version == 2
    assert client.history.latest().history_change_reason.startswith("Responsibility matrix: 2 added")
    page = admin_client.get(reverse("clients:matrix", args=[client.pk])).content.decode()
    assert "●" in page and "○" in page


def test_blank_or_missing_cell_removes_the_assignment_and_a_changed_cell_is_updated(admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    d0, d1, _ = client.departments.all()
    ResponsibilityFactory(department=d0, clause=clauses[0], role="owner")
    ResponsibilityFactory(department=d1, clause=clauses[0], role="support")
    ResponsibilityFactory(department=d1, clause=clauses[1], role="support")
    counts = services.responsibility_matrix_save(
        client=client,
        clauses=clauses,
        by=admin_user,
        expected_version=1,
        cells={(clauses[0].pk, d0.pk): "", (clauses[1].pk, d1.pk): "owner"},
    )
    assert counts == {"created": 0, "changed": 1, "removed": 2}
    assert list(Responsibility.objects.values_list("clause_id", "department_id", "role")) == [
        (clauses[1].pk, d1.pk, "owner")
    ]


def test_unchanged_matrix_writes_nothing_and_keeps_the_version(admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    d0 = client.departments.first()
    ResponsibilityFactory(department=d0, clause=clauses[0], role="owner")
    counts = services.responsibility_matrix_save(
        client=client, clauses=clauses, by=admin_user, expected_version=1, cells={(clauses[0].pk, d0.pk): "owner"}
    )
    assert counts == {"created": 0, "changed": 0, "removed": 0}
    client.refresh_from_db()
    assert client.version == 1


def test_stale_grid_is_refused_and_nothing_is_saved(admin_client, admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    d0 = client.departments.first()
    # Someone else saves the matrix first.
    services.responsibility_matrix_save(
        client=client, clauses=clauses, by=admin_user, expected_version=1, cells={(clauses[0].pk, d0.pk): "owner"}
    )
    response = admin_client.post(
        reverse("clients:matrix_edit", args=[client.pk]),
        {"version": 1, "standard": standard.pk, f"cell-{clauses[1].pk}-{d0.pk}": "support"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this client while you were editing it." in html
    assert list(Responsibility.objects.values_list("clause_id", flat=True)) == [clauses[0].pk]
    # The grid comes back with what the user chose.
    assert f'name="cell-{clauses[1].pk}-{d0.pk}"' in html and '<option value="support" selected>' in html


def test_another_clients_department_is_refused(admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    foreign = DepartmentFactory(client=ClientFactory())
    with pytest.raises(ValidationError) as exc:
        services.responsibility_matrix_save(
            client=client, clauses=clauses, by=admin_user, cells={(clauses[0].pk, foreign.pk): "owner"}
        )
    assert exc.value.code == "foreign_department"
    assert not Responsibility.objects.exists()


def test_clause_of_a_standard_outside_the_scope_is_refused(admin_user):
    client, _ = scoped_client()
    other = StandardFactory(code="ISO 14001", edition="2015", family="EMS")
    clause = ClauseFactory(standard=other, number="6.1.2")
    with pytest.raises(ValidationError) as exc:
        services.responsibility_matrix_save(
            client=client, clauses=[clause], by=admin_user, cells={(clause.pk, client.departments.first().pk): "owner"}
        )
    assert exc.value.code == "clause_out_of_scope"


def test_unknown_role_is_refused(admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    with pytest.raises(ValidationError) as exc:
        services.responsibility_matrix_save(
            client=client,
            clauses=clauses,
            by=admin_user,
            cells={(clauses[0].pk, client.departments.first().pk): "boss"},
        )
    assert exc.value.code == "bad_role"
    assert not Responsibility.objects.exists()


def test_a_failing_cell_leaves_the_whole_matrix_unchanged(admin_user):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    d0 = client.departments.first()
    with pytest.raises(ValidationError):
        services.responsibility_matrix_save(
            client=client,
            clauses=clauses,
            by=admin_user,
            cells={(clauses[0].pk, d0.pk): "owner", (clauses[1].pk, d0.pk): "boss"},
        )
    assert not Responsibility.objects.exists()


def _grid_data(client, standard, role):
    client.refresh_from_db()
    departments = list(client.departments.all())
    data = {"version": client.version, "standard": standard.pk}
    for clause in rows(client, standard):
        for department in departments:
            data[f"cell-{clause.pk}-{department.pk}"] = role
    return reverse("clients:matrix_edit", args=[client.pk]), data


def test_saving_the_grid_takes_the_same_number_of_queries_for_2_and_3_departments(
    admin_client, django_assert_num_queries
):
    # ISO 9001 has 91 matrix rows: 182 and 273 cells. (Django splits an INSERT into batches of
    # 333 rows on SQLite only, whose limit is 999 parameters a query: see the next test.)
    small, standard = scoped_client(departments=2)
    big, big_standard = scoped_client(departments=3)
    admin_client.get("/")
    url, data = _grid_data(small, standard, "owner")
    with django_assert_num_queries(18) as counted:
        assert admin_client.post(url, data).status_code == 302
    assert Responsibility.objects.filter(department__client=small).count() == len(rows(small, standard)) * 2
    url, data = _grid_data(big, big_standard, "owner")
    with django_assert_num_queries(len(counted.captured_queries)):
        assert admin_client.post(url, data).status_code == 302
    assert Responsibility.objects.filter(department__client=big).count() == len(rows(big, big_standard)) * 3
    # Changing every cell (an update instead of an insert) and clearing every cell (a delete).
    url, data = _grid_data(big, big_standard, "support")
    with django_assert_num_queries(len(counted.captured_queries)):
        assert admin_client.post(url, data).status_code == 302
    url, data = _grid_data(big, big_standard, "")
    with django_assert_num_queries(len(counted.captured_queries)):
        assert admin_client.post(url, data).status_code == 302
    assert not Responsibility.objects.filter(department__client=big).exists()


def test_a_large_grid_adds_only_the_databases_insert_batches(admin_client, django_assert_max_num_queries):
    from django.db import connection

    client, standard = scoped_client(departments=8)
    url, data = _grid_data(client, standard, "owner")
    cells = len(rows(client, standard)) * 8
    batches = 1
    if connection.vendor == "sqlite":
        batches = -(-cells * 3 // connection.features.max_query_params)
    admin_client.get("/")
    with django_assert_max_num_queries(18 + batches - 1):
        assert admin_client.post(url, data).status_code == 302
    assert Responsibility.objects.filter(department__client=client).count() == cells


def test_grid_page_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    small, _standard = scoped_client(departments=2)
    big, big_standard = scoped_client(departments=6)
    for d in big.departments.all():
        for c in rows(big, big_standard)[:5]:
            ResponsibilityFactory(department=d, clause=c)
    admin_client.get("/")
    # 9: the grid's 7 and the tabs' count of clauses without a department (clauses, assignments).
    with django_assert_num_queries(9) as counted:
        admin_client.get(reverse("clients:matrix_edit", args=[small.pk]))
    with django_assert_num_queries(len(counted.captured_queries)):
        admin_client.get(reverse("clients:matrix_edit", args=[big.pk]))


def test_client_without_scope_or_departments_gets_an_explanation(admin_client):
    client = ClientFactory()
    html = admin_client.get(reverse("clients:matrix_edit", args=[client.pk])).content.decode()
    assert "The client has no requested scope yet" in html


def test_matrix_page_warns_about_clauses_without_or_with_several_responsible_departments(admin_client):
    client, standard = scoped_client()
    clauses = rows(client, standard)
    d0, d1, _ = client.departments.all()
    ResponsibilityFactory(department=d0, clause=clauses[0], role="support")
    ResponsibilityFactory(department=d0, clause=clauses[1], role="owner")
    ResponsibilityFactory(department=d1, clause=clauses[1], role="owner")
    html = admin_client.get(reverse("clients:matrix", args=[client.pk])).content.decode()
    assert f"No responsible department: {clauses[0].number}" in html
    assert f"More than one responsible department: {clauses[1].number}" in html
