"""Pure rules of scheduling and competence monitoring (no database access)."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from audits.programme_rules import add_months


def consecutive_cycles_led(*, cycles_led: Iterable[int], current_cycle: int) -> int:
    """How many consecutive certification cycles, ending with ``current_cycle`` (which the leader
    would lead), the same person leads the same client: 1 when they did not lead the cycle before."""
    led = set(cycles_led) | {current_cycle}
    count = 0
    cycle = current_cycle
    while cycle in led:
        count += 1
        cycle -= 1
    return count


def rotation_exceeded(*, cycles_led: Iterable[int], current_cycle: int, max_cycles: int) -> int | None:
    """The number of consecutive cycles when leading the current one exceeds the CB's rotation
    policy (``SchedulingPolicy.rotation_max_cycles``; ISO/IEC 17021-1 5.2 familiarity threat),
    else None."""
    count = consecutive_cycles_led(cycles_led=cycles_led, current_cycle=current_cycle)
    return count if count > max_cycles else None


class DueState(enum.Enum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MISSING = "missing"  # never done


@dataclass(frozen=True)
class Due:
    state: DueState
    due_on: datetime.date | None


def due_after(*, last: datetime.date | None, months: int, today: datetime.date, soon_days: int) -> Due:
    """A check repeated every ``months``: due ``months`` after the last one; due soon within
    ``soon_days``; overdue the day after the due date; missing when never done."""
    if last is None:
        return Due(DueState.MISSING, None)
    due_on = add_months(day=last, months=months)
    return Due(_state(due_on=due_on, today=today, soon_days=soon_days), due_on)


def expiry(*, valid_until: datetime.date | None, today: datetime.date, soon_days: int) -> Due:
    """A qualification or registration valid until a day: overdue once that day has passed."""
    if valid_until is None:
        return Due(DueState.OK, None)
    return Due(_state(due_on=valid_until, today=today, soon_days=soon_days), valid_until)


def _state(*, due_on: datetime.date, today: datetime.date, soon_days: int) -> DueState:
    if today > due_on:
        return DueState.OVERDUE
    if (due_on - today).days <= soon_days:
        return DueState.DUE_SOON
    return DueState.OK
