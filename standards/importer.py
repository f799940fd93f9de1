"""Standards and technical areas as data files: parse, validate, apply, export.

File schema (YAML; JSON with the same keys is accepted too) — documented for CBs in the README:

    standard:                        # one standard per file
      code: "ISO 9001"               # required, with edition the identity of the standard
      edition: "2015"                # required (quote it)
      national_equivalent: "GB/T 19001-2016"   # optional
      title_zh: "质量管理体系 要求"      # required
      title_en: "Quality management systems — Requirements"   # required
      family: QMS                    # required: QMS, EMS, OHSMS or another short upper-case code
      retired: false                 # optional, default false
    clauses:                         # required, non-empty, in document order, parents first
      - number: "8.4.1"              # "1", "8.4", "8.4.1" …; annexes "A", "A.5.1"
        title_zh: "总则"
        title_en: "General"

    sectors:                         # technical-areas file: IAF sectors "1".."99"
      - {code: "33", title_zh: "信息技术", title_en: "Information technology"}
    codes:                           # national codes "SS.GG" and "SS.GG.NN", parents first
      - {code: "33.02", title_zh: "…", title_en: "…", provisional: true}

Parsing works on the YAML node tree (``yaml.compose``) so every problem is reported with the
line it is on. Nothing is written unless the whole file is valid; applying happens in one
transaction and either completes or leaves the database as it was.

The apply functions take the model classes as an argument so the data migration can run them
with the historical models (they compute ``sort_key``/``depth`` themselves rather than relying on
``Clause.save``) and touch only the fields listed in this module.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import clause_sort_key

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

_STR_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"


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


# --- parsing ------------------------------------------------------------------------------------


class _Reader:
    """Walks a composed YAML node tree, collecting problems with their lines."""

    def __init__(self):
        self.problems: list[Problem] = []

    def problem(self, node_or_line, reason, code):
        if isinstance(node_or_line, yaml.Node):
            line = node_or_line.start_mark.line + 1
        else:
            line = node_or_line
        self.problems.append(Problem(line, reason, code))

    def mapping(self, node, what, required, optional=()):
        """{key: (key_node, value_node)} of a mapping node, or None when it is not a mapping."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, _("%(what)s must be a mapping of keys to values") % {"what": what}, "not_mapping")
            return None
        found = {}
        allowed = tuple(required) + tuple(optional)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in found:
                self.problem(
                    key_node,
                    _("%(what)s: key “%(key)s” appears twice") % {"what": what, "key": key},
                    "duplicate_key",
                )
                continue
            if key not in allowed:
                self.problem(
                    key_node,
                    _("%(what)s: unknown key “%(key)s” (allowed: %(allowed)s)")
                    % {"what": what, "key": key, "allowed": ", ".join(allowed)},
                    "unknown_key",
                )
                continue
            found[key] = (key_node, value_node)
        for key in required:
            if key not in found:
                self.problem(node, _("%(what)s: missing key “%(key)s”") % {"what": what, "key": key}, "missing_key")
        return found

    def text(self, found, key, what, max_length, required=True):
        """The text of a scalar (raw, so 8.10 stays "8.10"), trimmed; None when unusable."""
        if key not in found:
            return None if required else ""
        key_node, node = found[key]
        label = f"{what}: {key}"
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _STR_TAGS | {_NULL_TAG, _BOOL_TAG}:
            self.problem(node, _("%(field)s must be text") % {"field": label}, "not_text")
            return None
        value = "" if node.tag == _NULL_TAG else node.value.strip()
        if not value:
            if required:
                self.problem(key_node, _("%(field)s is empty") % {"field": label}, "empty")
                return None
            return ""
        if len(value) > max_length:
            self.problem(
                node,
                _("%(field)s is longer than %(max)d characters") % {"field": label, "max": max_length},
                "too_long",
            )
            return None
        bad = [ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")]
        if bad:
            self.problem(
                node, _("%(field)s contains a line break or control character") % {"field": label}, "control_char"
            )
            return None
        return value

    def boolean(self, found, key, what, default=False):
        if key not in found:
            return default
        _key_node, node = found[key]
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL_TAG:
            self.problem(node, _("%(field)s must be true or false") % {"field": f"{what}: {key}"}, "not_bool")
            return default
        return node.value.lower() in ("true", "yes", "on", "y")

    def sequence(self, found, key, what, required=True):
        if key not in found:
            return []
        key_node, node = found[key]
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            if required:
                self.problem(key_node, _("“%(key)s” is empty") % {"key": key}, "empty")
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, _("“%(key)s” must be a list") % {"key": key}, "not_list")
            return []
        if required and not node.value:
            self.problem(node, _("“%(key)s” is empty") % {"key": key}, "empty")
        return node.value


