"""The date rules of nonconformities, as pure functions (no database): due dates, overdue,
the stage 2 six-month limit, grounds for suspension and the reminder steps.

The CB configures the number of days per grade and audit type (``NonconformityDueRule`` rows,
page "NC due dates"); these functions take the resolved figures as arguments so they can be
tested on their own and reused by services, selectors, the register export and the reminder job.

Defaults and where they come from
---------------------------------
* **Minor: 90 days** after the last day of the audit. Common CB practice: the client's
  correction, cause analysis and corrective-action plan are reviewed and accepted, and their
  implementation is verified within 90 days or at the next audit (ISO/IEC 17021-1:2015 9.4.9
  and 9.4.10 require a defined time and the CB's review and verification, without fixing the
  number of days).
* **Major: 60 days** after the last day of the audit. ISO/IEC 17021-1:2015 requires the
  correction and corrective action of a major nonconformity to be verified before certification
  is granted (9.5.3, 9.6.3.2.3 for recertification); 60 days is our default, early enough for the
  verification and the certification decision to fit well within the six-month limit below.
* **Observation: no due date** (no response is required; it is never overdue).
* **Stage 2, major: at most 6 months.** ISO/IEC 17021-1:2015 9.5.3.2: if the CB cannot verify
  the implementation of the corrections and corrective actions of a major nonconformity within
  6 months after the last day of stage 2, another stage 2 must be conducted before certification
  is recommended. A stage 2 major's due date is never later than that limit, and once the limit
  has passed unverified the NC says so.
* **Surveillance, overdue:** a nonconformity of a surveillance audit not answered and verified by
  its due date is grounds for suspension (ISO/IEC 17021-1:2015 9.6.5.2: the certified system has
  persistently or seriously failed to meet the certification requirements; the CNCA certification
  rules likewise list uncorrected nonconformities among the grounds for suspension). It is flagged
  to the certification committee; a person decides, the system never suspends by itself.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MAJOR = "major"
MINOR = "minor"
OBSERVATION = "observation"

# Statuses (values of NonconformityStatus) in which the NC still waits for the client's
# action or for the auditor's verification: the due date applies to them.
OPEN = "open"
RETURNED = "returned"
RESPONDED = "responded"
VERIFIED = "verified"
CLOSED = "closed"
AWAITING_VERIFICATION = frozenset({OPEN, RETURNED, RESPONDED})
AWAITING_CLIENT = frozenset({OPEN, RETURNED})

DEFAULT_DUE_DAYS = {MINOR: 90, MAJOR: 60, OBSERVATION: None}
STAGE_2 = "stage_2"
STAGE_2_MAJOR_LIMIT_MONTHS = 6
SURVEILLANCE_TYPES = frozenset({"surveillance_1", "surveillance_2"})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_due_days(*, grade: str, audit_type: str, rules: Iterable[tuple[str, str, int]]) -> int | None:
    """The number of days for an NC: the CB's rule for this grade and audit type, else its rule
    for this grade and every type (``audit_type == ""``), else the default. ``rules`` is an
    iterable of (grade, audit_type, days). Observations never have a due date."""
    if grade == OBSERVATION:
        return None
    generic: int | None = None
    for rule_grade, rule_type, days in rules:
        if rule_grade != grade:
            continue
        if rule_type == audit_type:
            return days
        if not rule_type:
            generic = days
    return generic if generic is not None else DEFAULT_DUE_DAYS.get(grade)


def stage2_limit(audit_end: datetime.date) -> datetime.date:
    """The last day a stage 2 major may be verified without a new stage 2 (17021-1 9.5.3.2)."""
    return add_months(audit_end, STAGE_2_MAJOR_LIMIT_MONTHS)


def has_stage2_limit(*, grade: str, audit_type: str) -> bool:
    return grade == MAJOR and audit_type == STAGE_2


def due_date(*, audit_end: datetime.date | None, grade: str, audit_type: str, days: int | None) -> datetime.date | None:
    """The due date of an NC raised at an audit that ended on ``audit_end`` (None for none)."""
    if grade == OBSERVATION or days is None or audit_end is None:
        return None
    due = audit_end + datetime.timedelta(days=days)
    if has_stage2_limit(grade=grade, audit_type=audit_type):
        due = min(due, stage2_limit(audit_end))
    return due


def is_overdue(*, due: datetime.date | None, status: str, today: datetime.date) -> bool:
    """Past its due date and not yet accepted by the auditor (open, returned or responded)."""
    return due is not None and status in AWAITING_VERIFICATION and today > due


def new_stage2_required(
    *, grade: str, audit_type: str, status: str, audit_end: datetime.date | None, today: datetime.date
) -> bool:
    """A stage 2 major still unverified after the six-month limit: another stage 2 is needed."""
    return (
        has_stage2_limit(grade=grade, audit_type=audit_type)
        and status in AWAITING_VERIFICATION
        and audit_end is not None
        and today > stage2_limit(audit_end)
    )


def suspension_grounds(*, audit_type: str, overdue: bool) -> bool:
    """An overdue NC of a surveillance audit: grounds for suspension, for the committee."""
    return overdue and audit_type in SURVEILLANCE_TYPES


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderStep:
    key: str
    offset_days: int  # relative to the due date: negative before, positive after


# Before the due date, the day after it, and a month after it. Each is mailed once per NC and
# due date (a new due date starts the steps again).
REMINDER_STEPS = (
    ReminderStep("before_14", -14),
    ReminderStep("after_1", 1),
    ReminderStep("after_30", 30),
)


def reminder_step(
    *,
    due: datetime.date | None,
    status: str,
    today: datetime.date,
    sent: frozenset[str] = frozenset(),
    steps: Iterable[ReminderStep] = REMINDER_STEPS,
) -> ReminderStep | None:
    """The step to mail today, or None: the latest step whose day has come, unless it was sent.

    Only the latest step counts, so a job that did not run for a while (or an NC raised late)
    mails once, not every missed step. NCs accepted by the auditor get no reminder.
    """
    if due is None or status not in AWAITING_VERIFICATION:
        return None
    current = None
    for step in steps:
        if today >= due + datetime.timedelta(days=step.offset_days):
            current = step
    if current is None or current.key in sent:
        return None
    return current
