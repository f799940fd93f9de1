"""Audit-time (auditor-day) rules for ISO 9001 / ISO 14001 / ISO 45001 audits.

Pure Python (stdlib only) so that it can be unit-tested without Django.

Sources (public copies checked, see comments at each rule):

* IAF MD 5:2019, Issue 4 (Version 2, 11 Nov 2019), "Determination of Audit
  Time of Quality, Environmental, and Occupational Health & Safety Management
  Systems": Annex A Table QMS 1, Annex B Table EMS 1, Annex C Table OH&SMS 1,
  clause 2.2 (audit days, rounding), the surveillance / recertification
  proportions and the 30 % reduction limit.
* IAF MD 11:2019, Issue 2, "Application of ISO/IEC 17021-1 for Audits of
  Integrated Management Systems", clause 2.2 (sum of the individual times,
  then an integration reduction of at most 20 %).
* IAF MD 1:2018, Issue 2, "Audit and Certification of a Management System
  Operated by a Multi-Site Organization", clause 6.1.3 (site sample size).
* EA (European co-operation for Accreditation) FAQ answers 37.5, 37.23 (March
  2019), the MD 11 / MD 5 FAQ of September 2019 and 38.2 (September 2019),
  which explain how these documents fit together.

All durations are auditor-days of *auditors*: technical experts, translators,
observers and auditors-in-training do not count towards audit time
(IAF MD 5:2019, methodology for determining audit time).
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

__all__ = [
    "AUDIT_TYPE_FRACTIONS",
    "HOURS_PER_AUDITOR_DAY",
    "MAX_INTEGRATION_REDUCTION_PERCENT",
    "MAX_TOTAL_REDUCTION_PERCENT",
    "Adjustment",
    "AuditTimeResult",
    "AuditType",
    "Band",
    "Complexity",
    "Rounding",
    "SiteSample",
    "Standard",
    "StandardLine",
    "StandardScope",
    "calculate_audit_time",
    "round_half_day",
    "site_sample_size",
    "table_days",
]


# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

# IAF MD 5:2019 clause 2.2 ("audit days"): an auditor day is normally 8 hours
# and the number of days may not be reduced by planning longer working days.
HOURS_PER_AUDITOR_DAY = Decimal(8)

# IAF MD 5:2019, methodology for determining audit time: all reductions
# combined shall not exceed 30 % of the time from the tables (numbered 3.9 in
# Issue 3, see EA FAQ 37.11; the rule is unchanged in Issue 4).
MAX_TOTAL_REDUCTION_PERCENT = Decimal(30)

# IAF MD 11:2019 clause 2.2: the reduction for the level of integration of an
# integrated management system shall not exceed 20 % of T = A + B + C.
MAX_INTEGRATION_REDUCTION_PERCENT = Decimal(20)

_HALF = Decimal("0.5")
_HUNDRED = Decimal(100)


class Standard(str, Enum):
    """Management-system standards covered by IAF MD 5."""

    QMS = "ISO 9001"
    EMS = "ISO 14001"
    OHSMS = "ISO 45001"


class Complexity(str, Enum):
    """Complexity category (EMS: Annex B; OH&S: Annex C of IAF MD 5:2019)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    LIMITED = "limited"  # EMS only


class AuditType(str, Enum):
    """Audit within the certification cycle."""

    INITIAL = "initial"  # stage 1 + stage 2
    SURVEILLANCE = "surveillance"
    RECERTIFICATION = "recertification"


class Rounding(str, Enum):
    """How a fractional total is turned into half days.

    IAF MD 5:2019 clause 2.2.3 says "adjusted to the nearest half day (e.g.
    5.3 audit days becomes 5.5, 5.2 becomes 5)" (quoted in EA FAQ 38.2).
    The project default is UP, which is never below the MD 5 result.
    """

    UP = "up"  # ceiling to the next 0.5 (project default, conservative)
    NEAREST = "nearest"  # MD 5 clause 2.2.3; an exact .25/.75 tie goes up


