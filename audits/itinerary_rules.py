"""How an audit plan's itinerary is laid out over the audit's days (pure rules, no database).

ISO/IEC 17021-1 9.2.3 asks for an audit plan appropriate to the audit's objectives and scope,
with the dates and times of the on-site activities; 9.4.2 and 9.4.7 make the opening and the
closing meeting part of every audit. The pre-fill from the responsibility matrix therefore
gives each audit day a timetable: the opening meeting at the start of the first day, the
closing meeting at the end of the last one, and the departments in between, each given time in
proportion to the number of clauses it answers for. A department that does not fit in what is
left of a half day continues after the break or on the next day, with the rest of its clauses.

The working day (start, break, end) and the length of the meetings are CB settings
(``CertificationBody``), not facts of any standard.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class SlotKind(StrEnum):
    OPENING = "opening"
    AUDIT = "audit"
    CLOSING = "closing"


@dataclass(frozen=True)
class WorkingDay:
    start: datetime.time
    break_start: datetime.time
    break_end: datetime.time
    end: datetime.time
    meeting_minutes: int


@dataclass(frozen=True)
class Slot:
    """One line of the timetable. ``unit`` is the index of the department in the input (None for
    a meeting); ``clauses`` the slice ``[from, to)`` of that department's clauses it covers."""

    day: datetime.date
    start: datetime.time
    end: datetime.time
    kind: SlotKind
    unit: int | None = None
    clauses: tuple[int, int] = (0, 0)


class ScheduleError(ValueError):
    """The audit days leave too little time for the meetings and one slot per department."""


STEP_MINUTES = 30  # the timetable's grain: half hours, as plans are written
MIN_STEP_MINUTES = 5


def audit_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day from the first to the last day of the audit."""
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def _segments(days: Sequence[datetime.date], hours: WorkingDay) -> tuple[list[Slot], list[list[int]]]:
    """The meetings and the free stretches ``[day index, from, to]`` (minutes) between them."""
    meetings: list[Slot] = []
    free: list[list[int]] = []
    start, end = _minutes(hours.start), _minutes(hours.end)
    pause_from, pause_to = _minutes(hours.break_start), _minutes(hours.break_end)
    if not (start <= pause_from <= pause_to <= end):
        pause_from = pause_to = end  # no break inside the day
    for index, day in enumerate(days):
        first_from, last_to = start, end
        if index == 0:
            meetings.append(Slot(day, _time(start), _time(start + hours.meeting_minutes), SlotKind.OPENING))
            first_from = start + hours.meeting_minutes
        if index == len(days) - 1:
            meetings.append(Slot(day, _time(end - hours.meeting_minutes), _time(end), SlotKind.CLOSING))
            last_to = end - hours.meeting_minutes
        for low, high in ((first_from, min(pause_from, last_to)), (max(pause_to, first_from), last_to)):
            if high > low:
                free.append([index, low, high])
    return meetings, free


def _shares(weights: Sequence[int], units: int) -> list[int]:
    """``units`` split in proportion to ``weights``, at least one each (largest remainder)."""
    count = len(weights)
    spare = units - count
    total = sum(max(w, 1) for w in weights)
    exact = [spare * max(w, 1) / total for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(count), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: spare - sum(shares)]:
        shares[i] += 1
    return [s + 1 for s in shares]


def schedule(*, days: Sequence[datetime.date], weights: Sequence[int], hours: WorkingDay) -> list[Slot]:
    """The timetable: opening meeting, the units (departments) in order, closing meeting.

    ``weights[i]`` is the number of clauses of unit ``i``; each unit gets time in proportion to
    it, in steps of half an hour (shorter steps when there are many units), at least one step."""
    if not days:
        raise ScheduleError("no audit day")
    meetings, free = _segments(days, hours)
    available = sum(high - low for _day, low, high in free)
    if not weights:
        return meetings
    step = STEP_MINUTES
    while step > MIN_STEP_MINUTES and sum((high - low) // step for _d, low, high in free) < len(weights):
        step -= MIN_STEP_MINUTES
    units = sum((high - low) // step for _d, low, high in free)
    if units < len(weights) or available <= 0:
        raise ScheduleError("too many departments for the audit's days")
    shares = _shares(weights, units)
    slots: list[Slot] = []
    segment = 0
    for unit, (share, weight) in enumerate(zip(shares, weights, strict=True)):
        left, done = share, 0
        while left:
            day_index, low, high = free[segment]
            take = min(left, (high - low) // step)
            if take == 0:
                segment += 1
                continue
            # Rounded up, so that each piece of a split department has a clause of its own.
            first, last = math.ceil(weight * done / share), math.ceil(weight * (done + take) / share)
            slots.append(
                Slot(days[day_index], _time(low), _time(low + take * step), SlotKind.AUDIT, unit, (first, last))
            )
            free[segment][1] = low + take * step
            left -= take
            done += take
    return sorted(meetings + slots, key=lambda s: (s.day, s.start, s.kind != SlotKind.OPENING))
