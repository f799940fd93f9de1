"""Reading past CNCA workbooks back (the adoption path), with the same layout files.

``plan_import`` is the dry run: for every row of the certificate sheet (103010) it says what an
import would do — create (the client when missing, a past audit, its review and decision, the
certificate, all marked imported), skip (the certificate number is present) or refuse (why); for
every row of the result sheet (103011), one person on the team of one past audit: create (the
person put on the audit's team), skip (already on it, or the same row twice) or refuse (unknown
certificate, stage, role or person: auditors are matched by ID number, then CCAA number, and are
entered first from the auditor list). The import itself is ``services.workbook_import``, which
applies the same plan in one transaction: a refused row is never half-written, and rows to create
are created all or none.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from audits.models import Audit, AuditStatus, AuditType, TeamAssignment, TeamRole
from certification.models import Certificate, CertificateStatus
from clients.models import Client
from people.models import AuditorProfile
from standards.models import Standard

from . import exporter, rules
from .fields import digest
from .layouts import code_table, layout
from .models import AuditorIdentity, ClientRegistration

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
    kind: str = "certificate"
    audit: Any = None


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


# A plain list of clients or auditors: a sheet of that name, headers in its first row.
CLIENT_SHEETS = ("受审核方", "clients")
CLIENT_COLUMNS = {
    "name": "组织名称",
    "credit_code": "统一社会信用代码",
    "address": "注册地址",
    "legal_rep": "法定代表人",
    "staff": "人数",
}
AUDITOR_SHEETS = ("审核员", "auditors")
AUDITOR_COLUMNS = {"name": "姓名", "registration": "CCAA注册号", "id_type": "证件类型", "id_number": "证件号码"}


def _plain_rows(data: bytes, names: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for name in names:
        if name in book.sheetnames:
            rows = list(book[name].iter_rows(values_only=True))
            if not rows:
                return []
            header = [str(c or "").strip() for c in rows[0]]
            return [
                (index, {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values, strict=False) if h})
                for index, values in enumerate(rows[1:], start=2)
                if any(v not in (None, "") for v in values)
            ]
    return []


def _plan_clients(data: bytes, report: ImportReport) -> None:
    for index, values in _plain_rows(data, CLIENT_SHEETS):
        name = rules.clean_text(values.get(CLIENT_COLUMNS["name"], ""))
        code = rules.no_spaces_upper(values.get(CLIENT_COLUMNS["credit_code"], ""))
        line = Line(row=index, record=f"{CLIENT_SHEETS[0]} · {name}", action=CREATE, values=values, kind="client")
        report.lines.append(line)
        if not name:
            line.action, line.reason = REFUSE, "组织名称 is empty."
        elif _client(name, code) is not None:
            line.action, line.reason = SKIP, "The client is already present."
        elif code and rules.credit_code_problem(code):
            line.action, line.reason = REFUSE, f"统一社会信用代码: not valid ({rules.credit_code_problem(code)})."
        elif not values.get(CLIENT_COLUMNS["address"]):
            line.action, line.reason = REFUSE, "注册地址 is empty."


def _plan_auditors(data: bytes, report: ImportReport) -> None:
    for index, values in _plain_rows(data, AUDITOR_SHEETS):
        name = values.get(AUDITOR_COLUMNS["name"], "")
        registration = values.get(AUDITOR_COLUMNS["registration"], "")
        line = Line(row=index, record=f"{AUDITOR_SHEETS[0]} · {name}", action=CREATE, values=values, kind="auditor")
        report.lines.append(line)
        profile = AuditorProfile.objects.filter(registration_number=registration).first()
        if profile is None:
            line.action, line.reason = (
                REFUSE,
                "No auditor profile with this CCAA registration number: enter the auditor first.",
            )
            continue
        line.client = profile
        if AuditorIdentity.objects.filter(profile=profile).exclude(id_digest="").exists():
            line.action, line.reason = SKIP, "The auditor's ID document is already recorded."
        elif not values.get(AUDITOR_COLUMNS["id_number"]):
            line.action, line.reason = REFUSE, "证件号码 is empty."
        else:
            line.reason = "The ID document is recorded."


def plan_import(*, data: bytes) -> ImportReport:
    report = ImportReport()
    _plan_clients(data, report)
    _plan_auditors(data, report)
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
    _plan_results(data, report)
    return report


# --- the result sheet (103011) ---------------------------------------------------------------

ROLE_BY_CODE = {"01": TeamRole.LEADER, "02": TeamRole.AUDITOR, "03": TeamRole.TECHNICAL_EXPERT}
# The stage code of each audit type (collect.STAGE_CODES read backwards: which audits a row may be).
TYPES_BY_STAGE: dict[str, tuple[str, ...]] = {
    "0101": (AuditType.STAGE_1,),
    "0102": (AuditType.STAGE_2,),
    "02": (AuditType.RECERTIFICATION,),
    "03": (AuditType.SURVEILLANCE_1, AuditType.SURVEILLANCE_2),
    "04": (AuditType.SPECIAL, AuditType.SHORT_NOTICE, AuditType.RESTORATION, AuditType.TRANSFER),
    "05": (AuditType.SCOPE_EXTENSION,),
}


def _moment(value: Any) -> datetime.date | None:
    return _day(value)


def result_days(data: bytes) -> dict[str, dict[str, tuple[datetime.date, datetime.date]]]:
    """Per certificate number, the first and last day of each stage its result rows name: the
    dates of the past audits a certificate row creates."""
    out: dict[str, dict[str, tuple[datetime.date, datetime.date]]] = {}
    for values in exporter.read_rows(data, layout("cnca_103011")):
        number = rules.no_spaces_upper(str(values.get("CERT_NUMBER", "")))
        start, end = _moment(values.get("AUDIT_START")), _moment(values.get("AUDIT_END"))
        if number and start and end and start <= end:
            out.setdefault(number, {}).setdefault(str(values.get("AUDIT_STAGE", "")), (start, end))
    return out


def person(id_number: str, ccaa_number: str) -> AuditorProfile | None:
    """The auditor a row names: by ID document number (its digest), then by CCAA number."""
    if id_number:
        identity = AuditorIdentity.objects.filter(id_digest=digest(id_number)).select_related("profile__user").first()
        if identity is not None:
            return identity.profile
    if ccaa_number:
        found = AuditorProfile.objects.filter(registration_number=ccaa_number).select_related("user").first()
        if found is None:
            found = (
                AuditorProfile.objects.filter(qualifications__registration_number=ccaa_number)
                .select_related("user")
                .first()
            )
        return found
    return None


def result_audit(certificate: Any, stage: str, start: datetime.date) -> Audit | None:
    """The imported audit of ``certificate``'s programme a result row belongs to: of the row's
    stage, starting on the row's first day."""
    return (
        Audit.objects.filter(
            programme_id=certificate.programme_id,
            audit_type__in=TYPES_BY_STAGE.get(stage, ()),
            start_date=start,
        )
        .exclude(status=AuditStatus.CANCELLED)
        .order_by("pk")
        .first()
    )


