"""The report as a document: the template's parts, in order, turned into printable blocks.

``build_document`` is pure: it takes the template (prefetched), the audit's facts (a dict keyed
by the fields' ``source`` paths, see ``reports.facts``), the typed values (``FieldValue`` by
field id) and the narrative (``TopicContent`` by topic id), and returns ``PartDoc``s of
``Block``s. The HTML preview renders them (``reports/_document.html``); the PDF engine can render
the same structure. No database access happens here, so the preview's query count is fixed by
whoever prefetches the inputs.

Block kinds: ``fact`` (label: value), ``choice`` (rows of ☑/☐ options), ``text``, ``table``,
``sentence`` (a fixed sentence with the values filled in), ``fixed`` (boilerplate),
``topics`` (a group heading and its narrative topics).
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.dates import local_date
from core.i18n import is_chinese, pick

from .models import FieldType

SLOT = re.compile(r"\{(\w+)\}")
#: A topic's field with this key says what the topic prints while it is outside the audit's
#: systems or audit type: 不适用 (a scope statement), 不涉及 or 无 (findings), or nothing. Without
#: it the template's 不适用 / N/A prints.
OUTSIDE_SCOPE_FIELD = "outside_scope"

#: A count with its noun in the singular and the plural: "{nc_report_count|nonconformity
#: report|nonconformity reports}" prints "1 nonconformity report", "2 nonconformity reports" (the
#: English sentence of 七; a template's wording is data, so its plural forms are data too).
PLURAL_SLOT = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def form_label(text: str) -> str:
    """A label or option as a form shows it: the print's slots ("{coverage_from}", "{boxes}",
    "{count|one|many}") become an ellipsis."""
    return SLOT.sub("…", PLURAL_SLOT.sub("…", text or ""))


def format_value(value, language=None) -> str:
    """A fact or typed value as printed: lists joined with 、, dates as 2019年5月20日 (zh) or
    2019-05-20 (en), None as blank."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        value = local_date(value)  # a moment prints as the CB's local day, not the UTC one
    if isinstance(value, datetime.date):
        if is_chinese(language):
            return f"{value.year}年{value.month}月{value.day}日"
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_value(datetime.date.fromisoformat(value), language)
    if isinstance(value, (list, tuple)):
        sep = "、" if is_chinese(language) else ", "
        return sep.join(format_value(v, language) for v in value if v not in (None, ""))
    return str(value)


def fill_slots(template: str, values: dict) -> str:
    """The sentence with its ``{slot}``s filled ("__" when blank). A value that already ends with
    the word printed after its slot does not get it twice: 七 "分布在{departments}部门" prints
    "分布在综合部" for 综合部, not "综合部部门" (a department named …部 is one)."""
    parts = []
    position = 0
    for match in SLOT.finditer(template):
        parts.append(template[position : match.start()])
        value = values.get(match.group(1)) or ""
        position = match.end()
        following = template[position : position + 2]
        if value and len(following) == 2 and is_cjk(following) and value.endswith(following[0]):
            position += 2
        parts.append(value or "__")
    parts.append(template[position:])
    return "".join(parts)


def is_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass
class Box:
    """One ☑/☐ box with its label (a family after an option, a criteria row …)."""

    label: str
    ticked: bool
    mark: str


@dataclass
class OptionRow:
    key: str
    label: str
    ticked: bool
    mark: str
    description: str = ""
    boxes: list = field(default_factory=list)  # Box, printed instead of the row's own box (二: ☑QMS/☐EMS 第二阶段审核)
    boxes_after: list = field(default_factory=list)  # Box, printed after the label (十 3.: 推荐认证注册(☑QMS ☐EMS))
    details: list = field(default_factory=list)  # (label, text) printed after the label
    retired: bool = False
    # As the PDF prints them: (label, text), blank ones included where the form prints a blank
    # to fill (三 "☐GB/T 50430-2017标准 不适用条款："); several print one a line (十 2. QMS:/EMS:/OHSMS:).
    printed_details: list = field(default_factory=list)


