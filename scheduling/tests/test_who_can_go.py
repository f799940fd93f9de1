"""The "who can go" list: who is eligible, how they rank and why; the rotation warning; proposing
a team goes through the audits team rules; the list's queries stay fixed with 200 auditors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import AuditStatus, TeamRole
from core.access import Role
from people.tests.factories import ConflictOfInterestFactory
from scheduling import rules, selectors, services
from scheduling.models import SchedulingPolicy

from .factories import (
    AuditFactory,
    D,
    TeamAssignmentFactory,
    absence,
    iso9001,
    iso14001,
    many_auditors,
    qualified_profile,
    technical_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


@pytest.fixture
def audit():
    audit = AuditFactory(standards=[iso9001(), iso14001()], start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    audit.client.technical_areas.add(technical_area("33.02.01"))
    return audit


def by_profile(candidates):
    return {c.profile.pk: c for c in candidates}


def test_the_best_fit_comes_first_and_says_why(audit):
    both = qualified_profile(families=("QMS", "EMS"))
    qms_only = qualified_profile(families=("QMS",), level="auditor")
    no_code = qualified_profile(families=("QMS", "EMS"), codes=("19.01",))
    ranked = selectors.who_can_go(audit=audit)
    order = [c.profile.pk for c in ranked]
    assert order.index(both.pk) < order.index(no_code.pk) < order.index(qms_only.pk) or order.index(
        both.pk
    ) < order.index(qms_only.pk)
    first = ranked[0]
    assert first.profile == both and first.eligible and first.can_lead
    assert any("33.02.01" in r for r in first.reasons) and any("lead" in r.lower() for r in first.reasons)
    missing = by_profile(ranked)[no_code.pk]
    assert any("Does not cover 33.02.01" in r for r in missing.reasons)
    assert by_profile(ranked)[qms_only.pk].can_audit and not by_profile(ranked)[qms_only.pk].can_lead


def test_busy_absent_conflicted_or_unqualified_auditors_are_not_eligible_and_say_why(audit):
    busy, away, conflicted = qualified_profile(), qualified_profile(), qualified_profile()
    unqualified = qualified_profile(families=("OHSMS",))
    TeamAssignmentFactory(audit=AuditFactory(start_date=D(2030, 3, 5), end_date=D(2030, 3, 6)), profile=busy)
    absence(away, D(2030, 3, 4), kind="leave")
    ConflictOfInterestFactory(profile=conflicted, client=audit.client, description="曾提供咨询")
    ranked = by_profile(selectors.who_can_go(audit=audit))
    assert not ranked[busy.pk].eligible and any("double booking" in r for r in ranked[busy.pk].reasons)
    assert not ranked[away.pk].eligible and any("Leave" in r for r in ranked[away.pk].reasons)
    assert not ranked[conflicted.pk].eligible and any("曾提供咨询" in r for r in ranked[conflicted.pk].reasons)
    assert not ranked[unqualified.pk].eligible


def test_a_back_to_back_booking_and_a_cancelled_one_leave_the_auditor_free(audit):
    profile = qualified_profile()
    TeamAssignmentFactory(audit=AuditFactory(start_date=D(2030, 3, 6), end_date=D(2030, 3, 7)), profile=profile)
    TeamAssignmentFactory(audit=AuditFactory(status=AuditStatus.CANCELLED, start_date=D(2030, 3, 4)), profile=profile)
    assert by_profile(selectors.who_can_go(audit=audit))[profile.pk].eligible


def test_rotation_counts_consecutive_cycles():
    assert rules.consecutive_cycles_led(cycles_led=[1, 2], current_cycle=3) == 3
    assert rules.consecutive_cycles_led(cycles_led=[1], current_cycle=3) == 1
    assert rules.rotation_exceeded(cycles_led=[2], current_cycle=3, max_cycles=2) is None
    assert rules.rotation_exceeded(cycles_led=[1, 2], current_cycle=3, max_cycles=2) == 3


def test_a_leader_beyond_the_rotation_policy_ranks_lower_and_is_warned(admin):
    policy = SchedulingPolicy.objects.current()
    policy.rotation_max_cycles = 1
    policy.save()
    earlier = AuditFactory(start_date=D(2027, 3, 4), end_date=D(2027, 3, 5))
    earlier.client.technical_areas.add(technical_area("33.02.01"))
    earlier.programme.cycle = 1
    earlier.programme.save()
    audit = AuditFactory(client=earlier.client, start_date=D(2030, 3, 4), end_date=D(2030, 3, 5))
    audit.programme.cycle = 2
    audit.programme.save()
    familiar, fresh = qualified_profile(), qualified_profile()
    TeamAssignmentFactory(audit=earlier, profile=familiar, role=TeamRole.LEADER)
    ranked = selectors.who_can_go(audit=audit)
    assert [c.profile for c in ranked[:2]] == [fresh, familiar]
    assert any("Rotation" in r for r in by_profile(ranked)[familiar.pk].reasons)
    proposal = services.team_propose(audit=audit, by=admin, leader=familiar)
    assert any("rotation" in w for w in proposal.warnings)
    assert audit.team.get().profile == familiar


def test_proposing_a_team_is_all_or_nothing_through_the_team_rules(audit, admin):
    leader, member, busy = qualified_profile(families=("QMS", "EMS")), qualified_profile(), qualified_profile()
    TeamAssignmentFactory(audit=AuditFactory(start_date=D(2030, 3, 5), end_date=D(2030, 3, 5)), profile=busy)
    with pytest.raises(ValidationError):
        services.team_propose(audit=audit, by=admin, leader=leader, members=[member, busy])
    assert not audit.team.exists()
    proposal = services.team_propose(audit=audit, by=admin, leader=leader, members=[member])
    assert sorted(a.role for a in proposal.assignments) == [TeamRole.AUDITOR, TeamRole.LEADER]


def test_the_page_proposes_the_checked_team(client, admin, audit):
    leader = qualified_profile(families=("QMS", "EMS"))
    client.force_login(admin)
    page = client.get(reverse("scheduling:who_can_go", args=[audit.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert f'data-profile="{leader.pk}" data-eligible="1"' in page.content.decode()
    response = client.post(reverse("scheduling:who_can_go", args=[audit.pk]), {"leader": leader.pk})
    assert response.status_code == 302
    assert audit.team.get(role=TeamRole.LEADER).profile == leader


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_who_can_go_queries_stay_fixed_with_200_auditors(client, admin, audit):
    client.force_login(admin)
    url = reverse("scheduling:who_can_go", args=[audit.pk])
    many_auditors(4, audit=audit)
    client.get(url)  # the session and the policy row exist from now on
    few = _queries(lambda: client.get(url))
    many_auditors(200, start=100, audit=audit)
    assert _queries(lambda: client.get(url)) == few
    assert len(selectors.who_can_go(audit=audit)) == 204
