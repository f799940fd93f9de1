"""A layout checker for rendered PDFs (a test helper): reads every page back with poppler's
``pdftohtml -xml`` (text lines with their position, size and whether the font is bold) and
reports what a reader of a printed report would send back:

* **text outside the text box**: a piece of text whose left or right edge lies beyond the
  page's margins, i.e. the ``@page`` margins of ``reports/static/reports/pdf/print.css``
  (a long Latin string that did not wrap runs past the right edge);
* **a heading as the last line of a page**: the body of a page ends with a heading, or with a
  heading's continuation lines (a bold line starts it; the lines that follow at the heading's
  own line pitch belong to it);
* **a table header row separated from its first body row**: the body of a page ends with a
  table's header row (bold, like a heading).

Headings (``h1``–``h4``, ``.rp-heading``, topic titles, captions) and table header cells are
the only bold text our PDFs print, which is what lets the checker tell them from body text
without the HTML. Running header and footer lie in the top and bottom margins and are not
body text.

    problems = layout_problems(pdf_bytes)   # [] when the layout is clean
"""

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MM = 72 / 25.4
PRINT_CSS = Path(settings.BASE_DIR) / "reports" / "static" / "reports" / "pdf" / "print.css"
#: pdftohtml rounds positions to whole points; within a point is rounding, not layout.
TOLERANCE = 1.0
#: A heading followed by at least this much empty text box introduces a blank box (the
#: committee's remarks, 十七, are left for handwriting: report.html's .rp-blank, 14 mm): the
#: page did not end because the next block was too big. Headings keep with what follows
#: (break-after: avoid), so a stranded heading is one at the foot of the page.
BLANK_BOX = 14 * MM


@dataclass(frozen=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float


def css_margins(path: Path = PRINT_CSS) -> Margins:
    """The margins (in pt) of the stylesheet's first ``@page`` rule: one source of truth."""
    css = path.read_text(encoding="utf-8")
    rule = css[css.index("@page") :]
    match = re.search(r"margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm", rule)
    if match is None:
        raise ValueError(f"no @page margin in {path}")
    top, right, bottom, left = (float(x) * MM for x in match.groups())
    return Margins(top=top, right=right, bottom=bottom, left=left)


@dataclass
class Piece:
    top: float
    left: float
    width: float
    height: float
    text: str
    bold: bool

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass
class Line:
    top: float
    height: float
    pieces: list

    @property
    def left(self) -> float:
        return min(p.left for p in self.pieces)

    @property
    def text(self) -> str:
        return " ".join(p.text.strip() for p in sorted(self.pieces, key=lambda p: p.left) if p.text.strip())

    @property
    def starts_bold(self) -> bool:
        first = min((p for p in self.pieces if p.text.strip()), key=lambda p: p.left, default=None)
        return first is not None and first.bold


@dataclass
class Word:
    left: float
    right: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    pieces: list
    words: list


def _poppler(pdf: bytes, command: list[str]) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run([*command, file.name, "-"], check=True, capture_output=True).stdout


def _words(pdf: bytes) -> list[list[Word]]:
    """Every page's words with their exact left and right edges (pdftotext -bbox-layout)."""
    root = ET.fromstring(_poppler(pdf, ["pdftotext", "-bbox-layout"]))
    pages = []
    for page in root.iter():
        if not page.tag.endswith("}page"):
            continue
        pages.append(
            [
                Word(left=float(w.get("xMin")), right=float(w.get("xMax")), text=w.text or "")
                for w in page.iter()
                if w.tag.endswith("}word")
            ]
        )
    return pages


def read_pages(pdf: bytes) -> list[Page]:
    """Lines from pdftohtml (positions rounded to whole points, bold known), words from
    pdftotext (exact edges)."""
    root = ET.fromstring(_poppler(pdf, ["pdftohtml", "-xml", "-i", "-zoom", "1", "-q", "-stdout"]))
    words = _words(pdf)
    pages = []
    for page in root.iter("page"):
        pieces = []
        for text in page.iter("text"):
            content = "".join(text.itertext())
            if not content.strip():
                continue
            pieces.append(
                Piece(
                    top=float(text.get("top")),
                    left=float(text.get("left")),
                    width=float(text.get("width")),
                    height=float(text.get("height")),
                    text=content,
                    bold=text.find("b") is not None,
                )
            )
        pages.append(
            Page(
                number=int(page.get("number")),
                width=float(page.get("width")),
                height=float(page.get("height")),
                pieces=pieces,
                words=words[len(pages)] if len(pages) < len(words) else [],
            )
        )
    return pages


def _lines(pieces) -> list[Line]:
    """Pieces whose tops are within a few points of each other form one line (a ☑ box sits a
    point lower than its label)."""
    lines: list[Line] = []
    for piece in sorted(pieces, key=lambda p: (p.top, p.left)):
        if lines and abs(piece.top - lines[-1].top) <= 3:
            lines[-1].pieces.append(piece)
            lines[-1].height = max(lines[-1].height, piece.height)
        else:
            lines.append(Line(top=piece.top, height=piece.height, pieces=[piece]))
    return lines


def _ends_with_heading(lines: list[Line]) -> bool:
    """The last line is bold, or continues a bold-started line at the same line pitch (the
    heading's own lines follow each other at one line height; the text after a heading keeps a
    margin, so its pitch is larger)."""
    index = len(lines) - 1
    while index >= 0:
        line = lines[index]
        if line.starts_bold:
            return True
        if index == 0:
            return False
        previous = lines[index - 1]
        pitch = line.top - previous.top
        if abs(line.left - previous.left) > 2 or pitch > previous.height * 1.22:
            return False
        index -= 1
    return False


def page_problems(page: Page, margins: Margins) -> list[str]:
    problems = []
    right_edge = page.width - margins.right + TOLERANCE
    left_edge = margins.left - TOLERANCE
    for word in page.words:
        if word.right > right_edge or word.left < left_edge:
            problems.append(
                f"p{page.number}: text outside the text box "
                f"(x {word.left:.0f}–{word.right:.0f} pt, box {margins.left:.0f}–{page.width - margins.right:.0f} pt): "
                f"{word.text[:80]!r}"
            )
    body = [
        p for p in page.pieces if p.top >= margins.top - TOLERANCE and p.top + p.height <= page.height - margins.bottom
    ]
    lines = _lines(body)
    room_below = (page.height - margins.bottom) - (lines[-1].top + lines[-1].height) if lines else 0
    if lines and _ends_with_heading(lines) and room_below < BLANK_BOX:
        problems.append(f"p{page.number}: the page ends with a heading or a table header row: {lines[-1].text[:80]!r}")
    return problems


def layout_problems(pdf: bytes, *, margins: Margins | None = None) -> list[str]:
    """Every layout problem of every page, as readable strings (empty: clean)."""
    margins = margins or css_margins()
    problems = []
    for page in read_pages(pdf):
        problems.extend(page_problems(page, margins))
    return problems
