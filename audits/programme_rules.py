"""Certification-cycle due dates: surveillance and recertification.

Pure Python (stdlib only) so that it can be unit-tested without Django.

Two rule sets, chosen by the certification body:

* ``RuleSet.CNCA`` (default) - the CNCA rules for quality management system
  certification (the project's "CNCA-QMS-01"): 《质量管理体系认证规则》,
  CNCA Announcement 2025 No. 16, in force 1 January 2026:
  5.4.1.4 first surveillance within 12 months of the certificate issue date,
  then no more than 12 months between surveillances, at least two
  surveillances per cycle; an overdue surveillance means suspension (and
  withdrawal if still not done when the suspension ends);
  5.8.2 the recertification audit is done on site and completed before the
  certificate expires, otherwise the client is certified again as an initial
  certification.
* ``RuleSet.ISO_17021_1`` - ISO/IEC 17021-1:2015:
  9.1.3.3 (audit programme; 2015 numbering) surveillance at least once a
  calendar year except in recertification years, the first one not more than
  12 months from the certification decision date; 9.6.2.2 surveillance
  audits; 9.6.3.2.4 no recertification, no extension, if the recertification
  audit is not completed before expiry; 9.6.3.2.5 restoration within 6 months
  after expiry if the outstanding recertification activities are completed,
  otherwise at least a stage 2; 9.6.5.2 suspension when surveillance is not
  allowed at the required frequency.

Date rules (stated once, used everywhere):

* ``add_months``: same calendar day N months later; when that month is
  shorter, its last day (29 Feb 2024 + 12 months = 28 Feb 2025; 31 Jan + 1
  month = 28/29 Feb). This is also the rule of the PRC Civil Code, Art. 202.
* "within 12 months of D" means on or before ``add_months(D, 12)`` (the same
  calendar day 12 months later), for every rule in this module.
* ``period_end``: last day of a period of N months that starts on (and
  includes) a date: the day before the same calendar day N months later, or,
  when that day does not exist, the last day of that month. The default
  certificate expiry is ``period_end(start=anchor, months=36)``, i.e.
  "issue + 3 years - 1 day": 1 Mar 2025 -> 29 Feb 2028; 29 Feb 2024 ->
  28 Feb 2027 (a full three years, not 27 Feb).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

__all__ = [
    "CONSEQUENCES",
    "DueItem",
    "DueKind",
    "DueStatus",
    "RecertificationPath",
    "RecertificationRequirement",
    "RuleSet",
    "add_months",
    "consequence_if_missed",
    "default_expiry",
    "due_status",
    "period_end",
    "programme_due_dates",
    "recertification_after_expiry",
]


class RuleSet(str, Enum):
    """Rule set the certification body applies to a client's programme."""

    CNCA = "cnca"
    ISO_17021_1 = "iso_17021_1"


class DueKind(str, Enum):
    """Kind of programme activity."""

    SURVEILLANCE_1 = "surveillance_1"
    SURVEILLANCE_2 = "surveillance_2"
    RECERTIFICATION = "recertification"


class DueStatus(str, Enum):
    """Status of a programme activity on a given day."""

    UPCOMING = "upcoming"  # more than `upcoming_days` before the due date (or window not open)
    DUE = "due"  # within `upcoming_days` of the due date, due date included
    OVERDUE = "overdue"  # due date passed, not done
    DONE = "done"  # completed (possibly late, see DueItem.completed_late)


class RecertificationPath(str, Enum):
    """What the rules require to keep or regain certification."""

    RECERTIFY = "recertify"  # certificate still valid: normal recertification
    RESTORE = "restore"  # 17021-1: restoration within 6 months after expiry
    STAGE_2 = "stage_2"  # 17021-1: more than 6 months after expiry, at least a stage 2
    INITIAL = "initial"  # CNCA: expired, certify again as an initial certification


