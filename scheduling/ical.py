"""iCalendar (RFC 5545) files of auditors' assignments: the .ics attached to the assignment mail
and the private feed, built with the ``icalendar`` package."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Absence, TeamAssignment

PRODID = "-//auditbody//scheduling//EN"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def assignment_event(assignment: TeamAssignment) -> icalendar.Event:
    audit = assignment.audit
    event = icalendar.Event()
    event.add("uid", f"audit-{audit.pk}-assignment-{assignment.pk}@auditbody")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{audit.client} · {audit.get_audit_type_display()}")
    event.add("dtstart", audit.start_date)
    event.add("dtend", audit.end_date + datetime.timedelta(days=1))  # all-day events end the day after
    event.add("description", _("Role in the team: %(role)s") % {"role": assignment.get_role_display()})
    address = getattr(audit.client, "address_zh", "") or getattr(audit.client, "address_en", "")
    if address:
        event.add("location", address)
    event.add("status", "CONFIRMED")
    return event


def absence_event(absence: Absence) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"absence-{absence.pk}@auditbody")
    event.add("dtstamp", timezone.now())
    event.add("summary", absence.get_kind_display())
    event.add("dtstart", absence.start_date)
    event.add("dtend", absence.end_date + datetime.timedelta(days=1))
    event.add("transp", "OPAQUE")
    return event


def assignments_ics(*, name: str, assignments: Iterable[TeamAssignment], absences: Iterable[Absence] = ()) -> bytes:
    cal = _calendar(name)
    for assignment in assignments:
        cal.add_component(assignment_event(assignment))
    for absence in absences:
        cal.add_component(absence_event(absence))
    return cal.to_ical()
