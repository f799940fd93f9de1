"""The NC register's filters scale: the page renders only the chosen option of the client, audit
and department filters; the choices come from a JSON endpoint, at most 20 at a time, and only
from the NCs the user may see."""

import pytest
from django.urls import reverse

from audits.tests.factories import AuditFactory, ClientFactory, DepartmentFactory
from core.autocomplete import CHOICES_LIMIT
from findings.tests.factories import cast, make_nc

pytestmark = pytest.mark.django_db

REGISTER = reverse("findings:nc_register")


def choices(client, field, q=""):
    response = client.get(reverse("findings:nc_register_choices", args=[field]), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def people():
    return cast(audit_type="surveillance_1")


def test_the_page_renders_no_option_list_however_many_clients_exist(client, people):
    for index in range(30):
        audit = AuditFactory(client=ClientFactory(name_zh=f"客户{index:02d}"))
        make_nc(audit, department=DepartmentFactory(client=audit.client))
    client.force_login(people.admin)
    html = client.get(REGISTER).content.decode()
    assert html.count("<option") < 20  # grade, status and overdue choices only
    assert 'data-autocomplete-url="/audits/nc/choices/client/"' in html
    assert "客户07" not in html.split('name="client"')[1].split("</select>")[0]


def test_the_chosen_client_is_rendered_so_the_filter_shows_what_is_applied(client, people):
    nc = make_nc(people.audit)
    client.force_login(people.admin)
    html = client.get(REGISTER, {"client": nc.audit.client_id}).content.decode()
    select = html.split('name="client"')[1].split("</select>")[0]
    assert f'value="{nc.audit.client_id}" selected' in select and nc.audit.client.name_zh in select


def test_choices_match_what_is_typed_and_are_bounded(client, people):
    for index in range(CHOICES_LIMIT + 5):
        make_nc(AuditFactory(client=ClientFactory(name_zh=f"华东食品{index:02d}")))
    make_nc(AuditFactory(client=ClientFactory(name_zh="西部机械")))
    client.force_login(people.admin)
    assert len(choices(client, "client", "华东")) == CHOICES_LIMIT
    assert [row["text"] for row in choices(client, "client", "西部")] == ["西部机械"]
    assert choices(client, "client", "nothing like it") == []


def test_a_team_leader_is_never_offered_a_client_he_has_no_audit_with(client, people):
    mine = make_nc(people.audit, department=DepartmentFactory(client=people.audit.client, name_zh="质量部"))
    other_audit = AuditFactory(client=ClientFactory(name_zh="别家公司"))
    make_nc(other_audit, department=DepartmentFactory(client=other_audit.client, name_zh="别家部门"))
    client.force_login(people.leader)
    assert [row["value"] for row in choices(client, "client")] == [str(mine.audit.client_id)]
    assert [row["value"] for row in choices(client, "audit")] == [str(mine.audit_id)]
    assert [row["value"] for row in choices(client, "department")] == [str(mine.department_id)]
    # Nor can he filter by it through the URL: the form refuses the value, his own rows stay.
    html = client.get(REGISTER, {"client": other_audit.client_id}).content.decode()
    assert html.count('data-testid="nc-row"') == 1 and "别家公司" not in html and "is-invalid" in html


def test_unknown_fields_answer_404(client, people):
    client.force_login(people.admin)
    for field in ("grade", "nothing"):
        assert client.get(reverse("findings:nc_register_choices", args=[field])).status_code == 404


def test_choices_endpoint_runs_a_fixed_number_of_queries(client, people, django_assert_num_queries):
    for index in range(40):
        make_nc(AuditFactory(client=ClientFactory(name_zh=f"客户{index:02d}")))
    client.force_login(people.admin)
    with django_assert_num_queries(3):  # session, user, the choices
        assert len(choices(client, "client", "客户")) == CHOICES_LIMIT
