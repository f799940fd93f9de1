"""The calendar's events and filters, moving an audit from the calendar (refused naming who is not
free), the .ics mail and the private feed (parsed with icalendar; one auditor's feed never shows
another's audits; a revoked address answers 404); fixed queries with 200 auditors."""

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import services as audit_services
from audits.models import TeamRole
from core.access import Role
from scheduling import services
from scheduling.models import CalendarFeed

from .factories import AuditFactory, D, TeamAssignmentFactory, absence, many_auditors, qualified_profile, technical_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


def events(client, **params):
    params = {"start": "2030-03-01", "end": "2030-04-12", **params}
    return client.get(reverse("scheduling:calendar_events"), params).json()


def test_the_calendar_shows_audits_and_absences_and_filters_by_auditor(client, admin):
    one, two = qualified_profile(), qualified_profile()
    a1 = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    a2 = AuditFactory(start_date=D(2030, 3, 11), end_date=D(2030, 3, 12))
    TeamAssignmentFactory(audit=a1, profile=one)
    TeamAssignmentFactory(audit=a2, profile=two)
    absence(two, D(2030, 3, 18), D(2030, 3, 20))
    AuditFactory(start_date=D(2031, 1, 1), end_date=D(2031, 1, 2))  # outside the window
    client.force_login(admin)
    everything = events(client)
    assert {e["id"] for e in everything} == {f"audit-{a1.pk}", f"audit-{a2.pk}", f"absence-{two.absences.get().pk}"}
    audit_event = next(e for e in everything if e["id"] == f"audit-{a1.pk}")
    assert audit_event["end"] == "2030-03-06"  # all-day events end the day after
    assert {e["id"] for e in events(client, profile=one.pk)} == {f"audit-{a1.pk}"}


def test_an_auditor_sees_their_own_audits_only(client):
    me = qualified_profile(role=Role.AUDITOR)
    mine = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    TeamAssignmentFactory(audit=mine, profile=me)
    TeamAssignmentFactory(audit=AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5)))
    client.force_login(me.user)
    assert [e["id"] for e in events(client) if e["id"].startswith("audit")] == [f"audit-{mine.pk}"]


def test_dragging_an_audit_onto_a_members_leave_is_refused_naming_them(client, admin):
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    on_leave = qualified_profile()
    TeamAssignmentFactory(audit=audit, profile=on_leave)
    absence(on_leave, D(2030, 3, 12))
    client.force_login(admin)
    url = reverse("scheduling:calendar_move")
    response = client.post(
        url, {"audit": audit.pk, "start": "2030-03-11", "version": audit.version}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "moveRefused"
    assert str(on_leave.user) in response.content.decode()
    audit.refresh_from_db()
    assert audit.start_date == D(2030, 3, 4)
    response = client.post(url, {"audit": audit.pk, "start": "2030-03-18", "version": audit.version})
    assert response["HX-Trigger"] == "moveDone"
    audit.refresh_from_db()
    assert (audit.start_date, audit.end_date) == (D(2030, 3, 18), D(2030, 3, 19))


def test_calendar_queries_stay_fixed_with_200_auditors(client, admin):
    client.force_login(admin)
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    many_auditors(4, audit=audit)
    events(client)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            events(client)
            client.get(reverse("scheduling:calendar"))
        return len(ctx.captured_queries)

    few = count()
    many_auditors(200, start=100, audit=audit)
    assert count() == few


# --- .ics and feed -----------------------------------------------------------------------------------


def test_an_assignment_is_mailed_with_an_ics_that_parses(
    admin, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    audit.client.technical_areas.add(technical_area("33.02.01"))
    profile = qualified_profile()
    profile.user.email = "auditor@example.com"
    profile.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.team_assignment_add(audit=audit, profile=profile, role=TeamRole.LEADER, by=admin)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["auditor@example.com"]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == D(2030, 3, 4)
    assert event.decoded("dtend") == D(2030, 3, 6)
    assert str(audit.client) in str(event.get("summary"))


def test_the_feed_shows_the_auditors_own_audits_only_and_a_revoked_address_is_gone(client):
    me, other = qualified_profile(), qualified_profile()
    mine = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    theirs = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    TeamAssignmentFactory(audit=mine, profile=me)
    TeamAssignmentFactory(audit=theirs, profile=other)
    absence(me, D(2030, 4, 1))
    feed = services.calendar_feed_create(profile=me, by=me.user)
    response = client.get(reverse("scheduling:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    uids = {str(e.get("uid")) for e in cal.walk("VEVENT")}
    assert any(f"audit-{mine.pk}-" in uid for uid in uids)
    assert not any(f"audit-{theirs.pk}-" in uid for uid in uids)
    assert len(uids) == 2  # the audit and the absence
    renewed = services.calendar_feed_create(profile=me, by=me.user)
    assert client.get(reverse("scheduling:feed", args=[feed.token])).status_code == 404
    services.calendar_feed_revoke(feed=CalendarFeed.objects.get(pk=renewed.pk), by=me.user)
    assert client.get(reverse("scheduling:feed", args=[renewed.token])).status_code == 404
    assert client.get(reverse("scheduling:feed", args=["not-a-token"])).status_code == 404


def test_nobody_else_manages_an_auditors_feed(make_user):
    from django.core.exceptions import PermissionDenied

    me = qualified_profile()
    with pytest.raises(PermissionDenied):
        services.calendar_feed_create(profile=me, by=make_user(role=Role.AUDITOR))