# IAF MD 5:2019: annual surveillance time is about 1/3, and recertification
# time about 2/3, of the initial (stage 1 + stage 2) time. Kept as exact
# fractions (numerator, denominator) so that Decimal arithmetic stays exact
# whenever the true result is a whole number of half days.
AUDIT_TYPE_FRACTIONS: dict[AuditType, tuple[int, int]] = {
    AuditType.INITIAL: (1, 1),
    AuditType.SURVEILLANCE: (1, 3),
    AuditType.RECERTIFICATION: (2, 3),
}

# --------------------------------------------------------------------------
# IAF MD 5:2019 tables (initial audit only: stage 1 + stage 2, auditor-days)
# --------------------------------------------------------------------------

# Upper edge of every personnel band; each band starts one above the previous
# upper edge (first band 1-5). Identical for the three tables.
_BAND_UPPER_EDGES: tuple[int, ...] = (
    5,
    10,
    15,
    25,
    45,
    65,
    85,
    125,
    175,
    275,
    425,
    625,
    875,
    1175,
    1550,
    2025,
    2675,
    3450,
    4350,
    5450,
    6800,
    8500,
    10700,
)

# Annex A, Table QMS 1 (single column). Checked against public copies of
# MD 5 (GOST R 54318-2021 table SMK-1, KAB-AR-MD5, several CB tools).
_QMS_DAYS: tuple[str, ...] = (
    "1.5",
    "2",
    "2.5",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
)

# Annex B, Table EMS 1: (high, medium, low, limited). Limited 626-875 is 6.5
# (KAB-AR-MD5 and other copies; one secondary copy shows 6, which would break
# the otherwise monotonic 0.5-day progression of that column).
_EMS_DAYS: tuple[tuple[str, str, str, str], ...] = (
    ("3", "2.5", "2.5", "2.5"),  # 1-5
    ("3.5", "3", "3", "3"),  # 6-10
    ("4.5", "3.5", "3", "3"),  # 11-15
    ("5.5", "4.5", "3.5", "3"),  # 16-25
    ("7", "5.5", "4", "3"),  # 26-45
    ("8", "6", "4.5", "3.5"),  # 46-65
    ("9", "7", "5", "3.5"),  # 66-85
    ("11", "8", "5.5", "4"),  # 86-125
    ("12", "9", "6", "4.5"),  # 126-175
    ("13", "10", "7", "5"),  # 176-275
    ("15", "11", "8", "5.5"),  # 276-425
    ("16", "12", "9", "6"),  # 426-625
    ("17", "13", "10", "6.5"),  # 626-875
    ("19", "15", "11", "7"),  # 876-1175
    ("20", "16", "12", "7.5"),  # 1176-1550
    ("21", "17", "12", "8"),  # 1551-2025
    ("23", "18", "13", "8.5"),  # 2026-2675
    ("25", "19", "14", "9"),  # 2676-3450
    ("27", "20", "15", "10"),  # 3451-4350
    ("28", "21", "16", "11"),  # 4351-5450
    ("30", "23", "17", "12"),  # 5451-6800
    ("32", "25", "19", "13"),  # 6801-8500
    ("34", "27", "20", "14"),  # 8501-10700
)

# Annex C, Table OH&SMS 1: (high, medium, low). In MD 5:2019 these figures are
# the same as the EMS high/medium/low columns (checked on a public copy of
# page 29 of the IAF document: "1-5 3 2.5 2.5 ... 8501-10700 34 27 20").
_OHS_DAYS: tuple[tuple[str, str, str], ...] = tuple(row[:3] for row in _EMS_DAYS)

_COLUMNS: dict[Standard, tuple[Complexity, ...]] = {
    Standard.QMS: (),
    Standard.EMS: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED),
    Standard.OHSMS: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW),
}

_TABLE_SOURCES: dict[Standard, str] = {
    Standard.QMS: "IAF MD 5:2019 Annex A, Table QMS 1",
    Standard.EMS: "IAF MD 5:2019 Annex B, Table EMS 1",
    Standard.OHSMS: "IAF MD 5:2019 Annex C, Table OH&SMS 1",
}


def _table_row(standard: Standard, index: int) -> tuple[Decimal, ...]:
    if standard is Standard.QMS:
        return (Decimal(_QMS_DAYS[index]),)
    rows = _EMS_DAYS if standard is Standard.EMS else _OHS_DAYS
    return tuple(Decimal(v) for v in rows[index])


