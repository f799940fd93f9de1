"""Numbered headings found in a document's lines: the outline the review compares with the standards.

A heading is a line that starts with a clause-like number ("4", "4.4", "8.5.1.2", full-width
"４．４", "第四章", "Clause 4.1", with an optional letter "9.1.2A-") followed by a title; a number
alone on a line takes its title from the next line (a heading split across lines).

Manuals number many things that are not clauses (list items "1.", local paragraphs "2.1" inside a
clause, dates), so a candidate is kept only where it fits the chapter being read: a chapter
heading ("5 领导作用") must be short and come after the current chapter; a deeper heading must
belong to the current chapter (its first number), or start the next one. A long numbered
paragraph ("4.9.1 本公司按照…") is kept as a heading whose text is not a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalogue import normalise
from .reading import Line

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

HEADING_RE = re.compile(
    r"""^\s*(?:
        第\s*(?P<cn>[零〇一二三四五六七八九十\d]{1,3})\s*[章节部]\s*[、.:]?
      | (?:(?:clause|section|chapter)\s+)?
        (?P<num>\d{1,2}(?:\s?\.\d{1,2}){0,5})(?!\d)
        (?P<suffix>\s?[A-Z](?=\s*[-—–:]|$))?
        (?P<sep>[.、](?!\d))?
        (?![)）%‰])
    )\s*[-—–:]?\s*(?P<title>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
SENTENCE_MARKS = re.compile(r"[。；;，,！？!?]")
MAX_TITLE = 30  # characters: longer text after a number is a paragraph, not a heading title
MAX_CHAPTER_TITLE = 25
CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])")

# Marks of a responsibility matrix written as text (a PDF table, a typed table).
PRIMARY_MARKS = "●▲★■◎√✓✔"
SECONDARY_MARKS = "○〇△□☆◇"
MARKS = PRIMARY_MARKS + SECONDARY_MARKS
MATRIX_LINE_RE = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})(?!\d)\s*(?P<title>[^"
    + MARKS
    + r"]*?)\s*(?P<marks>(?:["
    + MARKS
    + r"\-—/]\s*){2,})$"
)


@dataclass
class Heading:
    number: str  # "8.4.1" (without a letter suffix)
    title: str  # the title as printed, spaces between Chinese characters removed
    line: int
    page: int | None = None
    suffix: str = ""  # "A" of "9.1.2A-顾客满意"
    is_text: bool = False  # a numbered paragraph: what follows the number is not a title
    where: str = "body"  # "body" or "matrix"
    table: int | None = None  # which matrix (0-based), for matrix rows
    marks: dict[str, str] = field(default_factory=dict)  # department → mark, for matrix rows
    group: bool = False  # a matrix cell that only groups rows (a merged "4.4 实施与运行")

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1

    @property
    def parts(self) -> list[int]:
        return [int(p) for p in self.number.split(".")]

    @property
    def parent_number(self) -> str:
        return self.number.rpartition(".")[0]

    @property
    def label(self) -> str:
        return f"{self.number}{self.suffix} {self.title}".strip()


@dataclass(frozen=True)
class Candidate:
    number: str
    suffix: str
    title: str
    separator: str


def chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, units = text.partition("十")
        return CN_DIGITS.get(tens, 0) * 10 + (CN_DIGITS.get(units, 0) if units else 0)
    return CN_DIGITS.get(text)


def clean_title(text: str) -> str:
    text = CJK_SPACE.sub("", text.strip())
    return text.rstrip(":：").strip()


def parse_candidate(text: str) -> Candidate | None:
    """The number and title at the start of a line, or None."""
    normal = normalise(text)
    match = HEADING_RE.match(normal)
    if not match:
        return None
    if match.group("cn"):
        value = chinese_number(match.group("cn"))
        if value is None or value == 0:
            return None
        number = str(value)
    else:
        number = re.sub(r"\s", "", match.group("num"))
        if any(len(p) > 1 and p.startswith("0") for p in number.split(".")):
            return None
    suffix = (match.group("suffix") or "").strip().upper()
    title = clean_title(match.group("title"))
    return Candidate(number, suffix, title, match.group("sep") or "")


def is_title(title: str, limit: int = MAX_TITLE) -> bool:
    return bool(title) and len(title) <= limit and not SENTENCE_MARKS.search(title)


def body_outline(lines: list[Line]) -> list[Heading]:
    """The numbered headings of the body, in order (see the module's note for what is kept)."""
    headings: list[Heading] = []
    chapter: int | None = None
    for index, line in enumerate(lines):
        if MATRIX_LINE_RE.match(normalise(line.text)):
            continue  # a matrix row written as text: read by ``matrix``, not a heading
        candidate = parse_candidate(line.text)
        if candidate is None:
            continue
        title = candidate.title
        if not title:  # a number alone: its title is on the next non-empty line
            following = next((ln for ln in lines[index + 1 : index + 3] if ln.text.strip()), None)
            if following is None or parse_candidate(following.text) or not is_title(clean_title(following.text)):
                continue
            title = clean_title(following.text)
        parts = [int(p) for p in candidate.number.split(".")]
        first = parts[0]
        if len(parts) == 1:
            if not is_title(title, MAX_CHAPTER_TITLE) or title[0] in "《<(（\"“'":
                continue
            if chapter is not None and not (chapter < first <= chapter + 3):
                continue
            chapter = first
            headings.append(Heading(candidate.number, title, line.line, line.page, candidate.suffix))
            continue
        if chapter is not None and first != chapter:
            # A deeper heading of the next chapter when the chapter itself has no heading line.
            starts_next = first == chapter + 1 and all(p == 1 for p in parts[1:]) and is_title(title)
            if not starts_next:
                continue
        chapter = first
        is_text = not is_title(title)
        headings.append(Heading(candidate.number, title, line.line, line.page, candidate.suffix, is_text=is_text))
    return headings
