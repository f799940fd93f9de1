"""The clause trees the analyser compares a document with, as plain data (no database).

A ``Catalogue`` is built from the shipped YAML files (``shipped_catalogue``) or from the
database's standards (``stage1.selectors.catalogue_from_db``); the analyser only reads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClauseRef:
    number: str
    title_zh: str
    title_en: str
    untitled: bool = False  # a numbered paragraph without a heading of its own (the parent's title repeated)

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True)
class StandardRef:
    code: str  # "ISO 9001", "GB/T 28001"
    edition: str  # "2015"
    national_equivalent: str = ""  # "GB/T 19001-2016" (or, for a national standard, the ISO/OHSAS one)
    retired: bool = False
    clauses: tuple[ClauseRef, ...] = ()
    by_number: dict[str, ClauseRef] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self.by_number.update({c.number: c for c in self.clauses})

    @property
    def key(self) -> str:
        """How the project names a standard: ``str(Standard)``, e.g. "ISO 9001:2015"."""
        return f"{self.code}:{self.edition}"

    def clause(self, number: str) -> ClauseRef | None:
        return self.by_number.get(number)

    def names(self) -> set[str]:
        """Every citation that means this standard (normalised by ``citation_key``)."""
        names = {citation_key(self.code, self.edition)}
        match = CITATION_RE.search(normalise(self.national_equivalent))
        if match:
            names.add(citation_key(match.group("org") + " " + match.group("num"), match.group("year") or ""))
        return names


def make_standard(
    code: str, edition: str, clauses: list[tuple[str, str, str]], national_equivalent: str = "", retired: bool = False
) -> StandardRef:
    """A StandardRef from (number, title_zh, title_en) rows in document order."""
    titles = {number: (zh, en) for number, zh, en in clauses}
    refs = []
    for number, zh, en in clauses:
        parent = number.rpartition(".")[0]
        untitled = bool(parent) and titles.get(parent) == (zh, en)
        refs.append(ClauseRef(number, zh, en, untitled))
    return StandardRef(code, edition, national_equivalent, retired, tuple(refs))


@dataclass
class Catalogue:
    standards: list[StandardRef]

    def find(self, name: str) -> StandardRef | None:
        """The standard a user or a document names: "ISO 9001:2015", "ISO9001：2015", "GB/T 19001-2016"."""
        match = CITATION_RE.search(normalise(name))
        if not match:
            return None
        key = citation_key(match.group("org") + " " + match.group("num"), match.group("year") or "")
        for standard in self.standards:
            if key in standard.names():
                return standard
        if not match.group("year"):  # "ISO 9001" alone: the current edition
            wanted = citation_key(match.group("org") + " " + match.group("num"), "")
            candidates = [s for s in self.standards if citation_key(s.code, "") == wanted and not s.retired]
            if candidates:
                return max(candidates, key=lambda s: s.edition)
        return None


# --- citations -----------------------------------------------------------------------------------

CITATION_RE = re.compile(
    r"(?P<org>ISO/IEC|ISO|GB/T|GB|OHSAS|IEC)\s*(?P<num>\d{3,5}(?:-\d(?!\d))?)(?:\s*[-:]\s*(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """NFKC: full-width digits, letters and punctuation (４．１, ：, （) become their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def citation_key(code: str, year: str) -> str:
    """One spelling of a citation: "ISO 9001:2015", "GB/T 24001-2016", "GB/T 28001" (no year)."""
    match = re.match(r"\s*([A-Za-z/]+)\s*([\d-]+)", normalise(code))
    if not match:
        return code.strip()
    org, num = match.group(1).upper(), match.group(2)
    base = f"{org} {num}"
    if not year:
        return base
    return f"{base}-{year}" if org.startswith("GB") else f"{base}:{year}"


def shipped_catalogue() -> Catalogue:
    """The standards shipped with the project (standards/data/*.yaml), read without a database."""
    from standards.shipped import SHIPPED_STANDARDS, shipped_file

    standards = []
    for name in SHIPPED_STANDARDS:
        data = shipped_file(name)
        standards.append(
            make_standard(
                data.code,
                data.edition,
                [tuple(row) for row in data.clauses],
                national_equivalent=data.national_equivalent or "",
                retired=data.retired,
            )
        )
    return Catalogue(standards)
