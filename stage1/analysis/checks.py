"""The review's checks: an outline and its matrices compared with the audited standards.

Each check proposes, never decides: the auditor confirms a proposal (an area of concern) or
dismisses it. Checks compare only with the standards under audit (a manual for ISO 9001 and
ISO 14001 is not faulted for ISO 45001), except a matrix that names its own standard, which is
compared with that one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from django.utils.translation import gettext_noop

from . import proposals as k
from .catalogue import Catalogue, StandardRef, normalise
from .matrix import NOT_APPLICABLE, Matrix, has_primary
from .outline import Heading
from .proposals import Evidence, Proposal
from .reading import Line
from .references import ReferenceData, citations, judge

EVIDENCE_LENGTH = 80
INTRODUCTORY_CLAUSES = {"1", "2", "3"}  # scope, normative references, terms: nobody's responsibility
MAX_EVIDENCE = 8  # occurrences listed for one citation; the count says how many there are

QUALIFIERS_ZH = re.compile(
    r"(?:(?:质量|环境|职业健康安全|职业健康和安全|能源|信息安全)[/／、和与及]?)+(?=管理体系|方针|目标|绩效|管理|因素)"
)
QUALIFIERS_EN = re.compile(
    r"\b(?:(?:quality|environmental|oh&s|occupational health and safety|energy)\s*[/,]?\s*(?:and\s+)?)+"
    r"(?=management system|policy|objectives|performance)",
    re.IGNORECASE,
)
NOT_WORD = re.compile(r"[\W_]+")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXCLUSION_RE = re.compile(r"不适用|删减|exclusion|excluded|not applicable", re.IGNORECASE)
CLAUSE_TOKEN = re.compile(r"(?<![\d.])\d{1,2}(?:\.\d{1,2}){1,4}(?![\d.])")


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_LENGTH else text[: EVIDENCE_LENGTH - 1] + "…"


def evidence_of(heading: Heading) -> Evidence:
    return Evidence(shorten(heading.label), heading.line, heading.page, heading.where)


def norm_title(title: str) -> str:
    text = normalise(title).lower()
    text = QUALIFIERS_ZH.sub("", text)
    text = QUALIFIERS_EN.sub("", text)
    return NOT_WORD.sub("", text)


def title_variants(title: str) -> set[str]:
    """The title and, for an integrated manual's "沟通/信息交流", each of its parts."""
    parts = [title, *re.split(r"[/／]", title)]
    return {norm_title(p) for p in parts if norm_title(p)}


def clause_titles(standard: StandardRef, number: str, chinese: bool) -> str | None:
    clause = standard.clause(number)
    if clause is None or clause.untitled:
        return None
    return clause.title_zh if chinese else clause.title_en


# --- numbering ------------------------------------------------------------------------------------