# --------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Personnel band of the MD 5 tables (upper edge inclusive)."""

    lower: int
    upper: int
    extrapolated: bool = False

    @property
    def label(self) -> str:
        text = f"{self.lower}-{self.upper}"
        return f"{text} (extrapolated)" if self.extrapolated else text


@dataclass(frozen=True)
class Adjustment:
    """A documented increase (+) or decrease (-) in percent of the table time.

    The reason is mandatory: MD 5 requires every adjustment to be justified
    and the justification to be available to the client and the AB.
    """

    percent: Decimal
    reason: str

    def __post_init__(self) -> None:
        value = _to_decimal(self.percent, what="Adjustment percent")
        if value == 0:
            raise ValueError("An adjustment must change the audit time; 0% is not an adjustment.")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError("Every audit-time adjustment needs a documented reason.")
        object.__setattr__(self, "percent", value)
        object.__setattr__(self, "reason", self.reason.strip())

    @property
    def is_reduction(self) -> bool:
        return self.percent < 0


@dataclass(frozen=True)
class StandardScope:
    """One standard of the audit, its complexity category and adjustments."""

    standard: Standard
    complexity: Complexity | None = None
    adjustments: tuple[Adjustment, ...] = ()

    def __post_init__(self) -> None:
        standard = Standard(self.standard)
        complexity = None if self.complexity is None else Complexity(self.complexity)
        columns = _COLUMNS[standard]
        if not columns and complexity is not None:
            raise ValueError(f"{standard.value} (Table QMS 1) has no complexity categories.")
        if columns and complexity is None:
            raise ValueError(f"{standard.value} needs a complexity category.")
        if columns and complexity not in columns:
            allowed = ", ".join(c.value for c in columns)
            raise ValueError(f"{standard.value} has no '{complexity.value}' complexity category (allowed: {allowed}).")
        adjustments = tuple(self.adjustments)
        for adjustment in adjustments:
            if not isinstance(adjustment, Adjustment):
                raise TypeError("adjustments must be Adjustment instances.")
        object.__setattr__(self, "standard", standard)
        object.__setattr__(self, "complexity", complexity)
        object.__setattr__(self, "adjustments", adjustments)


@dataclass(frozen=True)
class StandardLine:
    """How the initial-audit time of one standard was obtained."""

    standard: Standard
    complexity: Complexity | None
    band: Band
    table_days: Decimal
    adjustments: tuple[Adjustment, ...]
    increase_percent: Decimal
    reduction_percent_claimed: Decimal
    reduction_percent_applied: Decimal
    adjusted_days: Decimal  # initial-audit basis, before integration
    source: str

    @property
    def net_percent(self) -> Decimal:
        return self.increase_percent - self.reduction_percent_applied

    @property
    def reduction_capped(self) -> bool:
        return self.reduction_percent_applied < self.reduction_percent_claimed


@dataclass(frozen=True)
class AuditTimeResult:
    """Audit time with everything needed to justify it to client and AB."""

    audit_type: AuditType
    effective_personnel: int
    lines: tuple[StandardLine, ...]
    initial_days_before_integration: Decimal
    integration_reduction_percent: Decimal
    initial_days_after_integration: Decimal
    audit_type_fraction: tuple[int, int]
    total_before_rounding: Decimal
    rounding: Rounding
    total_days: Decimal
    warnings: tuple[str, ...] = field(default=())

    @property
    def hours(self) -> Decimal:
        """Auditor hours (1 auditor-day = 8 hours, IAF MD 5:2019 clause 2.2)."""
        return self.total_days * HOURS_PER_AUDITOR_DAY

    @property
    def table_days_total(self) -> Decimal:
        return sum((line.table_days for line in self.lines), Decimal(0))

    def explanation(self) -> list[str]:
        """Human-readable steps of the calculation, one per line."""
        out = [f"Audit type: {self.audit_type.value}; effective personnel: {self.effective_personnel}."]
        for line in self.lines:
            category = f", {line.complexity.value} complexity" if line.complexity else ""
            out.append(
                f"{line.standard.value}{category}: band {line.band.label} -> "
                f"{_fmt(line.table_days)} days ({line.source})."
            )
            for adj in line.adjustments:
                out.append(f"  {'+' if adj.percent > 0 else ''}{_fmt(adj.percent)}%: {adj.reason}")
            if line.reduction_capped:
                out.append(
                    f"  Reductions of {_fmt(line.reduction_percent_claimed)}% capped at "
                    f"{_fmt(line.reduction_percent_applied)}% (IAF MD 5:2019)."
                )
            out.append(f"  Adjusted initial time: {_fmt(line.adjusted_days)} days.")
        if self.integration_reduction_percent:
            out.append(
                f"Integrated audit: {_fmt(self.initial_days_before_integration)} days minus "
                f"{_fmt(self.integration_reduction_percent)}% (IAF MD 11:2019 clause 2.2) = "
                f"{_fmt(self.initial_days_after_integration)} days."
            )
        num, den = self.audit_type_fraction
        if (num, den) != (1, 1):
            out.append(f"{self.audit_type.value.capitalize()}: {num}/{den} of the initial time (IAF MD 5:2019).")
        out.append(
            f"Total {_fmt(self.total_before_rounding)} days, rounded ({self.rounding.value}) to "
            f"{_fmt(self.total_days)} auditor-days = {_fmt(self.hours)} hours."
        )
        out.extend(f"Warning: {w}" for w in self.warnings)
        return out


