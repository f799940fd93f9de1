"""System checks of the production set-up (registered in CoreConfig.ready).

Counts kept per client address (the public register's rate limit, login lockouts) are only as good
as the cache they are kept in and the address they are kept for:

- a process-local cache (the local-memory default) counts per process, so n web processes allow n
  times the limit and a restart forgets every lockout: with DEBUG off that is an error, which stops
  ``manage.py`` commands and the WSGI application (auditbody/wsgi.py) from starting;
- behind a TLS proxy every request comes from the proxy: unless TRUSTED_PROXY_COUNT says how many
  proxies append to X-Forwarded-For, every visitor shares the proxy's one count (a warning: the
  proxy header alone does not prove the proxy appends to X-Forwarded-For)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Cache backends whose counts live in one process only.
PROCESS_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)

SHARED_CACHE_REQUIRED = "core.E001"
PROXY_WITHOUT_COUNT = "core.W001"


def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) is kept per process: the public register's rate limit "
            "would count per web process (n processes allow n times the rate) and restart from zero.",
            hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
            id=SHARED_CACHE_REQUIRED,
        )
    ]


def proxy_count_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Warning(
            "A TLS proxy header is configured (SECURE_PROXY_SSL_HEADER) but TRUSTED_PROXY_COUNT is 0: "
            "every visitor is counted as the proxy's address for rate limits and login lockouts.",
            hint="Set TRUSTED_PROXY_COUNT to the number of your proxies that append to X-Forwarded-For.",
            id=PROXY_WITHOUT_COUNT,
        )
    ]


def register() -> None:
    checks.register(shared_cache_check, checks.Tags.security)
    checks.register(proxy_count_check, checks.Tags.security)
