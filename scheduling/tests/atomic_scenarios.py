"""The scheduling app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

import datetime
from decimal import Decimal

from accounts.tests.factories import UserFactory
from audits.models import Audit, AuditStatus
from clients.tests.factories import ClientFactory
from core.access import Role
from core.tests.atomicity import scenarios, single_write
from scheduling import services
from scheduling.models import CalendarFeed

from .factories import AuditFactory, qualified_profile, technical_area

READS = {
    "feedback_open": "whether the feedback form is open; writes nothing",
}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def admin():
    return UserFactory(role=Role.CB_ADMIN)


def scenario_team_propose():
    audit = AuditFactory()
    audit.client.technical_areas.add(technical_area("33.02.01"))
    leader, member = qualified_profile(), qualified_profile(level="auditor")
    by = admin()
    return lambda: services.team_propose(audit=Audit.objects.get(pk=audit.pk), by=by, leader=leader, members=[member])


def scenario_calendar_feed_create():
    profile = qualified_profile()
    CalendarFeed.objects.create(profile=profile)
    return lambda: services.calendar_feed_create(profile=profile, by=profile.user)


@single_write("revoking is one row")
def scenario_calendar_feed_revoke():
    profile = qualified_profile()
    feed = CalendarFeed.objects.create(profile=profile)
    return lambda: services.calendar_feed_revoke(feed=CalendarFeed.objects.get(pk=feed.pk), by=profile.user)


def scenario_performance_review_record():
    profile, by = qualified_profile(), admin()
    return lambda: services.performance_review_record(
        profile=profile, by=by, reviewed_on=datetime.date(2030, 1, 10), outcome="satisfactory", summary="报告质量良好"
    )


def scenario_cpd_record_add():
    profile = qualified_profile()
    return lambda: services.cpd_record_add(
        profile=profile,
        by=profile.user,
        completed_on=datetime.date(2030, 1, 10),
        hours=Decimal(8),
        title="ISO 45001 培训",
    )


def scenario_client_feedback_submit():
    client = ClientFactory()
    audit = AuditFactory(client=client, status=AuditStatus.REPORT_DRAFTED)
    by = UserFactory(role=Role.CLIENT, client=client)
    return lambda: services.client_feedback_submit(audit=audit, by=by, competence=5, conduct=4, communication=4)


SCENARIOS = scenarios(globals())
