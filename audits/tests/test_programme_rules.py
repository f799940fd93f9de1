"""Tests for audits.programme_rules (pure Python: no Django import)."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from audits import programme_rules as pr
from audits.programme_rules import (
    DueItem,
    DueKind,
    DueStatus,
    RecertificationPath,
    RuleSet,
    add_months,
    consequence_if_missed,
    default_expiry,
    due_status,
    period_end,
    programme_due_dates,
    recertification_after_expiry,
)

CNCA = RuleSet.CNCA
ISO = RuleSet.ISO_17021_1


def items(**kwargs):
    """programme_due_dates() as a dict keyed by kind."""
    return {item.kind: item for item in programme_due_dates(**kwargs)}


# ---------------------------------------------------------------------------
# Month arithmetic
# ---------------------------------------------------------------------------


class TestAddMonths:
    @pytest.mark.parametrize(
        "day, months, expected",
        [
            (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day -> 28 Feb
            (date(2024, 2, 29), 48, date(2028, 2, 29)),  # leap year again
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(2023, 1, 31), 1, date(2023, 2, 28)),
            (date(2023, 3, 31), 1, date(2023, 4, 30)),
            (date(2023, 3, 1), 12, date(2024, 3, 1)),
            (date(2023, 2, 28), 12, date(2024, 2, 28)),  # not moved to 29 Feb
            (date(2024, 12, 15), 1, date(2025, 1, 15)),  # year wrap
            (date(2024, 11, 30), 3, date(2025, 2, 28)),
            (date(2024, 3, 31), -1, date(2024, 2, 29)),  # backwards
            (date(2025, 1, 15), -1, date(2024, 12, 15)),
            (date(2024, 5, 17), 0, date(2024, 5, 17)),
        ],
    )
    def test_add_months(self, day, months, expected):
        assert add_months(day=day, months=months) == expected

    def test_rejects_datetime_and_non_int(self):
        with pytest.raises(TypeError):
            add_months(day=datetime(2024, 1, 1, 10), months=1)
        with pytest.raises(TypeError):
            add_months(day=date(2024, 1, 1), months=1.0)

    def test_keyword_only(self):
        with pytest.raises(TypeError):
            add_months(date(2024, 1, 1), 1)


class TestPeriodEnd:
    @pytest.mark.parametrize(
        "start, months, expected",
        [
            (date(2024, 2, 29), 36, date(2027, 2, 28)),  # 29 Feb + 3 y - 1 d: full three years
            (date(2025, 3, 1), 36, date(2028, 2, 29)),  # day before 1 Mar 2028 (leap)
            (date(2023, 3, 1), 36, date(2026, 2, 28)),
            (date(2024, 3, 15), 36, date(2027, 3, 14)),
            (date(2024, 1, 1), 36, date(2026, 12, 31)),
            (date(2023, 5, 31), 1, date(2023, 6, 30)),  # no 31 June: month end
            (date(2023, 5, 30), 1, date(2023, 6, 29)),
            (date(2024, 2, 28), 12, date(2025, 2, 27)),
        ],
    )
    def test_period_end(self, start, months, expected):
        assert period_end(start=start, months=months) == expected

    def test_default_expiry_is_three_years_minus_one_day(self):
        assert default_expiry(start=date(2024, 6, 10)) == date(2027, 6, 9)
        assert default_expiry(start=date(2024, 2, 29)) == date(2027, 2, 28)

    def test_months_must_be_positive(self):
        with pytest.raises(ValueError):
            period_end(start=date(2024, 1, 1), months=0)


# ---------------------------------------------------------------------------
# CNCA rules (default)
# ---------------------------------------------------------------------------


class TestCnca:
    def test_default_rule_set_is_cnca(self):
        got = programme_due_dates(issue_date=date(2024, 6, 10), decision_date=date(2024, 6, 1))
        assert "CNCA" in got[0].source

    def test_three_items_in_order(self):
        got = programme_due_dates(rule_set=CNCA, issue_date=date(2024, 6, 10), decision_date=date(2024, 6, 1))
        assert [i.kind for i in got] == [DueKind.SURVEILLANCE_1, DueKind.SURVEILLANCE_2, DueKind.RECERTIFICATION]

    def test_anchored_on_issue_date_not_decision_date(self):
        got = items(rule_set=CNCA, issue_date=date(2024, 2, 5), decision_date=date(2024, 1, 10))
        assert got[DueKind.SURVEILLANCE_1].due_by == date(2025, 2, 5)
        assert got[DueKind.RECERTIFICATION].due_by == date(2027, 2, 4)

    def test_first_surveillance_same_calendar_day_12_months_later(self):
        got = items(rule_set=CNCA, issue_date=date(2024, 6, 10), decision_date=date(2024, 6, 10))
        s1 = got[DueKind.SURVEILLANCE_1]
        assert s1.due_by == date(2025, 6, 10)
        assert s1.window_opens is None
        assert "5.4.1.4" in s1.source

    def test_leap_day_issue(self):
        got = items(rule_set=CNCA, issue_date=date(2024, 2, 29), decision_date=date(2024, 2, 20))
        assert got[DueKind.SURVEILLANCE_1].due_by == date(2025, 2, 28)
        # S1 not done yet: S2 no later than 12 months after S1's latest date.
        assert got[DueKind.SURVEILLANCE_2].due_by == date(2026, 2, 28)
        # Expiry = issue + 3 years - 1 day = 28 Feb 2027.
        assert got[DueKind.RECERTIFICATION].due_by == date(2027, 2, 28)

    def test_second_surveillance_anchored_on_first_surveillance_last_day(self):
        got = items(
            rule_set=CNCA,
            issue_date=date(2024, 6, 10),
            decision_date=date(2024, 6, 1),
            completed_surveillances=[date(2025, 4, 18)],
        )
        assert got[DueKind.SURVEILLANCE_1].completed_on == date(2025, 4, 18)
        assert got[DueKind.SURVEILLANCE_2].due_by == date(2026, 4, 18)
        assert got[DueKind.SURVEILLANCE_2].window_opens is None

    def test_late_first_surveillance_moves_the_second(self):
        got = items(
            rule_set=CNCA,
            issue_date=date(2024, 6, 10),
            decision_date=date(2024, 6, 1),
            completed_surveillances=[date(2025, 7, 1)],
        )
        assert got[DueKind.SURVEILLANCE_1].completed_late
        assert got[DueKind.SURVEILLANCE_2].due_by == date(2026, 7, 1)

    def test_surveillance_on_leap_day_plus_12_months(self):
        got = items(
            rule_set=CNCA,
            issue_date=date(2023, 3, 10),
            decision_date=date(2023, 3, 1),
            completed_surveillances=[date(2024, 2, 29)],
        )
        assert got[DueKind.SURVEILLANCE_2].due_by == date(2025, 2, 28)

    def test_at_least_two_surveillances_before_recertification(self):
        got = items(rule_set=CNCA, issue_date=date(2024, 1, 31), decision_date=date(2024, 1, 31))
        s1, s2, rc = got[DueKind.SURVEILLANCE_1], got[DueKind.SURVEILLANCE_2], got[DueKind.RECERTIFICATION]
        assert s1.due_by < s2.due_by < rc.due_by
        assert "at least two surveillances" in s2.source

    def test_completed_dates_are_sorted_and_extra_ones_ignored(self):
        got = programme_due_dates(
            rule_set=CNCA,
            issue_date=date(2024, 6, 10),
            decision_date=date(2024, 6, 1),
            completed_surveillances=[date(2026, 3, 1), date(2025, 3, 1), date(2026, 9, 1)],
        )
        assert [i.completed_on for i in got[:2]] == [date(2025, 3, 1), date(2026, 3, 1)]
        assert len(got) == 3

    def test_recertification_due_on_expiry_and_done(self):
        got = items(
            rule_set=CNCA,
            issue_date=date(2024, 6, 10),
            decision_date=date(2024, 6, 1),
            recertification_done_on=date(2027, 5, 20),
        )
        rc = got[DueKind.RECERTIFICATION]
        assert rc.due_by == date(2027, 6, 9)
        assert rc.completed_on == date(2027, 5, 20)
        assert not rc.completed_late
        assert "5.8.2" in rc.source

    def test_explicit_expiry_date_used(self):
        got = items(
            rule_set=CNCA,
            issue_date=date(2024, 6, 10),
            decision_date=date(2024, 6, 1),
            expiry_date=date(2027, 3, 31),  # e.g. renewal keeping a prior cycle's expiry
        )
        assert got[DueKind.RECERTIFICATION].due_by == date(2027, 3, 31)

    def test_consequences(self):
        for kind in (DueKind.SURVEILLANCE_1, DueKind.SURVEILLANCE_2):
            text = consequence_if_missed(rule_set=CNCA, kind=kind)
            assert text.startswith("Certificate suspended")
            assert "(CNCA: overdue surveillance)" in text
        text = consequence_if_missed(rule_set=CNCA, kind=DueKind.RECERTIFICATION)
        assert "initial certification" in text
        assert consequence_if_missed(kind=DueKind.SURVEILLANCE_1) == consequence_if_missed(
            rule_set=CNCA, kind=DueKind.SURVEILLANCE_1
        )


# ---------------------------------------------------------------------------
# ISO/IEC 17021-1:2015 rules
# ---------------------------------------------------------------------------


class TestIso17021:
    def test_anchored_on_decision_date(self):
        got = items(rule_set=ISO, issue_date=date(2023, 3, 15), decision_date=date(2023, 3, 1))
        assert got[DueKind.SURVEILLANCE_1].due_by == date(2024, 3, 1)
        assert got[DueKind.RECERTIFICATION].due_by == date(2026, 2, 28)
        assert "9.1.3.3" in got[DueKind.SURVEILLANCE_1].source

    @pytest.mark.parametrize(
        "decision, expected",
        [
            # "Within 12 months" = no later than the same calendar day 12 months later.
            (date(2023, 3, 1), date(2024, 3, 1)),
            (date(2023, 2, 28), date(2024, 2, 28)),
            (date(2024, 2, 29), date(2025, 2, 28)),
            (date(2024, 3, 1), date(2025, 3, 1)),
        ],
    )
    def test_first_surveillance_leap_years(self, decision, expected):
        got = items(rule_set=ISO, issue_date=decision, decision_date=decision)
        assert got[DueKind.SURVEILLANCE_1].due_by == expected

    def test_second_surveillance_in_next_calendar_year(self):
        got = items(
            rule_set=ISO,
            issue_date=date(2023, 3, 1),
            decision_date=date(2023, 3, 1),
            completed_surveillances=[date(2024, 2, 20)],
        )
        s2 = got[DueKind.SURVEILLANCE_2]
        assert (s2.window_opens, s2.due_by) == (date(2025, 1, 1), date(2025, 12, 31))
        assert "calendar year" in s2.source

    def test_second_surveillance_from_planned_first_when_not_done(self):
        got = items(rule_set=ISO, issue_date=date(2023, 3, 1), decision_date=date(2023, 3, 1))
        s2 = got[DueKind.SURVEILLANCE_2]
        # S1 due 1 Mar 2024 -> S2 in calendar year 2025.
        assert (s2.window_opens, s2.due_by) == (date(2025, 1, 1), date(2025, 12, 31))

    def test_early_first_surveillance_in_decision_year(self):
        got = items(
            rule_set=ISO,
            issue_date=date(2023, 1, 10),
            decision_date=date(2023, 1, 10),
            completed_surveillances=[date(2023, 12, 20)],
        )
        s2 = got[DueKind.SURVEILLANCE_2]
        assert (s2.window_opens, s2.due_by) == (date(2024, 1, 1), date(2024, 12, 31))

    def test_second_surveillance_never_after_expiry(self):
        got = items(
            rule_set=ISO,
            issue_date=date(2023, 6, 1),
            decision_date=date(2023, 6, 1),
            expiry_date=date(2025, 6, 30),
            completed_surveillances=[date(2024, 5, 1)],
        )
        assert got[DueKind.SURVEILLANCE_2].due_by == date(2025, 6, 30)

    def test_recertification_before_expiry(self):
        got = items(rule_set=ISO, issue_date=date(2024, 2, 29), decision_date=date(2024, 2, 29))
        assert got[DueKind.RECERTIFICATION].due_by == date(2027, 2, 28)

    def test_consequences(self):
        text = consequence_if_missed(rule_set=ISO, kind=DueKind.SURVEILLANCE_2)
        assert text.startswith("Certification suspended")
        assert consequence_if_missed(rule_set=ISO, kind=DueKind.RECERTIFICATION) == (
            "Certification lapses; restorable within 6 months after expiry by completing the "
            "recertification, otherwise a new initial audit (stage 2 at least)."
        )

    def test_every_rule_set_and_kind_has_a_consequence_and_a_source(self):
        for rule_set in RuleSet:
            for kind in DueKind:
                assert consequence_if_missed(rule_set=rule_set, kind=kind).endswith(".")
                assert (rule_set, kind) in pr._SOURCES


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


class TestValidation:
    def test_issue_before_decision_refused(self):
        with pytest.raises(ValueError, match="before the certification decision"):
            programme_due_dates(issue_date=date(2024, 1, 1), decision_date=date(2024, 1, 2))

    def test_surveillance_before_cycle_refused(self):
        with pytest.raises(ValueError, match="before the start of the cycle"):
            programme_due_dates(
                issue_date=date(2024, 6, 10),
                decision_date=date(2024, 6, 1),
                completed_surveillances=[date(2024, 6, 5)],
            )

    def test_surveillance_between_decision_and_issue_ok_for_17021_only(self):
        kwargs = {
            "issue_date": date(2024, 6, 10),
            "decision_date": date(2024, 6, 1),
            "completed_surveillances": [date(2024, 6, 5)],
        }
        assert programme_due_dates(rule_set=ISO, **kwargs)[0].completed_on == date(2024, 6, 5)
        with pytest.raises(ValueError):
            programme_due_dates(rule_set=CNCA, **kwargs)

    def test_recertification_before_cycle_refused(self):
        with pytest.raises(ValueError):
            programme_due_dates(
                issue_date=date(2024, 6, 10),
                decision_date=date(2024, 6, 1),
                recertification_done_on=date(2024, 1, 1),
            )

    def test_expiry_must_follow_anchor(self):
        with pytest.raises(ValueError):
            programme_due_dates(
                issue_date=date(2024, 6, 10), decision_date=date(2024, 6, 1), expiry_date=date(2024, 6, 10)
            )

    def test_datetimes_refused(self):
        with pytest.raises(TypeError):
            programme_due_dates(issue_date=datetime(2024, 6, 10, 9), decision_date=date(2024, 6, 1))

    def test_string_rule_set_accepted(self):
        got = programme_due_dates(rule_set="iso_17021_1", issue_date=date(2023, 3, 1), decision_date=date(2023, 3, 1))
        assert got[0].source.startswith("ISO/IEC 17021-1")

    def test_keyword_only(self):
        with pytest.raises(TypeError):
            programme_due_dates(CNCA, date(2024, 1, 1), date(2024, 1, 1))


# ---------------------------------------------------------------------------
# Status transitions at the exact boundary days
# ---------------------------------------------------------------------------


ITEM = DueItem(kind=DueKind.SURVEILLANCE_1, due_by=date(2025, 2, 28), window_opens=None, source="test")


class TestDueStatus:
    @pytest.mark.parametrize(
        "today, expected",
        [
            (date(2024, 12, 29), DueStatus.UPCOMING),  # 61 days before
            (date(2024, 12, 30), DueStatus.DUE),  # exactly 60 days before
            (date(2025, 2, 27), DueStatus.DUE),
            (date(2025, 2, 28), DueStatus.DUE),  # the due day itself
            (date(2025, 3, 1), DueStatus.OVERDUE),  # the day after
        ],
    )
    def test_default_60_days(self, today, expected):
        assert due_status(item=ITEM, today=today) is expected

    def test_custom_horizon(self):
        assert due_status(item=ITEM, today=date(2025, 1, 29), upcoming_days=30) is DueStatus.DUE
        assert due_status(item=ITEM, today=date(2025, 1, 28), upcoming_days=30) is DueStatus.UPCOMING
        assert due_status(item=ITEM, today=date(2025, 2, 28), upcoming_days=0) is DueStatus.DUE
        assert due_status(item=ITEM, today=date(2025, 2, 27), upcoming_days=0) is DueStatus.UPCOMING

    def test_done_wins_even_when_late(self):
        done = DueItem(
            kind=DueKind.SURVEILLANCE_1,
            due_by=date(2025, 2, 28),
            window_opens=None,
            source="test",
            completed_on=date(2025, 3, 5),
        )
        assert due_status(item=done, today=date(2025, 6, 1)) is DueStatus.DONE
        assert done.completed_late

    def test_window_not_open_is_upcoming(self):
        s2 = items(
            rule_set=ISO,
            issue_date=date(2023, 3, 1),
            decision_date=date(2023, 3, 1),
            completed_surveillances=[date(2024, 2, 20)],
        )[DueKind.SURVEILLANCE_2]
        assert due_status(item=s2, today=date(2024, 12, 31), upcoming_days=400) is DueStatus.UPCOMING
        assert due_status(item=s2, today=date(2025, 1, 1), upcoming_days=400) is DueStatus.DUE
        assert due_status(item=s2, today=date(2025, 11, 1)) is DueStatus.DUE
        assert due_status(item=s2, today=date(2025, 11, 1), upcoming_days=59) is DueStatus.UPCOMING
        assert due_status(item=s2, today=date(2026, 1, 1)) is DueStatus.OVERDUE

    def test_leap_year_boundary(self):
        # Issue 29 Feb 2024 -> S1 due 28 Feb 2025; overdue from 1 Mar 2025.
        s1 = items(rule_set=CNCA, issue_date=date(2024, 2, 29), decision_date=date(2024, 2, 29))[DueKind.SURVEILLANCE_1]
        assert due_status(item=s1, today=date(2025, 2, 28)) is DueStatus.DUE
        assert due_status(item=s1, today=date(2025, 3, 1)) is DueStatus.OVERDUE

    def test_negative_horizon_refused(self):
        with pytest.raises(ValueError):
            due_status(item=ITEM, today=date(2025, 1, 1), upcoming_days=-1)


# ---------------------------------------------------------------------------
# Recertification after expiry
# ---------------------------------------------------------------------------


class TestRecertificationAfterExpiry:
    def test_cnca_on_expiry_day_still_recertification(self):
        req = recertification_after_expiry(rule_set=CNCA, expiry_date=date(2027, 2, 28), today=date(2027, 2, 28))
        assert req.path is RecertificationPath.RECERTIFY
        assert not req.expired

    def test_cnca_after_expiry_restart_as_initial(self):
        req = recertification_after_expiry(rule_set=CNCA, expiry_date=date(2027, 2, 28), today=date(2027, 3, 1))
        assert req.path is RecertificationPath.INITIAL
        assert req.expired
        assert req.restoration_deadline is None
        assert "initial certification" in req.message
        assert "5.8.2" in req.source

    def test_cnca_has_no_restoration_even_one_day_late(self):
        req = recertification_after_expiry(expiry_date=date(2026, 6, 30), today=date(2026, 7, 1))
        assert req.path is RecertificationPath.INITIAL

    def test_17021_on_expiry_day_still_recertification(self):
        req = recertification_after_expiry(rule_set=ISO, expiry_date=date(2026, 2, 28), today=date(2026, 2, 28))
        assert req.path is RecertificationPath.RECERTIFY
        assert req.restoration_deadline is None

    @pytest.mark.parametrize(
        "today, path",
        [
            (date(2026, 3, 1), RecertificationPath.RESTORE),  # first day after expiry
            (date(2026, 8, 28), RecertificationPath.RESTORE),  # last day of the 6 months
            (date(2026, 8, 29), RecertificationPath.STAGE_2),  # first day after
            (date(2027, 1, 1), RecertificationPath.STAGE_2),
        ],
    )
    def test_17021_restoration_within_6_months(self, today, path):
        req = recertification_after_expiry(rule_set=ISO, expiry_date=date(2026, 2, 28), today=today)
        assert req.path is path
        assert req.expired
        assert req.restoration_deadline == date(2026, 8, 28)
        assert "9.6.3.2.5" in req.source

    def test_17021_restoration_deadline_on_leap_day(self):
        req = recertification_after_expiry(rule_set=ISO, expiry_date=date(2027, 8, 31), today=date(2027, 9, 1))
        assert req.restoration_deadline == date(2028, 2, 29)

    def test_messages(self):
        restore = recertification_after_expiry(rule_set=ISO, expiry_date=date(2026, 2, 28), today=date(2026, 3, 1))
        stage2 = recertification_after_expiry(rule_set=ISO, expiry_date=date(2026, 2, 28), today=date(2026, 9, 1))
        assert "within 6 months" in restore.message
        assert "stage 2" in stage2.message


def test_module_uses_only_allowed_stdlib_imports():
    tree = ast.parse(Path(pr.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= {"dataclasses", "datetime", "decimal", "math", "enum"}
