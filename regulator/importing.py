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
from certification.models import Certificate, CertificateStatus, StatusReason
from certification.rules import status_against_dates
from clients.models import Client
from core.dates import local_today
from people.models import AuditorProfile
from standards.models import Standard

from . import exporter, rules
from .fields import digest
from .layouts import code_table, layout
from .models import AuditorIdentity, ClientRegistration, RegulatorSettings

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
    month: datetime.date | None = None
    reason_code: Any = None


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


# The 103010 columns an import writes to a record and the export reads back from it; every other
# column of an imported row is kept on its reporting row (``models.ImportedReportRow.cells``).
MODELLED_CERT_COLUMNS = frozenset(
    {
        "CB_APPROVAL_NUMBER",  # RegulatorSettings
        "ORG_NAME",  # the certificate's holder
        "ORG_FORMER_NAME",  # ClientRegistration …
        "ORG_CODE",
        "INDUSTRY_CODE",
        "COUNTRY_CODE",
        "REGION_CODE",
        "ORG_TYPE",
        "REG_CAPITAL",
        "CAPITAL_CURRENCY",
        "TOTAL_STAFF",
        "COVERED_STAFF",
        "REG_ADDRESS",  # the client's registered site
        "POSTCODE",  # the client
        "LEGAL_REP",
        "FIRST_CERT_DATE",  # the certificate …
        "CERT_NUMBER",
        "STANDARD",
        "CERT_SCOPE",
        "CERT_SCOPE_EN",
        "ISSUE_DATE",
        "EXPIRY_DATE",
        "CERT_STATUS",
        "CERT_ITEM_CODE",  # CertificateRegistration …
        "CNAS_CODES",
        "ACCRED_MARK",
        "RISK_LEVEL",
        "BASE_AUDIT_DAYS",
        "CONTRACT_AMOUNT",  # ProgrammeContract …
        "CONTRACT_CURRENCY",
        "CONTRACT_NUMBER",
    }
)
# The 103011 columns read from records: the CB, the certificate and the person (whose ID document
# stays encrypted on AuditorIdentity and is never kept with the row).
MODELLED_RESULT_COLUMNS = frozenset({"CB_APPROVAL_NUMBER", "CERT_NUMBER", "PERSON_NAME", "ID_TYPE", "ID_NUMBER"})
# What a status needs recorded with it (certification.services.certificates.REASON_KIND_FOR_STATUS):
# the column of its reason code and of its first day.
STATUS_COLUMNS: dict[str, tuple[str, str]] = {
    CertificateStatus.SUSPENDED.value: ("SUSPEND_REASON", "SUSPEND_START"),
    CertificateStatus.WITHDRAWN.value: ("WITHDRAW_REASON", "WITHDRAW_DATE"),
    CertificateStatus.CANCELLED.value: ("WITHDRAW_REASON", "WITHDRAW_DATE"),
}
# The audit activity a row reports → the day of its event (the month it is reported in).
EVENT_DAY_COLUMNS = {
    "01": ("ISSUE_DATE",),
    "02": ("REISSUE_DATE", "ISSUE_DATE"),
    "03": ("DECISION_DATE", "STAGE2_END"),
    "04": ("CHANGE_DATE",),
    "05": ("RESTORE_DATE", "WITHDRAW_DATE", "SUSPEND_START"),
}


def kept_cells(values: dict[str, Any], *, sheet_key: str, modelled: frozenset[str]) -> dict[str, Any]:
    """The cells of a row no record models, as the exporter writes them (text, numbers)."""
    sheet = layout(sheet_key)
    out = {}
    for item in sheet.fields:
        value = values.get(item.code, "")
        if item.code in modelled or value in (None, ""):
            continue
        out[item.code] = rules.format_value(value, type_=item.type, date_format=sheet.date_format, upper=item.upper)
    return out


def event_month(values: dict[str, Any]) -> datetime.date | None:
    """The month a certificate row was reported in: that of the event its report type names."""
    kind = str(values.get("REPORT_TYPE", "") or "").strip()
    for column in (*EVENT_DAY_COLUMNS.get(kind, ()), "ISSUE_DATE"):
        day = _day(values.get(column))
        if day is not None:
            return day.replace(day=1)
    return None


def _reason(values: dict[str, Any], status: str) -> tuple[StatusReason | None, str]:
    """The reason a status needs (its code in the row), or why it is refused."""
    from certification.services.certificates import REASON_KIND_FOR_STATUS

    if status not in STATUS_COLUMNS:
        return None, ""
    column = STATUS_COLUMNS[status][0]
    code = str(values.get(column, "") or "").strip()
    kind = REASON_KIND_FOR_STATUS[CertificateStatus(status)]
    found = StatusReason.objects.filter(kind=kind, code=code).first() if code else None
    if found is None:
        return None, f"{column}: {code or '—'} is not a {kind} reason code of the status reason list."
    return found, ""


