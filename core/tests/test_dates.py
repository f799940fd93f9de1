"""The CB's local calendar: a moment is a day in TIME_ZONE (Asia/Shanghai), not in UTC."""

import datetime

import pytest
from django.utils import timezone

from core import dates

UTC = datetime.UTC
# 17:30 UTC on 2 December is 01:30 on 3 December in Shanghai (UTC+8).
LATE_UTC = datetime.datetime(2026, 12, 2, 17, 30, tzinfo=UTC)


@pytest.fixture
def at_late_utc(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_UTC)


def test_local_today_is_the_shanghai_day_after_midnight_there(at_late_utc):
    assert dates.local_today() == datetime.date(2026, 12, 3)


def test_an_aware_moment_is_its_local_day():
    assert dates.local_date(LATE_UTC) == datetime.date(2026, 12, 3)
    assert dates.day_text(LATE_UTC) == "2026-12-03"
    assert dates.local_date(datetime.datetime(2026, 12, 2, 15, 59, tzinfo=UTC)) == datetime.date(2026, 12, 2)


def test_a_date_and_none_pass_through():
    assert dates.local_date(datetime.date(2026, 12, 2)) == datetime.date(2026, 12, 2)
    assert dates.local_date(None) is None
    assert dates.day_text(None) == ""
