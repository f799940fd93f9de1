"""Writing generated rows in batches and dating them in office hours."""

from __future__ import annotations

import datetime
import random

from django.db import reset_queries
from django.utils import timezone

BATCH = 2000


def bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
        reset_queries()  # with DEBUG on, Django keeps every statement's text: megabytes per batch
    return created


def update_grouped(model, values: dict[int, object], field: str) -> None:
    """Set ``field`` of the rows ``values`` names (pk → value), one UPDATE per value and 500 rows:
    ``bulk_update``'s CASE per row costs more than the inserts at mid size."""
    by_value: dict[object, list[int]] = {}
    for pk, value in values.items():
        by_value.setdefault(value, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), 500):
            model.objects.filter(pk__in=pks[start : start + 500]).update(**{field: value})


def office_hours_at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


OFFICE_START, OFFICE_MINUTES = 8 * 60 + 30, 9 * 60 + 30  # 08:30–18:00, local time


def moments_between(rnd: random.Random, after: datetime.datetime, before: datetime.datetime, count: int):
    """``count`` distinct whole minutes strictly between ``after`` and ``before``, in order (the
    moves of one record happen one after the other, never at the same time), in office hours
    when the window leaves room for them."""
    midnight = office_hours_at(timezone.localtime(after).date(), 0)
    days = (before - midnight).days + 1
    candidates = [
        midnight + datetime.timedelta(days=index // OFFICE_MINUTES, minutes=OFFICE_START + index % OFFICE_MINUTES)
        for index in rnd.sample(range(days * OFFICE_MINUTES), min(days * OFFICE_MINUTES, 2 * count + 4))
    ]
    inside = [moment for moment in candidates if after < moment < before]
    if len(inside) >= count:
        return sorted(rnd.sample(inside, count))
    minutes = int((before - after).total_seconds() // 60)
    if minutes <= count:  # no room: a minute apart, even past ``before``
        return [after + datetime.timedelta(minutes=i + 1) for i in range(count)]
    return [after + datetime.timedelta(minutes=m) for m in sorted(rnd.sample(range(1, minutes), count))]
