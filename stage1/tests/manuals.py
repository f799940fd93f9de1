"""Synthetic management manuals for the analyser's tests: built from the shipped clause trees,
clean by construction, then spoiled one defect at a time; written as DOCX, PDF or text."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from stage1.analysis import shipped_catalogue

DEPARTMENTS = ["管理层", "综合部", "技术部"]


def number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


@dataclass
class Manual:
    standards: list[str]
    headings: list[tuple[str, str]] = field(default_factory=list)  # (number, title) in order
    paragraphs: dict[str, list[str]] = field(default_factory=dict)  # number → paragraphs after it
    preface: list[str] = field(default_factory=list)
    matrices: list[tuple[str, list[str], list[tuple[str, str, list[str]]]]] = field(default_factory=list)
    # (caption, departments, rows (number, title, marks))


def clean_manual(standards: list[str], *, with_matrices: bool = True) -> Manual:
    catalogue = shipped_catalogue()
    refs = [catalogue.find(name) for name in standards]
    titles: dict[str, list[str]] = {}
    for ref in refs:
        assert ref is not None
        for clause in ref.clauses:
            if clause.untitled:
                continue
            found = titles.setdefault(clause.number, [])
            if clause.title_zh not in found:
                found.append(clause.title_zh)
    manual = Manual(standards)
    manual.preface = ["本手册依据 " + "、".join(standards) + " 编制。"]
    for number in sorted(titles, key=number_key):
        manual.headings.append((number, "/".join(titles[number])))
        manual.paragraphs[number] = [f"本公司按照标准要求实施本条款（{number}）的规定。"]
    if with_matrices:
        for ref in refs:
            assert ref is not None
            rows = []
            for clause in ref.clauses:
                if clause.untitled or clause.number in {"1", "2", "3"}:
                    continue
                rows.append((clause.number, clause.title_zh, ["●", "○", "○"]))
            manual.matrices.append((f"{ref.key} 职能分配表", list(DEPARTMENTS), rows))
    return manual


def as_docx(manual: Manual) -> bytes:
    import docx

    document = docx.Document()
    for text in manual.preface:
        document.add_paragraph(text)
    for caption, departments, rows in manual.matrices:
        document.add_paragraph(caption)
        table = document.add_table(rows=1 + len(rows), cols=2 + len(departments))
        for i, text in enumerate(["条款", "过程或活动", *departments]):
            table.rows[0].cells[i].text = text
        for r, (number, title, marks) in enumerate(rows, start=1):
            for i, text in enumerate([number, title, *marks]):
                table.rows[r].cells[i].text = text
    for number, title in manual.headings:
        document.add_paragraph(f"{number} {title}")
        for text in manual.paragraphs.get(number, []):
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_lines(manual: Manual) -> list[str]:
    """The manual as text lines, matrices as text rows ("4.1 理解组织及其环境 ● ○ ○")."""
    lines = list(manual.preface)
    for caption, departments, rows in manual.matrices:
        lines.append(caption)
        lines.append("条款 过程或活动 " + " ".join(departments))
        lines += [f"{number} {title} {' '.join(marks)}" for number, title, marks in rows]
        lines.append("")
    for number, title in manual.headings:
        lines.append(f"{number} {title}")
        lines += manual.paragraphs.get(number, [])
    return lines


def as_text(manual: Manual) -> bytes:
    return "\n".join(as_lines(manual)).encode()


def as_pdf(manual: Manual) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in as_lines(manual) if line)
    html = (
        "<html><head><style>@page{size:A4;margin:15mm} body{font-family:'Noto Sans CJK SC';font-size:10pt}"
        "p{margin:0 0 2pt 0}</style></head><body>" + body + "</body></html>"
    )
    return HTML(string=html).write_pdf()


def replace_heading(manual: Manual, number: str, new_number: str | None = None, new_title: str | None = None) -> None:
    for i, (n, title) in enumerate(manual.headings):
        if n == number:
            manual.headings[i] = (new_number or n, new_title if new_title is not None else title)
            manual.paragraphs[new_number or n] = manual.paragraphs.get(n, [])
            return
    raise AssertionError(number)
