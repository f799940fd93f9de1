"""Reads for the report pages, each in a fixed number of queries whatever the number of topics,
fields, findings and nonconformities (asserted in tests/test_report_queries.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from audits.models import Audit, TeamRole
from findings.models import Finding, Nonconformity
from standards.models import Clause

from .document import Inputs, PartDoc, TopicDoc, build_document
from .facts import audit_facts, facts_prefetch
from .models import (
    EDITABLE_STATUSES,
    FieldType,
    FieldValue,
    PartStage,
    Report,
    ReportEvent,
    ReportStatus,
    ReportTemplate,
    TemplateField,
    TemplatePart,
    TemplateTopic,
    TopicComment,
    TopicConflict,
    TopicContent,
)
from .models.content import ReportQuerySet
from .template_history import show_template_as_approved

# QMS, EMS, OHSMS, then any other family.
FAMILY_ORDERING = Case(
    When(standard__family="QMS", then=Value(0)),
    When(standard__family="EMS", then=Value(1)),
    When(standard__family="OHSMS", then=Value(2)),
    default=Value(9),
)


def template_parts(template: ReportTemplate) -> list[TemplatePart]:
    """The template's parts in order with fields, options, groups, topics and clauses: 7 queries."""
    return list(
        TemplatePart.objects.filter(template=template)
        .order_by("order", "number")
        .prefetch_related(
            Prefetch(
                "fields",
                queryset=TemplateField.objects.filter(topic__isnull=True).prefetch_related("options"),
            ),
            Prefetch(
                "topics",
                queryset=TemplateTopic.objects.select_related("group").prefetch_related(
                    Prefetch("fields", queryset=TemplateField.objects.prefetch_related("options")),
                    Prefetch(
                        "clauses",
                        queryset=Clause.objects.select_related("standard").order_by(FAMILY_ORDERING, "sort_key"),
                    ),
                ),
            ),
        )
    )


def report_queryset() -> ReportQuerySet:
    queryset = Report.objects.select_related("audit__client", "template", "approved_by").prefetch_related(
        *facts_prefetch("audit__")
    )
    return cast(ReportQuerySet, queryset)


def get_report(*, user: Any, pk: int, action: str = "view") -> Report:
    """The report if ``user`` may ``action`` it, else 404; prefetched for the pages."""
    return get_object_or_404(report_queryset().restrict(user, action), pk=pk)


def topic_contents(report: Report) -> dict[int, TopicContent]:
    return {
        c.topic_id: c
        for c in TopicContent.objects.filter(report=report)
        .select_related("assignee", "saved_by")
        .prefetch_related(
            Prefetch("comments", queryset=TopicComment.objects.select_related("by").order_by("at", "pk")),
            Prefetch(
                "conflicts",
                queryset=TopicConflict.objects.filter(resolved_at__isnull=True).select_related("by").order_by("-at"),
                to_attr="open_conflicts",
            ),
        )
    }


def field_values(report: Report) -> dict[int, FieldValue]:
    return {v.field_id: v for v in FieldValue.objects.filter(report=report)}


@dataclass
class ReportData:
    report: Report
    parts: list[TemplatePart]
    contents: dict[int, TopicContent]
    values: dict[int, FieldValue]
    facts: dict[str, Any]
    families: list[str]
    document: list[PartDoc] = field(default_factory=list)


def report_data(report: Report, *, editable_field_ids: frozenset[int] = frozenset()) -> ReportData:
    """Everything a report page shows, with the document built (parts → blocks)."""
    audit = report.audit
    audit._team_cache = list(audit.team.all())  # type: ignore[attr-defined]  # read by reports.rules
    parts = template_parts(report.template)
    show_template_as_approved(report, parts)
    contents = topic_contents(report)
    values = field_values(report)
    facts = audit_facts(audit)
    families = facts["audit.families"]
    document = build_document(
        Inputs(
            template=report.template,
            parts=parts,
            facts=facts,
            values=values,
            contents=contents,
            families=families,
            purpose=audit.purpose,
            editable_field_ids=editable_field_ids,
        )
    )
    return ReportData(
        report=report, parts=parts, contents=contents, values=values, facts=facts, families=families, document=document
    )


# --- completion ----------------------------------------------------------------------------------


