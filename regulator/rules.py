"""Pure rules of the CNCA reporting: the credit-code checksum, value formatting, the deadline,
the plan number. No database access."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# The credit-code check is shared with the portal's registration (core.identifiers).
from core.identifiers import (  # noqa: F401
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    credit_code_check_char,
    credit_code_problem,
)

# The CNCA reporting specification (2021): several values in one cell joined with the full-width
# semicolon, the parts of one team member with the full-width comma.
JOIN = "；"
PART_JOIN = "，"

DATE_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime": "%Y-%m-%d %H:%M:%S",  # results
    "datetime_hour": "%Y-%m-%d %H:00:00",  # plans
}


_INVISIBLE = {"Cf", "Cc", "Zl", "Zp"}


def clean_text(value: str) -> str:
    """Invisible characters removed, runs of spaces (full-width ones too) made one, ends stripped."""
    kept = "".join(
        " " if ch.isspace() else ch for ch in value if unicodedata.category(ch) not in _INVISIBLE or ch in "\t\n\r"
    )
    return re.sub(r"\s+", " ", kept).strip()


def no_spaces_upper(value: str) -> str:
    """Certificate numbers: upper-case, without any space."""
    return re.sub(r"\s+", "", value).upper()


def join(values: Iterable[Any], sep: str = JOIN) -> str:
    return sep.join(clean_text(str(v)) for v in values if v not in (None, ""))


def format_value(value: Any, *, type_: str, date_format: str, upper: bool = False) -> Any:
    """The cell of one value: text for VARCHAR2 and DATE, a number for NUMBER, "" for nothing."""
    if value is None or value == "":
        return ""
    if type_ == "DATE":
        if isinstance(value, datetime.datetime):
            return value.strftime(DATE_FORMATS[date_format])
        if isinstance(value, datetime.date):
            return datetime.datetime.combine(value, datetime.time()).strftime(DATE_FORMATS[date_format])
        return clean_text(str(value))
    if type_ == "NUMBER":
        if isinstance(value, bool):
            return int(value)
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(value, list | tuple):
        text = join(value)
    elif isinstance(value, bool):
        text = "1" if value else "0"
    else:
        text = clean_text(str(value))
    return no_spaces_upper(text) if upper else text


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def next_month(month: datetime.date) -> datetime.date:
    first = month.replace(day=1)
    return (first + datetime.timedelta(days=32)).replace(day=1)


def deadline(month: datetime.date, *, day: int) -> datetime.date:
    """市监认证(司)函〔2021〕102号: a month's data is due by the ``day`` (10th) of the following month,
    with no extension for holidays."""
    following = next_month(month)
    return following.replace(day=min(day, calendar.monthrange(following.year, following.month)[1]))


def parse_month(text: str) -> datetime.date:
    """``YYYY-MM`` → the first day of that month (ValueError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}", text.strip()):
        raise ValueError(text)
    year, month = (int(part) for part in text.strip().split("-"))
    return datetime.date(year, month, 1)


def is_late(event_day: datetime.date, *, month: datetime.date) -> bool:
    """An event reported in a later month's data than its own is a late report (补报)."""
    return event_day < month.replace(day=1)


def plan_number(*, approval_digits: str, branch_code: str, serial: int) -> str:
    """The number CNCA suggests for an audit plan: R + 0 + the approval number's last three digits +
    the two-digit branch code + a serial (five digits here, the CB's choice)."""
    return f"R0{approval_digits}{branch_code}{serial:05d}"


# GB 11643-1999 (公民身份号码): 17 digits and a check character over them, ISO 7064 MOD 11-2;
# the 17th digit is odd for a man, even for a woman.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def resident_id_problem(number: str) -> str:
    """Why ``number`` is not a valid resident ID number (ID type 01; "" when it is)."""
    if len(number) != 18:
        return "length"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "characters"
    total = sum(int(ch) * w for ch, w in zip(number[:17], RESIDENT_ID_WEIGHTS, strict=True))
    if RESIDENT_ID_CHECK[total % 11] != number[17]:
        return "checksum"
    return ""


def resident_id_gender(number: str) -> str:
    """ "male" or "female" from a valid resident ID number's 17th digit."""
    return "male" if int(number[16]) % 2 else "female"
