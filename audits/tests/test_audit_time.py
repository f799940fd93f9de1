"""Tests for audits.audit_time (pure Python: no Django import)."""

import ast
import itertools
from decimal import Decimal as D
from pathlib import Path

import pytest

from audits import audit_time as at
from audits.audit_time import (
    Adjustment,
    AuditType,
    Complexity,
    Rounding,
    Standard,
    StandardScope,
    calculate_audit_time,
    round_half_day,
    site_sample_size,
    table_days,
)

# ---------------------------------------------------------------------------
# Expected tables, typed in again from IAF MD 5:2019 (independent of the
# module's own data): Annex A Table QMS 1, Annex B Table EMS 1 (high, medium,
# low, limited), Annex C Table OH&SMS 1 (high, medium, low).
# ---------------------------------------------------------------------------

QMS_EXPECTED = [
    (1, 5, "1.5"),
    (6, 10, "2"),
    (11, 15, "2.5"),
    (16, 25, "3"),
    (26, 45, "4"),
    (46, 65, "5"),
    (66, 85, "6"),
    (86, 125, "7"),
    (126, 175, "8"),
    (176, 275, "9"),
    (276, 425, "10"),
    (426, 625, "11"),
    (626, 875, "12"),
    (876, 1175, "13"),
    (1176, 1550, "14"),
    (1551, 2025, "15"),
    (2026, 2675, "16"),
    (2676, 3450, "17"),
    (3451, 4350, "18"),
    (4351, 5450, "19"),
    (5451, 6800, "20"),
    (6801, 8500, "21"),
    (8501, 10700, "22"),
]

EMS_EXPECTED = [
    (1, 5, ("3", "2.5", "2.5", "2.5")),
    (6, 10, ("3.5", "3", "3", "3")),
    (11, 15, ("4.5", "3.5", "3", "3")),
    (16, 25, ("5.5", "4.5", "3.5", "3")),
    (26, 45, ("7", "5.5", "4", "3")),
    (46, 65, ("8", "6", "4.5", "3.5")),
    (66, 85, ("9", "7", "5", "3.5")),
    (86, 125, ("11", "8", "5.5", "4")),
    (126, 175, ("12", "9", "6", "4.5")),
    (176, 275, ("13", "10", "7", "5")),
    (276, 425, ("15", "11", "8", "5.5")),
    (426, 625, ("16", "12", "9", "6")),
    (626, 875, ("17", "13", "10", "6.5")),
    (876, 1175, ("19", "15", "11", "7")),
    (1176, 1550, ("20", "16", "12", "7.5")),
    (1551, 2025, ("21", "17", "12", "8")),
    (2026, 2675, ("23", "18", "13", "8.5")),
    (2676, 3450, ("25", "19", "14", "9")),
    (3451, 4350, ("27", "20", "15", "10")),
    (4351, 5450, ("28", "21", "16", "11")),
    (5451, 6800, ("30", "23", "17", "12")),
    (6801, 8500, ("32", "25", "19", "13")),
    (8501, 10700, ("34", "27", "20", "14")),
]

OHS_EXPECTED = [
    (1, 5, ("3", "2.5", "2.5")),
    (6, 10, ("3.5", "3", "3")),
    (11, 15, ("4.5", "3.5", "3")),
    (16, 25, ("5.5", "4.5", "3.5")),
    (26, 45, ("7", "5.5", "4")),
    (46, 65, ("8", "6", "4.5")),
    (66, 85, ("9", "7", "5")),
    (86, 125, ("11", "8", "5.5")),
    (126, 175, ("12", "9", "6")),
    (176, 275, ("13", "10", "7")),
    (276, 425, ("15", "11", "8")),
    (426, 625, ("16", "12", "9")),
    (626, 875, ("17", "13", "10")),
    (876, 1175, ("19", "15", "11")),
    (1176, 1550, ("20", "16", "12")),
    (1551, 2025, ("21", "17", "12")),
    (2026, 2675, ("23", "18", "13")),
    (2676, 3450, ("25", "19", "14")),
    (3451, 4350, ("27", "20", "15")),
    (4351, 5450, ("28", "21", "16")),
    (5451, 6800, ("30", "23", "17")),
    (6801, 8500, ("32", "25", "19")),
    (8501, 10700, ("34", "27", "20")),
]

EMS_COLUMNS = (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED)
OHS_COLUMNS = (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW)

