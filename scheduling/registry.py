"""What the scheduling app reads from apps above it, filled in by those apps in their
``AppConfig.ready()``: scheduling never imports a higher app (the layers of DESIGN.md).

**Complaints per auditor.** The performance review of ISO/IEC 17021-1 7.2.10 weighs the
complaints about an auditor's audits; complaints sit above scheduling. The complaints app
registers one counter with ``register_complaint_counter(fn)``:
``fn(profile_ids=, since=, until=)`` returns ``{profile id: number of complaints}`` in ONE query
whatever the number of auditors (the monitoring page keeps a fixed query count). Without a counter
(an installation without complaints) the monitoring page shows no complaint column figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Protocol


class ComplaintCounter(Protocol):
    def __call__(
        self, *, profile_ids: Sequence[int], since: datetime.date, until: datetime.date
    ) -> Mapping[int, int]: ...


_complaint_counters: list[ComplaintCounter] = []


def register_complaint_counter(fn: ComplaintCounter) -> None:
    """Add a counter (registering the same one again changes nothing)."""
    if fn not in _complaint_counters:
        _complaint_counters.append(fn)


def complaints_per_profile(
    *, profile_ids: Sequence[int], since: datetime.date, until: datetime.date
) -> dict[int, int] | None:
    """Every counter's figures added up; ``None`` when no app counts complaints."""
    if not _complaint_counters:
        return None
    totals: dict[int, int] = {}
    for counter in _complaint_counters:
        for profile_id, n in counter(profile_ids=profile_ids, since=since, until=until).items():
            totals[profile_id] = totals.get(profile_id, 0) + n
    return totals
