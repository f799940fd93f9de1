"""Reading a CB's past plan sheets (审核计划信息表, table 102010) back, with the same layout file.

``plan_plans`` is the dry run: for each row it says what the import would do — create (a past
audit of the row's first stage, with its plan number, days, audit mode and team, marked
imported), skip (an audit already carries the plan number, or the number is twice in the sheet)
or refuse (why: no plan number, an unknown client, stage, mode or person, days out of order or to
come). The client is found by its unified social credit code, then by name; each team member
("ID number，name，role code，phone；…", the leader first) and technical expert ("ID number，name，
phone；…") by the digest of the ID number, then by the name of an auditor of the product. ID numbers
are read, matched and dropped: never written to a line, a log or a history.
The import itself is ``services.plan_sheet_import``, all rows or none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from audits.models import AuditMethod, TeamRole
from core.dates import local_today
from people.models import AuditorProfile
from standards.models import Standard

from . import exporter, importing, rules
from .layouts import code_table, layout
from .models import AuditRegistration

PLAN_SHEET = "cnca_102010"
# The first stage code of a plan row → the past audit entered (collect.STAGE_CODES read back).
AUDIT_TYPE_BY_STAGE = {
    "0101": "stage_1",
    "0102": "stage_2",
    "02": "recertification",
    "03": "surveillance_1",
    "04": "special",
    "05": "scope_extension",
}
ROLE_BY_CODE = {"01": TeamRole.LEADER, "02": TeamRole.AUDITOR, "03": TeamRole.TECHNICAL_EXPERT}


@dataclass
class Member:
    profile: AuditorProfile
    role: str


@dataclass
class PlanLine:
    row: int
    record: str
    action: str
    reason: str = ""
    plan_number: str = ""
    client: Any = None
    standards: list[Standard] = field(default_factory=list)
    audit_type: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    mode: str = ""
    remarks: str = ""
    team: list[Member] = field(default_factory=list)


@dataclass
class PlanReport:
    lines: list[PlanLine] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)


def _text(values: dict[str, Any], code: str) -> str:
    value = values.get(code, "")
    return "" if value is None else rules.clean_text(str(value))


def _profile(id_number: str, name: str) -> AuditorProfile | None:
    found = importing.person(rules.no_spaces_upper(id_number), "") if id_number else None
    if found is None and name:
        found = AuditorProfile.objects.filter(user__full_name=name).select_related("user").first()
    return found


def _members(text: str, *, experts: bool) -> tuple[list[Member], str]:
    """The people of a team cell, or why one cannot be read (the reason never repeats an ID number)."""
    members = []
    for position, entry in enumerate(p for p in text.replace(";", rules.JOIN).split(rules.JOIN) if p.strip()):
        parts = [rules.clean_text(p) for p in entry.replace(",", rules.PART_JOIN).split(rules.PART_JOIN)]
        id_number, name = (parts + ["", ""])[:2]
        role_code = "03" if experts else (parts[2] if len(parts) > 2 else "")
        column = "TECH_EXPERTS" if experts else "AUDIT_TEAM"
        if role_code not in ROLE_BY_CODE:
            return [], f"{column}: member {position + 1} ({name or '—'}) has no role code (01, 02, 03)."
        profile = _profile(id_number, name)
        if profile is None:
            return [], f"{column}: no auditor {name or '—'} with this ID number: import the auditor list first."
        if not experts and position == 0 and role_code != "01":
            return [], "AUDIT_TEAM: the leader (role 01) comes first."
        members.append(Member(profile=profile, role=ROLE_BY_CODE[role_code]))
    return members, ""


def _standards(item_codes: str) -> list[Standard]:
    families = {code: family for family, code in code_table("cert_item").by_family.items()}
    wanted = [
        families.get(code) or families.get(code[:3]) for code in item_codes.replace(";", rules.JOIN).split(rules.JOIN)
    ]
    found: list[Standard] = []
    for family in dict.fromkeys(f for f in wanted if f):
        standard = Standard.objects.filter(family=family).order_by("-edition").first()
        if standard is not None:
            found.append(standard)
    return found


def _refusal(values: dict[str, Any], line: PlanLine) -> str:
    """Why a plan row cannot be imported ("" when it can); fills ``line`` as it reads."""
    stages = [s for s in _text(values, "AUDIT_STAGE").replace(";", rules.JOIN).split(rules.JOIN) if s]
    known = code_table("audit_stage").codes
    if not stages or any(s not in known for s in stages) or stages[0] not in AUDIT_TYPE_BY_STAGE:
        return f"AUDIT_STAGE: {_text(values, 'AUDIT_STAGE') or '—'} is not a stage code."
    line.audit_type = AUDIT_TYPE_BY_STAGE[stages[0]]
    line.start, line.end = importing._day(values.get("PLAN_START")), importing._day(values.get("PLAN_END"))
    if line.start is None or line.end is None or line.end < line.start:
        return "PLAN_START/PLAN_END missing or out of order."
    if line.end > local_today():
        return "PLAN_END: an audit still to come is planned in the product, not imported as history."
    line.mode = _text(values, "AUDIT_MODE")
    if line.mode not in AuditMethod.values:
        return f"AUDIT_MODE: {line.mode or '—'} is not FS01, FS02 or FS03."
    credit_code = rules.no_spaces_upper(_text(values, "ORG_CODE"))
    line.client = importing._client(_text(values, "ORG_NAME"), credit_code)
    if line.client is None:
        return "ORG_CODE/ORG_NAME: no such client: import the clients (or their certificates) first."
    line.standards = _standards(_text(values, "CERT_ITEM_CODE"))
    if not line.standards:
        return "CERT_ITEM_CODE: no standard of the catalogue for these certification items."
    team, problem = _members(_text(values, "AUDIT_TEAM"), experts=False)
    if problem:
        return problem
    if not team:
        return "AUDIT_TEAM is empty."
    experts, problem = _members(_text(values, "TECH_EXPERTS"), experts=True)
    if problem:
        return problem
    line.team = team + [e for e in experts if e.profile not in {m.profile for m in team}]
    line.remarks = _text(values, "REMARK")[:300]
    return ""


def plan_plans(*, data: bytes) -> PlanReport:
    """The dry run of a plan sheet: nothing written."""
    report = PlanReport()
    sheet = layout(PLAN_SHEET)
    seen: set[str] = set()
    for index, values in enumerate(exporter.read_rows(data, sheet), start=sheet.first_data_row):
        number = rules.no_spaces_upper(_text(values, "PLAN_NUMBER"))
        line = PlanLine(row=index, record=f"{number or '—'} · {_text(values, 'ORG_NAME')}", action=importing.CREATE)
        line.plan_number = number
        report.lines.append(line)
        if not number:
            line.action, line.reason = importing.REFUSE, "PLAN_NUMBER is empty."
        elif number in seen:
            line.action, line.reason = importing.SKIP, "The same plan number twice in the sheet."
        elif AuditRegistration.objects.filter(plan_number=number).exists():
            line.action, line.reason = importing.SKIP, "An audit already carries this plan number."
        else:
            seen.add(number)
            problem = _refusal(values, line)
            if problem:
                line.action, line.reason = importing.REFUSE, problem
            else:
                line.reason = f"A past {line.audit_type} audit with a team of {len(line.team)}."
    return report
