"""Due dates are the CB's local days: at 01:30 in Shanghai (17:30 UTC the day before) an NC due
"yesterday" in Shanghai is overdue, on the home page and in the register."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.navigation import next_actions_for

from .factories import cast, make_nc

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def shanghai_after_midnight(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 2, 17, 30, tzinfo=datetime.UTC))


def test_an_nc_due_on_the_utc_day_is_overdue_on_the_local_one(client, shanghai_after_midnight):
    people = cast(audit_type="surveillance_1", start_date=D(2026, 10, 1), end_date=D(2026, 10, 2))
    late = make_nc(people.audit, due_date=D(2026, 12, 2))  # today in UTC, yesterday in Shanghai
    on_time = make_nc(people.audit, due_date=D(2026, 12, 3))  # today in Shanghai
    answers = {a.meta["nc"]: a for a in next_actions_for(people.client_user) if a.meta.get("kind") == "nc_answer"}
    assert answers[late.pk].urgent and not answers[on_time.pk].urgent
    client.force_login(people.client_user)
    home = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The client's start page (dashboard): days left counted on the local day.
    assert f'data-nc="{late.pk}"' in home and "1 day overdue" in home
    assert 'data-days="0"' in home and "due 2026-12-03" in home
