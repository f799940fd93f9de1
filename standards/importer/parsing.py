"""Reading a data file: YAML or JSON, on the node tree so every problem names its line."""

from __future__ import annotations

import json
import unicodedata

import yaml
from django.utils.translation import gettext as _

from ..models import clause_sort_key
from .data import (
    AREA_CODE_RE,
    AREA_OPTIONAL,
    AREA_REQUIRED,
    CLAUSE_KEYS,
    EDITION_RE,
    FAMILY_RE,
    MAX_CODE,
    MAX_EDITION,
    MAX_FAMILY,
    MAX_NATIONAL,
    MAX_NUMBER,
    MAX_TITLE,
    NUMBER_RE,
    SECTOR_RE,
    STANDARD_OPTIONAL,
    STANDARD_REQUIRED,
    AreaData,
    DataFileError,
    Problem,
    StandardData,
    area_parent_code,
    parent_number,
    sha256_of,
)

_STR_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"

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