def check_structure(headings: list[Heading], standard_of: Callable[[str], str]) -> tuple[list[Proposal], set[str]]:
    """Wrong parents, numbers out of sequence or skipped, duplicates. Returns the proposals and the
    numbers the misnumbered headings were presumably meant to have (8.9.1 under 8.4 → 8.4.1)."""
    found: list[Proposal] = []
    meant: set[str] = set()
    seen: dict[str, Heading] = {}
    at_depth: dict[int, Heading] = {}
    misplaced: dict[tuple[str, str], Proposal] = {}
    highest: dict[int, Heading] = {}  # the highest-numbered sibling so far at each depth
    present = {h.number for h in headings}
    for heading in headings:
        key = heading.number + heading.suffix
        depth = heading.depth
        if key in seen and not heading.group:
            first = seen[key]
            found.append(
                Proposal(
                    k.DUPLICATE,
                    heading.number,
                    standard_of(heading.number),
                    gettext_noop("The number %(found)s is used twice: “%(first)s” and “%(second)s”."),
                    {"found": key, "first": shorten(first.label), "second": shorten(heading.label)},
                    [evidence_of(first), evidence_of(heading)],
                )
            )
        seen.setdefault(key, heading)
        parent = at_depth.get(depth - 1) if depth > 1 else None
        # 8.9.1 under 8.4 is misnumbered; 6.1 after 5 (no heading 6) starts another branch.
        if (
            parent is not None
            and parent.number != heading.parent_number
            and (depth < 3 or parent.parent_number != heading.parent_number.rpartition(".")[0])
        ):
            parent = None
            for shallower in [d for d in at_depth if d < depth]:
                if not heading.number.startswith(at_depth[shallower].number + "."):
                    del at_depth[shallower]
        previous = at_depth.get(depth)
        if (
            depth > 2
            and parent is None
            and heading.parent_number.rpartition(".")[0] in {h.number for h in at_depth.values()}
        ):
            found.append(
                Proposal(
                    k.OUT_OF_SEQUENCE,
                    heading.number,
                    standard_of(heading.number),
                    gettext_noop("%(found)s has no heading %(expected)s above it."),
                    {"found": key, "expected": heading.parent_number},
                    [evidence_of(heading)],
                )
            )
        elif parent is not None and parent.number != heading.parent_number:
            expected = f"{parent.number}.{heading.parts[-1]}"
            meant.add(expected)
            group = (parent.number, heading.parent_number)
            proposal = misplaced.get(group)
            if proposal is None:
                proposal = Proposal(
                    k.WRONG_PARENT,
                    parent.number,
                    standard_of(parent.number),
                    gettext_noop(
                        "%(found)s stand under %(parent)s but are numbered as parts of %(claimed)s; "
                        "expected %(expected)s."
                    ),
                    {"found": "", "parent": parent.label, "claimed": heading.parent_number, "expected": ""},
                    [evidence_of(parent)],
                )
                misplaced[group] = proposal
                found.append(proposal)
            proposal.params["found"] = ", ".join(filter(None, [proposal.params["found"], key]))
            proposal.params["expected"] = ", ".join(filter(None, [proposal.params["expected"], expected]))
            proposal.evidence.append(evidence_of(heading))
        if (
            previous is not None
            and previous.number != heading.number
            and previous.parent_number == heading.parent_number
        ):
            best = highest.get(depth)
            if best is not None and best.parent_number == heading.parent_number:
                previous = best
            last, before = heading.parts[-1], previous.parts[-1]
            if last <= before:
                found.append(
                    Proposal(
                        k.OUT_OF_SEQUENCE,
                        heading.number,
                        standard_of(heading.number),
                        gettext_noop("%(found)s comes after %(previous)s."),
                        {"found": key, "previous": previous.number + previous.suffix},
                        [evidence_of(previous), evidence_of(heading)],
                    )
                )
            skipped = []
            if last > before + 1:
                skipped = [
                    number
                    for number in (
                        f"{heading.parent_number}.{n}" if heading.parent_number else str(n)
                        for n in range(before + 1, last)
                    )
                    if number not in present  # 7.3 before 7.2: 7.2 is out of order, not skipped
                ]
            if last > before + 1 and skipped:
                found.append(
                    Proposal(
                        k.OUT_OF_SEQUENCE,
                        heading.number,
                        standard_of(heading.number),
                        gettext_noop("%(found)s follows %(previous)s: %(skipped)s skipped."),
                        {
                            "found": key,
                            "previous": previous.number + previous.suffix,
                            "skipped": ", ".join(skipped),
                        },
                        [evidence_of(previous), evidence_of(heading)],
                    )
                )
        best = highest.get(depth)
        if best is None or best.parent_number != heading.parent_number or best.parts[-1] < heading.parts[-1]:
            highest[depth] = heading
        at_depth[depth] = heading
        for deeper in [d for d in at_depth if d > depth]:
            del at_depth[deeper]
            highest.pop(deeper, None)
    return found, meant


# --- titles ---------------------------------------------------------------------------------------


def check_titles(headings: Iterable[Heading], standards: list[StandardRef]) -> list[Proposal]:
    """Headings whose number is a clause of one of ``standards`` but whose title is none of theirs."""
    grouped: dict[tuple[str, str], Proposal] = {}
    for heading in headings:
        if heading.is_text or not heading.title:
            continue
        chinese = bool(CJK.search(heading.title))
        expected: list[tuple[StandardRef, str]] = []
        for standard in standards:
            title = clause_titles(standard, heading.number, chinese)
            if title:
                expected.append((standard, title))
        if not expected:
            continue
        variants = title_variants(heading.title)
        if any(norm_title(title) in variants for _, title in expected):
            continue
        found_norm = norm_title(heading.title)
        expected.sort(key=lambda pair: -SequenceMatcher(None, found_norm, norm_title(pair[1])).ratio())
        key = (heading.number, found_norm)
        proposal = grouped.get(key)
        if proposal is None:
            proposal = Proposal(
                k.TITLE_DEVIATION,
                heading.number,
                expected[0][0].key,
                gettext_noop("%(number)s is titled “%(found)s”; the standard's title: %(expected)s."),
                {
                    "number": heading.number + heading.suffix,
                    "found": heading.title,
                    "expected": "; ".join(f"{s.key} {heading.number} {t}" for s, t in expected),
                },
            )
            grouped[key] = proposal
        proposal.evidence.append(evidence_of(heading))
    return list(grouped.values())