@dataclass(frozen=True)
class SiteSample:
    """Multi-site sample per IAF MD 1:2018 clause 6.1.3."""

    audit_type: AuditType
    sites_excluding_central: int
    coefficient: Decimal
    risk_multiplier: Decimal
    sites_to_sample: int
    capped_at_site_count: bool
    central_function_audited: bool = True

    @property
    def locations_visited(self) -> int:
        """Sampled sites plus the central function (always audited)."""
        return self.sites_to_sample + (1 if self.central_function_audited else 0)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    """Short display form: 4 decimals at most, no trailing zeros."""
    text = f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _to_decimal(value: object, *, what: str) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, not a boolean.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{what} is not a number: {value!r}.") from None
    elif isinstance(value, float):
        result = Decimal(str(value))  # 20.1 -> Decimal("20.1"), not its binary expansion
    else:
        raise TypeError(f"{what} must be a number.")
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number.")
    return result


def _check_personnel(effective_personnel: object) -> int:
    if isinstance(effective_personnel, bool) or not isinstance(effective_personnel, int):
        raise TypeError("effective_personnel must be a whole number (round part-time equivalents up first).")
    if effective_personnel < 1:
        raise ValueError(f"Effective personnel must be at least 1 (got {effective_personnel}).")
    return effective_personnel


def round_half_day(*, days: Decimal, rounding: Rounding = Rounding.UP) -> Decimal:
    """Round auditor-days to a multiple of 0.5 (never below 0.5)."""
    value = _to_decimal(days, what="days")
    if value <= 0:
        raise ValueError("Audit time must be positive.")
    mode = ROUND_CEILING if Rounding(rounding) is Rounding.UP else ROUND_HALF_UP
    halves = (value * 2).to_integral_value(rounding=mode)
    return max(halves * _HALF, _HALF)


