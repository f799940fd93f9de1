"""The clash rule at its edges: half days, back-to-back days, multi-day audits, cancelled audits,
absences; refused when staffing, when moving an audit's dates, and when recording an absence."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits import availability, services
from audits.availability import Span
from audits.models import Absence, AbsenceKind, AuditStatus, HalfDay, TeamRole
from core.access import Role

from .factories import AuditFactory, PlanItemFactory, TeamAssignmentFactory, qualified_profile, technical_area

pytestmark = pytest.mark.django_db

AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
D = datetime.date


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


def audit_on(start, end, start_half=AM, end_half=PM, **kwargs):
    audit = AuditFactory(start_date=start, end_date=end, start_half=start_half, end_half=end_half, **kwargs)
    audit.client.technical_areas.add(technical_area("33.02.01"))
    return audit


def add(audit, profile, by, role=TeamRole.LEADER):
    return services.team_assignment_add(audit=audit, profile=profile, role=role, by=by)


def text(exc):
    return " ".join(exc.value.messages)


# --- the span rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        # back-to-back days
        (Span(D(2030, 3, 4), D(2030, 3, 5)), Span(D(2030, 3, 6), D(2030, 3, 7)), False),
        # sharing one day
        (Span(D(2030, 3, 4), D(2030, 3, 5)), Span(D(2030, 3, 5), D(2030, 3, 6)), True),
        # morning then afternoon of the same day
        (Span(D(2030, 3, 4), D(2030, 3, 4), AM, AM), Span(D(2030, 3, 4), D(2030, 3, 4), PM, PM), False),
        # an audit ending at noon and one starting that afternoon
        (Span(D(2030, 3, 2), D(2030, 3, 4), AM, AM), Span(D(2030, 3, 4), D(2030, 3, 6), PM, PM), False),
        # the same afternoon
        (Span(D(2030, 3, 2), D(2030, 3, 4), AM, PM), Span(D(2030, 3, 4), D(2030, 3, 6), PM, PM), True),
        # a multi-day span containing a half day
        (Span(D(2030, 3, 1), D(2030, 3, 9)), Span(D(2030, 3, 5), D(2030, 3, 5), PM, PM), True),
    ],
)
def test_spans_clash_exactly_when_they_share_a_half_day(a, b, clash):
    assert a.overlaps(b) is clash
    assert b.overlaps(a) is clash


def test_a_span_ending_before_it_starts_is_invalid():
    assert not Span(D(2030, 3, 4), D(2030, 3, 4), PM, AM).valid
    assert Span(D(2030, 3, 4), D(2030, 3, 4), AM, AM).valid
    assert Span(D(2030, 3, 4), D(2030, 3, 5), PM, AM).half_days == 2


def test_days_by_month_splits_a_span_across_months():
    assert availability.days_by_month(Span(D(2030, 3, 31), D(2030, 4, 1), PM, PM)) == {
        D(2030, 3, 1): Decimal("0.5"),
        D(2030, 4, 1): Decimal("1.0"),
    }


# --- staffing ---------------------------------------------------------------------------------


def test_back_to_back_audits_may_share_an_auditor(admin):
    profile = qualified_profile()
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 4), D(2030, 3, 5)), profile=profile)
    assert add(audit_on(D(2030, 3, 6), D(2030, 3, 7)), profile, admin)[0].pk


def test_a_morning_audit_and_an_afternoon_audit_of_the_same_day(admin):
    profile = qualified_profile()
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 4), D(2030, 3, 4), AM, AM), profile=profile)
    assert add(audit_on(D(2030, 3, 4), D(2030, 3, 4), PM, PM), profile, admin)[0].pk
    with pytest.raises(ValidationError) as exc:
        add(audit_on(D(2030, 3, 3), D(2030, 3, 4), AM, AM), profile, admin)
    assert "double booking" in text(exc)


def test_overlapping_multi_day_audit_is_refused_naming_the_other_audit(admin):
    profile = qualified_profile()
    other = audit_on(D(2030, 3, 2), D(2030, 3, 10))
    TeamAssignmentFactory(audit=other, profile=profile)
    audit = audit_on(D(2030, 3, 5), D(2030, 3, 5))
    with pytest.raises(ValidationError) as exc:
        add(audit, profile, admin)
    assert str(profile.user) in text(exc) and str(other) in text(exc)
    assert not audit.team.exists()


def test_a_cancelled_audit_occupies_nobody(admin):
    profile = qualified_profile()
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 4), D(2030, 3, 5), status=AuditStatus.CANCELLED), profile=profile)
    assert add(audit_on(D(2030, 3, 4), D(2030, 3, 5)), profile, admin)[0].pk


def test_leave_refuses_staffing_to_the_half_day(admin):
    profile = qualified_profile()
    Absence.objects.create(profile=profile, start_date=D(2030, 3, 1), end_date=D(2030, 3, 4), end_half=AM)
    with pytest.raises(ValidationError) as exc:
        add(audit_on(D(2030, 3, 4), D(2030, 3, 5)), profile, admin)
    assert "not available" in text(exc) and "Leave" in text(exc) and "morning" in text(exc)
    assert add(audit_on(D(2030, 3, 4), D(2030, 3, 5), PM, PM), profile, admin)[0].pk


def test_agreed_days_a_month_are_warned_not_refused(admin):
    profile = qualified_profile(days_per_month=Decimal(3))
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 4), D(2030, 3, 5)), profile=profile)
    assignment, warnings = add(audit_on(D(2030, 3, 11), D(2030, 3, 12)), profile, admin)
    assert assignment.pk
    assert len(warnings) == 1 and "2030-03" in warnings[0] and "agreed days" in warnings[0]
    _, none = add(audit_on(D(2030, 4, 11), D(2030, 4, 12)), profile, admin)
    assert none == []


# --- moving an audit --------------------------------------------------------------------------


def test_moving_an_audit_onto_a_members_leave_is_refused_naming_them(admin):
    audit = audit_on(D(2030, 3, 4), D(2030, 3, 5))
    free, on_leave = qualified_profile(), qualified_profile()
    TeamAssignmentFactory(audit=audit, profile=free)
    TeamAssignmentFactory(audit=audit, profile=on_leave, role=TeamRole.AUDITOR)
    Absence.objects.create(profile=on_leave, start_date=D(2030, 3, 12), end_date=D(2030, 3, 12), start_half=PM)
    with pytest.raises(ValidationError) as exc:
        services.audit_reschedule(audit=audit, by=admin, start_date=D(2030, 3, 11))
    assert str(on_leave.user) in text(exc) and str(free.user) not in text(exc)
    audit.refresh_from_db()
    assert audit.start_date == D(2030, 3, 4)


def test_moving_an_audit_keeps_its_length_and_moves_its_itinerary(admin):
    audit = audit_on(D(2030, 3, 4), D(2030, 3, 5))
    TeamAssignmentFactory(audit=audit)
    item = PlanItemFactory(audit=audit, day=D(2030, 3, 5))
    moved = services.audit_reschedule(audit=audit, by=admin, start_date=D(2030, 3, 18), version=audit.version)
    assert (moved.start_date, moved.end_date, moved.version) == (D(2030, 3, 18), D(2030, 3, 19), 2)
    item.refresh_from_db()
    assert item.day == D(2030, 3, 19)


def test_moving_an_audit_onto_its_own_dates_never_clashes_with_itself(admin):
    audit = audit_on(D(2030, 3, 4), D(2030, 3, 6))
    TeamAssignmentFactory(audit=audit)
    assert services.audit_reschedule(audit=audit, by=admin, start_date=D(2030, 3, 5)).end_date == D(2030, 3, 7)


def test_a_stale_or_unauthorised_move_is_refused(admin, make_user):
    audit = audit_on(D(2030, 3, 4), D(2030, 3, 5))
    with pytest.raises(ValidationError):
        services.audit_reschedule(audit=audit, by=admin, start_date=D(2030, 3, 11), version=audit.version + 1)
    with pytest.raises(PermissionDenied):
        services.audit_reschedule(audit=audit, by=make_user(role=Role.AUDITOR), start_date=D(2030, 3, 11))


def test_audit_update_of_dates_applies_the_same_rule(admin):
    audit = audit_on(D(2030, 3, 4), D(2030, 3, 5))
    member = qualified_profile()
    TeamAssignmentFactory(audit=audit, profile=member)
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 6), D(2030, 3, 6)), profile=member)
    from audits.calculation import StandardInput

    with pytest.raises(ValidationError) as exc:
        services.audit_update(
            audit=audit,
            by=admin,
            version=audit.version,
            standards=[StandardInput(s) for s in audit.standards.all()],
            end_date=D(2030, 3, 6),
            on_site_days=Decimal(2),
        )
    assert str(member.user) in text(exc)


# --- absences ---------------------------------------------------------------------------------


def test_an_auditor_records_their_own_leave_but_not_someone_elses(make_user):
    profile = qualified_profile()
    absence = services.absence_add(
        profile=profile, by=profile.user, start_date=D(2030, 5, 1), end_date=D(2030, 5, 3), end_half=AM
    )
    assert absence.kind == AbsenceKind.LEAVE
    with pytest.raises(PermissionDenied):
        services.absence_add(
            profile=qualified_profile(), by=profile.user, start_date=D(2030, 5, 1), end_date=D(2030, 5, 1)
        )


def test_an_absence_over_an_audit_or_backwards_is_refused(admin):
    profile = qualified_profile()
    TeamAssignmentFactory(audit=audit_on(D(2030, 3, 4), D(2030, 3, 5)), profile=profile)
    with pytest.raises(ValidationError) as exc:
        services.absence_add(profile=profile, by=admin, start_date=D(2030, 3, 5), end_date=D(2030, 3, 8))
    assert "double booking" in text(exc)
    with pytest.raises(ValidationError):
        services.absence_add(
            profile=profile, by=admin, start_date=D(2030, 3, 9), end_date=D(2030, 3, 9), start_half=PM, end_half=AM
        )
    assert services.absence_add(profile=profile, by=admin, start_date=D(2030, 3, 6), end_date=D(2030, 3, 8)).pk
