"""The print layout of the audit report: how the report's document is arranged on paper.

The report's content comes from ``reports.selectors.report_data`` (the same parts and blocks the
HTML preview shows, built by ``reports.document``). ``layout.part`` arranges them for print:
consecutive short facts become label/value form tables (two pairs a row when both are short),
choices with short options print inline (``☐是 ☑否``), signature fields become signature lines, a
part's own title is not repeated as a field label, numbered topics follow the field with the
same number (part 十). ``reports.versions.render`` builds the whole document and renders it.
"""

import re
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from core.i18n import is_chinese, pick

from ..document import Box
from ..models import FieldType

#: Fields printed as signature lines ("审核组组长（签名）：____  日期：____"). A name field
#: followed by a date field shares one line.
SIGNATURE_NAME_FIELDS = frozenset({"team_leader", "team_members", "leader_signature", "committee_reviewer", "approver"})
SIGNATURE_DATE_FIELDS = frozenset({"signed_on", "verified_on", "committee_date", "approval_date"})
SIGNATURE_FIELDS = SIGNATURE_NAME_FIELDS | SIGNATURE_DATE_FIELDS

#: A value longer than this (in Chinese characters; a Latin letter counts half) takes a whole form
#: row; two shorter ones share a row.
SHORT_VALUE = 11
SHORT_LABEL = 12
#: A choice prints on one line when its options are this short together (and carry nothing else).
INLINE_CHOICE_CHARS = 36

ATTACHMENTS_PART = "attachments"


# --- print items ---------------------------------------------------------------------------------


@dataclass
class FormCell:
    label: str
    value: str = ""
    boxes: list = field(default_factory=list)  # an inline choice: Box(label, ticked, mark)
    wide: bool = False
    key: str = ""
    multiline: bool = False
    group: str = ""


@dataclass
class PrintItem:
    """One thing printed in a part: ``kind`` is the template to use (report_item.html)."""

    kind: str  # form, line, text, choice, choice_inline, choice_table, table, sentence, fixed, family_lines, topics, signatures, list
    block: object = None
    heading: str = ""  # "2. 已审核总部的部门、职能或过程" (empty: no heading line)
    rows: list = field(default_factory=list)
    widths: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    key: str = ""
    value: str = ""  # printed after the heading on the same line
    text: str = ""  # printed as a paragraph below
    blank: bool = False  # an empty narrative field: room to write


@dataclass
class PrintPart:
    doc: object
    key: str
    number: int
    heading: str
    title: str
    filled_by: str
    items: list
    keep: bool = False  # a short part printed on one page (its heading never apart from its table)
    legend: str = ""  # explains abbreviations the part prints (七: Q/J/E/S)


#: The CNCA's letters for the management systems, as the report prints them ("Q/J/E/S分开填写"):
#: Q quality (GB/T 19001 / ISO 9001), J quality of construction enterprises (GB/T 50430),
#: E environment (GB/T 24001 / ISO 14001), S occupational health and safety (GB/T 45001 / ISO 45001).
ABBREVIATIONS = "Q/J/E/S"


def abbreviations_legend() -> str:
    return _(
        "Q/J/E/S: Q quality management system (ISO 9001), J quality management of construction enterprises "
        "(GB/T 50430), E environmental management system (ISO 14001), S occupational health and safety "
        "management system (ISO 45001)."
    )


@dataclass
class PrintDocument:
    cover: dict
    parts: list
    plan: list
    nonconformities: list
    attachment_titles: list
    snapshot: dict = field(default_factory=dict)


def part_heading(part, title, language):
    """一、审核方基本信息 in Chinese; "1. Certification body information" in English."""
    if not part.number:
        return title
    if is_chinese(language):
        return f"{part.numeral}、{title}"
    return f"{part.number}. {title}"


def _numbered(block):
    return f"{block.number}. {block.label}" if block.number else block.label


