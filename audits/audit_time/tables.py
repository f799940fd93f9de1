"""The IAF MD 5:2019 tables (initial audit: stage 1 + stage 2, auditor-days), the enums the
rules use and the limits they apply. Data only; the rules are ``calculation`` and ``multisite``."""

from decimal import Decimal
from enum import Enum

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
