"""A CB's plain list of auditors (CSV or .xlsx), read for ``services.auditor_list_import``.

One row per person: name, ID document type and number, CCAA registration number, qualification
(the 103011 codes 01–04), standards (management-system families or standard codes), phone and
e-mail. ``plan_auditor_list`` is the dry run: each row is to create (a new login, auditor profile,
qualifications and ``AuditorIdentity``), to update (an auditor already present, matched by ID
number, then CCAA number: never a second one), to skip (present and unchanged, or the same person
twice in the file) or refused with the reason (empty name, unknown ID type, a resident ID number
failing its GB 11643 check, a CCAA number of the wrong form, an unknown qualification or standard,
an ID number and a CCAA number naming two different auditors).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from people.models import REGISTRATION_NUMBER_RE, AuditorProfile, QualificationLevel
from standards.models import ManagementSystemFamily, Standard

from . import rules
from .fields import digest
from .layouts import code_table
from .models import AuditorIdentity

CREATE, UPDATE, SKIP, REFUSE = "create", "update", "skip", "refuse"

# The header of each column, in Chinese or English (either is read).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "id_type": ("证件类型", "id_type"),
    "id_number": ("证件号码", "id_number"),
    "registration": ("CCAA注册号", "CCAA注册证书号", "registration_number"),
    "qualification": ("人员资格", "资格", "qualification"),
    "standards": ("认证领域", "标准", "standards"),
    "gender": ("性别", "gender"),
    "phone": ("电话", "phone"),
    "email": ("邮箱", "电子邮箱", "email"),
}
# The 103011 qualification codes → the profile's level. 03 (provisional auditor) has no level of
# its own in the product: it is an auditor's qualification (from memory: a CB setting if it differs).
LEVEL_BY_CODE = {
    "01": QualificationLevel.LEAD_AUDITOR,
    "02": QualificationLevel.AUDITOR,
    "03": QualificationLevel.AUDITOR,
    "04": QualificationLevel.TECHNICAL_EXPERT,
}
GENDERS = {"男": "male", "女": "female", "male": "male", "female": "female", "m": "male", "f": "female"}


@dataclass
class AuditorLine:
    row: int
    name: str
    action: str = CREATE
    reason: str = ""
    values: dict[str, str] = field(default_factory=dict)
    families: list[str] = field(default_factory=list)
    profile: Any = None

    @property
    def record(self) -> str:
        return f"{self.name} · {self.values.get('registration', '')}"


@dataclass
class AuditorListReport:
    lines: list[AuditorLine] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return rules.clean_text(str(value))


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of the list ({column key: text}), numbered as the file numbers them."""
    if filename.lower().endswith(".csv"):
        text = data.decode("utf-8-sig", errors="replace")
        table = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a file that is no workbook
            raise ValidationError(
                _("The file is neither a CSV file nor an .xlsx workbook."), code="unreadable"
            ) from exc
        table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    if not table:
        return []
    header = [_cell(h) for h in table[0]]
    keys = {}
    for index, title in enumerate(header):
        for key, titles in COLUMNS.items():
            if title in titles or title.lower() in titles:
                keys[index] = key
    out = []
    for number, values in enumerate(table[1:], start=2):
        row = {keys[i]: _cell(v) for i, v in enumerate(values) if i in keys}
        if any(row.values()):
            out.append((number, row))
    return out


def _families(text: str) -> list[str] | None:
    """The families a "standards" cell names (QMS, ISO 9001 …); None when one is not known."""
    found: list[str] = []
    standards = list(Standard.objects.values_list("code", "family"))
    for token in text.replace(";", rules.JOIN).replace("、", rules.JOIN).replace(",", rules.JOIN).split(rules.JOIN):
        token = token.strip()
        if not token:
            continue
        if token.upper() in ManagementSystemFamily.values:
            family = token.upper()
        else:
            family = next((f for code, f in standards if code.replace(" ", "") in token.replace(" ", "")), "")
        if not family:
            return None
        if family not in found:
            found.append(family)
    return found