@dataclass
class CompletionItem:
    kind: str  # "topic", "field" or "comment"
    part: TemplatePart
    label: str
    owner: str = ""
    anchor: str = ""
    filled: bool = False
    applicable: bool = True
    note: str = ""


@dataclass
class PartCompletion:
    part: TemplatePart
    items: list[CompletionItem]

    @property
    def missing(self) -> list[CompletionItem]:
        return [i for i in self.items if not i.filled]

    @property
    def is_complete(self) -> bool:
        return not self.missing


@dataclass
class Completion:
    parts: list[PartCompletion]

    @property
    def missing(self) -> list[CompletionItem]:
        return [i for p in self.parts for i in p.missing]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def total(self) -> int:
        return sum(len(p.items) for p in self.parts)


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def report_completion(*, report: Report, data: ReportData | None = None) -> Completion:
    """Which parts and topics are still empty, and who owns them.

    Required before submission (parts filled "with the report" only):
    * every topic that applies to the audit (its families and audit type) has text, is marked
      "nothing to report", or has a value in one of its own boxes;
    * every single choice typed by the team (not a fact) is chosen;
    * a text asked for by the chosen option (e.g. the reason the objectives were not met) is given;
    * every comment of a return has been answered by saving the topic again.
    """
    data = data or report_data(report)
    by_part: dict[int, PartCompletion] = {}
    for doc in data.document:
        part = doc.part
        if part.stage != PartStage.REPORT:
            continue
        items = by_part.setdefault(part.pk, PartCompletion(part=part, items=[]))
        fields = list(part.fields.all())
        values = data.values
        for fld in fields:
            if fld.source or fld.type != FieldType.CHOICE or fld.applies_to_options or fld.printed_with:
                continue
            if fld.audit_types and data.report.audit.purpose not in fld.audit_types:
                continue
            stored = values.get(fld.pk)
            items.items.append(
                CompletionItem(
                    kind="field",
                    part=part,
                    label=f"{part.short_number} {fld.label}",
                    anchor=f"field-{fld.pk}",
                    filled=stored is not None and _filled(stored.value),
                )
            )
            chosen = stored.value if stored is not None else None
            conditional = [f for f in fields if not f.is_choice and not f.source and chosen in f.applies_to_options]
            if conditional:
                filled = any(values.get(f.pk) is not None and _filled(values[f.pk].value) for f in conditional)
                items.items.append(
                    CompletionItem(
                        kind="field",
                        part=part,
                        label=f"{part.short_number} {' / '.join(f.label for f in conditional)}",
                        anchor=f"field-{conditional[0].pk}",
                        filled=filled,
                    )
                )
        for block in doc.blocks:
            for topic_doc in block.topics:
                content = topic_doc.content
                owner = content.assignee.name if content is not None and content.assignee else ""
                label = (
                    f"{part.short_number} {topic_doc.number}. {topic_doc.title}"
                    if topic_doc.number
                    else f"{part.short_number} {topic_doc.title}"
                )
                if not topic_doc.applicable:
                    items.items.append(
                        CompletionItem(
                            kind="topic",
                            part=part,
                            label=label,
                            owner=owner,
                            anchor=f"topic-{topic_doc.topic.pk}",
                            filled=True,
                            applicable=False,
                            note=data.report.template.not_applicable,
                        )
                    )
                    continue
                items.items.append(
                    CompletionItem(
                        kind="topic",
                        part=part,
                        label=label,
                        owner=owner,
                        anchor=f"topic-{topic_doc.topic.pk}",
                        filled=not topic_doc.is_empty,
                        note=_("nothing to report") if topic_doc.left_blank else "",
                    )
                )
                if content is not None:
                    for comment in content.comments.all():
                        if comment.addressed_at is None:
                            items.items.append(
                                CompletionItem(
                                    kind="comment",
                                    part=part,
                                    label=_("%(topic)s: returned — %(comment)s")
                                    % {"topic": label, "comment": comment.text},
                                    owner=owner,
                                    anchor=f"topic-{topic_doc.topic.pk}",
                                    filled=False,
                                )
                            )
    return Completion(parts=[p for p in by_part.values() if p.items])


# --- helpers for the pages -----------------------------------------------------------------------


def topic_doc(*, report: Report, content: TopicContent) -> TopicDoc:
    """The TopicDoc of one topic (after a merge the card is drawn again)."""
    data = report_data(report)
    for doc in data.document:
        for block in doc.blocks:
            for t in block.topics:
                if t.topic.pk == content.topic_id:
                    return t
    raise LookupError(content.topic_id)


