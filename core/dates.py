"""The CB's local calendar.

A CB works on its own calendar: an audit day, a due date, the day a review was opened are days
in the CB's time zone (``TIME_ZONE``), not in UTC. Stored moments are aware datetimes in UTC;
every place that turns one into a day, or asks for today, goes through these helpers, so a
moment just after midnight in Shanghai (16:00–24:00 UTC the day before) is the same day on
every page, in every rule and in every document. ``auditbody/tests/test_structure.py`` refuses
``date.today()`` and ``timezone.now().date()`` in application code.
"""

import datetime
from typing import overload

from django.utils import timezone
from django.utils.formats import date_format


def local_today() -> datetime.date:
    """Today in the CB's time zone."""
    return timezone.localdate()


@overload
def local_date(value: datetime.date) -> datetime.date: ...
@overload
def local_date(value: None) -> None: ...
def local_date(value: datetime.date | None) -> datetime.date | None:
    """The CB's local day of ``value``: an aware moment is converted to the CB's time zone first;
    a naive one is taken as already local; a date is returned as it is."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localdate(value)
        return value.date()
    return value


def day_text(value: datetime.date | datetime.datetime | None) -> str:
    """A day as the pages print it (2026-12-03), blank for none; moments are local days."""
    day = local_date(value)
    return date_format(day, "Y-m-d") if day else ""