def _match(id_number: str, registration: str) -> tuple[Any, str]:
    """The auditor present with this ID number or CCAA number, or a refusal when they name two."""
    by_id = None
    if id_number:
        identity = AuditorIdentity.objects.filter(id_digest=digest(id_number)).select_related("profile__user").first()
        by_id = identity.profile if identity else None
    by_number = None
    if registration:
        by_number = AuditorProfile.objects.filter(registration_number=registration).select_related("user").first()
    if by_id and by_number and by_id.pk != by_number.pk:
        return None, "The ID number and the CCAA number belong to two different auditors."
    return by_id or by_number, ""


def _changes(line: AuditorLine, profile: Any) -> list[str]:
    """What an update would change on an auditor present."""
    values, changed = line.values, []
    if values.get("phone") and values["phone"] != profile.phone:
        changed.append("phone")
    if values.get("email") and values["email"] != profile.user.email:
        changed.append("email")
    identity = AuditorIdentity.objects.filter(profile=profile).first()
    if values.get("id_number") and (
        identity is None
        or identity.id_digest != digest(values["id_number"])
        or identity.id_type != values.get("id_type", "01")
    ):
        changed.append("ID document")
    level = LEVEL_BY_CODE.get(values.get("qualification", ""))
    have = {q.family: q.level for q in profile.qualifications.all()}
    if any(have.get(f) != level for f in line.families):
        changed.append("qualifications")
    return changed


def plan_auditor_list(*, data: bytes, filename: str) -> AuditorListReport:
    report = AuditorListReport()
    id_types = code_table("id_type").codes
    qualifications = code_table("qualification").codes
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for number, values in read_rows(data, filename):
        values["id_type"] = values.get("id_type") or "01"
        values["id_number"] = rules.no_spaces_upper(values.get("id_number", ""))
        values["registration"] = rules.no_spaces_upper(values.get("registration", ""))
        line = AuditorLine(row=number, name=values.get("name", ""), values=values)
        report.lines.append(line)
        id_number, registration = values["id_number"], values["registration"]
        families = _families(values.get("standards", ""))

        def refuse(reason: str, line: AuditorLine = line) -> None:
            line.action, line.reason = REFUSE, reason

        if not line.name:
            refuse("姓名 is empty.")
        elif values["id_type"] not in id_types:
            refuse(f"证件类型 {values['id_type']} is not in the code table id_type.")
        elif not id_number:
            refuse("证件号码 is empty.")
        elif values["id_type"] == "01" and rules.resident_id_problem(id_number):
            refuse(f"证件号码 is not a valid resident ID number ({rules.resident_id_problem(id_number)}, GB 11643).")
        elif not REGISTRATION_NUMBER_RE.match(registration):
            refuse("CCAA注册号 is empty or not like 2018-N1QMS-2205805.")
        elif values.get("qualification", "") not in qualifications:
            refuse("人员资格 is not a qualification code (01–04).")
        elif families is None or not families:
            refuse("认证领域 names no family or standard of the catalogue.")
        elif values.get("email") and not _email_ok(values["email"]):
            refuse("邮箱 is not an e-mail address.")
        elif id_number in seen_ids or registration in seen_numbers:
            first = seen_ids.get(id_number) or seen_numbers.get(registration)
            line.action, line.reason = SKIP, f"The same auditor as row {first} of this file."
        if line.action != CREATE:
            continue
        seen_ids[id_number], seen_numbers[registration] = number, number
        line.families = families or []
        profile, problem = _match(id_number, registration)
        if problem:
            refuse(problem)
            continue
        gender = GENDERS.get(values.get("gender", "").lower(), "")
        if not gender and values["id_type"] == "01":
            gender = rules.resident_id_gender(id_number)
        values["gender"] = gender
        if profile is None:
            if not gender:
                refuse("性别 is needed (it is read from a resident ID number only).")
            elif AuditorProfile.objects.filter(qualifications__registration_number=registration).exists():
                refuse("The CCAA number is the registration of another auditor's qualification.")
            continue
        line.profile = profile
        changed = _changes(line, profile)
        if changed:
            line.action, line.reason = UPDATE, "Changes: " + ", ".join(changed) + "."
        else:
            line.action, line.reason = SKIP, "The auditor is present and unchanged."
    return report


def _email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