def _certificate_problem(values: dict[str, Any], line: Line) -> str:
    """Why a certificate row cannot be imported ("" when it can)."""
    approval = RegulatorSettings.objects.current().approval_number
    row_approval = str(values.get("CB_APPROVAL_NUMBER", "") or "").strip()
    if approval and row_approval and row_approval != approval:
        return f"CB_APPROVAL_NUMBER: {row_approval} is not this CB's approval number ({approval})."
    issued, expires = _day(values.get("ISSUE_DATE")), _day(values.get("EXPIRY_DATE"))
    activity = str(values.get("AUDIT_ACTIVITY", "") or "01").strip()
    decided = _day(values.get("DECISION_DATE")) or issued
    today = local_today()
    if issued is None or expires is None or expires <= issued:
        return "ISSUE_DATE/EXPIRY_DATE missing or out of order."
    if issued > today:
        return "ISSUE_DATE: in the future."
    if activity not in code_table("audit_activity").codes:
        return f"AUDIT_ACTIVITY: {activity} is not an audit activity code."
    first = _day(values.get("FIRST_CERT_DATE"))
    if first is not None and first > issued:
        return "FIRST_CERT_DATE: after the issue date."
    if decided is None or (activity in ("01", "02") and decided > issued):
        return "DECISION_DATE after the issue date."
    if activity not in ("01", "02") and decided < issued:
        return "DECISION_DATE: a surveillance, special or change decision before the issue date."
    if decided > today:
        return "DECISION_DATE: in the future."
    status = str(values.get("CERT_STATUS", ""))
    if status not in CertificateStatus.values:
        return "CERT_STATUS is not a status code."
    problem = status_against_dates(status=status, expires_on=expires, today=today)
    if problem:
        return f"CERT_STATUS: {problem}"
    line.reason_code, problem = _reason(values, status)
    if problem:
        return problem
    if status in STATUS_COLUMNS:
        since = _day(values.get(STATUS_COLUMNS[status][1]))
        if since is not None and (since < issued or since > today):
            return f"{STATUS_COLUMNS[status][1]}: before the issue date or in the future."
    for column in ("REPORT_TYPE",):
        code = str(values.get(column, "") or "").strip()
        if code and code not in code_table("report_type").codes:
            return f"{column}: {code} is not a report type code."
    return ""


def _another_event(line: Line, *, number: str, first: dict[str, Any] | None, month: datetime.date | None) -> None:
    """A row of a certificate an earlier row of the workbook creates (``first``: its values), or
    one already present: skipped when it is the same row again or the certificate was not entered
    by this import; otherwise another event of the certificate, kept whole for the month's export."""
    from .models import ImportedReportRow

    line.action, line.reason = SKIP, "The certificate is already present."
    whole = kept_cells(line.values, sheet_key="cnca_103010", modelled=frozenset())
    if first is not None:
        if whole == kept_cells(first, sheet_key="cnca_103010", modelled=frozenset()):
            line.reason = "The same row twice in the sheet."
            return
    else:
        kept = list(ImportedReportRow.objects.filter(sheet="cnca_103010", certificate__number=number))
        if not kept:
            return
        partial = kept_cells(line.values, sheet_key="cnca_103010", modelled=MODELLED_CERT_COLUMNS)
        if any(row.cells == (whole if row.complete else partial) for row in kept):
            line.reason = "The row is already imported."
            return
    line.month = month.replace(day=1) if month else event_month(line.values)
    if line.month is None:
        line.action, line.reason = REFUSE, "No date of the row's event (REPORT_TYPE) to know its month."
        return
    line.kind, line.action = "event", CREATE
    line.reason = "Another event of this certificate: the row is kept whole for the month's export."


def plan_import(*, data: bytes, month: datetime.date | None = None) -> ImportReport:
    """The dry run of a workbook; ``month``: the month the workbook reported (each certificate row's
    own event month when not given)."""
    report = ImportReport()
    _plan_clients(data, report)
    _plan_auditors(data, report)
    sheet = layout("cnca_103010")
    rows = exporter.read_rows(data, sheet)
    seen: dict[str, dict[str, Any]] = {}  # number → the values of its first row
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
            _another_event(line, number=number, first=seen.get(number), month=month)
            continue
        problem = rules.credit_code_problem(credit_code) if credit_code else "length"
        if problem:
            line.action, line.reason = REFUSE, f"ORG_CODE: not a valid unified social credit code ({problem})."
            continue
        line.standard = _standard(str(values.get("STANDARD", "")))
        if line.standard is None:
            line.action, line.reason = REFUSE, "STANDARD: no standard of the catalogue matches."
            continue
        problem = _certificate_problem(values, line)
        if problem:
            line.action, line.reason = REFUSE, problem
            continue
        line.client = _client(name, credit_code)
        if line.client is None and not str(values.get("REG_ADDRESS", "") or "").strip():
            line.action, line.reason = REFUSE, "REG_ADDRESS: a new client needs its registered address."
            continue
        line.month = month.replace(day=1) if month else event_month(values)
        line.reason = "" if line.client else "The client is created."
        seen[number] = values  # only a row to create: a further row of a refused one is read on its own
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


# The stages of audits after a certificate was issued (surveillance, special, change): a result row
# of an imported certificate with no such audit yet enters it as history. The initial and
# recertification audits come with the certificate's row.
EVENT_STAGES = ("03", "04", "05")


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
        if line.audit is None and certificate.imported and stage in EVENT_STAGES and start >= certificate.issued_on:
            line.reason = f"A past audit of stage {stage} is created (imported), starting on {start}."
        elif line.audit is None:
            line.action, line.reason = REFUSE, f"No audit of stage {stage} of this certificate starts on {start}."
        elif not line.audit.imported:
            line.action, line.reason = SKIP, "The audit is this product's own record: its team is kept as it is."
        elif TeamAssignment.objects.filter(audit=line.audit, profile=line.client).exists():
            line.action, line.reason = SKIP, "The person is already on the audit's team."
