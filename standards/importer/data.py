"""The file schema's limits and patterns, the problems a file can have, and the parsed data."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Field limits, as in standards.models (kept here so the historical models need not carry them).
MAX_CODE, MAX_EDITION, MAX_NATIONAL, MAX_TITLE, MAX_NUMBER, MAX_FAMILY = 40, 10, 60, 200, 20, 16
MAX_PROBLEMS = 50

STANDARD_REQUIRED = ("code", "edition", "title_zh", "title_en", "family")
STANDARD_OPTIONAL = ("national_equivalent", "retired")
CLAUSE_KEYS = ("number", "title_zh", "title_en")
AREA_REQUIRED = ("code", "title_zh", "title_en")
AREA_OPTIONAL = ("provisional",)

NUMBER_RE = re.compile(r"^(?:[1-9]\d*|[A-Z])(?:\.[1-9]\d*)*$")
FAMILY_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
EDITION_RE = re.compile(r"^\S+$")
SECTOR_RE = re.compile(r"^[1-9]\d?$")
AREA_CODE_RE = re.compile(r"^\d{2}\.\d{2}(\.\d{2})?$")


# --- problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1-based; None when the file has no usable position (e.g. not text)
    reason: str
    code: str
    file: str = ""

    def __str__(self):
        text = (
            self.reason
            if self.line is None
            else _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}
        )
        return f"{self.file}: {text}" if self.file else text


class DataFileError(ValidationError):
    """Files that cannot be imported: ``problems`` lists each with its file, line and reason."""

    def __init__(self, problems, file_name=""):
        self.problems = [p if p.file or not file_name else replace(p, file=file_name) for p in problems]
        shown = self.problems[:MAX_PROBLEMS]
        messages = [ValidationError(str(p), code=p.code) for p in shown]
        hidden = len(self.problems) - len(shown)
        if hidden:
            messages.append(
                ValidationError(
                    ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", hidden)
                    % {"count": hidden},
                    code="more",
                )
            )
        super().__init__(messages)


class ImportRefused(ValidationError):
    """A valid file whose application is refused (e.g. it would delete a clause in use)."""


# --- parsed data ----------------------------------------------------------------------------------


@dataclass
class StandardData:
    code: str
    edition: str
    title_zh: str
    title_en: str
    family: str
    national_equivalent: str = ""
    retired: bool = False
    clauses: list = field(default_factory=list)  # [(number, title_zh, title_en)]
    sha256: str = ""

    @property
    def key(self):
        return f"{self.code}:{self.edition}"

    def as_dict(self):
        return {
            "standard": {
                "code": self.code,
                "edition": self.edition,
                "national_equivalent": self.national_equivalent,
                "title_zh": self.title_zh,
                "title_en": self.title_en,
                "family": self.family,
                "retired": self.retired,
            },
            "clauses": [{"number": n, "title_zh": zh, "title_en": en} for n, zh, en in self.clauses],
        }


@dataclass
class AreaData:
    sectors: list = field(default_factory=list)  # [(code, title_zh, title_en, provisional)]
    codes: list = field(default_factory=list)
    sha256: str = ""

    def as_dict(self):
        def row(code, zh, en, provisional):
            item = {"code": code, "title_zh": zh, "title_en": en}
            if provisional:
                item["provisional"] = True
            return item

        return {"sectors": [row(*s) for s in self.sectors], "codes": [row(*c) for c in self.codes]}


def parent_number(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def area_parent_code(code: str) -> str | None:
    """33.02.01 → 33.02, 33.02 → 33 (the sector, without zero padding), 33 → None."""
    parts = code.split(".")
    if len(parts) == 1:
        return None
    if len(parts) == 2:
        return str(int(parts[0]))
    return ".".join(parts[:-1])


def sha256_of(raw: bytes | str) -> str:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return hashlib.sha256(raw).hexdigest()