# Sources quoted in DueItem.source.
_CNCA = "CNCA QMS certification rules (CNCA Announcement 2025 No. 16)"
_ISO = "ISO/IEC 17021-1:2015"
_SOURCES: dict[tuple[RuleSet, DueKind], str] = {
    (RuleSet.CNCA, DueKind.SURVEILLANCE_1): (
        f"{_CNCA} 5.4.1.4: first surveillance within 12 months of the certificate issue date"
    ),
    (RuleSet.CNCA, DueKind.SURVEILLANCE_2): (
        f"{_CNCA} 5.4.1.4: no more than 12 months after the previous surveillance; at least two surveillances per cycle"
    ),
    (RuleSet.CNCA, DueKind.RECERTIFICATION): (
        f"{_CNCA} 5.8.2: recertification audit on site, completed before the certificate expires"
    ),
    (RuleSet.ISO_17021_1, DueKind.SURVEILLANCE_1): (
        f"{_ISO} 9.1.3.3: first surveillance not more than 12 months from the certification decision date"
    ),
    (RuleSet.ISO_17021_1, DueKind.SURVEILLANCE_2): (
        f"{_ISO} 9.1.3.3 / 9.6.2.2: surveillance at least once a calendar year, except in recertification years"
    ),
    (RuleSet.ISO_17021_1, DueKind.RECERTIFICATION): (
        f"{_ISO} 9.6.3.1 / 9.6.3.2.4: recertification audit and decision before the certificate expires"
    ),
}

# Consequence sentences: fixed, complete English sentences so that the Django
# layer can wrap them in gettext without string concatenation.
CONSEQUENCES: dict[tuple[RuleSet, DueKind], str] = {
    (RuleSet.CNCA, DueKind.SURVEILLANCE_1): (
        "Certificate suspended and reported (CNCA: overdue surveillance); "
        "withdrawn if the surveillance is still not done when the suspension ends."
    ),
    (RuleSet.CNCA, DueKind.SURVEILLANCE_2): (
        "Certificate suspended and reported (CNCA: overdue surveillance); "
        "withdrawn if the surveillance is still not done when the suspension ends."
    ),
    (RuleSet.CNCA, DueKind.RECERTIFICATION): (
        "Certificate expires; the client must be certified again as an initial certification "
        "(CNCA: recertification not completed on site before expiry)."
    ),
    (RuleSet.ISO_17021_1, DueKind.SURVEILLANCE_1): (
        "Certification suspended (ISO/IEC 17021-1: surveillance not conducted at the required frequency)."
    ),
    (RuleSet.ISO_17021_1, DueKind.SURVEILLANCE_2): (
        "Certification suspended (ISO/IEC 17021-1: surveillance not conducted at the required frequency)."
    ),
    (RuleSet.ISO_17021_1, DueKind.RECERTIFICATION): (
        "Certification lapses; restorable within 6 months after expiry by completing the "
        "recertification, otherwise a new initial audit (stage 2 at least)."
    ),
}

_RECERT_MESSAGES: dict[RecertificationPath, str] = {
    RecertificationPath.RECERTIFY: (
        "The certificate is still valid: complete the recertification audit and decision before it expires."
    ),
    RecertificationPath.RESTORE: (
        "The certificate has expired: certification can be restored if the outstanding recertification "
        "activities are completed within 6 months after expiry; the new certificate keeps the expiry "
        "date based on the prior cycle."
    ),
    RecertificationPath.STAGE_2: (
        "The certificate expired more than 6 months ago: at least a stage 2 audit is required to "
        "certify the client again."
    ),
    RecertificationPath.INITIAL: (
        "The certificate has expired without an on-site recertification: the client must be "
        "certified again as an initial certification (stage 1 and stage 2)."
    ),
}

_RECERT_SOURCES: dict[tuple[RuleSet, RecertificationPath], str] = {
    (RuleSet.CNCA, RecertificationPath.RECERTIFY): f"{_CNCA} 5.8.2",
    (RuleSet.CNCA, RecertificationPath.INITIAL): f"{_CNCA} 5.8.2",
    (RuleSet.ISO_17021_1, RecertificationPath.RECERTIFY): f"{_ISO} 9.6.3.2.4",
    (RuleSet.ISO_17021_1, RecertificationPath.RESTORE): f"{_ISO} 9.6.3.2.5",
    (RuleSet.ISO_17021_1, RecertificationPath.STAGE_2): f"{_ISO} 9.6.3.2.5",
}