@dataclass
class Block:
    kind: str
    label: str = ""
    number: str = ""
    value: str = ""
    key: str = ""
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    text: str = ""
    ticked: bool | None = None
    mark: str = ""
    field_id: int | None = None
    editable: bool = False
    empty: bool = False
    topics: list = field(default_factory=list)
    title: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class TopicDoc:
    topic: Any
    content: Any
    key: str
    number: str
    title: str
    hint: str
    applicable: bool
    text: str
    not_applicable_text: str
    blocks: list
    family_boxes: list
    title_rest: str
    left_blank: bool = False

    @property
    def printed_text(self):
        return self.text if self.applicable else self.not_applicable_text

    @property
    def is_empty(self):
        return (
            self.applicable
            and not self.text.strip()
            and not self.left_blank
            and not any(not b.empty for b in self.blocks)
        )


@dataclass
class PartDoc:
    part: Any
    number: int
    numeral: str
    title: str
    blocks: list
    stage: str

    @property
    def heading(self):
        """一、审核方基本信息 (zh) / 1. Certification body information (en)."""
        return self.part.heading

    @property
    def anchor(self):
        return f"part-{self.part.key}"


@dataclass
class Inputs:
    """What the document is built from (all prefetched by the caller)."""

    template: Any
    parts: list  # TemplatePart with fields (+options) and topics (+fields, group) prefetched
    facts: dict  # source path -> value
    values: dict  # field id -> FieldValue (value, detail)
    contents: dict  # topic id -> TopicContent
    families: list  # the audit's families, e.g. ["QMS"]
    purpose: str = ""  # the audit purpose key (stage2, recertification …) for audit_types
    editable_field_ids: frozenset = frozenset()


