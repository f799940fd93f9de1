"""The stage-1 document review: read a document, outline it, propose what an auditor should look at.

Pure Python (no database): ``analyse(name, data, standards=[...], catalogue=...)`` returns a
``Review`` with the outline, the matrices and the proposals. The catalogue comes from the shipped
files (``shipped_catalogue``) or the database (``stage1.selectors.catalogue_from_db``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import Catalogue, StandardRef, shipped_catalogue
from .checks import (
    check_coverage,
    check_exclusions,
    check_matrix,
    check_matrix_standards,
    check_references,
    check_structure,
    check_titles,
    matrix_standard,
)
from .matrix import Matrix, matrices_from_lines, matrix_from_table
from .outline import Heading, body_outline
from .proposals import KIND_LABELS, KINDS, Evidence, Proposal
from .reading import DocumentText, Line, UnreadableDocument, read_document
from .references import reference_data


class UnknownStandard(ValueError):
    pass


@dataclass
class Review:
    kind: str
    pages: int | None
    standards: list[str]
    outline: list[Heading]
    matrices: list[tuple[Matrix, str]]  # each matrix with the standard it was compared with ("" when none)
    proposals: list[Proposal] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "pages": self.pages,
            "standards": self.standards,
            "outline": [
                {"number": h.number + h.suffix, "title": h.title, "line": h.line, "page": h.page, "is_text": h.is_text}
                for h in self.outline
            ],
            "matrices": [
                {
                    "caption": m.caption,
                    "standard": standard,
                    "departments": m.departments,
                    "rows": [
                        {"number": r.number, "title": r.title, "line": r.line, "marks": r.marks, "group": r.group}
                        for r in m.rows
                    ],
                }
                for m, standard in self.matrices
            ],
            "proposals": [p.as_dict() for p in self.proposals],
        }


def resolve_standards(names: list[str], catalogue: Catalogue) -> list[StandardRef]:
    found = []
    for name in names:
        standard = catalogue.find(name)
        if standard is None:
            raise UnknownStandard(name)
        if standard not in found:
            found.append(standard)
    return found


def analyse_text(
    document: DocumentText,
    audited: list[StandardRef],
    catalogue: Catalogue,
    departments: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Review:
    report = progress or (lambda percent: None)
    outline = body_outline(document.lines)
    report(40)
    matrices = [m for i, t in enumerate(document.tables) if (m := matrix_from_table(t, i)) is not None]
    matrices += matrices_from_lines(document.lines, len(document.tables))
    resolved = [(m, matrix_standard(m, catalogue, audited)) for m in matrices]
    report(55)
    proposals: list[Proposal] = []

    def standard_of(number: str) -> str:
        return next((s.key for s in audited if s.clause(number)), "")

    structure, meant = check_structure(outline, standard_of)
    proposals += structure
    proposals += check_titles(outline, audited)
    basis = outline if outline else [row for m in matrices for row in m.rows]
    proposals += check_coverage(basis, meant, audited)
    report(70)
    for matrix, standard in resolved:
        proposals += check_matrix(matrix, standard, audited, departments)
    proposals += check_matrix_standards(resolved, audited)
    all_lines = list(document.lines) + [cell for table in document.tables for cell in table.cells]
    proposals += check_references(all_lines, reference_data(catalogue))
    proposals += check_exclusions(document.lines, outline)
    report(90)
    return Review(
        kind=document.kind,
        pages=document.pages,
        standards=[s.key for s in audited],
        outline=outline,
        matrices=[(m, s.key if s else "") for m, s in resolved],
        proposals=proposals,
    )


def analyse(
    name: str,
    data: bytes,
    standards: list[str],
    catalogue: Catalogue | None = None,
    departments: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Review:
    """Read ``data`` (a file called ``name``) and review it against ``standards`` ("ISO 9001:2015", …).

    Raises ``UnreadableDocument`` (with a message for the uploader) or ``UnknownStandard``."""
    catalogue = catalogue or shipped_catalogue()
    audited = resolve_standards(standards, catalogue)
    document = read_document(name, data)
    if progress:
        progress(25)
    return analyse_text(document, audited, catalogue, departments, progress)


__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Catalogue",
    "Evidence",
    "Heading",
    "Line",
    "Proposal",
    "Review",
    "UnknownStandard",
    "UnreadableDocument",
    "analyse",
    "shipped_catalogue",
]