# Extrapolated value for 10701 persons ("follow progression"): last value plus
# the last step of the column.
QMS_NEXT = "23"
EMS_NEXT = ("36", "29", "21", "15")
OHS_NEXT = ("36", "29", "21")


def _columns():
    """(standard, complexity, [(lower, upper, value)], value for 10701)."""
    yield Standard.QMS, None, [(lo, hi, v) for lo, hi, v in QMS_EXPECTED], QMS_NEXT
    for i, c in enumerate(EMS_COLUMNS):
        yield Standard.EMS, c, [(lo, hi, vals[i]) for lo, hi, vals in EMS_EXPECTED], EMS_NEXT[i]
    for i, c in enumerate(OHS_COLUMNS):
        yield Standard.OHSMS, c, [(lo, hi, vals[i]) for lo, hi, vals in OHS_EXPECTED], OHS_NEXT[i]


def _boundary_cases():
    """Lower and upper edge of every band, and the values just outside."""
    for standard, complexity, rows, next_value in _columns():
        col = complexity.value if complexity else "-"
        for i, (lo, hi, value) in enumerate(rows):
            yield pytest.param(standard, complexity, lo, value, (lo, hi), id=f"{standard.name}-{col}-{lo}-lower")
            yield pytest.param(standard, complexity, hi, value, (lo, hi), id=f"{standard.name}-{col}-{hi}-upper")
            if i > 0:
                p_lo, p_hi, p_value = rows[i - 1]
                yield pytest.param(
                    standard, complexity, lo - 1, p_value, (p_lo, p_hi), id=f"{standard.name}-{col}-{lo - 1}-below"
                )
            if i + 1 < len(rows):
                n_lo, n_hi, n_value = rows[i + 1]
                yield pytest.param(
                    standard, complexity, hi + 1, n_value, (n_lo, n_hi), id=f"{standard.name}-{col}-{hi + 1}-above"
                )
            else:
                yield pytest.param(
                    standard, complexity, hi + 1, next_value, (10701, 12900), id=f"{standard.name}-{col}-{hi + 1}-above"
                )


def qms(*adjustments):
    return StandardScope(standard=Standard.QMS, adjustments=adjustments)


def ems(complexity=Complexity.MEDIUM, *adjustments):
    return StandardScope(standard=Standard.EMS, complexity=complexity, adjustments=adjustments)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


class TestTables:
    def test_tables_have_23_bands_and_are_contiguous(self):
        for _, _, rows, _ in _columns():
            assert len(rows) == 23
            assert rows[0][0] == 1 and rows[-1][1] == 10700
            for (_, hi, _), (lo, _, _) in itertools.pairwise(rows):
                assert lo == hi + 1

    def test_columns_never_decrease(self):
        for _, _, rows, _ in _columns():
            values = [D(v) for _, _, v in rows]
            assert values == sorted(values)

    @pytest.mark.parametrize("standard, complexity, personnel, expected, band", list(_boundary_cases()))
    def test_band_boundaries(self, standard, complexity, personnel, expected, band):
        days, used = table_days(standard=standard, effective_personnel=personnel, complexity=complexity)
        assert days == D(expected)
        assert (used.lower, used.upper) == band

    def test_ohs_table_is_the_ems_high_medium_low_columns(self):
        # IAF MD 5:2019 Annex C: Table OH&SMS 1 repeats EMS high/medium/low.
        for lo, _, _ in QMS_EXPECTED:
            for c in OHS_COLUMNS:
                assert table_days(standard=Standard.OHSMS, effective_personnel=lo, complexity=c) == table_days(
                    standard=Standard.EMS, effective_personnel=lo, complexity=c
                )

    def test_initial_audit_uses_the_table_value(self):
        result = calculate_audit_time(effective_personnel=30, scopes=[qms()])
        assert result.total_days == D("4")
        assert result.lines[0].band.label == "26-45"
        assert result.lines[0].source == "IAF MD 5:2019 Annex A, Table QMS 1"
        assert result.warnings == ()


