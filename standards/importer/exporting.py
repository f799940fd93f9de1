"""Writing the catalogue back out as a data file (YAML or JSON)."""

from __future__ import annotations

import json
import re

from .applying import real_models
from .data import AreaData, StandardData

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
