"""Reading past CNCA workbooks back (the adoption path), with the same layout files.

``plan_import`` is the dry run: for every row of the certificate sheet (103010) it says what an
import would do — create (the client when missing, a past audit, its review and decision, the
certificate, all marked imported), skip (the certificate number is present) or refuse (why). The
import itself is ``services.workbook_import``, which applies the same plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from certification.models import Certificate, CertificateStatus
from clients.models import Client
from standards.models import Standard

from . import exporter, rules
from .layouts import layout
from .models import ClientRegistration

CREATE = "create"
SKIP = "skip"
REFUSE = "refuse"


@dataclass
class Line:
    row: int
    record: str
    action: str
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    standard: Any = None
    client: Any = None


@dataclass
class ImportReport:
    lines: list[Line] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()[:10]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _standard(label: str) -> Standard | None:
    for standard in Standard.objects.all():
        if f"{standard.code}:{standard.edition}" in label.replace(" :", ":"):
            return standard
    return None


def _client(name: str, credit_code: str) -> Client | None:
    if credit_code:
        registration = ClientRegistration.objects.filter(credit_code=credit_code).select_related("client").first()
        if registration is not None:
            return registration.client
    return Client.objects.filter(name_zh=name).first()


def plan_import(*, data: bytes) -> ImportReport:
    report = ImportReport()
    sheet = layout("cnca_103010")
    rows = exporter.read_rows(data, sheet)
    seen: set[str] = set()
    for index, values in enumerate(rows, start=sheet.first_data_row):
        number = rules.no_spaces_upper(str(values.get("CERT_NUMBER", "")))
        name = rules.clean_text(str(values.get("ORG_NAME", "")))
        line = Line(row=index, record=f"{number} · {name}", action=CREATE, values=values)
        report.lines.append(line)
        credit_code = rules.no_spaces_upper(str(values.get("ORG_CODE", "")))
        if not number:
            line.action, line.reason = REFUSE, "CERT_NUMBER is empty."
            continue
        if number in seen or Certificate.objects.filter(number=number).exists():
            line.action, line.reason = SKIP, "The certificate is already present."
            continue
        seen.add(number)
        problem = rules.credit_code_problem(credit_code) if credit_code else "length"
        if problem:
            line.action, line.reason = REFUSE, f"ORG_CODE: not a valid unified social credit code ({problem})."
            continue
        line.standard = _standard(str(values.get("STANDARD", "")))
        if line.standard is None:
            line.action, line.reason = REFUSE, "STANDARD: no standard of the catalogue matches."
            continue
        issued, expires = _day(values.get("ISSUE_DATE")), _day(values.get("EXPIRY_DATE"))
        decided = _day(values.get("DECISION_DATE")) or issued
        if issued is None or expires is None or expires <= issued:
            line.action, line.reason = REFUSE, "ISSUE_DATE/EXPIRY_DATE missing or out of order."
            continue
        if decided is None or decided > issued:
            line.action, line.reason = REFUSE, "DECISION_DATE after the issue date."
            continue
        if str(values.get("CERT_STATUS", "")) not in CertificateStatus.values:
            line.action, line.reason = REFUSE, "CERT_STATUS is not a status code."
            continue
        line.client = _client(name, credit_code)
        if line.client is None and not str(values.get("REG_ADDRESS", "") or "").strip():
            line.action, line.reason = REFUSE, "REG_ADDRESS: a new client needs its registered address."
            continue
        line.reason = "" if line.client else "The client is created."
    return report
