"""Validation before export: every rule the layout files state (required, type, length, code
membership, pattern, the credit-code checksum) and the rules across rows and sheets (decision not
before the end of stage 2; a sub-certificate not expiring after its main certificate; every result
row's certificate in the certificate sheet or already reported). Each problem names the record and
the page that fixes it. Code tables marked incomplete (``complete: false``) give a warning, not an
error, for a code they do not list."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from . import rules
from .exporter import cells
from .layouts import Layout, code_table

ERROR = "error"
WARNING = "warning"

# Values that come from the client's record: their problems link to the client's regulator data.
CLIENT_VALUES = frozenset(
    {
        "org_name",
        "former_name",
        "credit_code",
        "industry_code",
        "country_code",
        "division_code",
        "registered_address",
        "postal_address",
        "operating_address",
        "postcode",
        "phone",
        "legal_representative",
        "organisation_type",
        "registered_capital",
        "capital_currency",
        "total_staff",
        "covered_staff",
        "contact",
        "contact_phone",
    }
)


@dataclass(frozen=True)
class Problem:
    sheet: str
    record: str
    field: str
    message: str
    link: str = ""
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def _link(row: dict[str, Any], value_key: str) -> str:
    if value_key in CLIENT_VALUES and row.get("_client_fix"):
        return str(row["_client_fix"])
    return str(row.get("_fix") or row.get("_link") or "")


def field_problems(layout: Layout, row: dict[str, Any]) -> list[Problem]:
    problems = []
    record = str(row.get("_label", ""))
    for item, cell in zip(layout.fields, cells(layout, row), strict=True):

        def add(message: str, level: str = ERROR, item: Any = item) -> None:
            problems.append(Problem(layout.sheet, record, item.code, message, _link(row, item.value), level))

        if cell in ("", None):
            if item.required:
                add(_("%(field)s (%(meaning)s) is required.") % {"field": item.code, "meaning": item.meaning})
            continue
        if item.type == "NUMBER":
            try:
                Decimal(str(cell))
            except InvalidOperation:
                add(_("%(field)s must be a number.") % {"field": item.code})
            continue
        text = str(cell)
        if item.type == "DATE":
            pattern = {"date": r"\d{4}-\d{2}-\d{2}", "datetime": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"}.get(
                layout.date_format, r"\d{4}-\d{2}-\d{2} \d{2}:00:00"
            )
            if not re.fullmatch(pattern, text):
                add(_("%(field)s is not a date in the sheet's format.") % {"field": item.code})
            continue
        if item.length is not None and len(text) > item.length:
            add(
                _("%(field)s is %(length)s characters long; at most %(max)s.")
                % {"field": item.code, "length": len(text), "max": item.length}
            )
        if item.pattern and not re.fullmatch(item.pattern, text):
            add(_("%(field)s does not have the expected form: %(value)s.") % {"field": item.code, "value": text})
        if item.check == "credit_code":
            problem = rules.credit_code_problem(text)
            if problem:
                add(
                    {
                        "length": _("The unified social credit code must have 18 characters (it has %(n)s)."),
                        "characters": _("The unified social credit code contains a character GB 32100 does not use."),
                        "checksum": _("The unified social credit code's check character is wrong (GB 32100)."),
                    }[problem]
                    % {"n": len(text)}
                )
        if item.codes:
            table = code_table(item.codes)
            for code in text.split(rules.JOIN):
                if code not in table.codes:
                    add(
                        _("%(field)s: %(code)s is not in the code table %(table)s.")
                        % {"field": item.code, "code": code, "table": table.name},
                        ERROR if table.complete else WARNING,
                    )
    return problems


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def certificate_rules(layout: Layout, row: dict[str, Any]) -> list[Problem]:
    problems = []
    record = str(row.get("_label", ""))
    decided, stage2 = _day(row.get("decision_date")), _day(row.get("stage2_end"))
    if decided and stage2 and decided < stage2 and row.get("report_type") in ("01", "02"):
        problems.append(
            Problem(
                layout.sheet,
                record,
                "DECISION_DATE",
                _("The certification decision (%(decided)s) is before the end of the audit (%(end)s).")
                % {"decided": decided, "end": stage2},
                str(row.get("_link", "")),
            )
        )
    expires, main_expires = _day(row.get("expires_on")), _day(row.get("_main_expires_on"))
    if expires and main_expires and expires > main_expires:
        problems.append(
            Problem(
                layout.sheet,
                record,
                "EXPIRY_DATE",
                _("A sub-certificate may not expire (%(sub)s) after its main certificate (%(main)s).")
                % {"sub": expires, "main": main_expires},
                str(row.get("_link", "")),
            )
        )
    suspended, restored = _day(row.get("suspension_start")), _day(row.get("restore_date"))
    if suspended and restored and restored < suspended:
        problems.append(
            Problem(
                layout.sheet,
                record,
                "RESTORE_DATE",
                _("The certificate is restored (%(restored)s) before it was suspended (%(suspended)s).")
                % {"restored": restored, "suspended": suspended},
                str(row.get("_link", "")),
            )
        )
    issued = _day(row.get("issued_on"))
    if issued and expires and expires <= issued:
        problems.append(
            Problem(layout.sheet, record, "EXPIRY_DATE", _("The expiry date is not after the issue date."), "")
        )
    return problems


def validate(
    sheets: Iterable[tuple[Layout, list[dict[str, Any]]]],
    *,
    reported_certificates: Iterable[str] = (),
) -> list[Problem]:
    """Every problem of the rows of each sheet, and the results' certificates (cross-sheet)."""
    problems: list[Problem] = []
    certificate_numbers = set(reported_certificates)
    results: list[tuple[Layout, dict[str, Any]]] = []
    for layout, rows in sheets:
        for row in rows:
            problems.extend(field_problems(layout, row))
            if layout.key == "cnca_103010":
                problems.extend(certificate_rules(layout, row))
                certificate_numbers.add(rules.no_spaces_upper(str(row.get("cert_number", ""))))
            if layout.key == "cnca_103011":
                results.append((layout, row))
    for layout, row in results:
        number = rules.no_spaces_upper(str(row.get("cert_number", "")))
        if number not in certificate_numbers:
            problems.append(
                Problem(
                    layout.sheet,
                    str(row.get("_label", "")),
                    "CERT_NUMBER",
                    _("Certificate %(number)s is neither in the certificate sheet nor reported before.")
                    % {"number": number},
                    str(row.get("_fix", "")),
                )
            )
    return problems
