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


def many_auditors(n, *, start=0, code="33.02.01", audit=None):
    """``n`` qualified lead auditors with a competence code (and, with ``audit``, a booking and an
    absence each around it), bulk-created: the query-count tests need hundreds."""
    from accounts.models import User
    from audits.models import TeamAssignment, TeamRole
    from core.access import Role
    from people.models import AuditorProfile, Qualification, QualificationLevel

    users = User.objects.bulk_create(
        [User(username=f"bulk{start + i}", full_name=f"审核员{start + i}", role=Role.TEAM_LEADER) for i in range(n)]
    )
    profiles = AuditorProfile.objects.bulk_create(
        [
            AuditorProfile(user=u, registration_number=f"2018-N1QMS-{3000000 + start + i:07d}", gender="male")
            for i, u in enumerate(users)
        ]
    )
    Qualification.objects.bulk_create(
        [
            Qualification(profile=p, family="QMS", level=QualificationLevel.LEAD_AUDITOR, valid_from=D(2018, 1, 1))
            for p in profiles
        ]
    )
    area = technical_area(code)
    AuditorProfile.technical_areas.through.objects.bulk_create(
        [AuditorProfile.technical_areas.through(auditorprofile_id=p.pk, technicalarea_id=area.pk) for p in profiles]
    )
    if audit is not None:
        other = AuditFactory(start_date=audit.start_date, end_date=audit.end_date)
        TeamAssignment.objects.bulk_create(
            [
                TeamAssignment(audit=other, profile=p, role=TeamRole.AUDITOR, name=str(p.user))
                for p in profiles[: n // 2]
            ]
        )
        Absence.objects.bulk_create(
            [Absence(profile=p, start_date=audit.start_date, end_date=audit.start_date) for p in profiles[n // 2 :]]
        )
    return profiles