# --- coverage -------------------------------------------------------------------------------------


def check_coverage(headings: list[Heading], meant: set[str], standards: list[StandardRef]) -> list[Proposal]:
    numbers = {h.number for h in headings} | meant
    titles = {norm_title(h.title) for h in headings if h.title and not h.is_text}
    found = []
    for standard in standards:
        for clause in standard.clauses:
            if clause.untitled or clause.number in numbers:
                continue
            # Addressed under another number by its title ("总则" alone says nothing: only a distinctive title counts).
            titled = norm_title(clause.title_zh) in titles or norm_title(clause.title_en) in titles
            if titled and sum(1 for c in standard.clauses if c.title_zh == clause.title_zh) == 1:
                continue
            found.append(
                Proposal(
                    k.MISSING_CLAUSE,
                    clause.number,
                    standard.key,
                    gettext_noop("No heading addresses %(standard)s %(number)s “%(title_zh)s” (%(title_en)s)."),
                    {
                        "standard": standard.key,
                        "number": clause.number,
                        "title_zh": clause.title_zh,
                        "title_en": clause.title_en,
                    },
                )
            )
    return found


# --- matrices -------------------------------------------------------------------------------------


def matrix_standard(matrix: Matrix, catalogue: Catalogue, audited: list[StandardRef]) -> StandardRef | None:
    """The standard a matrix names in its caption or header, else the audited one its rows fit best."""
    for cited in reversed(citations(matrix.caption)):  # the header's, else the one closest above the table
        standard = catalogue.find(cited)
        if standard is not None:
            return standard
    best, best_score = None, 0
    for standard in audited:
        score = 0
        for row in matrix.rows:
            clause = standard.clause(row.number)
            if clause and norm_title(row.title) in {norm_title(clause.title_zh), norm_title(clause.title_en)}:
                score += 1
        if score > best_score:
            best, best_score = standard, score
    return best


def check_matrix(
    matrix: Matrix, standard: StandardRef | None, audited: list[StandardRef], departments: list[str] | None
) -> list[Proposal]:
    found: list[Proposal] = []
    key = standard.key if standard else ""
    structure, meant = check_structure(matrix.rows, lambda number: key)
    numbers = [row.number for row in matrix.rows]
    absent: list[str] = []
    if standard is not None and standard in audited:
        present = set(numbers) | meant
        absent = [
            c.number
            for c in standard.clauses
            if not c.untitled and c.number not in present and c.number not in INTRODUCTORY_CLAUSES
        ]
    # A skipped row of an audited standard is proposed once, as a missing row.
    found += [
        p for p in structure if not (p.params.get("skipped") and set(p.params["skipped"].split(", ")) <= set(absent))
    ]
    if standard is not None:
        found += check_titles(matrix.rows, [standard])
    for row in matrix.rows:
        if row.group:
            continue
        if any(mark == "N/A" for mark in row.marks.values()):
            found.append(
                Proposal(
                    k.EXCLUSION,
                    row.number,
                    key,
                    gettext_noop("The responsibility matrix marks %(number)s as not applicable."),
                    {"number": row.number, "found": "matrix"},
                    [Evidence(shorten(row.label + " " + matrix.mark_row(row)), row.line, row.page, "matrix")],
                )
            )
            continue
        if has_primary(row):
            continue
        if not row.marks and any(n.startswith(row.number + ".") for n in numbers):
            continue  # a chapter row over its clauses
        found.append(
            Proposal(
                k.MATRIX_UNASSIGNED,
                row.number,
                key,
                gettext_noop("The responsibility matrix assigns %(number)s “%(title)s” to no department (%(marks)s)."),
                {"number": row.number, "title": row.title, "marks": matrix.mark_row(row), "found": "row"},
                [Evidence(shorten(row.label + " " + matrix.mark_row(row)), row.line, row.page, "matrix")],
            )
        )
    if absent:
        found.append(
            Proposal(
                k.MATRIX_MISSING_ROWS,
                absent[0],
                key,
                gettext_noop("The responsibility matrix has no row for %(standard)s %(missing)s."),
                {"standard": key, "missing": ", ".join(absent), "found": "absent"},
                [Evidence(shorten(matrix.caption), matrix.line, matrix.page, "matrix")],
            )
        )
    if departments is not None:
        known = {re.sub(r"\s+", "", d) for d in departments}
        for department in matrix.departments:
            if department not in known:
                found.append(
                    Proposal(
                        k.UNKNOWN_DEPARTMENT,
                        "",
                        key,
                        gettext_noop(
                            "The responsibility matrix names “%(found)s”, which is not a department of the client."
                        ),
                        {"found": department},
                        [Evidence(shorten(matrix.caption), matrix.line, matrix.page, "matrix")],
                    )
                )
    return found