def _plan_results(data: bytes, report: ImportReport) -> None:
    sheet = layout("cnca_103011")
    stages = code_table("audit_stage").codes
    created = {
        rules.no_spaces_upper(str(line.values.get("CERT_NUMBER", "")))
        for line in report.lines
        if line.kind == "certificate" and line.action == CREATE
    }
    seen: set[tuple[str, str, str, str]] = set()
    for index, values in enumerate(exporter.read_rows(data, sheet), start=sheet.first_data_row):
        number = rules.no_spaces_upper(str(values.get("CERT_NUMBER", "")))
        name = rules.clean_text(str(values.get("PERSON_NAME", "")))
        stage = str(values.get("AUDIT_STAGE", "")).strip()
        line = Line(row=index, record=f"{sheet.sheet} · {number} · {stage} · {name}", action=CREATE, kind="result")
        line.values = values
        report.lines.append(line)
        start, end = _moment(values.get("AUDIT_START")), _moment(values.get("AUDIT_END"))
        id_number = rules.no_spaces_upper(str(values.get("ID_NUMBER", "")))
        ccaa = rules.no_spaces_upper(str(values.get("CCAA_NUMBER", "")))
        if not number:
            line.action, line.reason = REFUSE, "CERT_NUMBER is empty."
            continue
        if stage not in stages or stage not in TYPES_BY_STAGE:
            line.action, line.reason = REFUSE, f"AUDIT_STAGE: {stage or '—'} is not a stage code."
            continue
        if start is None or end is None or end < start:
            line.action, line.reason = REFUSE, "AUDIT_START/AUDIT_END missing or out of order."
            continue
        if str(values.get("TEAM_ROLE", "")) not in ROLE_BY_CODE:
            line.action, line.reason = REFUSE, "TEAM_ROLE is not a role code (01, 02, 03)."
            continue
        key = (number, stage, start.isoformat(), id_number or ccaa or name)
        if key in seen:
            line.action, line.reason = SKIP, "The same person and stage twice in the sheet."
            continue
        seen.add(key)
        line.client = person(id_number, ccaa)
        if line.client is None:
            line.action, line.reason = (
                REFUSE,
                "No auditor with this ID number or CCAA number: import the auditor list first.",
            )
            continue
        certificate = Certificate.objects.filter(number=number).order_by("-reissue").first()
        if certificate is None:
            if number in created:
                line.reason = "On the past audit the certificate row of this workbook creates."
                continue
            line.action, line.reason = (
                REFUSE,
                "The certificate is neither present nor in this workbook's certificate sheet.",
            )
            continue
        line.audit = result_audit(certificate, stage, start)
        if line.audit is None:
            line.action, line.reason = REFUSE, f"No audit of stage {stage} of this certificate starts on {start}."
        elif not line.audit.imported:
            line.action, line.reason = SKIP, "The audit is this product's own record: its team is kept as it is."
        elif TeamAssignment.objects.filter(audit=line.audit, profile=line.client).exists():
            line.action, line.reason = SKIP, "The person is already on the audit's team."
