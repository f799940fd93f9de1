"""The month preview (103010 + 103011) and the plan preview (102010) pages keep a fixed number of
SQL queries however many certificates, audits and team members they list."""

import datetime

import pytest

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, AuditType, TeamRole
from audits.tests.factories import AuditFactory, TeamAssignmentFactory, qualified_profile
from certification.tests.pdf_factories import cb_admin
from core.access import Role

from .factories import cb_settings, complete_client, identify, reportable

pytestmark = pytest.mark.django_db

MONTH_URL = "/regulator/?month=2026-03&from=2026-01-01&to=2026-01-02"
PLAN_URL = "/regulator/?month=2025-01&from=2026-04-01&to=2026-04-30"


def _certificates(count):
    """``count`` certificates issued in March 2026, each with a stage 1 audit and a team of two."""
    for n in range(count):
        cast = reportable(issued_on=datetime.date(2026, 3, 2 + n))
        member = qualified_profile(user=UserFactory(role=Role.AUDITOR), level="auditor")
        TeamAssignmentFactory(audit=cast.audit, profile=member, role=TeamRole.AUDITOR)
        identify(member, f"11010119900308{1000 + n}")
        stage_1 = AuditFactory(
            client=cast.client,
            programme=cast.programme,
            audit_type=AuditType.STAGE_1,
            status=AuditStatus.DECIDED,
            start_date=cast.audit.start_date - datetime.timedelta(days=10),
            end_date=cast.audit.start_date - datetime.timedelta(days=10),
        )
        TeamAssignmentFactory(audit=stage_1, profile=member, role=TeamRole.LEADER)


def _audits(count):
    """``count`` audits starting in April 2026, each with a leader and an auditor."""
    cb_settings()
    for n in range(count):
        audit = AuditFactory(start_date=datetime.date(2026, 4, 1 + n), end_date=datetime.date(2026, 4, 2 + n))
        complete_client(audit.client)
        for role, level in ((TeamRole.LEADER, "lead_auditor"), (TeamRole.AUDITOR, "auditor")):
            profile = qualified_profile(user=UserFactory(role=Role.AUDITOR), level=level)
            TeamAssignmentFactory(audit=audit, profile=profile, role=role)
            identify(profile, f"1101011990030{n}{1000 + len(role)}")


# The month page (26, measured): session, user (2); the dashboard: settings, the month's final
# submission, the audits starting soon (their reported plan keys: none read when none starts
# soon, as here), the last submission (4); the month (16): since
# (settings + first submission), the keys reported before, settings, the certificates issued
# (client + its regulator data, decision, its audit and makers, replaced, main, programme +
# contract, standard, regulator data joined) with the client's sites and the status changes +
# reasons prefetched (3), the maintenance decisions (none here: no certificate prefetch), the
# status changes, the stage 1 audits, the audits' standards counted, their regulator data, the
# teams (profile, user, identity joined) + the qualifications (2), the CB, the numbers reported
# before (no certificates read when none were reported; the certificates reported before: none);
# the plan range, empty: the audits, settings (2); the deadline's settings (1); the history (1).
MONTH_QUERIES = 26


def test_month_preview_keeps_a_fixed_number_of_queries(client, django_assert_num_queries):
    admin = cb_admin()
    client.force_login(admin)
    _certificates(2)
    with django_assert_num_queries(MONTH_QUERIES):
        response = client.get(MONTH_URL)
    assert response.status_code == 200
    _certificates(6)
    with django_assert_num_queries(MONTH_QUERIES):
        response = client.get(MONTH_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="month-problems"' in body or "103010" in body


# The plan page (27, measured): session, user (2); the dashboard (4, as above); the month, empty: since
# (2), the keys reported before, settings, certificates, maintenance decisions, status changes, the
# numbers reported before (6); the plan range (11): the audits (client + its regulator data,
# programme, regulator data joined) with the client's sites, standards and sites prefetched (4),
# settings, the standards counted, the audits' regulator data, the teams + qualifications (2), the
# item codes of all the programmes, the CB; the deadline's settings (1); the history (1).
PLAN_QUERIES = 27


def test_plan_preview_keeps_a_fixed_number_of_queries(client, django_assert_num_queries):
    admin = cb_admin()
    client.force_login(admin)
    _audits(2)
    with django_assert_num_queries(PLAN_QUERIES):
        response = client.get(PLAN_URL)
    assert response.status_code == 200
    _audits(6)
    with django_assert_num_queries(PLAN_QUERIES):
        response = client.get(PLAN_URL)
    assert response.status_code == 200