class TestFollowProgression:
    @pytest.mark.parametrize(
        "personnel, expected, band",
        [
            (10701, "23", (10701, 12900)),
            (12900, "23", (10701, 12900)),
            (12901, "24", (12901, 15100)),
            (15101, "25", (15101, 17300)),
        ],
    )
    def test_qms_above_10700_adds_a_band_of_2200_persons_per_day(self, personnel, expected, band):
        days, used = table_days(standard=Standard.QMS, effective_personnel=personnel)
        assert days == D(expected)
        assert (used.lower, used.upper) == band
        assert used.extrapolated
        assert used.label == f"{band[0]}-{band[1]} (extrapolated)"

    def test_ems_high_steps_by_two_days(self):
        days, _ = table_days(standard=Standard.EMS, effective_personnel=12901, complexity=Complexity.HIGH)
        assert days == D("38")

    def test_result_warns_when_extrapolated(self):
        result = calculate_audit_time(effective_personnel=11000, scopes=[qms()])
        assert result.total_days == D("23")
        assert any("follow progression" in w for w in result.warnings)

    def test_band_10700_is_not_extrapolated(self):
        _, band = table_days(standard=Standard.QMS, effective_personnel=10700)
        assert not band.extrapolated


class TestInputValidation:
    @pytest.mark.parametrize("personnel", [0, -1, -100])
    def test_zero_or_negative_personnel_refused(self, personnel):
        with pytest.raises(ValueError, match="at least 1"):
            calculate_audit_time(effective_personnel=personnel, scopes=[qms()])
        with pytest.raises(ValueError, match="at least 1"):
            table_days(standard=Standard.QMS, effective_personnel=personnel)

    @pytest.mark.parametrize("personnel", [5.5, "10", True, None])
    def test_non_integer_personnel_refused(self, personnel):
        with pytest.raises(TypeError):
            calculate_audit_time(effective_personnel=personnel, scopes=[qms()])

    def test_qms_has_no_complexity(self):
        with pytest.raises(ValueError, match="no complexity"):
            StandardScope(standard=Standard.QMS, complexity=Complexity.HIGH)

    def test_ems_needs_complexity(self):
        with pytest.raises(ValueError, match="needs a complexity"):
            StandardScope(standard=Standard.EMS)

    def test_ohs_has_no_limited_category(self):
        with pytest.raises(ValueError, match="limited"):
            StandardScope(standard=Standard.OHSMS, complexity=Complexity.LIMITED)

    def test_enum_values_accepted(self):
        scope = StandardScope(standard="ISO 14001", complexity="low")
        assert scope.standard is Standard.EMS and scope.complexity is Complexity.LOW

    def test_at_least_one_standard(self):
        with pytest.raises(ValueError, match="At least one"):
            calculate_audit_time(effective_personnel=10, scopes=[])

    def test_duplicate_standard_refused(self):
        with pytest.raises(ValueError, match="only once"):
            calculate_audit_time(effective_personnel=10, scopes=[qms(), qms()])

    def test_public_functions_are_keyword_only(self):
        with pytest.raises(TypeError):
            calculate_audit_time(10, [qms()])
        with pytest.raises(TypeError):
            table_days(Standard.QMS, 10)
        with pytest.raises(TypeError):
            site_sample_size(10, AuditType.INITIAL)
        with pytest.raises(TypeError):
            round_half_day(D("1.2"))


# ---------------------------------------------------------------------------
# Surveillance / recertification (IAF MD 5: about 1/3 and 2/3)
# ---------------------------------------------------------------------------