def _band_for(effective_personnel: int) -> tuple[int, Band]:
    """Index in the tables and band; index >= 23 means 'follow progression'."""
    lower = 1
    for index, upper in enumerate(_BAND_UPPER_EDGES):
        if effective_personnel <= upper:
            return index, Band(lower=lower, upper=upper)
        lower = upper + 1
    # Above 10 700 the tables say "Follow progression". Project rule: keep
    # adding bands of the width of the last band (2 200 persons) and, per
    # band, the increment of the last step of the column (QMS +1 day; EMS and
    # OH&S: high +2, medium +2, low +1, limited +1). Band widths in MD 5 grow,
    # so a constant width is conservative (never fewer days).
    last_upper, prev_upper = _BAND_UPPER_EDGES[-1], _BAND_UPPER_EDGES[-2]
    width = last_upper - prev_upper
    steps = -(-(effective_personnel - last_upper) // width)  # ceil division
    upper = last_upper + steps * width
    index = len(_BAND_UPPER_EDGES) - 1 + steps
    return index, Band(lower=upper - width + 1, upper=upper, extrapolated=True)


def table_days(
    *, standard: Standard, effective_personnel: int, complexity: Complexity | None = None
) -> tuple[Decimal, Band]:
    """Initial-audit (stage 1 + stage 2) days from the MD 5 table, and the band used."""
    scope = StandardScope(standard=standard, complexity=complexity)
    personnel = _check_personnel(effective_personnel)
    index, band = _band_for(personnel)
    column = 0 if scope.complexity is None else _COLUMNS[scope.standard].index(scope.complexity)
    last = len(_BAND_UPPER_EDGES) - 1
    if index <= last:
        return _table_row(scope.standard, index)[column], band
    last_value = _table_row(scope.standard, last)[column]
    step = last_value - _table_row(scope.standard, last - 1)[column]
    return last_value + step * (index - last), band


# --------------------------------------------------------------------------
# Audit time
# --------------------------------------------------------------------------


def calculate_audit_time(
    *,
    effective_personnel: int,
    scopes: list[StandardScope] | tuple[StandardScope, ...],
    audit_type: AuditType = AuditType.INITIAL,
    integration_reduction_percent: Decimal | int | str = 0,
    rounding: Rounding = Rounding.UP,
) -> AuditTimeResult:
    """Audit time in auditor-days for one audit of one or more standards.

    Order of the steps (each cited at its rule):

    1. table time per standard (IAF MD 5:2019 Annexes A-C);
    2. documented adjustments per standard; reductions together capped at
       30 % of that standard's table time (IAF MD 5:2019), increases added;
    3. integrated audit: T = sum of the adjusted times, minus the claimed
       integration reduction, at most 20 % (IAF MD 11:2019 clause 2.2). The
       integration reduction does NOT count towards the 30 %: "integration is
       not a reason for the reduction in audit time according to IAF MD 5",
       so it is applied on top (EA FAQ on MD 11:2019 2.2, September 2019;
       EA FAQ 37.5 / 37.23: MD 11 is considered after MD 5 and MD 1);
    4. surveillance 1/3, recertification 2/3 of the initial time (MD 5);
    5. rounding to half days, once, at the end (MD 5:2019 clause 2.2.3).
    """
    personnel = _check_personnel(effective_personnel)
    audit_type = AuditType(audit_type)
    rounding = Rounding(rounding)
    scopes = tuple(scopes)
    if not scopes:
        raise ValueError("At least one standard is needed.")
    for scope in scopes:
        if not isinstance(scope, StandardScope):
            raise TypeError("scopes must be StandardScope instances.")
    seen = [scope.standard for scope in scopes]
    if len(set(seen)) != len(seen):
        raise ValueError("Each standard may appear only once in an audit.")

    integration = _to_decimal(integration_reduction_percent, what="Integration reduction percent")
    if integration < 0:
        raise ValueError("The integration reduction cannot be negative; record extra time as an adjustment.")
    if integration > MAX_INTEGRATION_REDUCTION_PERCENT:
        raise ValueError(
            f"Integration reduction of {_fmt(integration)}% exceeds the maximum of "
            f"{_fmt(MAX_INTEGRATION_REDUCTION_PERCENT)}% allowed by IAF MD 11:2019 (clause 2.2)."
        )
    if integration and len(scopes) < 2:
        raise ValueError("An integration reduction (IAF MD 11:2019) applies only to an audit of two or more standards.")

    warnings: list[str] = []
    lines: list[StandardLine] = []
    for scope in scopes:
        days, band = table_days(standard=scope.standard, effective_personnel=personnel, complexity=scope.complexity)
        if band.extrapolated:
            warnings.append(
                f"{scope.standard.value}: {personnel} effective personnel is above the 10700 of the "
                f"MD 5 table; extrapolated ('follow progression') to band {band.label}."
            )
        increase = sum((a.percent for a in scope.adjustments if a.percent > 0), Decimal(0))
        claimed = -sum((a.percent for a in scope.adjustments if a.percent < 0), Decimal(0))
        applied = min(claimed, MAX_TOTAL_REDUCTION_PERCENT)
        if applied < claimed:
            warnings.append(
                f"{scope.standard.value}: reductions total {_fmt(claimed)}%; capped at "
                f"{_fmt(MAX_TOTAL_REDUCTION_PERCENT)}% of the table time (IAF MD 5:2019)."
            )
        adjusted = days * (_HUNDRED + increase - applied) / _HUNDRED
        lines.append(
            StandardLine(
                standard=scope.standard,
                complexity=scope.complexity,
                band=band,
                table_days=days,
                adjustments=scope.adjustments,
                increase_percent=increase,
                reduction_percent_claimed=claimed,
                reduction_percent_applied=applied,
                adjusted_days=adjusted,
                source=_TABLE_SOURCES[scope.standard],
            )
        )

    before_integration = sum((line.adjusted_days for line in lines), Decimal(0))
    after_integration = before_integration * (_HUNDRED - integration) / _HUNDRED
    num, den = AUDIT_TYPE_FRACTIONS[audit_type]
    # Multiply before dividing: a single inexact division, so exact results
    # (e.g. 6 x 2/3 = 4) are not pushed over a half-day boundary.
    unrounded = after_integration * num / den
    total = round_half_day(days=unrounded, rounding=rounding)
    return AuditTimeResult(
        audit_type=audit_type,
        effective_personnel=personnel,
        lines=tuple(lines),
        initial_days_before_integration=before_integration,
        integration_reduction_percent=integration,
        initial_days_after_integration=after_integration,
        audit_type_fraction=(num, den),
        total_before_rounding=unrounded,
        rounding=rounding,
        total_days=total,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------
# Multi-site sampling (IAF MD 1:2018)
# --------------------------------------------------------------------------

# IAF MD 1:2018 clause 6.1.3 (6.1.3.3 per EA FAQ 42.6): y = sqrt(x) at the
# initial audit, 0.6 sqrt(x) at surveillance, 0.8 sqrt(x) at recertification,
# rounded up to the next whole number; x = number of sites, not counting the
# central function, which is audited in addition at every audit (EA FAQ 46.5:
# "central function + 1 site (0.6 x square root of 2)").
_SAMPLE_COEFFICIENTS: dict[AuditType, Decimal] = {
    AuditType.INITIAL: Decimal(1),
    AuditType.SURVEILLANCE: Decimal("0.6"),
    AuditType.RECERTIFICATION: Decimal("0.8"),
}


def _ceil_sqrt(value: Decimal) -> int:
    """Exact ceil(sqrt(value)) for a non-negative Decimal (no float error)."""
    num, den = value.as_integer_ratio()
    root = math.isqrt(num // den)
    while root * root * den < num:
        root += 1
    return root


def site_sample_size(
    *,
    sites_excluding_central: int,
    audit_type: AuditType,
    risk_multiplier: Decimal | int | str = 1,
) -> SiteSample:
    """Number of sites to sample (the central function comes on top).

    risk_multiplier (>= 1) is the project's way of applying MD 1:2018
    6.1.3 ("the sample size shall be increased" where the CB's risk analysis
    calls for it): y = ceil(coefficient x multiplier x sqrt(x)). MD 1 gives no
    figure, so the CB documents the multiplier it uses (e.g. 1.2 for high
    risk). The sample never exceeds x.
    """
    if isinstance(sites_excluding_central, bool) or not isinstance(sites_excluding_central, int):
        raise TypeError("sites_excluding_central must be a whole number.")
    if sites_excluding_central < 1:
        raise ValueError("A multi-site sample needs at least one site besides the central function.")
    audit_type = AuditType(audit_type)
    multiplier = _to_decimal(risk_multiplier, what="Risk multiplier")
    if multiplier < 1:
        raise ValueError("The risk multiplier can only increase the sample (it must be >= 1).")
    coefficient = _SAMPLE_COEFFICIENTS[audit_type]
    k = coefficient * multiplier
    wanted = _ceil_sqrt(k * k * sites_excluding_central)  # ceil(k sqrt(x)), exact
    sample = min(wanted, sites_excluding_central)
    return SiteSample(
        audit_type=audit_type,
        sites_excluding_central=sites_excluding_central,
        coefficient=coefficient,
        risk_multiplier=multiplier,
        sites_to_sample=sample,
        capped_at_site_count=wanted > sites_excluding_central,
    )
