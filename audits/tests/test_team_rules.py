"""Every team rule: one leader, the leader's qualification, family coverage, code coverage
(technical experts supply codes), conflicts refused, double bookings refused
(the edges are in test_availability.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits import services
from audits.models import AuditStatus, TeamRole
from core.access import Role

from .factories import (
    AuditFactory,
    ConflictOfInterestFactory,
    TeamAssignmentFactory,
    iso9001,
    iso14001,
    qualified_profile,
    technical_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


@pytest.fixture
def audit():
    audit = AuditFactory()
    audit.client.technical_areas.add(technical_area("33.02.01"))
    return audit


def add(audit, profile, role, by):
    return services.team_assignment_add(audit=audit, profile=profile, role=role, by=by)


def messages(exc):
    return " ".join(exc.value.messages)


def test_a_qualified_lead_auditor_becomes_leader_with_snapshot(audit, admin):
    profile = qualified_profile(registration_number="2018-N1QMS-2205805")
    assignment, warnings = add(audit, profile, TeamRole.LEADER, admin)
    assert warnings == []
    assert assignment.registration_number == "2018-N1QMS-2205805"
    assert assignment.codes == "33.02.01"
    assert assignment.name == profile.user.get_full_name()
    assert assignment.gender == "female"
    assert services.team_check(audit=audit).errors == []


def test_snapshot_survives_later_profile_changes(audit, admin):
    profile = qualified_profile()
    assignment, _ = add(audit, profile, TeamRole.LEADER, admin)
    old = assignment.registration_number
    profile.registration_number = "2021-N1QMS-1234567"
    profile.save()
    assignment.refresh_from_db()
    assert assignment.registration_number == old


def test_second_leader_is_refused(audit, admin):
    add(audit, qualified_profile(), TeamRole.LEADER, admin)
    with pytest.raises(ValidationError) as exc:
        add(audit, qualified_profile(), TeamRole.LEADER, admin)
    assert "one team leader" in messages(exc)
    assert audit.team.filter(role=TeamRole.LEADER).count() == 1


def test_team_without_leader_is_an_error_that_blocks_the_start(audit, admin):
    add(audit, qualified_profile(level="auditor"), TeamRole.AUDITOR, admin)
    check = services.team_check(audit=audit)
    assert any("one team leader" in e for e in check.errors)
    with pytest.raises(ValidationError):
        services.audit_start(audit=audit, by=admin)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNED


def test_leader_without_lead_auditor_qualification_is_refused(audit, admin):
    with pytest.raises(ValidationError) as exc:
        add(audit, qualified_profile(level="auditor"), TeamRole.LEADER, admin)
    assert "leader qualification" in messages(exc)


def test_leader_needs_lead_qualification_for_every_family_of_the_audit(admin):
    audit = AuditFactory(standards=[iso9001(), iso14001()])
    with pytest.raises(ValidationError) as exc:
        add(audit, qualified_profile(families=("QMS",)), TeamRole.LEADER, admin)
    assert "EMS" in messages(exc)
    assignment, _ = add(audit, qualified_profile(families=("QMS", "EMS")), TeamRole.LEADER, admin)
    assert assignment.pk


def test_expired_lead_qualification_does_not_count(audit, admin):
    profile = qualified_profile()
    profile.qualifications.update(valid_until=datetime.date(2029, 12, 31))  # not a tracked model of ours
    with pytest.raises(ValidationError) as exc:
        add(audit, profile, TeamRole.LEADER, admin)
    assert "leader qualification" in messages(exc)


def test_member_without_any_auditor_qualification_is_refused(audit, admin):
    expert_only = qualified_profile(level="technical_expert")
    with pytest.raises(ValidationError) as exc:
        add(audit, expert_only, TeamRole.AUDITOR, admin)
    assert "auditor qualification" in messages(exc)


def test_every_family_must_be_covered_by_a_qualified_auditor(admin):
    audit = AuditFactory(standards=[iso9001(), iso14001()])
    audit.client.technical_areas.add(technical_area("33.02.01"))
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(families=("QMS",)), role=TeamRole.LEADER)
    check = services.team_check(audit=audit)
    assert any("system competence" in e and "EMS" in e for e in check.errors)
    add(audit, qualified_profile(families=("EMS",), level="auditor", codes=()), TeamRole.AUDITOR, admin)
    check = services.team_check(audit=audit)
    assert not any("system competence" in e for e in check.errors)


def test_technical_expert_does_not_cover_a_family(admin):
    audit = AuditFactory(standards=[iso9001(), iso14001()])
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(families=("QMS",)), role=TeamRole.LEADER)
    add(
        audit,
        qualified_profile(families=("EMS",), level="technical_expert", codes=()),
        TeamRole.TECHNICAL_EXPERT,
        admin,
    )
    assert any("system competence" in e for e in services.team_check(audit=audit).errors)


def test_client_codes_must_be_covered(audit, admin):
    add(audit, qualified_profile(codes=("29.12",)), TeamRole.LEADER, admin)
    check = services.team_check(audit=audit)
    assert any("technical competence" in e and "33.02.01" in e for e in check.errors)


def test_a_sector_code_covers_the_codes_below_it(audit, admin):
    add(audit, qualified_profile(codes=("33.02",)), TeamRole.LEADER, admin)
    assert services.team_check(audit=audit).errors == []


def test_technical_expert_supplies_the_missing_code(audit, admin):
    add(audit, qualified_profile(codes=()), TeamRole.LEADER, admin)
    assert any("technical competence" in e for e in services.team_check(audit=audit).errors)
    add(audit, qualified_profile(level="technical_expert", codes=("33.02.01",)), TeamRole.TECHNICAL_EXPERT, admin)
    assert services.team_check(audit=audit).errors == []


def test_observer_does_not_supply_codes(audit, admin):
    add(audit, qualified_profile(codes=()), TeamRole.LEADER, admin)
    add(audit, qualified_profile(level="auditor", codes=("33.02.01",)), TeamRole.OBSERVER, admin)
    assert any("technical competence" in e for e in services.team_check(audit=audit).errors)


def test_technical_expert_days_do_not_count_as_auditor_days(audit, admin):
    audit.planned_man_days = 3
    audit.save()
    add(audit, qualified_profile(), TeamRole.LEADER, admin)  # 2 days on site
    add(audit, qualified_profile(level="technical_expert"), TeamRole.TECHNICAL_EXPERT, admin)
    check = services.team_check(audit=audit)
    assert any("auditor-days (2)" in w for w in check.warnings)


def test_auditor_with_active_conflict_is_refused(audit, admin):
    profile = qualified_profile()
    ConflictOfInterestFactory(profile=profile, client=audit.client, declared_on=datetime.date(2029, 1, 1), until=None)
    with pytest.raises(ValidationError) as exc:
        add(audit, profile, TeamRole.LEADER, admin)
    assert "conflict of interest" in messages(exc)
    assert not audit.team.exists()


def test_conflict_ending_during_the_audit_is_still_refused(audit, admin):
    profile = qualified_profile()
    ConflictOfInterestFactory(profile=profile, client=audit.client, until=audit.start_date)
    with pytest.raises(ValidationError):
        add(audit, profile, TeamRole.AUDITOR, admin)


def test_expired_conflict_is_allowed(audit, admin):
    profile = qualified_profile()
    ConflictOfInterestFactory(profile=profile, client=audit.client, until=audit.start_date - datetime.timedelta(days=1))
    assignment, _ = add(audit, profile, TeamRole.LEADER, admin)
    assert assignment.pk


def test_conflict_with_another_client_is_irrelevant(audit, admin):
    profile = qualified_profile()
    ConflictOfInterestFactory(profile=profile)
    assert add(audit, profile, TeamRole.LEADER, admin)[0].pk


def test_conflict_declared_after_assignment_shows_in_the_team_check(audit, admin):
    profile = qualified_profile()
    add(audit, profile, TeamRole.LEADER, admin)
    ConflictOfInterestFactory(profile=profile, client=audit.client)
    assert any("conflict of interest" in e for e in services.team_check(audit=audit).errors)


def test_overlapping_booking_is_refused_and_a_forced_one_is_warned_by_the_team_check(audit, admin):
    profile = qualified_profile()
    other = AuditFactory(start_date=audit.end_date, end_date=audit.end_date + datetime.timedelta(days=1))
    TeamAssignmentFactory(audit=other, profile=profile)
    with pytest.raises(ValidationError) as exc:
        add(audit, profile, TeamRole.LEADER, admin)
    assert "double booking" in messages(exc) and str(other.client) in messages(exc)
    TeamAssignmentFactory(audit=audit, profile=profile)  # e.g. imported data
    assert any("double booking" in w for w in services.team_check(audit=audit).warnings)


def test_adjacent_or_cancelled_bookings_are_not_warned(audit, admin):
    profile = qualified_profile()
    TeamAssignmentFactory(
        audit=AuditFactory(
            start_date=audit.end_date + datetime.timedelta(days=1), end_date=audit.end_date + datetime.timedelta(days=2)
        ),
        profile=profile,
    )
    TeamAssignmentFactory(audit=AuditFactory(status=AuditStatus.CANCELLED), profile=profile)
    assert add(audit, profile, TeamRole.LEADER, admin)[1] == []


def test_same_person_twice_is_refused(audit, admin):
    profile = qualified_profile()
    add(audit, profile, TeamRole.LEADER, admin)
    with pytest.raises(ValidationError):
        add(audit, profile, TeamRole.AUDITOR, admin)


def test_only_cb_administrators_staff_audits(audit, make_user):
    with pytest.raises(PermissionDenied):
        add(audit, qualified_profile(), TeamRole.LEADER, make_user(role=Role.TEAM_LEADER))


def test_team_is_frozen_once_the_report_is_drafted(audit, admin):
    audit.status = AuditStatus.REPORT_DRAFTED
    audit.save()
    with pytest.raises(ValidationError):
        add(audit, qualified_profile(), TeamRole.LEADER, admin)


def test_one_leader_is_also_a_database_constraint(audit):
    from django.db import IntegrityError, transaction

    TeamAssignmentFactory(audit=audit)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamAssignmentFactory(audit=audit)


def test_removing_a_member_clears_their_itinerary_lines(audit, admin):
    from .factories import PlanItemFactory

    assignment, _ = add(audit, qualified_profile(), TeamRole.LEADER, admin)
    item = PlanItemFactory(audit=audit, auditor=assignment)
    services.team_assignment_remove(assignment=assignment, by=admin)
    item.refresh_from_db()
    assert item.auditor is None
    assert not audit.team.exists()