class TestAuditTypes:
    @pytest.mark.parametrize(
        "personnel, audit_type, rounding, before, expected",
        [
            # QMS 26-45: 4 days.
            (30, AuditType.SURVEILLANCE, Rounding.UP, D(4) / 3, "1.5"),
            (30, AuditType.SURVEILLANCE, Rounding.NEAREST, D(4) / 3, "1.5"),
            (30, AuditType.RECERTIFICATION, Rounding.UP, D(8) / 3, "3"),
            (30, AuditType.RECERTIFICATION, Rounding.NEAREST, D(8) / 3, "2.5"),
            # QMS 16-25: 3 days -> exactly 1 and 2.
            (20, AuditType.SURVEILLANCE, Rounding.UP, D(1), "1"),
            (20, AuditType.RECERTIFICATION, Rounding.UP, D(2), "2"),
            # QMS 1-5: 1.5 days -> exactly 0.5 and 1.
            (3, AuditType.SURVEILLANCE, Rounding.UP, D("0.5"), "0.5"),
            (3, AuditType.RECERTIFICATION, Rounding.UP, D(1), "1"),
            # QMS 46-65: 5 days.
            (50, AuditType.SURVEILLANCE, Rounding.UP, D(5) / 3, "2"),
            (50, AuditType.SURVEILLANCE, Rounding.NEAREST, D(5) / 3, "1.5"),
            (50, AuditType.RECERTIFICATION, Rounding.UP, D(10) / 3, "3.5"),
            (50, AuditType.RECERTIFICATION, Rounding.NEAREST, D(10) / 3, "3.5"),
            # QMS 8501-10700: 22 days.
            (9000, AuditType.SURVEILLANCE, Rounding.UP, D(22) / 3, "7.5"),
            (9000, AuditType.RECERTIFICATION, Rounding.UP, D(44) / 3, "15"),
            (9000, AuditType.RECERTIFICATION, Rounding.NEAREST, D(44) / 3, "14.5"),
        ],
    )
    def test_fractions_and_rounding(self, personnel, audit_type, rounding, before, expected):
        result = calculate_audit_time(
            effective_personnel=personnel, scopes=[qms()], audit_type=audit_type, rounding=rounding
        )
        assert result.total_before_rounding == before
        assert result.total_days == D(expected)

    def test_fractions(self):
        assert result_fraction(AuditType.INITIAL) == (1, 1)
        assert result_fraction(AuditType.SURVEILLANCE) == (1, 3)
        assert result_fraction(AuditType.RECERTIFICATION) == (2, 3)

    def test_exact_thirds_of_an_integrated_total_do_not_overshoot(self):
        # QMS 16-25 (3) + EMS limited 16-25 (3) = 6 -> surveillance exactly 2, recert exactly 4.
        scopes = [qms(), ems(Complexity.LIMITED)]
        surv = calculate_audit_time(effective_personnel=20, scopes=scopes, audit_type=AuditType.SURVEILLANCE)
        recert = calculate_audit_time(effective_personnel=20, scopes=scopes, audit_type=AuditType.RECERTIFICATION)
        assert surv.total_before_rounding == D(2) and surv.total_days == D(2)
        assert recert.total_before_rounding == D(4) and recert.total_days == D(4)

    def test_ems_high_surveillance(self):
        # EMS high 6-10: 3.5 days -> 1.1667 -> up 1.5 / nearest 1.
        up = calculate_audit_time(
            effective_personnel=8, scopes=[ems(Complexity.HIGH)], audit_type=AuditType.SURVEILLANCE
        )
        nearest = calculate_audit_time(
            effective_personnel=8,
            scopes=[ems(Complexity.HIGH)],
            audit_type=AuditType.SURVEILLANCE,
            rounding=Rounding.NEAREST,
        )
        assert (up.total_days, nearest.total_days) == (D("1.5"), D("1"))


def result_fraction(audit_type):
    return calculate_audit_time(effective_personnel=20, scopes=[qms()], audit_type=audit_type).audit_type_fraction


# ---------------------------------------------------------------------------
# Integrated audits (IAF MD 11:2019)
# ---------------------------------------------------------------------------


