"""Pure rules of complaints and appeals: deadlines, overdue, reminders, figures (no database).

The numbers of days come from the CB's ``ComplaintPolicy`` (CB settings, from memory of common
practice: ISO/IEC 17021-1 9.7 and 9.8 fix none)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable


def due(received_on: datetime.date, days: int) -> datetime.date:
    """The deadline ``days`` after the day of receipt."""
    return received_on + datetime.timedelta(days=days)


def is_overdue(*, due_on: datetime.date | None, done: bool, today: datetime.date) -> bool:
    """Past its deadline and not yet done (answered)."""
    return due_on is not None and not done and today > due_on


def reminder_due(*, due_on: datetime.date, today: datetime.date, before_days: int) -> bool:
    """A reminder is sent ``before_days`` before the deadline and every day once it is past."""
    return today == due_on - datetime.timedelta(days=before_days) or today > due_on


def appeal_in_time(*, decided_on: datetime.date | None, today: datetime.date, window_days: int) -> bool:
    """Whether a decision approved on ``decided_on`` may still be appealed today (CB setting)."""
    return decided_on is not None and today <= decided_on + datetime.timedelta(days=window_days)


def days_to_close(received_on: datetime.date, closed_on: datetime.date | None) -> int | None:
    return None if closed_on is None else (closed_on - received_on).days


def average(values: Iterable[int | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 1) if numbers else None
