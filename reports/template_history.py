"""An approved or issued report prints its template as it was when the report was approved.

A CB edits its report template in the admin (titles, hints); the template is shared by every
report. Template rows keep their history (simple-history), so a report approved at ``approved_at``
shows each part, group and topic title from the latest history row at or before that moment
(ISO/IEC 17021-1 9.4.8: the report is the record of the audit as it was concluded). A report
not approved (a draft, or reopened) follows the template as it is now."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models

from .models import Report, ReportTemplate, TemplatePart, TemplateTopic, TopicGroup

TITLES = ("title_zh", "title_en")
TOPIC_TEXTS = (*TITLES, "title_continuing_zh", "title_continuing_en", "hint_zh", "hint_en")


def _as_then(model: type[models.Model], objs: Iterable[Any], at: datetime, fields: tuple[str, ...]) -> None:
    """Set ``fields`` of ``objs`` (in memory only) to their values at ``at``: the latest history row
    at or before it, or the first row when history began later; no row leaves the object as is."""
    by_id: dict[int, list[Any]] = {}
    for obj in objs:  # one group is a separate object under each of its topics
        by_id.setdefault(obj.pk, []).append(obj)
    if not by_id:
        return
    rows = (
        model.history.filter(id__in=list(by_id))  # type: ignore[attr-defined]  # simple-history's manager
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", *fields)
    )
    chosen: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["id"] not in chosen or row["history_date"] <= at:
            chosen[row["id"]] = row
    for pk, row in chosen.items():
        for obj in by_id[pk]:
            for name in fields:
                setattr(obj, name, row[name])


def show_template_as_approved(report: Report, parts: list[TemplatePart]) -> None:
    """Titles of ``parts`` (prefetched with their topics and groups) as they were when ``report``
    was approved; nothing changes for a report that is not approved."""
    at = report.approved_at
    if at is None:
        return
    topics = [topic for part in parts for topic in part.topics.all()]
    groups = [topic.group for topic in topics if topic.group_id]
    template: ReportTemplate = report.template
    _as_then(ReportTemplate, [template], at, TITLES)
    _as_then(TemplatePart, parts, at, TITLES)
    _as_then(TopicGroup, groups, at, TITLES)
    _as_then(TemplateTopic, topics, at, TOPIC_TEXTS)
