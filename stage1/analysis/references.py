"""Citations of standards in a document that are withdrawn or of another edition than the current one.

The lists are data (``stage1/data/references.yaml``), completed by the catalogue: its retired
standards are withdrawn, its other standards current.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .catalogue import CITATION_RE, Catalogue, citation_key, normalise

DATA = Path(__file__).resolve().parent.parent / "data" / "references.yaml"


@dataclass(frozen=True)
class ReferenceData:
    current: dict[str, str]  # citation without year → current citation with year
    withdrawn: dict[str, str]  # citation (with or without year) → what replaced it


@lru_cache(maxsize=1)
def _file() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    current = tuple(str(item) for item in raw.get("current", []))
    withdrawn = tuple((str(item["cited"]), str(item["replaced_by"])) for item in raw.get("withdrawn", []))
    return current, withdrawn


def key_of(citation: str) -> tuple[str, str] | None:
    """(document without year, key with year or "") of a citation."""
    match = CITATION_RE.search(normalise(citation))
    if not match:
        return None
    document = match.group("org") + " " + match.group("num")
    return citation_key(document, ""), citation_key(document, match.group("year") or "")


def reference_data(catalogue: Catalogue) -> ReferenceData:
    current_list, withdrawn_list = _file()
    current: dict[str, str] = {}
    withdrawn: dict[str, str] = {}
    for citation in current_list:
        keys = key_of(citation)
        if keys:
            current[keys[0]] = keys[1]
    for standard in catalogue.standards:
        for name in standard.names():
            keys = key_of(name)
            if keys is None:
                continue
            if standard.retired:
                withdrawn.setdefault(keys[0], "")  # the data file names the replacement
            else:
                current.setdefault(keys[0], keys[1])
    for cited, replaced_by in withdrawn_list:
        keys = key_of(cited)
        if keys:
            withdrawn[keys[1]] = replaced_by
    return ReferenceData(current, withdrawn)


@dataclass(frozen=True)
class Citation:
    cited: str  # "GB/T 28001-2011"
    problem: str  # "withdrawn" or "edition"
    should_be: str


def judge(citation_text: str, data: ReferenceData) -> Citation | None:
    keys = key_of(citation_text)
    if keys is None:
        return None
    document, full = keys
    if full in data.withdrawn:
        return Citation(full, "withdrawn", data.withdrawn[full])
    if document in data.withdrawn:
        return Citation(full, "withdrawn", data.withdrawn[document])
    current = data.current.get(document)
    if current and full != document and full != current:
        return Citation(full, "edition", current)
    return None


def citations(text: str) -> list[str]:
    return [match.group(0) for match in CITATION_RE.finditer(normalise(text))]
