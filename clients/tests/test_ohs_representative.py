"""The client's OH&S representative (职业健康安全事务代表, ISO 45001:2018 5.4) is kept next to
the management-system representative: entered on the client form, shown on the client page,
and set for the seed manual's client by the demo."""

import io

import pytest
from django.urls import reverse

from clients import demo
from clients.models import Client
from clients.tests.factories import StandardFactory, UserFactory, technical_area
from clients.tests.test_client_pages import seed_client_post
from core.access import Role

pytestmark = pytest.mark.django_db


def test_the_client_form_saves_the_ohs_representative_and_the_page_shows_it(en_client):
    en_client.force_login(UserFactory(role=Role.CB_ADMIN))
    technical_area("33.02.01")
    en_client.post(reverse("clients:create"), seed_client_post(StandardFactory(), ohs_representative="张启帆"))
    client = Client.objects.get(name_zh="中食互联（北京）科技有限公司")
    assert client.ohs_representative == "张启帆"
    page = en_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "OH&S representative" in page
    assert 'data-testid="ohs-representative">张启帆<' in page


def test_the_demo_appoints_the_seed_manuals_ohs_representative():
    demo.seed(io.StringIO())
    client = Client.objects.get(name_zh="易科智控科技（北京）有限公司")
    assert (client.ms_contact, client.ohs_representative) == ("刘芳", "张启帆")
