"""Lookups on the public register are rate-limited per client address (django-ratelimit in
Django's cache): beyond VERIFY_RATE the answer is 429 with a translated message."""

import types

import django_ratelimit.core
import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from certification.tests.factories import CertificateFactory
from core.net import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters_and_a_frozen_window(monkeypatch):
    """Empty counters, and a clock that stands still so no test straddles a rate window."""
    cache.clear()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_900_000_000.0))
    yield
    cache.clear()


@pytest.fixture
def three_a_minute(settings):
    settings.VERIFY_RATE = "3/m"
    return settings


def lookup(client, number="06924Q10001R0S", holder="某公司", **extra):
    return client.get(reverse("verify:lookup"), {"number": number, "holder": holder}, **extra)


def test_lookups_beyond_the_rate_get_429_with_a_message(client, three_a_minute):
    cert = CertificateFactory()
    for _ in range(3):
        assert lookup(client, cert.number, cert.holder_name_zh).status_code == 200
    response = lookup(client, cert.number, cert.holder_name_zh)
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "certification/public/rate_limited.html"
    html = response.content.decode()
    assert "查询过于频繁" in html and "60" in html
    assert cert.holder_name_zh not in html  # the limit answers before the lookup
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]


def test_the_limit_message_is_translated(client, three_a_minute):
    client.post(reverse("set_language"), {"language": "en", "next": "/verify/"})
    for _ in range(3):
        lookup(client)
    response = lookup(client)
    assert response.status_code == 429
    assert "Too many certificate lookups came from your network address" in response.content.decode()
    assert "60 seconds" in response.content.decode()


def test_token_pages_count_in_the_same_budget(client, three_a_minute):
    cert = CertificateFactory()
    token_url = reverse("verify:token", kwargs={"token": cert.public_token})
    assert client.get(token_url).status_code == 200
    assert lookup(client).status_code == 200
    assert client.get(reverse("verify:token", kwargs={"token": "C" * 32})).status_code == 200
    assert client.get(token_url).status_code == 429
    assert lookup(client).status_code == 429


def test_the_empty_form_and_the_suspension_list_do_not_count(client, three_a_minute):
    for _ in range(5):
        assert client.get(reverse("verify:lookup")).status_code == 200
        assert client.get(reverse("verify:suspended")).status_code == 200
    assert lookup(client).status_code == 200


def test_addresses_are_counted_separately(client, three_a_minute):
    for _ in range(4):
        lookup(client, REMOTE_ADDR="203.0.113.7")
    assert lookup(client, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert lookup(client, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_a_forged_forwarded_header_does_not_reset_the_count_by_default(client, three_a_minute):
    for n in range(4):
        lookup(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert lookup(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_counts(client, three_a_minute):
    three_a_minute.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(3):
        lookup(client, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert lookup(client, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # Another client through the same proxy, even one writing a forged address in front.
    assert lookup(client, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.2").status_code == 200


def test_the_rate_is_a_setting(client, settings):
    settings.VERIFY_RATE = "1/h"
    assert lookup(client).status_code == 200
    response = lookup(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"


def test_default_rate_is_twenty_a_minute(client):
    for _ in range(20):
        assert lookup(client).status_code == 200
    assert lookup(client).status_code == 429


def _request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/verify/", **meta)


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # header ignored without a trusted proxy
        (1, "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entries are left of ours
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),  # fewer hops than proxies: the direct peer
        (0, "2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::"),  # IPv6 per /64
        (0, "::ffff:203.0.113.9", None, "203.0.113.9"),
        (0, "", None, "unknown"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(remote, forwarded)) == expected