class TestIntegration:
    def test_sum_of_individual_times_without_reduction(self):
        # QMS 26-45 = 4; EMS medium 26-45 = 5.5; OH&S high 26-45 = 7.
        scopes = [qms(), ems(), StandardScope(standard=Standard.OHSMS, complexity=Complexity.HIGH)]
        result = calculate_audit_time(effective_personnel=40, scopes=scopes)
        assert [line.table_days for line in result.lines] == [D(4), D("5.5"), D(7)]
        assert result.initial_days_before_integration == D("16.5")
        assert result.total_days == D("16.5")

    @pytest.mark.parametrize("percent", [20, "20", D("20.0"), 20.0])
    def test_20_percent_accepted(self, percent):
        result = calculate_audit_time(
            effective_personnel=40, scopes=[qms(), ems()], integration_reduction_percent=percent
        )
        # (4 + 5.5) x 0.8 = 7.6 -> 8 (up).
        assert result.integration_reduction_percent == D(20)
        assert result.initial_days_after_integration == D("7.6")
        assert result.total_days == D(8)

    def test_20_percent_with_nearest_rounding(self):
        result = calculate_audit_time(
            effective_personnel=40,
            scopes=[qms(), ems()],
            integration_reduction_percent=20,
            rounding=Rounding.NEAREST,
        )
        assert result.total_days == D("7.5")

    @pytest.mark.parametrize("percent", ["20.1", D("20.1"), 20.1, 25])
    def test_more_than_20_percent_refused(self, percent):
        with pytest.raises(ValueError) as excinfo:
            calculate_audit_time(effective_personnel=40, scopes=[qms(), ems()], integration_reduction_percent=percent)
        message = str(excinfo.value)
        assert "exceeds the maximum of 20%" in message
        assert "IAF MD 11:2019" in message
        assert str(D(str(percent))) in message

    def test_negative_integration_refused(self):
        with pytest.raises(ValueError, match="cannot be negative"):
            calculate_audit_time(effective_personnel=40, scopes=[qms(), ems()], integration_reduction_percent=-5)

    def test_integration_reduction_needs_two_standards(self):
        with pytest.raises(ValueError, match="two or more standards"):
            calculate_audit_time(effective_personnel=40, scopes=[qms()], integration_reduction_percent=10)

    def test_integration_reduction_does_not_count_in_the_30_percent(self):
        # EA FAQ (Sept 2019) on MD 11 2.2: 30 % (MD 5) then 20 % (MD 11) = 44 % is acceptable.
        scopes = [qms(Adjustment(percent=-30, reason="Low risk, simple processes"))]
        scopes.append(ems(Complexity.MEDIUM, Adjustment(percent=-30, reason="Low risk, office activities")))
        result = calculate_audit_time(effective_personnel=40, scopes=scopes, integration_reduction_percent=20)
        assert [line.reduction_percent_applied for line in result.lines] == [D(30), D(30)]
        assert result.warnings == ()
        # (4 + 5.5) x 0.7 x 0.8 = 5.32 -> 5.5
        assert result.total_before_rounding == D("5.32")
        assert result.total_days == D("5.5")
        assert result.total_before_rounding / result.table_days_total == D("0.56")

    def test_integrated_surveillance(self):
        result = calculate_audit_time(
            effective_personnel=40,
            scopes=[qms(), ems()],
            integration_reduction_percent=10,
            audit_type=AuditType.SURVEILLANCE,
        )
        # 9.5 x 0.9 / 3 = 2.85 -> 3
        assert result.total_before_rounding == D("2.85")
        assert result.total_days == D(3)


# ---------------------------------------------------------------------------
# Documented adjustments (IAF MD 5: reductions at most 30 %)
# ---------------------------------------------------------------------------


class TestAdjustments:
    def test_reason_required(self):
        with pytest.raises(ValueError, match="documented reason"):
            Adjustment(percent=-10, reason="")
        with pytest.raises(ValueError, match="documented reason"):
            Adjustment(percent=10, reason="   ")
        with pytest.raises(ValueError, match="documented reason"):
            Adjustment(percent=10, reason=None)

    def test_zero_percent_refused(self):
        with pytest.raises(ValueError, match="0%"):
            Adjustment(percent=0, reason="nothing")

    def test_percent_normalised_to_decimal_and_reason_stripped(self):
        adj = Adjustment(percent=-12.5, reason="  Repetitive work  ")
        assert adj.percent == D("-12.5") and adj.reason == "Repetitive work"
        assert adj.is_reduction

    def test_bad_percent_refused(self):
        with pytest.raises(ValueError):
            Adjustment(percent="abc", reason="x")
        with pytest.raises(ValueError):
            Adjustment(percent=D("NaN"), reason="x")
        with pytest.raises(TypeError):
            Adjustment(percent=True, reason="x")

    def test_increase_and_decrease(self):
        # QMS 276-425: 10 days; +20 % - 10 % = +10 % -> 11.
        scope = qms(
            Adjustment(percent=20, reason="High-risk processes"),
            Adjustment(percent=-10, reason="Mature management system"),
        )
        result = calculate_audit_time(effective_personnel=300, scopes=[scope])
        line = result.lines[0]
        assert (line.increase_percent, line.reduction_percent_applied, line.net_percent) == (D(20), D(10), D(10))
        assert line.adjusted_days == D(11)
        assert result.total_days == D(11)

    def test_exactly_30_percent_is_not_capped(self):
        scope = qms(Adjustment(percent=-20, reason="a"), Adjustment(percent=-10, reason="b"))
        result = calculate_audit_time(effective_personnel=300, scopes=[scope])
        assert result.lines[0].reduction_percent_applied == D(30)
        assert not result.lines[0].reduction_capped
        assert result.total_days == D(7)
        assert result.warnings == ()

    def test_reductions_capped_at_30_percent(self):
        scope = qms(Adjustment(percent=-20, reason="a"), Adjustment(percent=-15, reason="b"))
        result = calculate_audit_time(effective_personnel=300, scopes=[scope])
        line = result.lines[0]
        assert line.reduction_percent_claimed == D(35)
        assert line.reduction_percent_applied == D(30)
        assert line.reduction_capped
        assert result.total_days == D(7)
        assert result.warnings == ("ISO 9001: reductions total 35%; capped at 30% of the table time (IAF MD 5:2019).",)

    def test_cap_applies_to_reductions_only_increases_still_count(self):
        scope = qms(Adjustment(percent=-40, reason="a"), Adjustment(percent=10, reason="b"))
        result = calculate_audit_time(effective_personnel=300, scopes=[scope])
        assert result.lines[0].net_percent == D(-20)
        assert result.total_days == D(8)

    def test_cap_is_per_standard(self):
        scopes = [qms(Adjustment(percent=-35, reason="a")), ems(Complexity.MEDIUM, Adjustment(percent=-10, reason="b"))]
        result = calculate_audit_time(effective_personnel=300, scopes=scopes)
        assert [line.reduction_percent_applied for line in result.lines] == [D(30), D(10)]
        assert len(result.warnings) == 1 and result.warnings[0].startswith("ISO 9001")
        # 10 x 0.7 + 11 x 0.9 = 16.9 -> 17
        assert result.total_days == D(17)

    def test_adjustments_must_be_adjustment_objects(self):
        with pytest.raises(TypeError):
            StandardScope(standard=Standard.QMS, adjustments=[(-10, "reason")])

    def test_list_of_adjustments_accepted(self):
        scope = StandardScope(standard=Standard.QMS, adjustments=[Adjustment(percent=5, reason="x")])
        assert isinstance(scope.adjustments, tuple)


