"""The client's address, the one function every per-address count uses (the public register's rate
limit, login lockouts).

Behind TLS proxies every request comes from the proxy; the client's own address is in
X-Forwarded-For, which the client can also write to. So the header is read only through
``settings.TRUSTED_PROXY_COUNT``: behind n proxies of our own the client is the n-th address from the
right (what a client wrote itself stays further left); with 0 the header is ignored."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the outermost trusted proxy saw. IPv6 counts per /64, as one
    client usually holds a whole /64; an IPv4-mapped IPv6 address counts as the IPv4 address."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def axes_client_address(request: HttpRequest) -> str | None:
    """The address the login lockout stores: ``client_address``, or None when there is none (a
    login made without a request's address, e.g. Django's test client; the database stores an
    address as an ``inet``, where "unknown" is refused)."""
    address = client_address(request)
    return None if address == "unknown" else address
