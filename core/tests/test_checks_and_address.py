"""Production checks (core/checks.py) and the one client-address function (core/net.py)."""

import pytest
from django.test import RequestFactory

from core import checks
from core.net import client_address

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}}


def _ids(messages):
    return [m.id for m in messages]


def test_a_process_local_cache_is_an_error_in_production(settings):
    settings.DEBUG = False
    settings.CACHES = LOCMEM
    messages = checks.shared_cache_check()
    assert _ids(messages) == [checks.SHARED_CACHE_REQUIRED]
    assert messages[0].is_serious()


def test_a_shared_cache_passes_and_debug_is_not_checked(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS
    assert checks.shared_cache_check() == []
    settings.DEBUG = True
    settings.CACHES = LOCMEM
    assert checks.shared_cache_check() == []


def test_the_shared_cache_error_is_never_silenced_in_the_settings(settings):
    assert checks.SHARED_CACHE_REQUIRED not in settings.SILENCED_SYSTEM_CHECKS


def test_a_tls_proxy_without_a_trusted_proxy_count_warns(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    assert _ids(checks.proxy_count_check()) == [checks.PROXY_WITHOUT_COUNT]
    settings.TRUSTED_PROXY_COUNT = 1
    assert checks.proxy_count_check() == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.TRUSTED_PROXY_COUNT = 0
    assert checks.proxy_count_check() == []


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # the header is ignored without a trusted proxy
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a client's own entries stay left
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # no header: the direct peer
        (1, "10.0.0.1", "not-an-address", "unknown"),  # garbage never becomes a key of its own
        (0, "2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::"),
    ],
)
def test_client_address_reads_forwarded_only_through_the_trusted_count(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(remote, forwarded)) == expected


def test_the_lockout_stores_no_address_rather_than_unknown():
    """PostgreSQL stores the lockout's address as inet, which refuses "unknown" (a login made
    without an address, as Django's test client makes them)."""
    from django.test import RequestFactory

    from core.net import axes_client_address

    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert axes_client_address(request) is None
    request.META["REMOTE_ADDR"] = "203.0.113.7"
    assert axes_client_address(request) == "203.0.113.7"
