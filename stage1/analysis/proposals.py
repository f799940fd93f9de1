"""What the review proposes: a kind, the clause, the standard, a message and the evidence.

Messages are English templates with parameters, translated when shown (``Proposal.text``), so
a stored proposal reads in the language of whoever opens it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

MISSING_CLAUSE = "missing_clause"
WRONG_PARENT = "wrong_parent"
OUT_OF_SEQUENCE = "out_of_sequence"
DUPLICATE = "duplicate"
TITLE_DEVIATION = "title_deviation"
OUTDATED_REFERENCE = "outdated_reference"
MATRIX_UNASSIGNED = "matrix_unassigned"
MATRIX_MISSING_ROWS = "matrix_missing_rows"
MATRIX_MISSING_STANDARD = "matrix_missing_standard"
UNKNOWN_DEPARTMENT = "unknown_department"
EXCLUSION = "exclusion"

KIND_LABELS = {
    MISSING_CLAUSE: gettext_noop("Clause not addressed"),
    WRONG_PARENT: gettext_noop("Numbered under the wrong parent"),
    OUT_OF_SEQUENCE: gettext_noop("Out of sequence"),
    DUPLICATE: gettext_noop("Duplicate number"),
    TITLE_DEVIATION: gettext_noop("Title deviates from the clause"),
    OUTDATED_REFERENCE: gettext_noop("Outdated standard reference"),
    MATRIX_UNASSIGNED: gettext_noop("Assigned to no department"),
    MATRIX_MISSING_ROWS: gettext_noop("Clauses missing from the responsibility matrix"),
    MATRIX_MISSING_STANDARD: gettext_noop("No responsibility matrix for a standard"),
    UNKNOWN_DEPARTMENT: gettext_noop("Department not in the client record"),
    EXCLUSION: gettext_noop("Claimed exclusion"),
}
KINDS = tuple(KIND_LABELS)


@dataclass(frozen=True)
class Evidence:
    text: str  # the heading, matrix row or sentence, as printed (shortened)
    line: int | None
    page: int | None = None
    where: str = "body"  # "body" or "matrix"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "line": self.line, "page": self.page, "where": self.where}

    def place(self) -> str:
        place = f"p.{self.page} " if self.page else ""
        return f"{place}l.{self.line}" if self.line else place.strip()


@dataclass
class Proposal:
    kind: str
    clause: str  # the clause concerned ("8.4"), "" when none
    standard: str  # "ISO 9001:2015", "" when none
    message: str  # English template (gettext_noop), %(name)s parameters
    params: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def text(self, translate: Any = None) -> str:
        template = translate(self.message) if translate else self.message
        return template % self.params

    @property
    def key(self) -> str:
        """The same defect in two versions of a document has the same key (what changed between reviews)."""
        return "|".join([self.kind, self.standard, self.clause, self.params.get("found", "")])

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "clause": self.clause,
            "standard": self.standard,
            "message": self.text(),
            "template": self.message,
            "params": self.params,
            "evidence": [e.as_dict() for e in self.evidence],
            "key": self.key,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Proposal:
        return cls(
            kind=data["kind"],
            clause=data["clause"],
            standard=data["standard"],
            message=data["template"],
            params=dict(data["params"]),
            evidence=[Evidence(**e) for e in data["evidence"]],
        )
