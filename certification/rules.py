"""Certification rules that need no database: the certificate number, the size band, validity
and expiry, the suspension limit, and whether a renewal may continue the cycle.

The services (certification.services) apply them; tests check them at their edges.

Date rules (the calendar arithmetic of audits/programme_rules.py, stated once there):

* expiry: the last day of the validity period starting on the issue date,
  ``period_end(start=issue, months=validity)``: 36 months → issue + 3 years − 1 day
  (1 Mar 2025 → 29 Feb 2028; 29 Feb 2024 → 28 Feb 2027).
* the expiry date is the last day of validity: a certificate expiring on D is still valid on D,
  expired (05) from D + 1.
* a renewal (recertification decision) is possible up to and including the expiry day; it
  continues the cycle: the new certificate expires ``period_end(start=old expiry + 1 day,
  months=validity)``, i.e. the old expiry plus the validity period (28 Feb 2027 → 29 Feb 2030;
  29 Feb 2028 → 28 Feb 2031), whatever the new issue date.
* a suspension ends at most ``max_suspension_months`` after it starts (same calendar day N months
  later, clamped to the month end: 31 Aug + 6 months = 28/29 Feb).
"""

from __future__ import annotations

import datetime
import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audits import programme_rules

from .models.certificate import CertificateStatus
from .models.reference import DEFAULT_NUMBER_PATTERN

# The fields a number pattern may use, with a sample value to test a pattern with.
NUMBER_FIELDS = {
    "cb": "069",
    "yy": "13",
    "yyyy": "2013",
    "std": "Q1",
    "serial": 2270,
    "recert": 0,
    "size": "S",
}
# Integer fields may carry a format spec ({serial:04d}); the others are text.
_INT_FIELDS = {"serial", "recert"}
NUMBER_MAX_LENGTH = 36  # Certificate.number holds 40; keep room for a sub-certificate suffix "-nn".


def invalid(message: Any, code: str | None = None) -> ValidationError:
    """A ValidationError whose ``code`` reaches every message, also in a {field: message} dict
    (Django drops the code of a dict otherwise)."""
    if isinstance(message, dict):
        return ValidationError(
            {
                name: m if isinstance(m, (ValidationError, list)) else ValidationError(m, code=code)
                for name, m in message.items()
            }
        )
    return ValidationError(message, code=code)


