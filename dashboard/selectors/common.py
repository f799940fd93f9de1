"""What every role's start page shares: the bound of its lists and the days-left arithmetic."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from core.dates import local_date, local_today

LIMIT = 5  # each list shows its first rows, its count and a link to the full list


@dataclass
class Bounded:
    """The first ``LIMIT`` rows of a list, how many there are in all, and the full list's URL."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0
    url: str = ""

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def first(qs: QuerySet[Any], *, url: str = "", limit: int = LIMIT) -> Bounded:
    """Two queries: the first rows and the count."""
    return Bounded(rows=list(qs[:limit]), total=qs.count(), url=url)


def today() -> datetime.date:
    return local_today()


def days_until(day: datetime.date | None, on: datetime.date) -> int | None:
    """Days left until ``day`` (negative: days overdue); None without a date."""
    return None if day is None else (day - on).days


def days_to_audit(audit: Any, on: datetime.date) -> int | None:
    """Days until the audit starts; 0 while it is under way (today within its dates, not
    "overdue"); after its last day, the days since (negative: it should be over)."""
    if audit.start_date is None:
        return None
    if audit.start_date >= on:
        return (audit.start_date - on).days
    end = audit.end_date or audit.start_date
    return 0 if end >= on else (end - on).days


def age_in_days(moment: datetime.datetime | datetime.date | None, on: datetime.date) -> int | None:
    if moment is None:
        return None
    return (on - local_date(moment)).days  # a moment counts on the CB's local day
