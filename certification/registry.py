"""What higher apps tell certification (which never imports them).

Release holds: a higher app (``applications``: the CB's "release only when the certification fee
is paid") registers ``hold(decision=, programme=) -> str``, the reason a granted certificate is
withheld, or "" to let it go. A grant still records and issues its certificates; a held one is
kept with the CB until ``certification.services.certificates_release``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ReleaseHold = Callable[..., str]

_release_holds: dict[str, ReleaseHold] = {}


def register_release_hold(name: str, hold: ReleaseHold) -> None:
    """Add (or replace, by ``name``) a release hold."""
    _release_holds[name] = hold


def release_hold_reason(*, decision: Any, programme: Any) -> str:
    """The first registered hold's reason to withhold the certificates of this grant, or ""."""
    for hold in _release_holds.values():
        reason = hold(decision=decision, programme=programme)
        if reason:
            return str(reason)[:200]
    return ""
