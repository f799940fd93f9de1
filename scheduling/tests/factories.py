import datetime

from audits.models import Absence
from audits.tests.factories import (  # noqa: F401 (re-exported for the scheduling tests)
    AuditFactory,
    TeamAssignmentFactory,
    iso9001,
    iso14001,
    qualified_profile,
    technical_area,
)
from scheduling.models import CalendarFeed


def absence(profile, start, end=None, **kwargs):
    return Absence.objects.create(profile=profile, start_date=start, end_date=end or start, **kwargs)


def feed_for(profile):
    return CalendarFeed.objects.create(profile=profile)


D = datetime.date