def check_matrix_standards(
    matrices: list[tuple[Matrix, StandardRef | None]], audited: list[StandardRef]
) -> list[Proposal]:
    if not matrices:
        return []
    covered = {standard.key for _, standard in matrices if standard is not None}
    first = matrices[0][0]
    return [
        Proposal(
            k.MATRIX_MISSING_STANDARD,
            "",
            standard.key,
            gettext_noop("The document's responsibility matrices cover no clause of %(standard)s."),
            {"standard": standard.key},
            [Evidence(shorten(first.caption), first.line, first.page, "matrix")],
        )
        for standard in audited
        if standard.key not in covered
    ]


# --- references and exclusions --------------------------------------------------------------------


def check_references(lines: list[Line], data: ReferenceData) -> list[Proposal]:
    grouped: dict[str, Proposal] = {}
    counts: dict[str, int] = {}
    for line in lines:
        for cited in citations(line.text):
            verdict = judge(cited, data)
            if verdict is None:
                continue
            counts[verdict.cited] = counts.get(verdict.cited, 0) + 1
            proposal = grouped.get(verdict.cited)
            if proposal is None:
                if verdict.problem == "withdrawn":
                    message = gettext_noop("%(found)s is withdrawn (replaced by %(should_be)s); citations: %(count)s.")
                else:
                    message = gettext_noop(
                        "%(found)s is not the current edition (%(should_be)s); citations: %(count)s."
                    )
                proposal = Proposal(
                    k.OUTDATED_REFERENCE,
                    "",
                    verdict.should_be,
                    message,
                    {"found": verdict.cited, "should_be": verdict.should_be},
                )
                grouped[verdict.cited] = proposal
            if len(proposal.evidence) < MAX_EVIDENCE:
                proposal.evidence.append(Evidence(shorten(line.text), line.line, line.page))
    for cited, proposal in grouped.items():
        proposal.params["count"] = str(counts[cited])
    return list(grouped.values())


def check_exclusions(lines: list[Line], headings: list[Heading]) -> list[Proposal]:
    found: dict[str, Proposal] = {}
    current = ""
    by_line = {(h.line, h.page): h for h in headings}
    for line in lines:
        heading = by_line.get((line.line, line.page))
        text = normalise(line.text)
        if heading is not None:
            current = heading.number
            text = text.split(heading.number, 1)[-1] if heading.number in text else text
        if not EXCLUSION_RE.search(text):
            continue
        named = CLAUSE_TOKEN.findall(text)
        if not named and not re.search(r"条款|clause|标准", text, re.IGNORECASE):
            continue
        clause = named[0] if named else current
        proposal = found.get(clause)
        if proposal is None:
            proposal = Proposal(
                k.EXCLUSION,
                clause,
                "",
                gettext_noop(
                    "The document declares %(number)s not applicable: judge the exclusion against the standard."
                ),
                {"number": clause, "found": "text"},
            )
            found[clause] = proposal
        proposal.evidence.append(Evidence(shorten(line.text), line.line, line.page))
    return list(found.values())


__all__ = [
    "NOT_APPLICABLE",
    "check_coverage",
    "check_exclusions",
    "check_matrix",
    "check_matrix_standards",
    "check_references",
    "check_structure",
    "check_titles",
    "matrix_standard",
]