def display_width(text) -> int:
    """Width in half-width columns: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def _column_widths(columns, rows, *, row_labels=False):
    """Percent widths for a fixed-layout table, from the width of its header and cells."""
    weights = []
    for index, column in enumerate(columns):
        cells = [str(row[index]) for row in rows if index < len(row)]
        lines = [line for c in cells for line in c.splitlines()]  # a cell's lines are printed as they are
        longest = max([display_width(column)] + [min(display_width(line), 100) for line in lines])
        weights.append(min(max(longest, 8), 70) + 4)  # + the cell padding
    total_width = 100.0
    widths = []
    if row_labels:
        widths.append(16.0)
        total_width -= 16.0
    total = sum(weights) or 1
    shares = [total_width * w / total for w in weights]
    floors = [
        _word_floor(column, [str(row[index]) for row in rows if index < len(row)])
        for index, column in enumerate(columns)
    ]
    widths.extend(round(w, 1) for w in _raise_to_floors(shares, floors))
    return widths


#: The report's text width in pt: A4 (595 pt) less the left and right @page margins of
#: reports/static/reports/pdf/print.css (20 mm and 18 mm).
TEXT_WIDTH_PT = 595.3 - 38 * 72 / 25.4
#: A Latin letter of a header cell (9.5 pt bold sans) is about 0.62 em wide; a cell's padding and
#: border take about 12 pt. Estimates that err on the wide side.
LETTER_PT = 0.62 * 9.5
CELL_PADDING_PT = 12
#: Words longer than this are identifiers or URLs: they may wrap inside the word.
LONGEST_KEPT_WORD = 16


def _word_floor(header, cells):
    """The percent width under which the longest English word of a column (its header, or a
    cell) would be cut in the middle ("Specificat/ion")."""
    words = [w for text in [header, *cells] for w in re.findall(r"[A-Za-z]+", str(text))]
    longest = max((len(w) for w in words if len(w) <= LONGEST_KEPT_WORD), default=0)
    if not longest:
        return 0.0
    return 100 * (longest * LETTER_PT + CELL_PADDING_PT) / TEXT_WIDTH_PT


def _raise_to_floors(shares, floors):
    """Raise every column below its floor to it, taking the room from the columns above theirs in
    proportion to what they can give (no change when the floors do not fit together)."""
    if sum(floors) >= sum(shares):
        return shares
    need = sum(max(f - s, 0) for s, f in zip(shares, floors, strict=True))
    spare = sum(max(s - f, 0) for s, f in zip(shares, floors, strict=True))
    if not need or not spare:
        return shares
    return [f if s < f else s - (s - f) * need / spare for s, f in zip(shares, floors, strict=True)]


class PrintLayout:
    """Lays the parts of one report's document out for print, in one language (``part(doc)``)."""

    def __init__(self, data, language):
        self.data = data
        self.language = language
        self.fields = {}
        for part in data.parts:
            for fld in part.fields.all():
                self.fields[fld.pk] = fld
            for topic in part.topics.all():
                for fld in topic.fields.all():
                    self.fields[fld.pk] = fld

    def field_of(self, block):
        return self.fields.get(block.field_id)

    def is_date(self, block):
        fld = self.field_of(block)
        return fld is not None and fld.type == FieldType.DATE

    def blank_date(self):
        return "\u3000\u3000年\u3000\u3000月\u3000\u3000日" if is_chinese(self.language) else ""

    # --- parts -----------------------------------------------------------------------------
    def part(self, doc):
        part = doc.part
        title = doc.title
        items = []
        pending_form = []
        pending_sign = []

        def flush():
            if pending_form:
                items.append(self.form(pending_form))
                pending_form.clear()
            if pending_sign:
                items.append(self.signatures(pending_sign))
                pending_sign.clear()

        blocks = self.topic_titles(self.ordered_blocks(doc.blocks))
        if part.key == ATTACHMENTS_PART:
            return PrintPart(
                doc=doc,
                key=part.key,
                number=part.number,
                heading=part_heading(part, title, self.language),
                title=title,
                filled_by=part.filled_by,
                items=[self.attachment_list(doc)],
            )
        for block in blocks:
            kind = block.kind
            if kind in ("fact", "text") and block.key in SIGNATURE_FIELDS:
                if pending_form:
                    items.append(self.form(pending_form))
                    pending_form.clear()
                pending_sign.append(block)
                continue
            if kind == "fact" or (kind == "text" and self.form_text(block, title)):
                if pending_sign:
                    items.append(self.signatures(pending_sign))
                    pending_sign.clear()
                self.add_cell(pending_form, block)
                continue
            if kind == "table" and block.extra.get("has_row_labels") and len(block.columns) == 2:
                # 四 经营地址1 | address | 邮编 | postcode: label/value pairs, as the seed prints them
                # (not a table headed 经营地址 with a 经营地址 column and 经营地址1 rows).
                for _key, row_label, cells in block.rows or [("", block.label, ["", ""])]:
                    pending_form.append(FormCell(label=row_label, value=cells[0], key=block.key))
                    pending_form.append(FormCell(label=block.columns[1], value=cells[1], key=block.key))
                continue
            if kind == "choice" and self.inline_choice(block) and not block.number and not self.single_box(block):
                if pending_sign:
                    items.append(self.signatures(pending_sign))
                    pending_sign.clear()
                pending_form.append(FormCell(label=block.label, boxes=self.boxes(block), key=block.key))
                continue
            flush()
            items.append(self.item(block, title))
        flush()
        return PrintPart(
            doc=doc,
            key=part.key,
            number=part.number,
            heading=part_heading(part, title, self.language),
            title=title,
            filled_by=part.filled_by,
            items=items,
            keep=self.short_part(items),
            legend=self.legend(doc),
        )

    @staticmethod
    def short_part(items):
        """A part of a few short items (八: a box and a three-row table; 十六: two conclusions and
        their signatures) is kept on one page, so no heading or box line ends a page apart from
        what it introduces."""
        if len(items) > 6 or any(i.kind in ("topics", "family_lines") for i in items):
            return False
        return all(len(i.text) < 200 and len(i.rows) <= 10 for i in items)

    def add_cell(self, cells, block):
        """A form cell; consecutive facts of one group (四 体系区域: branches, temporary sites) share
        one cell under the group's name, each as "label：value" on its own line."""
        fld = self.field_of(block)
        group = pick(fld.group_zh, fld.group_en, self.language) if fld is not None else ""
        if not group:
            cells.append(self.cell(block))
            return
        colon = "：" if is_chinese(self.language) else ": "
        line = f"{block.label}{colon}{block.value if block.kind == 'fact' else block.text}"
        if cells and cells[-1].group == group:
            cells[-1].value += "\n" + line
            return
        cells.append(FormCell(label=group, value=line, wide=True, key=block.key, multiline=True, group=group))

    def legend(self, doc):
        """A reader of the English report is told what Q/J/E/S stand for where the part uses
        them (the Chinese report prints them as the seed does: its readers know them)."""
        if is_chinese(self.language):
            return ""
        printed = " ".join(f"{b.label} {b.text} {b.title}" for b in doc.blocks)
        return abbreviations_legend() if ABBREVIATIONS in printed else ""

    def ordered_blocks(self, blocks):
        """Topics whose first number matches a numbered field follow that field (part 十: the
        fields 1-3 and the topic "1. … 的适宜性、充分性" come in the seed's order)."""
        topics = [b for b in blocks if b.kind == "topics" and b.topics]
        rest = [b for b in blocks if not (b.kind == "topics" and b.topics)]
        if not topics or not any(b.number for b in rest):
            return list(blocks)
        result = list(rest)
        for group in topics:
            number = group.topics[0].number
            positions = [i for i, b in enumerate(result) if b.number and b.number == number]
            if positions:
                result.insert(positions[0] + 1, group)
            else:
                result.append(group)
        return result

    def topic_titles(self, blocks):
        """Topics as printed: the title with its ☑/☐ boxes, and the continuing title.

        A topic that follows a choice field with its number whose options are named in the
        title (十 1.: the field "结论涉及的体系" ☑QMS ☐EMS ☐OHSMS, the topic "QMS/EMS/OHSMS的适宜性…")
        prints the boxes in the title instead of the field's own line, as the seed does:
        "1. ☑QMS/☐EMS/☐OHSMS的适宜性、充分性…". The template's continuing title ("QMS/EMS/OHSMS持续的
        符合性…") follows the hint, with the same boxes. The document's blocks are not changed
        (the snapshot is built from them): topics and their group are copied."""
        result = []
        for block in blocks:
            if block.kind != "topics" or not block.topics:
                result.append(block)
                continue
            boxes = None
            previous = result[-1] if result else None
            first = block.topics[0]
            if (
                previous is not None
                and previous.kind == "choice"
                and previous.number
                and previous.number == first.number
                and previous.rows
                and not any(r.boxes or r.boxes_after or r.details or r.description for r in previous.rows)
            ):
                candidate = [Box(r.label, r.ticked, r.mark) for r in previous.rows]
                if _split_title(first.title, candidate) is not None:
                    boxes = candidate
                    result.pop()
            topics = [self.print_topic(t, boxes if index == 0 else None) for index, t in enumerate(block.topics)]
            result.append(replace(block, topics=topics))
        return result

    def print_topic(self, topic, boxes=None):
        printed = replace(topic)
        before, title_boxes, after = "", topic.family_boxes, topic.title_rest
        split = _split_title(topic.title, boxes) if boxes else None
        if split is not None:
            (before, after), title_boxes = split, boxes
        printed.title_before, printed.title_boxes, printed.title_after = before, title_boxes, after
        printed.lines = topic_lines(topic.blocks, self.language)
        printed.continuing = None
        continuing = getattr(topic.topic, "title_continuing", "") if topic.topic is not None else ""
        if continuing:
            split = _split_title(continuing, title_boxes) if title_boxes else None
            printed.continuing = (split[0], title_boxes, split[1]) if split is not None else ("", [], continuing)
        return printed

    def form_text(self, block, part_title):
        """A short text without a number prints as a form cell; others as a line or a paragraph."""
        if block.number or block.mark or block.label == part_title:
            return False
        return len(block.text) <= 200

    def cell(self, block):
        value = block.value if block.kind == "fact" else block.text
        if not value and self.is_date(block):
            value = self.blank_date()
        # Widths in half-width columns: a short English label ("Number of personnel") pairs like
        # a Chinese one of half as many characters.
        wide = display_width(value) > 2 * SHORT_VALUE or display_width(block.label) > 2 * SHORT_LABEL or "\n" in value
        return FormCell(label=_numbered(block), value=value, wide=wide, key=block.key, multiline="\n" in value)

    def form(self, cells):
        """Rows of (label, value) cells: two short cells share a row."""
        rows = []
        i = 0
        while i < len(cells):
            cell = cells[i]
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if not cell.wide and nxt is not None and not nxt.wide:
                rows.append([cell, nxt])
                i += 2
            else:
                cell.wide = True
                rows.append([cell])
                i += 1
        return PrintItem(kind="form", rows=rows)

    def signatures(self, blocks):
        rows = []
        i = 0
        while i < len(blocks):
            block = blocks[i]
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            row = [self.sign_cell(block)]
            if block.key in SIGNATURE_NAME_FIELDS and nxt is not None and nxt.key in SIGNATURE_DATE_FIELDS:
                row.append(self.sign_cell(nxt))
                i += 1
            rows.append(row)
            i += 1
        return PrintItem(kind="signatures", rows=rows)

    def sign_cell(self, block):
        value = block.value if block.kind == "fact" else block.text
        if not value and (self.is_date(block) or block.key in SIGNATURE_DATE_FIELDS):
            value = self.blank_date()
        return FormCell(label=block.label, value=value, key=block.key)

    def inline_choice(self, block):
        rows = block.rows
        if not rows or len(rows) > 4:
            return False
        if any(r.description or r.boxes or r.details for r in rows):
            return False
        return sum(len(r.label) for r in rows) <= INLINE_CHOICE_CHARS

    @staticmethod
    def single_box(block):
        """八: "☐可能影响本次审核结论可靠性的因素" — one box whose label is the field's own."""
        return len(block.rows) == 1 and block.rows[0].label == block.label

    def boxes(self, block):
        return [Box(r.label, r.ticked, r.mark) for r in block.rows]

    def item(self, block, part_title):
        kind = block.kind
        label = "" if block.label == part_title else block.label
        heading = (
            f"{block.number}. {label}" if block.number and label else (f"{block.number}." if block.number else label)
        )
        if kind == "text":
            text = block.text
            if label and text.startswith(label):
                # 五 1.: "本次审核活动按审核计划执行（见附件1）。" prints once, after its number.
                return PrintItem(
                    kind="line", block=block, heading=f"{block.number}. {text}" if block.number else text, key=block.key
                )
            short = len(text) <= 60 and "\n" not in text
            if not heading and not block.mark:
                return PrintItem(kind="text", block=block, key=block.key, text=text, blank=not text)
            return PrintItem(
                kind="text",
                block=block,
                heading=heading,
                key=block.key,
                value=text if short else "",
                text="" if short else text,
            )
        if kind == "choice":
            fld = self.field_of(block)
            if self.single_box(block):
                # 八: "☐可能影响本次审核结论可靠性的因素" — one box, its label is the field's.
                return PrintItem(kind="choice_inline", block=block, rows=self.boxes(block), key=block.key)
            if self.inline_choice(block):
                return PrintItem(
                    kind="choice_inline", block=block, heading=heading, rows=self.boxes(block), key=block.key
                )
            if fld is not None and fld.option_detail:
                detail_label = pick(fld.option_detail.get("label_zh"), fld.option_detail.get("label_en"), self.language)
                return PrintItem(
                    kind="choice_table",
                    block=block,
                    heading=heading,
                    key=block.key,
                    rows=[(r, r.details[-1][1] if r.details else "") for r in block.rows],
                    columns=[block.label, detail_label],
                    widths=[45, 55],
                )
            # An option's ``boxes`` (a field that applies to options) come first and stand for the
            # option's own box (二 "☑QMS/☐EMS/☐OHSMS 第二阶段审核"); its ``boxes_after`` (a field
            # "printed with" this one) follow it in brackets (十 3. "☐推荐认证注册(☐QMS ☐EMS ☐OHSMS)").
            return PrintItem(kind="choice", block=block, heading=heading, key=block.key)
        if kind == "table":
            cells = [cells for _key, _label, cells in block.rows]
            widths = _column_widths(block.columns, cells, row_labels=block.extra.get("has_row_labels"))
            return PrintItem(kind="table", block=block, heading=heading, widths=widths, key=block.key)
        if kind == "topics":
            title = "" if block.title == part_title else block.title
            return PrintItem(kind="topics", block=block, heading=title)
        return PrintItem(kind=kind, block=block, heading=heading, key=block.key)

    def attachment_list(self, doc):
        rows = []
        for number, title in attachment_titles(doc, self.language):
            rows.append((number, title))
        return PrintItem(kind="list", rows=rows)