def pattern_fields(pattern: str) -> list[str]:
    """The field names of a number pattern, in order; refuses anything that is not a plain
    field of NUMBER_FIELDS (attribute or index access, conversions, unknown names)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise invalid(_("Enter a certificate number pattern."), code="pattern_empty")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise invalid(
            _("The number pattern is not valid: %(error)s. Write fields in braces, e.g. {serial:04d}.")
            % {"error": exc},
            code="pattern_syntax",
        ) from exc
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in NUMBER_FIELDS:
            raise invalid(
                _("The number pattern uses the unknown field {%(name)s}. Known fields: %(known)s.")
                % {"name": name, "known": ", ".join(f"{{{f}}}" for f in NUMBER_FIELDS)},
                code="pattern_unknown_field",
            )
        if conversion:
            raise invalid(
                _("The number pattern may not convert a field (!%(conversion)s in {%(name)s}).")
                % {"conversion": conversion, "name": name},
                code="pattern_conversion",
            )
        if spec and ("{" in spec or name not in _INT_FIELDS):
            raise invalid(
                _("Only {serial} and {recert} take a format such as :04d (not {%(name)s:%(spec)s}).")
                % {"name": name, "spec": spec},
                code="pattern_spec",
            )
        names.append(name)
    return names


def validate_pattern(pattern: str) -> str:
    """Refuse a pattern that cannot make unique numbers: it must contain {serial}, {std} and the
    year ({yy} or {yyyy}) because serials count per year and standard code; it must format the
    sample values; the result must fit the number field. Returns the pattern."""
    names = set(pattern_fields(pattern))
    missing = [f"{{{name}}}" for name in ("serial", "std") if name not in names]
    if not names & {"yy", "yyyy"}:
        missing.append("{yy}")
    if missing:
        raise invalid(
            _("The number pattern must contain %(fields)s: serials are counted per year and standard code.")
            % {"fields": ", ".join(missing)},
            code="pattern_incomplete",
        )
    try:
        sample = pattern.format(**NUMBER_FIELDS)
    except (ValueError, TypeError) as exc:
        raise invalid(_("The number pattern is not valid: %(error)s.") % {"error": exc}, code="pattern_syntax") from exc
    if len(sample) > NUMBER_MAX_LENGTH:
        raise invalid(
            _("Numbers made from this pattern are too long (%(length)s characters, at most %(max)s).")
            % {"length": len(sample), "max": NUMBER_MAX_LENGTH},
            code="pattern_too_long",
        )
    return pattern


def format_number(
    *, pattern: str = DEFAULT_NUMBER_PATTERN, cb: str, year: int, std: str, serial: int, recert: int = 0, size: str
) -> str:
    """The certificate number, e.g. ``06913Q12270R0S`` with the default pattern
    ``{cb}{yy}{std}{serial:04d}R{recert}{size}`` (CB code 069, 2013, QMS, serial 2270, first
    cycle, up to 50 people). ``year`` is the full year (2013)."""
    validate_pattern(pattern)
    year = int(year)
    values = {
        "cb": str(cb),
        "yy": f"{year % 100:02d}",
        "yyyy": f"{year:04d}",
        "std": str(std),
        "serial": int(serial),
        "recert": int(recert),
        "size": str(size),
    }
    return pattern.format(**values)


def sample_number(pattern: str) -> str:
    """What a pattern makes of the sample values (shown next to the pattern in the admin)."""
    validate_pattern(pattern)
    return pattern.format(**NUMBER_FIELDS)


# --- size band ------------------------------------------------------------------------------


def size_band(headcount: int | None, policy: Any = None, *, small_max: int = 50, medium_max: int = 1000) -> str:
    """ "S" up to ``small_max`` people (50), "M" up to ``medium_max`` (1000), "L" above. With a
    policy, its ``small_max_headcount`` and ``medium_max_headcount`` apply."""
    if policy is not None:
        small_max, medium_max = policy.small_max_headcount, policy.medium_max_headcount
    if headcount is None or isinstance(headcount, bool) or int(headcount) < 1:
        raise invalid(
            _("The client's headcount is not recorded: the size band of the certificate number depends on it."),
            code="headcount_missing",
        )
    headcount = int(headcount)
    if headcount <= small_max:
        return "S"
    if headcount <= medium_max:
        return "M"
    return "L"


# --- dates ----------------------------------------------------------------------------------


def _months(policy: Any, name: str, default: int) -> int:
    return int(getattr(policy, name, default)) if policy is not None else default


def expiry(issued_on: datetime.date, policy: Any = None) -> datetime.date:
    """The last day of validity of a certificate issued on ``issued_on``."""
    return programme_rules.period_end(start=issued_on, months=_months(policy, "validity_months", 36))


def renewal_expiry(previous_expiry: datetime.date, policy: Any = None) -> datetime.date:
    """Expiry of the certificate a renewal issues: the cycle continues from the day after the
    previous expiry for the validity period (previous expiry + validity)."""
    return programme_rules.period_end(
        start=previous_expiry + datetime.timedelta(days=1), months=_months(policy, "validity_months", 36)
    )


def is_expired(expires_on: datetime.date, on: datetime.date) -> bool:
    """Expired from the day after the expiry date (the expiry date is the last valid day)."""
    return on > expires_on


def renewal_allowed(*, expires_on: datetime.date, decided_on: datetime.date) -> bool:
    """A recertification decision continues the cycle when taken on or before the expiry day."""
    return decided_on <= expires_on


def suspension_limit(starts_on: datetime.date, policy: Any = None) -> datetime.date:
    """The latest end date of a suspension starting on ``starts_on``."""
    return programme_rules.add_months(day=starts_on, months=_months(policy, "max_suspension_months", 6))


def check_suspension_end(
    *, ends_on: datetime.date | None, starts_on: datetime.date, policy: Any = None
) -> datetime.date:
    """Refuse a suspension end that is missing, not after its start, or beyond the policy's limit."""
    if ends_on is None:
        raise invalid({"suspension_ends_on": _("A suspension needs an end date.")}, code="suspension_end_missing")
    limit = suspension_limit(starts_on, policy)
    if ends_on <= starts_on:
        raise invalid(
            {
                "suspension_ends_on": _("The suspension must end after it starts (%(start)s).")
                % {"start": starts_on.isoformat()}
            },
            code="suspension_end_too_early",
        )
    if ends_on > limit:
        raise invalid(
            {
                "suspension_ends_on": _(
                    "A suspension lasts at most %(months)s months: it must end on or before %(limit)s."
                )
                % {"months": _months(policy, "max_suspension_months", 6), "limit": limit.isoformat()}
            },
            code="suspension_too_long",
        )
    return ends_on


def check_issue_date(*, issued_on: datetime.date, decided_on: datetime.date) -> datetime.date:
    """A certificate is never issued before the decision it follows."""
    if issued_on < decided_on:
        raise invalid(
            {
                "issued_on": _("The certificate cannot be issued before the certification decision (%(date)s).")
                % {"date": decided_on.isoformat()}
            },
            code="issue_before_decision",
        )
    return issued_on


def standard_code(family: str, codes: dict[str, str] | None) -> str:
    """The number's standard code of a management-system family (QMS → Q1) from the policy's
    ``standard_codes``; refused when the CB has not configured one."""
    code = (codes or {}).get(family)
    if not code:
        raise invalid(
            _(
                "No certificate standard code is configured for the %(family)s family: add it to the certification policy."
            )
            % {"family": family},
            code="standard_code_missing",
        )
    return str(code)


def cb_code(value: str | None) -> str:
    """The CB code of the number: the CB's three digits, or "000" while none is configured (the
    numbers then show plainly that the CB profile is incomplete)."""
    value = (value or "").strip()
    return value if value else "000"


def status_against_dates(*, status: str, expires_on: datetime.date, today: datetime.date) -> str | None:
    """Why a certificate's status disagrees with its dates, or None: a valid or suspended
    certificate has not passed its expiry date (the daily job expires it the day after), and an
    expired one has (CNCA status code 05, 过期失效)."""
    if status not in CertificateStatus.values:
        return _("Choose the certificate's status.")
    if status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED) and expires_on < today:
        return _("The certificate expired on %(date)s: its status is expired, withdrawn or cancelled.") % {
            "date": expires_on.isoformat()
        }
    if status == CertificateStatus.EXPIRED and expires_on >= today:
        return _("The certificate is valid until %(date)s: it cannot be expired yet.") % {
            "date": expires_on.isoformat()
        }
    return None