def parts_with_typed_values(parts: Iterable[TemplatePart]) -> set[int]:
    """Ids of the parts that have values the team types (their "Edit" link)."""
    result = set()
    for part in parts:
        if part.stage == PartStage.COMMITTEE:
            continue
        fields = list(part.fields.all()) + [f for t in part.topics.all() for f in t.fields.all()]
        if any(not f.source and f.type != FieldType.FACT for f in fields):
            result.add(part.pk)
    return result


@dataclass
class ChoiceGroup:
    part: TemplatePart
    topic: TemplateTopic | None
    fields: list[TemplateField]


def choice_groups(fields: Iterable[TemplateField], families: Iterable[str], purpose: str = "") -> list[ChoiceGroup]:
    """The editable fields by part (and by topic inside a part), in the report's order; topics
    that do not apply to the audit's families, and fields of other audit types, are left out."""
    groups: list[ChoiceGroup] = []
    ordered = sorted(
        fields, key=lambda f: (f.part.order, f.part.number, f.topic.order if f.topic else -1, f.order, f.pk)
    )
    for fld in ordered:
        if fld.topic is not None and not fld.topic.applies_to(families):
            continue
        if purpose and fld.audit_types and purpose not in fld.audit_types:
            continue
        if not groups or groups[-1].part.pk != fld.part_id or groups[-1].topic != fld.topic:
            groups.append(ChoiceGroup(part=fld.part, topic=fld.topic, fields=[]))
        groups[-1].fields.append(fld)
    return groups


def cover(data: ReportData) -> dict[str, Any]:
    """The cover page: auditee, systems audited (☑/☐), CB name and website."""
    for doc in data.document:
        if doc.number == 0:
            return {block.key: block for block in doc.blocks}
    return {}


def report_list(*, user: Any) -> QuerySet[Report]:
    """The reports the user may see, newest audit first (the list page shows one page of them)."""
    return (
        Report.objects.restrict(user, "view")
        .select_related("audit__client", "template")
        .order_by("-audit__start_date", "-pk")
    )


def report_events(*, report: Report) -> list[ReportEvent]:
    return list(
        ReportEvent.objects.filter(report=report)
        .select_related("by")
        .prefetch_related("comments__content__topic")
        .order_by("-at", "-pk")
    )


def findings_of(*, audit: Audit) -> list[Finding]:
    return list(
        Finding.objects.filter(audit=audit)
        .select_related("clause__standard", "department", "recorded_by")
        .prefetch_related(
            "attachments",
            Prefetch("nonconformities", queryset=Nonconformity.objects.order_by("number")),
        )
        .order_by("pk")
    )


def actions_for(*, user: Any) -> list[tuple[str, Report, int]]:
    """(kind, report, count) for the home page: "approve" (submitted reports I lead), "revise"
    (my topics returned with comments), "write" (my applicable topics still empty)."""
    result: list[tuple[str, Report, int]] = []
    for report in Report.objects.filter(
        status=ReportStatus.SUBMITTED, audit__team__profile__user=user, audit__team__role=TeamRole.LEADER
    ).select_related("audit__client"):
        result.append(("approve", report, 0))
    mine = (
        TopicContent.objects.filter(assignee__profile__user=user, report__status__in=EDITABLE_STATUSES)
        .select_related("report__audit__client", "topic")
        .prefetch_related("report__audit__standards")
        .annotate(open_comments=Count("comments", filter=Q(comments__addressed_at__isnull=True)))
    )
    revise: dict[int, int] = {}
    write: dict[int, int] = {}
    reports: dict[int, Report] = {}
    for content in mine:
        report = content.report
        reports[report.pk] = report
        families = {s.family for s in report.audit.standards.all()}
        if content.open_comments:
            revise[report.pk] = revise.get(report.pk, 0) + 1
        elif (
            content.topic.applies_to(families)
            and not content.text.strip()
            and not content.left_blank
            and (not content.topic.audit_types or report.audit.purpose in content.topic.audit_types)
        ):
            write[report.pk] = write.get(report.pk, 0) + 1
    result += [("revise", reports[pk], n) for pk, n in revise.items()]
    result += [("write", reports[pk], n) for pk, n in write.items()]
    return result