def _split_title(title, boxes):
    """``(before, after)`` around the boxes' labels joined by "/" in ``title``, or None."""
    if not boxes:
        return None
    joined = "/".join(str(b.label) for b in boxes)
    index = title.find(joined)
    if index < 0:
        return None
    return title[:index], title[index + len(joined) :]


def attachment_titles(doc, language):
    """Part 十九's list: (number, title in the PDF's language), from the typed attachment table."""
    for block in doc.blocks:
        if block.kind == "table" and block.rows:
            keys = block.extra.get("column_keys", [])
            result = []
            for _key, _label, cells in block.rows:
                row = dict(zip(keys, cells, strict=False))
                title = pick(row.get("title_zh", ""), row.get("title_en", ""), language)
                result.append((row.get("number", ""), title))
            return result
    return []


# --- a topic's own fields, as lines ---------------------------------------------------------------


@dataclass
class TopicLine:
    """One printed line of a topic's fields: "(2) 结合公司的☑产品/服务☐环境因素☐危险源，☑确定 ☐未确定法律法规要求的具体条款".
    ``segments``: ("text", str) or ("boxes", [Box]); ``block``: a field printed on its own."""

    number: str = ""
    segments: list = field(default_factory=list)
    block: object = None


def topic_lines(blocks, language):
    """The topic's fields as lines: the fields that share a number ("(1)", "(2)" of 六(一)4) print
    on one line under that number, once; a choice's ``{boxes}`` slot says where its label goes
    around its boxes (a label without one is not printed: its options say it); other fields print
    on their own."""
    separator = "，" if is_chinese(language) else ", "
    colon = "：" if is_chinese(language) else ": "
    lines = []
    for block in blocks:
        if not block.number:
            lines.append(TopicLine(block=block))
            continue
        if lines and lines[-1].block is None and lines[-1].number == block.number:
            line = lines[-1]
            line.segments.append(("text", separator))
        else:
            line = TopicLine(number=block.number)
            lines.append(line)
        line.segments.extend(_segments(block, colon))
    return lines


def _segments(block, colon):
    if block.kind == "fixed":
        text = block.text
        prefix = f"{block.number} "
        return [("text", text[len(prefix) :] if text.startswith(prefix) else text)]
    if block.kind == "choice":
        boxes = [Box(r.label, r.ticked, r.mark) for r in block.rows]
        before, slot, after = block.label.partition("{boxes}")
        segments = [("text", before)] if slot and before else []
        segments.append(("boxes", boxes))
        if slot and after:
            segments.append(("text", after))
        for row in block.rows:
            segments += [("text", f"{label}{colon}{text}" if text else "") for label, text in row.printed_details]
        return [s for s in segments if s[1]]
    value = block.value if block.kind == "fact" else block.text
    return [("text", f"{block.label}{colon}{value}")]
