"""A new audit programme starts with the standards the client requested (its scopes ticked)."""

import pytest

from audits.forms import ProgrammeForm
from audits.models import AuditProgramme
from audits.tests.factories import ClientFactory, iso9001, iso14001
from clients.tests.factories import ClientScopeFactory
from core.access import Role

pytestmark = pytest.mark.django_db


def test_a_new_programme_ticks_the_clients_requested_standards():
    client = ClientFactory()
    standards = [iso9001(), iso14001()]
    for standard in standards:
        ClientScopeFactory(client=client, standard=standard)
    form = ProgrammeForm(instance=AuditProgramme(client=client), client=client)
    assert {s.pk for s in form["standards"].initial} == {s.pk for s in standards}
    html = str(form["standards"])
    assert html.count("checked") == 2


def test_the_new_programme_page_saves_the_programme(client, make_user):
    """The form has an "active" box; the page used to fail with a 500 passing it to the service."""
    organisation = ClientFactory()
    standard = iso9001()
    ClientScopeFactory(client=organisation, standard=standard)
    client.force_login(make_user(role=Role.CB_ADMIN))
    response = client.post(
        f"/audits/programmes/client/{organisation.pk}/new/",
        {"standards": [standard.pk], "rule_set": "cnca", "cycle": 1, "starts_with_initial_audit": "on", "active": "on"},
    )
    assert response.status_code == 302
    programme = organisation.programmes.get()
    assert programme.active and list(programme.standards.all()) == [standard]