# ISO/IEC 17021-1:2015 9.6.3.2.5: restoration possible within 6 months.
RESTORATION_MONTHS = 6
CYCLE_MONTHS = 36
SURVEILLANCE_INTERVAL_MONTHS = 12


@dataclass(frozen=True)
class DueItem:
    """One programme activity with its deadline and the rule it comes from."""

    kind: DueKind
    due_by: date
    window_opens: date | None
    source: str
    completed_on: date | None = None

    @property
    def completed_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.due_by


@dataclass(frozen=True)
class RecertificationRequirement:
    """What the rule set requires for a client, given its expiry date and today."""

    path: RecertificationPath
    expired: bool
    restoration_deadline: date | None
    message: str
    source: str


# --------------------------------------------------------------------------
# Date arithmetic
# --------------------------------------------------------------------------


def _check_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime).")
    return value


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def add_months(*, day: date, months: int) -> date:
    """Same calendar day `months` later (or earlier); clamped to the month end."""
    _check_date(day, "day")
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError("months must be an integer.")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def period_end(*, start: date, months: int) -> date:
    """Last day of the period of `months` months that starts on `start` (inclusive)."""
    _check_date(start, "start")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError("months must be a positive integer.")
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = _days_in_month(year, month)
    if start.day > last_day:
        # No corresponding day (e.g. 29 Feb in a common year, 31st in a
        # 30-day month): the period ends on the last day of that month.
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def default_expiry(*, start: date) -> date:
    """Certificate expiry: issue + 3 years - 1 day (see module docstring)."""
    return period_end(start=start, months=CYCLE_MONTHS)


# --------------------------------------------------------------------------
# Programme
# --------------------------------------------------------------------------


def programme_due_dates(
    *,
    rule_set: RuleSet = RuleSet.CNCA,
    issue_date: date,
    decision_date: date,
    expiry_date: date | None = None,
    completed_surveillances: list[date] | tuple[date, ...] = (),
    recertification_done_on: date | None = None,
) -> list[DueItem]:
    """Due dates of surveillance 1, surveillance 2 and recertification in one cycle.

    The cycle is anchored on the certificate issue date (CNCA) or on the
    certification decision date (ISO/IEC 17021-1). `completed_surveillances`
    are the last on-site days of the surveillances done in this cycle; the
    first two are matched to surveillance 1 and 2 (later ones are ignored).
    When surveillance 1 is not done yet, surveillance 2 is computed from the
    latest permitted date of surveillance 1 (i.e. its due date).
    """
    rule_set = RuleSet(rule_set)
    _check_date(issue_date, "issue_date")
    _check_date(decision_date, "decision_date")
    if issue_date < decision_date:
        raise ValueError("The certificate cannot be issued before the certification decision.")
    anchor = issue_date if rule_set is RuleSet.CNCA else decision_date
    if expiry_date is None:
        expiry = default_expiry(start=anchor)
    else:
        expiry = _check_date(expiry_date, "expiry_date")
        if expiry <= anchor:
            raise ValueError("The expiry date must be after the start of the cycle.")

    done = sorted(_check_date(d, "completed surveillance date") for d in completed_surveillances)
    for d in done:
        if d < anchor:
            raise ValueError(f"Surveillance on {d.isoformat()} is before the start of the cycle.")
    if recertification_done_on is not None:
        _check_date(recertification_done_on, "recertification_done_on")
        if recertification_done_on < anchor:
            raise ValueError("The recertification audit cannot be before the start of the cycle.")

    s1_done = done[0] if done else None
    s2_done = done[1] if len(done) > 1 else None

    # Surveillance 1: both rule sets, within 12 months of the anchor.
    s1_due = add_months(day=anchor, months=SURVEILLANCE_INTERVAL_MONTHS)
    s1 = DueItem(
        kind=DueKind.SURVEILLANCE_1,
        due_by=s1_due,
        window_opens=None,
        source=_SOURCES[(rule_set, DueKind.SURVEILLANCE_1)],
        completed_on=s1_done,
    )

    s1_reference = s1_done or s1_due
    if rule_set is RuleSet.CNCA:
        # CNCA 5.4.1.4: no more than 12 months after the previous surveillance
        # (its last on-site day).
        s2_due = add_months(day=s1_reference, months=SURVEILLANCE_INTERVAL_MONTHS)
        s2_window = None
    else:
        # ISO/IEC 17021-1 9.1.3.3: at least once a calendar year. Project rule:
        # surveillance 2 falls in the calendar year after the year of
        # surveillance 1 (window 1 Jan - 31 Dec), and never after expiry.
        year = s1_reference.year + 1
        s2_window = date(year, 1, 1)
        s2_due = min(date(year, 12, 31), expiry)
    s2 = DueItem(
        kind=DueKind.SURVEILLANCE_2,
        due_by=s2_due,
        window_opens=s2_window if s2_window is not None and s2_window <= s2_due else None,
        source=_SOURCES[(rule_set, DueKind.SURVEILLANCE_2)],
        completed_on=s2_done,
    )

    # Recertification: on site (CNCA) / audit and decision (17021-1) no later
    # than the expiry date, the last day of validity.
    recert = DueItem(
        kind=DueKind.RECERTIFICATION,
        due_by=expiry,
        window_opens=None,
        source=_SOURCES[(rule_set, DueKind.RECERTIFICATION)],
        completed_on=recertification_done_on,
    )
    return [s1, s2, recert]


