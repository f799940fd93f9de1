"""Competence monitoring (17021-1 7.2.10): witnessing on a team counts, reviews, qualification
expiry, CPD, client feedback; the load per month, planned vs done; the client's feedback form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus
from audits.models.team import WitnessRole
from core.access import Role
from people.models import Employment
from scheduling import rules, selectors, services
from scheduling.models import ClientFeedback

from .factories import AuditFactory, D, TeamAssignmentFactory, qualified_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


def test_due_dates_at_their_edges():
    last = D(2027, 3, 1)
    assert rules.due_after(last=last, months=36, today=D(2030, 3, 1), soon_days=60).state == rules.DueState.DUE_SOON
    assert rules.due_after(last=last, months=36, today=D(2030, 3, 2), soon_days=60).state == rules.DueState.OVERDUE
    assert rules.due_after(last=last, months=36, today=D(2029, 12, 31), soon_days=60).state == rules.DueState.DUE_SOON
    assert rules.due_after(last=last, months=36, today=D(2029, 12, 30), soon_days=60).state == rules.DueState.OK
    assert rules.due_after(last=None, months=36, today=D(2030, 1, 1), soon_days=60).state == rules.DueState.MISSING
    assert rules.expiry(valid_until=None, today=D(2030, 1, 1), soon_days=60).state == rules.DueState.OK


def test_a_witnessed_audit_counts_once_done_and_reviews_cpd_feedback_show(admin):
    profile = qualified_profile()
    today = D(2030, 6, 1)
    done = AuditFactory(start_date=D(2028, 5, 1), end_date=D(2028, 5, 2), status=AuditStatus.CLOSED)
    TeamAssignmentFactory(audit=done, profile=profile, witness_role=WitnessRole.WITNESSED)
    planned = AuditFactory(start_date=D(2030, 7, 1), end_date=D(2030, 7, 2))
    TeamAssignmentFactory(audit=planned, profile=profile, witness_role=WitnessRole.WITNESSED)  # not yet
    services.performance_review_record(profile=profile, by=admin, reviewed_on=D(2029, 5, 1), outcome="satisfactory")
    services.cpd_record_add(
        profile=profile, by=profile.user, completed_on=D(2030, 1, 1), hours=Decimal(6), title="培训"
    )
    recent = AuditFactory(start_date=D(2030, 3, 1), end_date=D(2030, 3, 2), status=AuditStatus.DECIDED)
    TeamAssignmentFactory(audit=recent, profile=profile)
    ClientFeedback.objects.create(
        audit=recent,
        competence=5,
        conduct=4,
        communication=3,
        submitted_by=UserFactory(role=Role.CLIENT, client=recent.client),
    )
    [row] = [r for r in selectors.competence_monitoring(today=today) if r.profile == profile]
    assert row.last_witnessed == D(2028, 5, 2)
    assert row.witnessed.due_on == D(2031, 5, 2) and row.witnessed.state == rules.DueState.OK
    assert row.review.state == rules.DueState.OVERDUE  # 12 months after 2029-05-01
    assert row.cpd_hours == Decimal(6) and row.cpd_short  # 16 hours by default
    assert row.feedback_average == Decimal("4.0") and row.feedback_count == 1
    assert row.attention


def test_never_witnessed_is_flagged_and_the_page_shows_it(client, admin):
    profile = qualified_profile()
    client.force_login(admin)
    html = client.get(reverse("scheduling:monitoring"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(profile.user) in html and "none recorded" in html


def test_only_admins_review_and_nobody_records_cpd_for_someone_else(make_user):
    profile = qualified_profile()
    with pytest.raises(PermissionDenied):
        services.performance_review_record(
            profile=profile, by=profile.user, reviewed_on=D(2030, 1, 1), outcome="satisfactory"
        )
    with pytest.raises(PermissionDenied):
        services.cpd_record_add(
            profile=profile, by=make_user(role=Role.AUDITOR), completed_on=D(2030, 1, 1), hours=Decimal(1), title="x"
        )


def test_load_counts_days_per_month_planned_and_done():
    profile = qualified_profile(employment=Employment.EXTERNAL, days_per_month=Decimal(2))
    done = AuditFactory(
        start_date=D(2030, 1, 30), end_date=D(2030, 2, 1), on_site_days=Decimal(3), status=AuditStatus.CLOSED
    )
    planned = AuditFactory(start_date=D(2030, 2, 10), end_date=D(2030, 2, 11))
    cancelled = AuditFactory(start_date=D(2030, 2, 20), end_date=D(2030, 2, 21), status=AuditStatus.CANCELLED)
    for audit in (done, planned, cancelled):
        TeamAssignmentFactory(audit=audit, profile=profile)
    [row] = [r for r in selectors.auditor_load(year=2030) if r.profile == profile]
    assert row.planned[0] == Decimal(2) and row.done[0] == Decimal(2)
    assert row.planned[1] == Decimal(3) and row.done[1] == Decimal(1)
    assert row.planned_total == Decimal(5) and row.done_total == Decimal(3)
    assert row.months()[1][2] is True  # beyond the 2 agreed days in February


def test_the_client_gives_feedback_once_after_the_audit(client):
    audit = AuditFactory(status=AuditStatus.PLANNED)
    user = UserFactory(role=Role.CLIENT, client=audit.client)
    with pytest.raises(ValidationError):
        services.client_feedback_submit(audit=audit, by=user, competence=5, conduct=5, communication=5)
    audit.status = AuditStatus.REPORT_DRAFTED
    audit.save()
    client.force_login(user)
    url = reverse("scheduling:feedback", args=[audit.pk])
    assert 'data-testid="feedback-form"' in client.get(url).content.decode()
    response = client.post(url, {"competence": 5, "conduct": 4, "communication": 4, "comment": "专业"})
    assert response.status_code == 302
    assert audit.client_feedback.average == Decimal("4.3")
    assert 'data-testid="feedback-closed"' in client.get(url).content.decode()
    other = UserFactory(role=Role.CLIENT)
    with pytest.raises(PermissionDenied):
        services.client_feedback_submit(audit=audit, by=other, competence=5, conduct=5, communication=5)


def test_an_auditor_records_leave_on_the_availability_page(client):
    me = qualified_profile(role=Role.AUDITOR)
    client.force_login(me.user)
    response = client.post(
        reverse("scheduling:absences"),
        {"kind": "leave", "start_date": "2030-05-06", "start_half": "pm", "end_date": "2030-05-08", "end_half": "am"},
    )
    assert response.status_code == 302
    leave = me.absences.get()
    assert (leave.start_half, leave.end_half) == ("pm", "am")
    assert datetime.date(2030, 5, 8) == leave.end_date


def test_monitoring_and_load_pages_keep_their_queries_with_200_auditors(client, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import many_auditors

    client.force_login(admin)
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    many_auditors(4, audit=audit)
    pages = [reverse("scheduling:monitoring"), reverse("scheduling:load") + "?year=2030"]
    for url in pages:
        client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            for url in pages:
                assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    many_auditors(200, start=100, audit=audit)
    assert count() == few