def _decode(raw: bytes | str):
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(line, _("the file is not UTF-8 text"), "not_utf8")


def _compose(raw: bytes | str, file_name: str):
    """The root node of a YAML or JSON document, or raise DataFileError."""
    text, problem = _decode(raw)
    if problem:
        raise DataFileError([problem], file_name)
    named_json = file_name.lower().endswith(".json")
    if named_json or text.lstrip().startswith("{"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            if named_json:
                raise DataFileError(
                    [Problem(exc.lineno, _("not valid JSON: %(problem)s") % {"problem": exc.msg}, "syntax")], file_name
                ) from None
        else:
            # Valid JSON: a raw tab can only be whitespace there, which YAML refuses as indentation.
            text = text.replace("\t", " ")
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or str(exc)
        if exc.context and exc.problem and exc.context_mark is not None:
            reason += " " + _("(%(context)s on line %(line)s)") % {
                "context": exc.context,
                "line": exc.context_mark.line + 1,
            }
        raise DataFileError(
            [
                Problem(
                    mark.line + 1 if mark else None, _("not valid YAML: %(problem)s") % {"problem": reason}, "syntax"
                )
            ],
            file_name,
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(
            [Problem(None, _("not valid YAML: %(problem)s") % {"problem": exc}, "syntax")], file_name
        ) from None
    finally:
        loader.dispose()
    if root is None:
        raise DataFileError([Problem(1, _("the file is empty"), "empty")], file_name)
    return root


def file_kind(raw: bytes | str, file_name: str = "") -> str:
    """ "standard" or "technical_areas", from the file's top-level keys (raises DataFileError)."""
    root = _compose(raw, file_name)
    if isinstance(root, yaml.MappingNode):
        keys = {k.value for k, _v in root.value if isinstance(k, yaml.ScalarNode)}
        if keys & {"sectors", "codes"} and not keys & {"standard", "clauses"}:
            return "technical_areas"
    return "standard"


def parse_standard(raw: bytes | str, file_name: str = "") -> StandardData:
    """Validate a standard file; raise DataFileError listing every problem with its line."""
    root = _compose(raw, file_name)
    r = _Reader()
    top = r.mapping(root, _("the file"), ("standard", "clauses"))
    if top is None:
        raise DataFileError(r.problems, file_name)

    std = {}
    if "standard" in top:
        found = r.mapping(top["standard"][1], "standard", STANDARD_REQUIRED, STANDARD_OPTIONAL)
        if found is not None:
            std["code"] = r.text(found, "code", "standard", MAX_CODE)
            std["edition"] = r.text(found, "edition", "standard", MAX_EDITION)
            std["national_equivalent"] = r.text(found, "national_equivalent", "standard", MAX_NATIONAL, required=False)
            std["title_zh"] = r.text(found, "title_zh", "standard", MAX_TITLE)
            std["title_en"] = r.text(found, "title_en", "standard", MAX_TITLE)
            std["family"] = r.text(found, "family", "standard", MAX_FAMILY)
            std["retired"] = r.boolean(found, "retired", "standard")
            if std["edition"] and not EDITION_RE.match(std["edition"]):
                r.problem(found["edition"][1], _("standard.edition must not contain spaces"), "bad_edition")
            if std["family"] and not FAMILY_RE.match(std["family"]):
                r.problem(
                    found["family"][1],
                    _("standard.family must be a short upper-case code such as QMS, EMS or OHSMS"),
                    "bad_family",
                )
            if std["code"] and ":" in std["code"]:
                r.problem(found["code"][1], _("standard.code must not contain “:”"), "bad_code")

    clauses = []
    seen = {}  # number -> line
    previous = None  # (sort key, number)
    for item in r.sequence(top, "clauses", "clauses"):
        line = item.start_mark.line + 1
        found = r.mapping(item, _("clause"), CLAUSE_KEYS)
        if found is None:
            continue
        number = r.text(found, "number", "clause", MAX_NUMBER)
        what = _("clause %(number)s") % {"number": number} if number else _("clause")
        title_zh = r.text(found, "title_zh", what, MAX_TITLE)
        title_en = r.text(found, "title_en", what, MAX_TITLE)
        if number is None:
            continue
        if not NUMBER_RE.match(number):
            r.problem(
                found["number"][1],
                _("clause number “%(number)s” is not a clause number such as 8.4.1 or A.5") % {"number": number},
                "bad_number",
            )
            continue
        if number in seen:
            r.problem(
                line,
                _("clause %(number)s appears twice (first on line %(first)s)")
                % {"number": number, "first": seen[number]},
                "duplicate_number",
            )
            continue
        parent = parent_number(number)
        if parent is not None and parent not in seen:
            r.problem(
                line,
                _("clause %(number)s has no parent: clause %(parent)s must come before it in the file")
                % {"number": number, "parent": parent},
                "orphan",
            )
        key = clause_sort_key(number)
        if previous is not None and key < previous[0]:
            r.problem(
                line,
                _("clause %(number)s is out of document order (it follows %(previous)s)")
                % {"number": number, "previous": previous[1]},
                "order",
            )
        seen[number] = line
        previous = (key, number)
        if title_zh is not None and title_en is not None:
            clauses.append((number, title_zh, title_en))

    if r.problems:
        raise DataFileError(r.problems, file_name)
    return StandardData(clauses=clauses, sha256=sha256_of(raw), **dict(std.items()))


def parse_technical_areas(raw: bytes | str, file_name: str = "", *, known_codes=()) -> AreaData:
    """Validate a technical-areas file. A code's parent must come earlier in the file or be one
    of ``known_codes`` (the codes already in the database)."""
    root = _compose(raw, file_name)
    r = _Reader()
    top = r.mapping(root, _("the file"), (), ("sectors", "codes"))
    if top is None:
        raise DataFileError(r.problems, file_name)
    if not top:
        r.problem(root, _("the file has neither “sectors” nor “codes”"), "empty")
    known = set(known_codes)
    seen = {}
    data = AreaData()
    for part, pattern, example in (
        ("sectors", SECTOR_RE, '"1" … "39"'),
        ("codes", AREA_CODE_RE, '"33.02" or "33.02.01"'),
    ):
        previous = None
        for item in r.sequence(top, part, part, required=False):
            line = item.start_mark.line + 1
            found = r.mapping(item, part, AREA_REQUIRED, AREA_OPTIONAL)
            if found is None:
                continue
            code = r.text(found, "code", part, 20)
            what = _("code %(code)s") % {"code": code} if code else part
            title_zh = r.text(found, "title_zh", what, MAX_TITLE)
            title_en = r.text(found, "title_en", what, MAX_TITLE)
            provisional = r.boolean(found, "provisional", what)
            if code is None:
                continue
            if not pattern.match(code):
                r.problem(
                    found["code"][1],
                    _("“%(code)s” is not a valid code here (expected %(example)s)")
                    % {"code": code, "example": example},
                    "bad_code",
                )
                continue
            if code in seen:
                r.problem(
                    line,
                    _("code %(code)s appears twice (first on line %(first)s)") % {"code": code, "first": seen[code]},
                    "duplicate_code",
                )
                continue
            parent = area_parent_code(code)
            if parent is not None and parent not in seen and parent not in known:
                r.problem(
                    line,
                    _("code %(code)s has no parent: %(parent)s must come before it or already exist")
                    % {"code": code, "parent": parent},
                    "orphan",
                )
            key = clause_sort_key(code)
            if previous is not None and key < previous[0]:
                r.problem(
                    line,
                    _("code %(code)s is out of order (it follows %(previous)s)")
                    % {"code": code, "previous": previous[1]},
                    "order",
                )
            previous = (key, code)
            seen[code] = line
            if title_zh is not None and title_en is not None:
                getattr(data, part).append((code, title_zh, title_en, provisional))
    if r.problems:
        raise DataFileError(r.problems, file_name)
    data.sha256 = sha256_of(raw)
    return data


# --- applying ------------------------------------------------------------------------------------


def real_models():
    from . import models

    return SimpleNamespace(
        Standard=models.Standard,
        Clause=models.Clause,
        TechnicalArea=models.TechnicalArea,
        CatalogueImport=models.CatalogueImport,
    )


def historical_models(apps):
    get = apps.get_model
    return SimpleNamespace(
        Standard=get("standards", "Standard"),
        Clause=get("standards", "Clause"),
        TechnicalArea=get("standards", "TechnicalArea"),
        CatalogueImport=get("standards", "CatalogueImport"),
    )


@dataclass
class ImportResult:
    key: str
    kind: str = "standard"
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    header_changed: bool = False
    standard_id: int | None = None

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted or self.header_changed)

    def summary(self):
        label = _("technical-area codes") if self.kind == "technical_areas" else self.key
        return _("%(key)s: %(created)d created, %(updated)d updated, %(deleted)d deleted") % {
            "key": label,
            "created": len(self.created),
            "updated": len(self.updated),
            "deleted": len(self.deleted),
        } + (" " + _("(standard details changed)") if self.header_changed else "")


def _log(m, *, kind, key, data, source, file_name, by, result):
    m.CatalogueImport.objects.create(
        kind=kind,
        key=key[:60],
        source=source,
        file_name=(file_name or "")[:255],
        sha256=data.sha256,
        imported_by=(by or "")[:150],
        created=len(result.created),
        updated=len(result.updated),
        deleted=len(result.deleted),
    )


def _refuse_deleting_referenced(m, clauses):
    """Raise ImportRefused naming the clauses that other records still point at."""
    collector = Collector(using="default")
    try:
        collector.collect(clauses)
        return
    except (ProtectedError, RestrictedError):
        pass
    blocked = []
    for clause in clauses:
        try:
            Collector(using="default").collect([clause])
        except (ProtectedError, RestrictedError) as exc:
            objs = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
            names = sorted({str(o._meta.verbose_name_plural) for o in objs})
            blocked.append(
                _("%(number)s (used by %(count)d: %(what)s)")
                % {"number": clause.number, "count": len(objs), "what": ", ".join(names)}
            )
    raise ImportRefused(
        _(
            "The file leaves out clauses that records still refer to, so they cannot be deleted: %(clauses)s. "
            "Keep them in the file, or change those records first."
        )
        % {"clauses": "; ".join(blocked)},
        code="clause_in_use",
    )


def apply_standard(data: StandardData, *, source, file_name="", by="", m=None) -> ImportResult:
    """Create or update the standard and its clauses from ``data``, in one transaction:
    the standard is found by (code, edition), each clause by its number. Clauses the file no
    longer has are deleted, unless a record refers to one, in which case nothing is changed."""
    m = m or real_models()
    result = ImportResult(key=data.key)
    with transaction.atomic():
        header = {
            "national_equivalent": data.national_equivalent,
            "title_zh": data.title_zh,
            "title_en": data.title_en,
            "family": data.family,
            "retired": data.retired,
        }
        standard = m.Standard.objects.select_for_update().filter(code=data.code, edition=data.edition).first()
        if standard is None:
            standard = m.Standard.objects.create(code=data.code, edition=data.edition, **header)
            result.header_changed = True
        else:
            changed = [k for k, v in header.items() if getattr(standard, k) != v]
            if changed:
                for k in changed:
                    setattr(standard, k, header[k])
                standard.save(update_fields=changed)
                result.header_changed = True
        result.standard_id = standard.pk

        existing = {c.number: c for c in m.Clause.objects.filter(standard=standard)}
        wanted = {number: (zh, en) for number, zh, en in data.clauses}

        gone = [c for number, c in existing.items() if number not in wanted]
        if gone:
            _refuse_deleting_referenced(m, gone)
            m.Clause.objects.filter(pk__in=[c.pk for c in gone]).delete()
            result.deleted = sorted((c.number for c in gone), key=clause_sort_key)
            for c in gone:
                del existing[c.number]
        kept = dict(existing)

        # New clauses level by level, so each one's parent already has an id.
        new = [n for n, _zh, _en in data.clauses if n not in kept]
        by_depth = {}
        for number in new:
            by_depth.setdefault(number.count(".") + 1, []).append(number)
        for depth in sorted(by_depth):
            objs = [
                m.Clause(
                    standard=standard,
                    number=number,
                    title_zh=wanted[number][0],
                    title_en=wanted[number][1],
                    parent=existing.get(parent_number(number)) if parent_number(number) else None,
                    sort_key=clause_sort_key(number),
                    depth=depth,
                )
                for number in by_depth[depth]
            ]
            m.Clause.objects.bulk_create(objs)
            if any(o.pk is None for o in objs):  # databases that do not return ids
                existing = {c.number: c for c in m.Clause.objects.filter(standard=standard)}
            else:
                existing.update({o.number: o for o in objs})

        # Clauses kept: titles from the file, parent from the number.
        to_update = []
        for number, clause in kept.items():
            zh, en = wanted[number]
            parent = existing.get(parent_number(number)) if parent_number(number) else None
            parent_id = parent.pk if parent else None
            if (clause.title_zh, clause.title_en, clause.parent_id) != (zh, en, parent_id):
                clause.title_zh, clause.title_en, clause.parent_id = zh, en, parent_id
                to_update.append(clause)
        if to_update:
            m.Clause.objects.bulk_update(to_update, ["title_zh", "title_en", "parent"])
            result.updated = sorted((c.number for c in to_update), key=clause_sort_key)
        result.created = new
        _log(m, kind="standard", key=data.key, data=data, source=source, file_name=file_name, by=by, result=result)
    return result


def apply_technical_areas(data: AreaData, *, source, file_name="", by="", m=None) -> ImportResult:
    """Create or update each sector and code (found by its code); codes not in the file are kept."""
    m = m or real_models()
    result = ImportResult(key="technical_areas", kind="technical_areas")
    with transaction.atomic():
        existing = {a.code: a for a in m.TechnicalArea.objects.all()}
        for code, zh, en, provisional in list(data.sectors) + list(data.codes):
            parent_code = area_parent_code(code)
            parent = existing.get(parent_code) if parent_code else None
            if parent_code and parent is None:  # checked by the parser; a concurrent delete
                raise ImportRefused(
                    _("The parent %(parent)s of %(code)s no longer exists.") % {"parent": parent_code, "code": code}
                )
            area = existing.get(code)
            values = {
                "title_zh": zh,
                "title_en": en,
                "provisional": provisional,
                "parent_id": parent.pk if parent else None,
            }
            if area is None:
                area = m.TechnicalArea(code=code, sort_key=clause_sort_key(code), **values)
                area.save()
                existing[code] = area
                result.created.append(code)
            else:
                changed = [k for k, v in values.items() if getattr(area, k) != v]
                if changed:
                    for k in changed:
                        setattr(area, k, values[k])
                    area.save(update_fields=[k.removesuffix("_id") for k in changed])
                    result.updated.append(code)
        _log(
            m,
            kind="technical_areas",
            key="technical_areas",
            data=data,
            source=source,
            file_name=file_name,
            by=by,
            result=result,
        )
    return result


# --- exporting ----------------------------------------------------------------------------------

_NON_PRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset YAML reads)."""
    text = json.dumps(value, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda mo: f"\\u{ord(mo.group()):04x}", text)


def standard_data_from_db(standard, m=None) -> StandardData:
    m = m or real_models()
    clauses = (
        m.Clause.objects.filter(standard=standard).order_by("sort_key").values_list("number", "title_zh", "title_en")
    )
    return StandardData(
        code=standard.code,
        edition=standard.edition,
        national_equivalent=standard.national_equivalent,
        title_zh=standard.title_zh,
        title_en=standard.title_en,
        family=standard.family,
        retired=standard.retired,
        clauses=list(clauses),
    )


def dump_standard(data: StandardData, fmt="yaml") -> str:
    if fmt == "json":
        return json.dumps(data.as_dict(), ensure_ascii=False, indent=2) + "\n"
    lines = [
        f"# {data.code}:{data.edition} - clause headings, exported by auditbody.",
        "# Schema: a 'standard' mapping and a 'clauses' list in document order (see the README,",
        '# "Standards catalogue"). Edit and re-import with: manage.py import_standard FILE',
        "standard:",
        f"  code: {_q(data.code)}",
        f"  edition: {_q(data.edition)}",
        f"  national_equivalent: {_q(data.national_equivalent)}",
        f"  title_zh: {_q(data.title_zh)}",
        f"  title_en: {_q(data.title_en)}",
        f"  family: {_q(data.family)}",
        f"  retired: {'true' if data.retired else 'false'}",
        "clauses:",
    ]
    for i, (number, zh, en) in enumerate(data.clauses):
        if i and "." not in number:
            lines.append("")
        lines += [f"  - number: {_q(number)}", f"    title_zh: {_q(zh)}", f"    title_en: {_q(en)}"]
    return "\n".join(lines) + "\n"


def export_standard(standard, fmt="yaml", m=None) -> str:
    return dump_standard(standard_data_from_db(standard, m), fmt)


def area_data_from_db(areas) -> AreaData:
    data = AreaData()
    for a in sorted(areas, key=lambda a: a.sort_key):
        row = (a.code, a.title_zh, a.title_en, a.provisional)
        (data.sectors if a.parent_id is None else data.codes).append(row)
    return data


def dump_technical_areas(data: AreaData, fmt="yaml") -> str:
    if fmt == "json":
        return json.dumps(data.as_dict(), ensure_ascii=False, indent=2) + "\n"

    def row(code, zh, en, provisional):
        extra = ", provisional: true" if provisional else ""
        return f"  - {{code: {_q(code)}, title_zh: {_q(zh)}, title_en: {_q(en)}{extra}}}"

    lines = [
        "# Technical-area (scope) codes, exported by auditbody.",
        "# sectors: IAF sectors; codes: national codes SS.GG and SS.GG.NN, parents first.",
        "# Re-import with: manage.py import_technical_areas FILE",
        "sectors:" if data.sectors else "sectors: []",
    ]
    lines += [row(*s) for s in data.sectors]
    lines.append("codes:" if data.codes else "codes: []")
    lines += [row(*c) for c in data.codes]
    return "\n".join(lines) + "\n"
