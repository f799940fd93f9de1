"""The audit list's client filter searches as you type; its choices are the clients of the audits
the user may see: a client user is offered its own organisation only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.tests.factories import AuditFactory, ClientFactory
from core.access import Role

pytestmark = pytest.mark.django_db


def test_a_client_user_is_offered_only_its_own_organisation(client):
    mine = AuditFactory(client=ClientFactory(name_zh="中食互联"))
    AuditFactory(client=ClientFactory(name_zh="别家公司"))
    client.force_login(UserFactory(role=Role.CLIENT, client=mine.client))
    results = client.get(reverse("audits:list_choices", args=["client"])).json()["results"]
    assert results == [{"value": str(mine.client_id), "text": "中食互联"}]


def test_a_huge_id_in_the_filter_is_refused_not_a_500(client):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    response = client.get(reverse("audits:list"), {"client": "9" * 25})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