def due_status(*, item: DueItem, today: date, upcoming_days: int = 60) -> DueStatus:
    """Status of `item` on `today`.

    done: completed; overdue: today after due_by; due: from due_by minus
    `upcoming_days` to due_by inclusive (and the window, if any, is open);
    upcoming: otherwise.
    """
    _check_date(today, "today")
    if isinstance(upcoming_days, bool) or not isinstance(upcoming_days, int) or upcoming_days < 0:
        raise ValueError("upcoming_days must be a non-negative integer.")
    if item.completed_on is not None:
        return DueStatus.DONE
    if today > item.due_by:
        return DueStatus.OVERDUE
    if item.window_opens is not None and today < item.window_opens:
        return DueStatus.UPCOMING
    if today >= item.due_by - timedelta(days=upcoming_days):
        return DueStatus.DUE
    return DueStatus.UPCOMING


def consequence_if_missed(*, rule_set: RuleSet = RuleSet.CNCA, kind: DueKind) -> str:
    """Short English sentence: what happens when this activity is missed."""
    return CONSEQUENCES[(RuleSet(rule_set), DueKind(kind))]


def recertification_after_expiry(
    *, rule_set: RuleSet = RuleSet.CNCA, expiry_date: date, today: date
) -> RecertificationRequirement:
    """What the rules require to (re)certify a client whose certificate expires on `expiry_date`.

    The expiry date is the last day of validity: on that day the certificate
    is still valid.
    """
    rule_set = RuleSet(rule_set)
    _check_date(expiry_date, "expiry_date")
    _check_date(today, "today")
    if today <= expiry_date:
        path, expired, deadline = RecertificationPath.RECERTIFY, False, None
    elif rule_set is RuleSet.CNCA:
        # CNCA 5.8.2: not completed on site before expiry -> initial certification.
        path, expired, deadline = RecertificationPath.INITIAL, True, None
    else:
        # ISO/IEC 17021-1 9.6.3.2.5: within 6 months after expiry -> restoration,
        # "within 6 months" = on or before the same calendar day 6 months later.
        deadline = add_months(day=expiry_date, months=RESTORATION_MONTHS)
        path = RecertificationPath.RESTORE if today <= deadline else RecertificationPath.STAGE_2
        expired = True
    return RecertificationRequirement(
        path=path,
        expired=expired,
        restoration_deadline=deadline,
        message=_RECERT_MESSAGES[path],
        source=_RECERT_SOURCES[(rule_set, path)],
    )