class _Builder:
    def __init__(self, inputs: Inputs):
        self.i = inputs
        self.t = inputs.template
        self.lang_zh = is_chinese()

    # --- values ---------------------------------------------------------------------------
    def raw(self, fld):
        """The field's value: a fact from its source, else the typed value, else its default."""
        if fld.source:
            return self.i.facts.get(fld.source)
        stored = self.i.values.get(fld.pk)
        if stored is not None and stored.value not in (None, "", [], {}):
            if self.is_default_text(fld, stored.value):
                # The team kept the template's own sentence ("本次审核活动按审核计划执行（见附件1）。"):
                # it prints in the document's language, like an untouched default.
                return fld.default
            return stored.value
        if fld.default_zh or fld.default_en:
            return fld.default
        return None

    @staticmethod
    def is_default_text(fld, value):
        if not isinstance(value, str) or not (fld.default_zh and fld.default_en):
            return False
        return value.strip() in (fld.default_zh.strip(), fld.default_en.strip())

    def typed_cell(self, value):
        """A typed table cell (十八's recipients) that is the Chinese name of the CB, the client or
        one of its departments, or a usual wording of the distribution list, prints in the
        document's language: the record's own name in that language, the wording's translation."""
        if not isinstance(value, str) or self.lang_zh:
            return value
        text = value.strip()
        names = self.i.facts.get("names.localized") or {}
        if text in names:
            return names[text]
        return typed_phrases().get(text, value)

    def detail(self, fld):
        stored = self.i.values.get(fld.pk)
        return (stored.detail or {}) if stored is not None else {}

    def selected(self, fld):
        value = self.raw(fld)
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        if isinstance(value, bool):
            return ["yes" if value else "no"]
        return [str(value)]

    def mark(self, ticked):
        return self.t.mark(ticked)

    def applies_to_audit(self, audit_types):
        return not audit_types or not self.i.purpose or self.i.purpose in audit_types

    # --- parts ----------------------------------------------------------------------------
    def build(self):
        return [self.part(part) for part in self.i.parts]

    def part(self, part):
        fields = [f for f in part.fields.all() if f.topic_id is None]
        blocks = []
        if part.fixed_text:
            blocks.append(Block(kind="fixed", text=part.fixed_text))
        consumed = set()
        if part.print_text:
            sentence_blocks, consumed = self.sentence(part, fields)
            blocks.extend(sentence_blocks)
        blocks.extend(self.fields(fields, consumed))
        topics = list(part.topics.all())
        if topics:
            blocks.extend(self.topic_groups(topics))
        return PartDoc(
            part=part, number=part.number, numeral=part.numeral, title=part.title, blocks=blocks, stage=part.stage
        )

    def fields(self, fields, consumed=frozenset()):
        by_key = {f.key: f for f in fields}
        consumed = set(consumed) | {
            slot
            for f in fields
            if f.is_choice
            for o in f.options.all()
            for slot in SLOT.findall(o.label_zh + o.label_en)
            if slot in by_key
        }
        # Fields printed inside another field's option rows.
        attached = {f.key for f in fields if f.applies_to_options and self._owner_of(f, fields) is not None} | {
            f.key for f in fields if f.printed_with and f.printed_with in by_key
        }
        blocks = []
        for fld in fields:
            if fld.key in consumed or fld.key in attached:
                continue
            if not self.applies_to_audit(fld.audit_types):
                continue
            blocks.append(self.field(fld, fields))
        return blocks

    def _owner_of(self, fld, fields):
        """The choice field whose options ``fld`` is printed with (``applies_to_options``)."""
        wanted = set(fld.applies_to_options)
        for other in fields:
            if other is fld or not other.is_choice:
                continue
            if wanted & {o.key for o in other.options.all()}:
                return other
        return None

    def field(self, fld, siblings=()):
        common = {
            "label": fld.label,
            "number": fld.number,
            "key": fld.key,
            "field_id": fld.pk,
            "editable": fld.pk in self.i.editable_field_ids,
        }
        if fld.is_choice:
            return self.choice(fld, siblings, common)
        if fld.type == FieldType.TABLE:
            return self.table(fld, common)
        value = self.raw(fld)
        text = format_value(value)
        label = fld.label
        if "{n}" in label:
            # "获取法律法规{n}项": the value is printed inside the label.
            label = label.replace("{n}", text or "\u3000\u3000")
            return Block(
                kind="fixed",
                text=f"{fld.number} {label}" if fld.number else label,
                number=fld.number,
                empty=not text,
                key=fld.key,
                field_id=fld.pk,
            )
        if fld.type == FieldType.TEXT and text and label and text.startswith(label):
            # 五 1. "本次审核活动按审核计划执行（见附件1）。": the text already says it.
            return Block(
                kind="fixed", text=f"{fld.number}. {text}" if fld.number else text, key=fld.key, field_id=fld.pk
            )
        if fld.type == FieldType.TEXT:
            block = Block(kind="text", text=text, empty=not text, **common)
            if fld.checkbox:
                block.ticked = bool(text)
                block.mark = self.mark(bool(text))
            return block
        return Block(kind="fact", value=text, empty=not text, **common)

    def choice(self, fld, siblings, common):
        chosen = set(self.selected(fld))
        details = self.detail(fld)
        detail_label = (
            pick(fld.option_detail.get("label_zh"), fld.option_detail.get("label_en")) if fld.option_detail else ""
        )
        inline_boxes = [
            s
            for s in siblings
            if s.is_choice and s.applies_to_options and s is not fld and self._owner_of(s, siblings) is fld
        ]
        inline_texts = [
            s for s in siblings if not s.is_choice and s.applies_to_options and self._owner_of(s, siblings) is fld
        ]
        printed_with = [s for s in siblings if s.printed_with == fld.key]
        by_key = {s.key: s for s in siblings}
        rows = []
        for option in fld.options.all():
            ticked = option.key in chosen
            label = option.label
            if "{" in label:
                # e.g. 五 5. "体系运行开始的{coverage_from}至{coverage_to}。": the dates fill the chosen row.
                label = SLOT.sub(
                    lambda m: (
                        (format_value(self.raw(by_key[m.group(1)])) if ticked and m.group(1) in by_key else "")  # noqa: B023 (called at once)
                        or "\u3000\u3000"
                    ),
                    label,
                )
            row = OptionRow(
                key=option.key,
                label=label,
                ticked=ticked,
                mark=self.mark(ticked),
                description=option.description,
                retired=option.retired,
            )
            for box_field in inline_boxes:
                if option.key in box_field.applies_to_options:
                    box_chosen = set(self.selected(box_field)) if ticked else set()
                    row.boxes = [
                        Box(o.label, o.key in box_chosen, self.mark(o.key in box_chosen))
                        for o in box_field.options.all()
                    ]
            for box_field in printed_with:
                box_chosen = set(self.selected(box_field)) if ticked else set()
                row.boxes_after = [
                    Box(o.label, o.key in box_chosen, self.mark(o.key in box_chosen)) for o in box_field.options.all()
                ]
            for text_field in inline_texts:
                if option.key in text_field.applies_to_options:
                    text = format_value(self.raw(text_field)) if ticked or text_field.source else ""
                    row.details.append((text_field.label, text))
                    # A blank is printed to be filled in, unless the option's own words already
                    # ask for it (五 6. "…修改的内容和原因是", 三 "其他").
                    if text or text_field.label.rstrip(":：") not in label:
                        row.printed_details.append((text_field.label, text))
            if detail_label:
                row.details.append((detail_label, details.get(option.key, "") if ticked else ""))
                if row.details[-1][1]:
                    row.printed_details.append(row.details[-1])
            rows.append(row)
        block = Block(kind="choice", rows=rows, empty=not chosen, **common)
        if fld.checkbox:
            block.ticked = bool(chosen)
        return block

    def table(self, fld, common):
        columns = [(c["key"], pick(c.get("label_zh"), c.get("label_en")), c.get("type", "fact")) for c in fld.columns]
        source_rows = self.i.facts.get(fld.source) if fld.source else None
        stored = self.i.values.get(fld.pk)
        typed = stored.value if stored is not None else None
        rows = []
        if source_rows is not None:
            overrides = typed if isinstance(typed, dict) else {}
            for index, row in enumerate(source_rows, start=1):
                row_key = str(row.get("_key") or index)
                merged = dict(row)
                for key, value in (overrides.get(row_key) or {}).items():
                    if merged.get(key) in (None, ""):
                        merged[key] = value
                rows.append(
                    (row_key, self._row_label(fld, index), [format_value(merged.get(k)) for k, _l, _t in columns])
                )
        elif isinstance(typed, list):
            for index, row in enumerate(typed, start=1):
                rows.append(
                    (
                        str(index),
                        self._row_label(fld, index),
                        [format_value(self.typed_cell(row.get(k))) for k, _l, _t in columns],
                    )
                )
        block = Block(kind="table", columns=[label for _k, label, _t in columns], rows=rows, empty=not rows, **common)
        block.extra["column_keys"] = [k for k, _l, _t in columns]
        block.extra["has_row_labels"] = bool(fld.row_label_zh or fld.row_label_en)
        return block

    def _row_label(self, fld, index):
        label = pick(fld.row_label_zh, fld.row_label_en)
        return label.replace("{n}", str(index)) if label else ""

    # --- sentences with slots (七, 十二, 十五) --------------------------------------------
    def sentence(self, part, fields):
        template = part.print_text
        by_key = {f.key: f for f in fields}
        plural_slots = PLURAL_SLOT.findall(template)
        if plural_slots:
            template = PLURAL_SLOT.sub(lambda m: self.counted(by_key.get(m.group(1)), m.group(2), m.group(3)), template)
        slots = SLOT.findall(template)
        if "family" in slots:
            return self.family_sentences(part, template, slots, fields, by_key)
        values = {}
        for slot in slots:
            fld = by_key.get(slot)
            values[slot] = format_value(self.raw(fld)) if fld else ""
        text = fill_slots(template, values)
        return [Block(kind="sentence", text=text)], set(slots) | {key for key, _one, _many in plural_slots}

    def counted(self, fld, singular, plural):
        """ "1 nonconformity report", "2 nonconformity reports"; "__" and the plural when unknown."""
        value = self.raw(fld) if fld is not None else None
        try:
            count = int(value)
        except (TypeError, ValueError):
            return f"__ {plural}"
        return f"{count} {singular if count == 1 else plural}"

    def family_sentences(self, part, template, slots, fields, by_key):
        """十五: one line per system: ☑QMS (1) minor, ( ) major, ☑verified ☐issues remain."""
        systems = next((f for f in fields if f.type == FieldType.MULTICHOICE), None)
        consumed = {systems.key} if systems else set()
        rows = []
        chosen = set(self.selected(systems)) if systems else set()
        for option in systems.options.all() if systems else []:
            prefix = option.key.lower()
            ticked = option.key in chosen
            parts = {"family": option.label}
            result_boxes = []
            for slot in slots:
                if slot == "family":
                    continue
                fld = by_key.get(f"{prefix}_{slot}")
                if fld is None:
                    parts[slot] = ""
                    continue
                consumed.add(fld.key)
                if fld.is_choice:
                    picked = set(self.selected(fld))
                    result_boxes = [
                        Box(o.label, o.key in picked, self.mark(o.key in picked)) for o in fld.options.all()
                    ]
                    parts[slot] = "{result}"
                else:
                    parts[slot] = format_value(self.raw(fld)) or "\u3000"
            text = SLOT.sub(lambda m: parts.get(m.group(1), ""), template)  # noqa: B023 (called at once)
            before, _sep, after = text.partition("{result}")
            rows.append(
                {"mark": self.mark(ticked), "ticked": ticked, "text": before, "after": after, "boxes": result_boxes}
            )
        block = Block(
            kind="family_lines",
            rows=rows,
            label=systems.label if systems else "",
            number=systems.number if systems else "",
        )
        return [block], consumed

    # --- topics ---------------------------------------------------------------------------
    def topic_groups(self, topics):
        blocks = []
        for topic in topics:
            if not blocks or blocks[-1].extra["group_id"] != topic.group_id:
                group = topic.group
                blocks.append(
                    Block(kind="topics", title=group.title if group else "", extra={"group_id": topic.group_id})
                )
            blocks[-1].topics.append(self.topic(topic))
        return blocks

    def topic(self, topic):
        content = self.i.contents.get(topic.pk)
        applicable = topic.applies_to(self.i.families) and self.applies_to_audit(topic.audit_types)
        text = (content.text if content is not None else "") or ""
        fields = list(topic.fields.all())
        outside = next((f for f in fields if f.key == OUTSIDE_SCOPE_FIELD), None)
        fields = [f for f in fields if f is not outside]
        blocks = self.fields(fields) if applicable else []
        not_applicable_text = self.t.not_applicable
        if outside is not None:
            chosen = set(self.selected(outside))
            not_applicable_text = next((o.label for o in outside.options.all() if o.key in chosen), "")
        family_boxes, rest = self.family_title(topic)
        return TopicDoc(
            topic=topic,
            content=content,
            key=topic.key,
            number=topic.number,
            title=topic.title,
            hint=topic.hint,
            applicable=applicable,
            text=text if applicable else "",
            not_applicable_text=not_applicable_text,
            blocks=blocks,
            family_boxes=family_boxes,
            title_rest=rest,
            left_blank=bool(content is not None and content.left_blank),
        )

    def family_title(self, topic):
        """六(一)3 prints "☑质量/☐环境/☐职业健康安全方针" ("☑Quality/☐environmental/☐OH&S policy"):
        the families ticked per the audit, with the labels of the title's language."""
        labels = (topic.family_labels if self.lang_zh else topic.family_labels_en) or {}
        if not labels:
            return [], topic.title
        title = topic.title
        # In the title's order (a JSON object's key order is not kept by every database).
        ordered = sorted(labels.items(), key=lambda item: (title.find(item[1]), item[0]))
        prefix = ("/" if self.lang_zh else " / ").join(label for _code, label in ordered)
        if title.startswith(prefix):
            rest = title[len(prefix) :]
            boxes = [Box(label, code in self.i.families, self.mark(code in self.i.families)) for code, label in ordered]
            return boxes, rest
        return [], title


#: Usual recipients of the distribution list (十八), as a team types them in Chinese.
TYPED_PHRASES = (
    pgettext_lazy("report distribution", "Auditee (with attachments)"),
    pgettext_lazy("report distribution", "Auditee"),
)


def typed_phrases() -> dict[str, str]:
    """The Chinese wording of the distribution list's usual recipients → the active language's."""
    result = {}
    for phrase in TYPED_PHRASES:
        with translation.override("zh-hans"):
            chinese = str(phrase)
        result[chinese] = str(phrase)
    return result


def build_document(inputs: Inputs) -> list:
    return _Builder(inputs).build()
