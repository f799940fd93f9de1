"""Who may open the scheduling pages (see auditbody/tests/access_table.py)."""

from core.access import Role
from core.testing import PUBLIC, STAFF, Page

ADMIN = frozenset({Role.CB_ADMIN})
AUDITING_AND_ADMIN = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER})
CLIENT = frozenset({Role.CLIENT})


def _audit(user):
    from audits.tests.factories import audit_for

    return {"pk": audit_for(user).pk}


def _absence(user):
    """An absence the user may remove: their own (auditors), anyone's (administrators)."""
    import datetime

    from audits.models import Absence
    from audits.tests.factories import qualified_profile

    own = user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER)
    profile = (getattr(user, "auditor_profile", None) or qualified_profile(user=user)) if own else qualified_profile()
    absence = Absence.objects.create(
        profile=profile, start_date=datetime.date(2030, 5, 6), end_date=datetime.date(2030, 5, 7)
    )
    return {"pk": absence.pk}


def _feed(user):
    from audits.tests.factories import qualified_profile
    from scheduling.models import CalendarFeed

    return {"token": CalendarFeed.objects.create(profile=qualified_profile()).token}


PAGES = [
    Page("scheduling:who_can_go", ADMIN, kwargs=_audit),
    Page("scheduling:calendar", STAFF),
    Page("scheduling:calendar_events", STAFF),
    Page("scheduling:calendar_move", ADMIN, method="post"),
    Page("scheduling:absences", AUDITING_AND_ADMIN),
    Page("scheduling:absence_delete", AUDITING_AND_ADMIN, kwargs=_absence, method="post", ok_status=302),
    Page("scheduling:feed_manage", AUDITING_AND_ADMIN, method="post", ok_status=302),
    Page("scheduling:feed", PUBLIC, kwargs=_feed),
    Page("scheduling:monitoring", ADMIN),
    Page("scheduling:load", ADMIN),
    Page("scheduling:feedback", CLIENT, kwargs=_audit),
]
