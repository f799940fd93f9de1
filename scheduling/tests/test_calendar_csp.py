"""The calendar works under the Content-Security-Policy: FullCalendar injects its stylesheet and
tags it with the page's nonce, which only the calendar page asks for."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.access import Role

pytestmark = pytest.mark.django_db


def test_the_calendar_page_carries_the_style_nonce_its_policy_allows(client):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    response = client.get(reverse("scheduling:calendar"))
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', response.content.decode()).group(1)
    style_src = re.search(r"style-src ([^;]+)", response["Content-Security-Policy"]).group(1)
    assert f"'nonce-{nonce}'" in style_src.split()
    assert "'unsafe-inline'" not in style_src


def test_other_pages_get_no_nonce(client):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    response = client.get(reverse("audits:list"))
    assert "nonce-" not in response["Content-Security-Policy"]
