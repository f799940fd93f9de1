"""The date rules of nonconformities (findings/rules.py): pure functions, no database."""

import datetime

import pytest

from findings import rules as r

D = datetime.date
END = D(2030, 3, 5)


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (D(2030, 1, 31), 1, D(2030, 2, 28)),
        (D(2032, 1, 31), 1, D(2032, 2, 29)),
        (D(2030, 8, 31), 6, D(2031, 2, 28)),
        (D(2030, 3, 5), 6, D(2030, 9, 5)),
        (D(2030, 12, 15), 1, D(2031, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last_day(day, months, expected):
    assert r.add_months(day, months) == expected


def test_defaults_minor_90_major_60_observation_none():
    assert r.resolve_due_days(grade="minor", audit_type="stage_2", rules=[]) == 90
    assert r.resolve_due_days(grade="major", audit_type="stage_2", rules=[]) == 60
    assert r.resolve_due_days(grade="observation", audit_type="stage_2", rules=[("observation", "", 10)]) is None


def test_rule_for_the_audit_type_wins_over_the_rule_for_every_type():
    rules = [("minor", "", 30), ("minor", "surveillance_1", 45), ("major", "", 20)]
    assert r.resolve_due_days(grade="minor", audit_type="surveillance_1", rules=rules) == 45
    assert r.resolve_due_days(grade="minor", audit_type="stage_2", rules=rules) == 30
    assert r.resolve_due_days(grade="major", audit_type="surveillance_1", rules=rules) == 20


def test_due_date_counts_from_the_audits_last_day():
    assert r.due_date(audit_end=END, grade="minor", audit_type="surveillance_1", days=90) == D(2030, 6, 3)
    assert r.due_date(audit_end=END, grade="observation", audit_type="stage_2", days=90) is None
    assert r.due_date(audit_end=END, grade="minor", audit_type="stage_2", days=None) is None


def test_stage_2_major_never_due_after_six_months():
    assert r.stage2_limit(END) == D(2030, 9, 5)
    assert r.due_date(audit_end=END, grade="major", audit_type="stage_2", days=400) == D(2030, 9, 5)
    assert r.due_date(audit_end=END, grade="major", audit_type="stage_2", days=60) == D(2030, 5, 4)
    # Minors and other audit types have no such cap.
    assert r.due_date(audit_end=END, grade="minor", audit_type="stage_2", days=400) == END + datetime.timedelta(400)
    assert r.due_date(audit_end=END, grade="major", audit_type="surveillance_1", days=400) == END + datetime.timedelta(
        400
    )


@pytest.mark.parametrize(
    "status,today,expected",
    [
        ("open", D(2030, 6, 3), False),  # on the due date: not yet overdue
        ("open", D(2030, 6, 4), True),
        ("returned", D(2030, 6, 4), True),
        ("responded", D(2030, 6, 4), True),  # answered but not yet verified
        ("verified", D(2030, 6, 4), False),
        ("closed", D(2031, 1, 1), False),
    ],
)
def test_overdue_when_past_due_and_not_yet_accepted(status, today, expected):
    assert r.is_overdue(due=D(2030, 6, 3), status=status, today=today) is expected


def test_no_due_date_is_never_overdue():
    assert r.is_overdue(due=None, status="open", today=D(2099, 1, 1)) is False


@pytest.mark.parametrize(
    "grade,audit_type,status,today,expected",
    [
        ("major", "stage_2", "open", D(2030, 9, 5), False),  # the limit day itself
        ("major", "stage_2", "open", D(2030, 9, 6), True),
        ("major", "stage_2", "responded", D(2030, 9, 6), True),
        ("major", "stage_2", "verified", D(2030, 9, 6), False),
        ("minor", "stage_2", "open", D(2030, 9, 6), False),
        ("major", "surveillance_1", "open", D(2030, 9, 6), False),
    ],
)
def test_new_stage_2_required_for_a_major_unverified_six_months_after_stage_2(
    grade, audit_type, status, today, expected
):
    assert (
        r.new_stage2_required(grade=grade, audit_type=audit_type, status=status, audit_end=END, today=today) is expected
    )


@pytest.mark.parametrize(
    "audit_type,overdue,expected",
    [
        ("surveillance_1", True, True),
        ("surveillance_2", True, True),
        ("surveillance_1", False, False),
        ("stage_2", True, False),
        ("recertification", True, False),
    ],
)
def test_overdue_surveillance_nc_is_grounds_for_suspension(audit_type, overdue, expected):
    assert r.suspension_grounds(audit_type=audit_type, overdue=overdue) is expected


DUE = D(2030, 6, 30)


@pytest.mark.parametrize(
    "today,sent,expected",
    [
        (D(2030, 6, 15), set(), None),  # 15 days before
        (D(2030, 6, 16), set(), "before_14"),
        (D(2030, 6, 30), set(), "before_14"),  # the due date itself
        (D(2030, 6, 30), {"before_14"}, None),
        (D(2030, 7, 1), {"before_14"}, "after_1"),
        (D(2030, 7, 2), {"before_14", "after_1"}, None),
        (D(2030, 7, 30), {"before_14", "after_1"}, "after_30"),
        (D(2030, 12, 1), {"before_14", "after_1", "after_30"}, None),
        # A job that did not run for weeks mails the latest step only, once.
        (D(2030, 7, 31), set(), "after_30"),
        (D(2030, 8, 1), {"after_30"}, None),
    ],
)
def test_reminder_step_once_per_step(today, sent, expected):
    step = r.reminder_step(due=DUE, status="open", today=today, sent=frozenset(sent))
    assert (step.key if step else None) == expected


@pytest.mark.parametrize("status", ["verified", "closed"])
def test_no_reminder_once_the_auditor_accepted(status):
    assert r.reminder_step(due=DUE, status=status, today=D(2030, 7, 1)) is None


def test_no_reminder_without_due_date():
    assert r.reminder_step(due=None, status="open", today=D(2030, 7, 1)) is None