# ---------------------------------------------------------------------------
# Rounding and hours
# ---------------------------------------------------------------------------


class TestRoundingAndHours:
    @pytest.mark.parametrize(
        "days, up, nearest",
        [
            ("5.2", "5.5", "5"),  # MD 5 2.2.3 example: 5.2 -> 5
            ("5.3", "5.5", "5.5"),  # MD 5 2.2.3 example: 5.3 -> 5.5
            ("5", "5", "5"),
            ("5.5", "5.5", "5.5"),
            ("5.25", "5.5", "5.5"),  # tie goes up
            ("5.24", "5.5", "5"),
            ("5.75", "6", "6"),
            ("5.74", "6", "5.5"),
            ("5.01", "5.5", "5"),
            ("0.1", "0.5", "0.5"),  # never below half a day
        ],
    )
    def test_half_day_rounding(self, days, up, nearest):
        assert round_half_day(days=D(days)) == D(up)
        assert round_half_day(days=D(days), rounding=Rounding.UP) == D(up)
        assert round_half_day(days=D(days), rounding=Rounding.NEAREST) == D(nearest)

    def test_default_rounding_is_up(self):
        assert calculate_audit_time(effective_personnel=40, scopes=[qms()]).rounding is Rounding.UP

    @pytest.mark.parametrize("days", ["0", "-1"])
    def test_non_positive_days_refused(self, days):
        with pytest.raises(ValueError):
            round_half_day(days=D(days))

    @pytest.mark.parametrize(
        "personnel, audit_type, hours",
        [
            (30, AuditType.INITIAL, "32"),  # 4 days
            (30, AuditType.SURVEILLANCE, "12"),  # 1.5 days
            (3, AuditType.INITIAL, "12"),  # 1.5 days
            (3, AuditType.SURVEILLANCE, "4"),  # 0.5 day
        ],
    )
    def test_hours_are_8_per_auditor_day(self, personnel, audit_type, hours):
        result = calculate_audit_time(effective_personnel=personnel, scopes=[qms()], audit_type=audit_type)
        assert result.hours == D(hours)
        assert result.hours == result.total_days * 8

    def test_explanation_lists_every_step(self):
        scope = qms(Adjustment(percent=-40, reason="Single simple process"))
        result = calculate_audit_time(
            effective_personnel=300,
            scopes=[scope, ems()],
            integration_reduction_percent=10,
            audit_type=AuditType.SURVEILLANCE,
        )
        text = "\n".join(result.explanation())
        assert "ISO 9001: band 276-425 -> 10 days" in text
        assert "ISO 14001, medium complexity: band 276-425 -> 11 days" in text
        assert "-40%: Single simple process" in text
        assert "capped at 30%" in text
        assert "IAF MD 11:2019" in text
        assert "1/3 of the initial time" in text
        assert "hours" in text
        assert text.count("Warning:") == 1


