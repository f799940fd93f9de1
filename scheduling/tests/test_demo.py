import io

import pytest

from audits.models import Absence, Audit, TeamAssignment
from scheduling import demo as scheduling_demo
from scheduling.demo import DEMO_NOTE
from scheduling.models import CalendarFeed

pytestmark = pytest.mark.django_db


def _seed_below():
    from importlib import import_module

    for app in ("accounts", "standards", "clients", "people", "audits"):
        import_module(f"{app}.demo").seed(io.StringIO())


def test_the_demo_month_has_staffed_audits_and_absences_and_is_idempotent():
    _seed_below()
    out = io.StringIO()
    scheduling_demo.seed(out)
    assert "WARNING" not in out.getvalue(), out.getvalue()
    audits = Audit.objects.filter(notes=DEMO_NOTE)
    assert audits.count() == 3
    assert TeamAssignment.objects.filter(audit__in=audits).count() == 6
    assert Absence.objects.count() == 4
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1
    scheduling_demo.seed(io.StringIO())
    assert Audit.objects.filter(notes=DEMO_NOTE).count() == 3 and Absence.objects.count() == 4
