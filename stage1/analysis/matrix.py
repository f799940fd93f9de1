"""Responsibility matrices (职能分配表): clause rows × departments, with the marks in each cell.

From a table (a DOCX table, or a tab-separated run of a text export): the header is what comes
before the first numbered cell, its departments are the header cells that are not column labels
("标准章节", "过程或活动", "条款"); each row is a number cell, a title cell and one cell per
department. A number cell directly followed by another number cell groups the rows under it (a
merged "4.4 实施与运行"). From text lines (a PDF's table, a typed table): "4.1 理解组织及其环境 ● ○ ○",
the departments read from the line above the first row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalogue import normalise
from .outline import MARKS, MATRIX_LINE_RE, PRIMARY_MARKS, Heading, clean_title, parse_candidate
from .reading import Line, Table

LABEL_WORDS = (
    "标准",
    "章节",
    "条款",
    "过程",
    "活动",
    "要素",
    "要求",
    "clause",
    "process",
    "activity",
    "standard",
    "element",
)
NOT_APPLICABLE = re.compile(r"不适用|删减|N/?A|not applicable|excluded", re.IGNORECASE)
MIN_ROWS = 3


@dataclass
class Matrix:
    index: int
    caption: str  # the lines before it and its header, where a standard may be named
    departments: list[str]
    rows: list[Heading] = field(default_factory=list)
    line: int = 0
    page: int | None = None

    def mark_row(self, heading: Heading) -> str:
        return " ".join(f"{d}:{heading.marks.get(d) or '—'}" for d in self.departments)


def is_label(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in LABEL_WORDS)


def department_name(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


def is_mark_cell(text: str) -> bool:
    stripped = re.sub(r"\s", "", text)
    return bool(stripped) and (all(ch in MARKS for ch in stripped) or bool(NOT_APPLICABLE.fullmatch(stripped)))


def mark_of(text: str) -> str:
    stripped = re.sub(r"\s", "", normalise(text))
    if NOT_APPLICABLE.search(stripped):
        return "N/A"
    return "".join(ch for ch in stripped if ch in MARKS)


def number_cell(cell: Line) -> tuple[str, str, str] | None:
    """(number, suffix, title in the same cell) when the cell starts with a clause number."""
    first, _, rest = cell.text.partition("\n")
    candidate = parse_candidate(first)
    if candidate is None or candidate.separator == "、":
        return None
    title = clean_title(candidate.title + "".join(part.strip() for part in rest.splitlines()))
    return candidate.number, candidate.suffix, title


def matrix_from_table(table: Table, index: int) -> Matrix | None:
    cells = table.cells
    start = next((i for i, cell in enumerate(cells) if number_cell(cell)), None)
    if start is None:
        return None
    header = [cell.text for cell in cells[:start] if cell.text.strip()]
    departments = [department_name(text) for text in header if not is_label(text)]
    if not departments:
        return None
    matrix = Matrix(index, " ".join([table.caption, *header]), departments, line=table.line, page=table.page)
    width = len(departments)
    i = start
    while i < len(cells):
        cell = cells[i]
        found = number_cell(cell) if cell.text else None
        if found is None:
            i += 1
            continue
        number, suffix, title = found
        j = i + 1
        while j < len(cells) and not (cells[j].text and number_cell(cells[j])):
            j += 1
        rest = [c.text for c in cells[i + 1 : j]]
        if not rest and j < len(cells):  # directly followed by a number: a group of rows
            matrix.rows.append(
                Heading(number, title, cell.line, cell.page, suffix, where="matrix", table=index, group=True)
            )
            i = j
            continue
        if not title and rest:
            title, rest = clean_title(rest[0].replace("\n", "")), rest[1:]
        elif len(rest) > width and not rest[0].strip():
            rest = rest[1:]  # the title column left empty, the title being in the number cell
        # The department cells follow the title; an empty cell after them starts the next row
        # (the column of a merged group label).
        marks = [mark_of(text) for text in rest[:width]]
        marks += [""] * (width - len(marks))
        matrix.rows.append(
            Heading(
                number,
                title,
                cell.line,
                cell.page,
                suffix,
                where="matrix",
                table=index,
                marks={d: m for d, m in zip(departments, marks, strict=True) if m},
            )
        )
        i = j
    if sum(1 for row in matrix.rows if row.marks) < MIN_ROWS:
        return None
    return matrix


def matrices_from_lines(lines: list[Line], first_index: int) -> list[Matrix]:
    """Runs of text lines that are matrix rows ("4.1 理解组织及其环境 ● ○ ○")."""
    matrices: list[Matrix] = []
    current: list[tuple[Line, re.Match[str]]] = []

    def close(position: int) -> None:
        if len(current) >= MIN_ROWS:
            first_line = current[0][0]
            before = [ln.text.strip() for ln in lines[max(0, position - 3) : position] if ln.text.strip()]
            header = before[-1] if before else ""
            width = max(len(mark_of(m.group("marks"))) for _, m in current)
            tokens = [department_name(t) for t in header.split() if not is_label(t)]
            departments = (
                tokens[-width:]
                if len(tokens) >= width
                else [*tokens, *(f"#{n + 1}" for n in range(len(tokens), width))]
            )
            matrix = Matrix(
                first_index + len(matrices), " ".join(before), departments, line=first_line.line, page=first_line.page
            )
            for line, match in current:
                marks = list(mark_of(match.group("marks")))
                matrix.rows.append(
                    Heading(
                        match.group("num"),
                        clean_title(match.group("title")),
                        line.line,
                        line.page,
                        where="matrix",
                        table=matrix.index,
                        marks=dict(zip(departments, marks, strict=False)),
                    )
                )
            matrices.append(matrix)
        current.clear()

    position_of_run = 0
    for position, line in enumerate(lines):
        match = MATRIX_LINE_RE.match(normalise(line.text))
        if match:
            if not current:
                position_of_run = position
            current.append((line, match))
        elif line.text.strip():
            close(position_of_run)
    close(position_of_run)
    return matrices


def has_primary(heading: Heading) -> bool:
    return any(ch in PRIMARY_MARKS for mark in heading.marks.values() for ch in mark)
