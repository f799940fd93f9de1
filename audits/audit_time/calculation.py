"""Audit time of one audit: table time per standard, documented adjustments (reductions capped
at 30 %), the integration reduction of an integrated audit (IAF MD 11), the surveillance and
recertification fractions, and rounding to half days (IAF MD 5)."""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from .tables import (
    _BAND_UPPER_EDGES,
    _COLUMNS,
    _HALF,
    _HUNDRED,
    _TABLE_SOURCES,
    AUDIT_TYPE_FRACTIONS,
    HOURS_PER_AUDITOR_DAY,
    MAX_INTEGRATION_REDUCTION_PERCENT,
    MAX_TOTAL_REDUCTION_PERCENT,
    AuditType,
    Complexity,
    Rounding,
    Standard,
    _table_row,
)

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
        if columns and complexity is not None and complexity not in columns:
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
