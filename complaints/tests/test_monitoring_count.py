"""Complaints feed the auditors' performance review (ISO/IEC 17021-1 7.2.10): the competence
monitoring page (scheduling) counts, per auditor, the complaints of the last 12 months about the
clients of audits they were on (a complaint names the client, not the audit)."""

import datetime
import itertools

import pytest
from django.urls import reverse

from audits.models import AuditStatus, TeamRole
from audits.tests.factories import AuditFactory, TeamAssignmentFactory, qualified_profile
from complaints.models import Complaint, ComplaintSource, ComplaintStatus, ComplaintSubject
from core.access import Role
from core.dates import local_today
from scheduling import selectors

pytestmark = pytest.mark.django_db

D = datetime.date
_n = itertools.count(1)


def complaint(client, received_on, **kwargs):
    n = next(_n)
    return Complaint.objects.create(
        reference=f"TS-{n}",
        ack_number=f"ack-test-{n}",
        source=ComplaintSource.PUBLIC,
        subject=ComplaintSubject.CB_ACTIVITY,
        complainant_name="王女士",
        summary="审核员迟到",
        description="审核组迟到两小时。",
        client=client,
        received_on=received_on,
        acknowledge_due_on=received_on,
        answer_due_on=received_on,
        **kwargs,
    )


def row_of(profile, today):
    [row] = [r for r in selectors.competence_monitoring(today=today) if r.profile == profile]
    return row


def test_complaints_about_the_clients_of_an_auditors_audits_are_counted(client, make_user):
    today = D(2030, 6, 1)
    on_team, elsewhere = qualified_profile(), qualified_profile()
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CLOSED)
    TeamAssignmentFactory(audit=audit, profile=on_team, role=TeamRole.AUDITOR)
    other_audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CLOSED)
    TeamAssignmentFactory(audit=other_audit, profile=elsewhere, role=TeamRole.AUDITOR)
    # A second audit of the same client with the same auditor: the complaint still counts once.
    again = AuditFactory(
        client=audit.client, start_date=D(2030, 4, 1), end_date=D(2030, 4, 2), status=AuditStatus.CLOSED
    )
    TeamAssignmentFactory(audit=again, profile=on_team, role=TeamRole.AUDITOR)

    complaint(audit.client, D(2030, 5, 1))  # counts
    complaint(audit.client, D(2030, 3, 1))  # received before the audit began: not about it
    complaint(audit.client, D(2030, 5, 2), status=ComplaintStatus.REJECTED)  # not about our activity
    complaint(audit.client, D(2029, 5, 1))  # more than 12 months ago
    complaint(None, D(2030, 5, 1))  # names no client

    assert row_of(on_team, today).complaint_count == 1
    assert row_of(elsewhere, today).complaint_count == 0

    # A cancelled audit of a client does not make its complaints the auditor's.
    cancelled = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CANCELLED)
    TeamAssignmentFactory(audit=cancelled, profile=elsewhere, role=TeamRole.AUDITOR)
    complaint(cancelled.client, D(2030, 5, 1))
    assert row_of(elsewhere, today).complaint_count == 0

    # The page counts up to today (the CB's local day).
    now = local_today()
    recent = AuditFactory(start_date=now - datetime.timedelta(days=40), end_date=now - datetime.timedelta(days=39))
    TeamAssignmentFactory(audit=recent, profile=on_team, role=TeamRole.AUDITOR)
    complaint(recent.client, now - datetime.timedelta(days=10))
    client.force_login(make_user(role=Role.CB_ADMIN))
    html = client.get(reverse("scheduling:monitoring"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complaints (12 months)" in html
    assert 'data-testid="complaint-count"><span class="badge text-bg-warning">1</span>' in html


def test_the_count_is_one_query_whatever_the_number_of_auditors(django_assert_num_queries):
    from complaints.selectors import complaints_per_auditor

    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CLOSED)
    profiles = [qualified_profile() for _ in range(3)]
    for profile in profiles:
        TeamAssignmentFactory(audit=audit, profile=profile, role=TeamRole.AUDITOR)
    complaint(audit.client, D(2030, 5, 1))
    with django_assert_num_queries(1):
        counts = complaints_per_auditor(profile_ids=[p.pk for p in profiles], since=D(2029, 6, 1), until=D(2030, 6, 1))
    assert counts == {p.pk: 1 for p in profiles}