# ---------------------------------------------------------------------------
# Multi-site sampling (IAF MD 1:2018)
# ---------------------------------------------------------------------------


SAMPLE_EXPECTED = {
    # x: (initial ceil(sqrt x), surveillance ceil(0.6 sqrt x), recertification ceil(0.8 sqrt x))
    1: (1, 1, 1),
    4: (2, 2, 2),
    9: (3, 2, 3),
    10: (4, 2, 3),
    25: (5, 3, 4),
    26: (6, 4, 5),
}


class TestSampling:
    @pytest.mark.parametrize("sites", sorted(SAMPLE_EXPECTED))
    @pytest.mark.parametrize(
        "index, audit_type",
        [(0, AuditType.INITIAL), (1, AuditType.SURVEILLANCE), (2, AuditType.RECERTIFICATION)],
    )
    def test_sample_sizes(self, sites, index, audit_type):
        sample = site_sample_size(sites_excluding_central=sites, audit_type=audit_type)
        assert sample.sites_to_sample == SAMPLE_EXPECTED[sites][index]
        assert sample.central_function_audited
        assert sample.locations_visited == SAMPLE_EXPECTED[sites][index] + 1
        assert sample.sites_to_sample <= sites

    def test_exact_squares_are_not_rounded_up(self):
        # 0.6 x sqrt(25) = 3 exactly, 0.8 x sqrt(25) = 4 exactly (no float drift).
        assert site_sample_size(sites_excluding_central=25, audit_type=AuditType.SURVEILLANCE).sites_to_sample == 3
        assert site_sample_size(sites_excluding_central=100, audit_type=AuditType.RECERTIFICATION).sites_to_sample == 8
        assert site_sample_size(sites_excluding_central=10000, audit_type=AuditType.SURVEILLANCE).sites_to_sample == 60

    def test_ea_faq_46_5_example(self):
        # Central function + 2 sites: initial 2, surveillance 1, recertification 2 (all sites).
        got = [
            site_sample_size(sites_excluding_central=2, audit_type=t).sites_to_sample
            for t in (AuditType.INITIAL, AuditType.SURVEILLANCE, AuditType.RECERTIFICATION)
        ]
        assert got == [2, 1, 2]

    def test_high_risk_multiplier_increases_sample(self):
        normal = site_sample_size(sites_excluding_central=25, audit_type=AuditType.SURVEILLANCE)
        risky = site_sample_size(sites_excluding_central=25, audit_type=AuditType.SURVEILLANCE, risk_multiplier="1.2")
        assert (normal.sites_to_sample, risky.sites_to_sample) == (3, 4)  # 0.72 x 5 = 3.6 -> 4
        assert risky.risk_multiplier == D("1.2")

    def test_sample_never_exceeds_site_count(self):
        sample = site_sample_size(sites_excluding_central=4, audit_type=AuditType.INITIAL, risk_multiplier=3)
        assert sample.sites_to_sample == 4
        assert sample.capped_at_site_count
        assert sample.locations_visited == 5

    def test_not_capped_normally(self):
        assert not site_sample_size(sites_excluding_central=4, audit_type=AuditType.INITIAL).capped_at_site_count

    def test_multiplier_below_one_refused(self):
        with pytest.raises(ValueError, match=">= 1"):
            site_sample_size(sites_excluding_central=10, audit_type=AuditType.INITIAL, risk_multiplier="0.9")

    @pytest.mark.parametrize("sites", [0, -3])
    def test_needs_at_least_one_site(self, sites):
        with pytest.raises(ValueError):
            site_sample_size(sites_excluding_central=sites, audit_type=AuditType.INITIAL)

    def test_sites_must_be_integer(self):
        with pytest.raises(TypeError):
            site_sample_size(sites_excluding_central=4.0, audit_type=AuditType.INITIAL)


# ---------------------------------------------------------------------------
# Module hygiene
# ---------------------------------------------------------------------------


def test_module_uses_only_allowed_stdlib_imports():
    modules = sorted(Path(at.__file__).parent.glob("*.py"))
    assert len(modules) > 1  # the package's modules, not only its __init__
    imported = set()
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:  # relative: the package itself
                imported.add(node.module.split(".")[0])
    assert imported <= {"dataclasses", "datetime", "decimal", "math", "enum"}
