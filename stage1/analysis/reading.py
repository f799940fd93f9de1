"""A document read into lines and table cells, each with its place (line or paragraph, page).

Plain text (UTF-8, or GB18030 as Chinese Windows saves it), DOCX (python-docx: paragraphs and
tables in body order) and PDF (pypdf: the text layer, page by page). What cannot be read raises
``UnreadableDocument`` with a code and a message for the uploader: an encrypted PDF, a PDF
without a text layer (scanned), a DOCX that is not a Word document.

A plain-text export of a Word document writes each table cell on a line of its own starting with
a tab, a cell's further lines without one (see the seed manual): such runs become ``Table``s.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

# A PDF with fewer visible characters than this per page, on average, has no usable text layer.
MIN_TEXT_PER_PAGE = 20


@dataclass(frozen=True)
class Line:
    text: str
    line: int  # 1-based: the line of a text file, the paragraph of a DOCX, the line of a PDF page
    page: int | None = None


@dataclass
class Table:
    cells: list[Line] = field(default_factory=list)  # in reading order, row after row
    caption: str = ""  # the lines just before the table ("环境管理体系要素职责分配表")
    line: int = 0
    page: int | None = None


@dataclass
class DocumentText:
    kind: str  # "txt", "docx", "pdf"
    lines: list[Line]
    tables: list[Table]
    pages: int | None = None


class UnreadableDocument(Exception):
    """The document cannot be analysed; ``message`` (English, translatable) says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_document(name: str, data: bytes) -> DocumentText:
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return read_docx(data)
    if suffix == ".pdf":
        return read_pdf(data)
    if suffix in (".txt", ".text", ".md", ""):
        return read_text(data)
    raise UnreadableDocument(
        "bad_type", gettext_noop("Only .docx, .pdf and .txt documents can be analysed; save it as one of those.")
    )


# --- plain text ----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("bad_encoding", gettext_noop("The text file is neither UTF-8 nor GB18030."))


def read_text(data: bytes) -> DocumentText:
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary", gettext_noop("This is not a text file."))
    return split_tables(decode(data).splitlines(), kind="txt")


def split_tables(raw_lines: list[str], *, kind: str, page: int | None = None, first_line: int = 1) -> DocumentText:
    """Body lines and tab-started table runs (see the module's note)."""
    lines: list[Line] = []
    tables: list[Table] = []
    table: Table | None = None
    blank_run = 0
    for number, raw in enumerate(raw_lines, start=first_line):
        text = raw.rstrip("\r\n")
        if text.startswith("\t"):
            if table is None:
                caption = [ln.text.strip() for ln in lines[-3:] if ln.text.strip()]
                table = Table(caption=" ".join(caption[-2:]), line=number, page=page)
                tables.append(table)
            for part in text.split("\t")[1:]:
                table.cells.append(Line(part.strip(), number, page))
            blank_run = 0
            continue
        if table is not None:
            if not text.strip():
                blank_run += 1
                continue
            if table.cells and (blank_run == 0 or len(text.strip()) <= 2):
                last = table.cells[-1]
                table.cells[-1] = Line((last.text + "\n" + text.strip()).strip(), last.line, page)
                blank_run = 0
                continue
            table = None
        blank_run = 0
        lines.append(Line(text, number, page))
    return DocumentText(kind=kind, lines=lines, tables=tables)


# --- DOCX ----------------------------------------------------------------------------------------


def read_docx(data: bytes) -> DocumentText:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception) as error:  # python-docx raises many kinds
        raise UnreadableDocument(
            "corrupt_docx",
            gettext_noop(
                "The Word document cannot be opened (it is damaged or not a .docx); save it again and upload it."
            ),
        ) from error
    lines: list[Line] = []
    tables: list[Table] = []
    counter = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rpartition("}")[2]
        if tag == "p":
            counter += 1
            lines.append(Line(Paragraph(child, document).text, counter))
        elif tag == "tbl":
            table = Table(caption=" ".join(ln.text.strip() for ln in lines[-2:] if ln.text.strip()), line=counter + 1)
            seen: set[Any] = set()  # the cells' XML elements (kept alive, so compared by identity)
            for row in DocxTable(child, document).rows:
                counter += 1
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is listed once, where it starts
                        continue
                    seen.add(cell._tc)
                    table.cells.append(Line(cell.text.strip(), counter))
            tables.append(table)
    return DocumentText(kind="docx", lines=lines, tables=tables)


# --- PDF -----------------------------------------------------------------------------------------


def read_pdf(data: bytes) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted:
            try:
                encrypted = not reader.decrypt("")  # an owner-password-only PDF opens with the empty password
            except Exception:
                encrypted = True
        if encrypted:
            raise UnreadableDocument(
                "encrypted",
                gettext_noop("The PDF is protected by a password; upload it without the password protection."),
            )
        texts = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, Exception) as error:  # pypdf raises many kinds
        raise UnreadableDocument(
            "corrupt_pdf", gettext_noop("The PDF cannot be read (it is damaged); save it again and upload it.")
        ) from error
    visible = sum(len("".join(text.split())) for text in texts)
    if not texts or visible < MIN_TEXT_PER_PAGE * len(texts):
        raise UnreadableDocument(
            "no_text",
            gettext_noop(
                "The PDF has no text layer (a scan?): its headings cannot be read. Upload the Word file, "
                "or a PDF saved from it."
            ),
        )
    lines: list[Line] = []
    for page_number, text in enumerate(texts, start=1):
        for line_number, raw in enumerate(text.splitlines(), start=1):
            lines.append(Line(raw, line_number, page_number))
    return DocumentText(kind="pdf", lines=lines, tables=[], pages=len(texts))
