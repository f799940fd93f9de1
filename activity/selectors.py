"""Reads of the activity log: one list, newest first, of every lifecycle event row (status
changes, decisions, issues of every machine in ``core.lifecycle.machines()``) and every activity
record (logins, failed logins, logouts, downloads), as one SQL UNION so a page is one COUNT and
one SELECT; the users and the records named on the page are then loaded in one query per table."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, Value
from django.utils import timezone
from django.utils.text import capfirst

from core.lifecycle import machines

from .models import ActivityKind, ActivityRecord

STATUS_CHANGE = "status"
COLUMNS = ("a_at", "a_user", "a_kind", "a_type", "a_record", "a_action", "a_from", "a_to", "a_note")


@dataclass
class LogRow:
    at: datetime.datetime
    user_id: int | None
    kind: str
    record_type: str
    record_id: int | None
    action: str
    from_status: str
    to_status: str
    note: str
    user: Any = None
    record: Any = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def record_type_label(self) -> str:
        return _model_label(self.record_type)


def _model_label(label: str) -> str:
    if not label:
        return ""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


def _sources() -> dict[str, tuple[type[models.Model], str, type[models.Model]]]:
    """record type (app_label.model) → (event model, subject field, record model)."""
    return {
        machine.model._meta.label_lower: (machine.event_model, machine.subject_field, machine.model)
        for machine in machines().values()
        # A machine a test declares (a throwaway record type) has no table outside that test.
        if ".tests." not in machine.model.__module__
    }


def record_type_choices() -> list[tuple[str, str]]:
    from certification.models import CertificateVersion
    from reports.models import ReportVersion

    labels = set(_sources()) | {ReportVersion._meta.label_lower, CertificateVersion._meta.label_lower}
    return sorted(((label, _model_label(label)) for label in labels), key=lambda pair: pair[1])


def _day_bounds(filters: dict[str, Any]) -> dict[str, datetime.datetime]:
    bounds = {}
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        bounds["at__gte"] = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=zone)
    if filters.get("date_to"):
        end = filters["date_to"] + datetime.timedelta(days=1)
        bounds["at__lt"] = datetime.datetime.combine(end, datetime.time.min, tzinfo=zone)
    return bounds


def activity_log(filters: dict[str, Any] | None = None) -> models.QuerySet:
    """The whole log (CB administrators only: the view's rule), filtered, newest first, as a
    values-list queryset of ``COLUMNS`` (a UNION: count it, slice it, then ``rows()``)."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    user = filters.get("user")
    record_type = filters.get("record_type")
    record_id = filters.get("record_id")
    what = filters.get("what")
    bounds = _day_bounds(filters)
    text = CharField()
    parts = []
    if what in (None, STATUS_CHANGE):
        for label, (event_model, subject, _model) in sorted(_sources().items()):
            if record_type and record_type != label:
                continue
            qs = event_model._default_manager.filter(**bounds)
            if user:
                qs = qs.filter(by=user)
            if record_id:
                qs = qs.filter(**{f"{subject}_id": int(record_id)})
            parts.append(
                qs.annotate(
                    a_at=F("at"),
                    a_user=F("by_id"),
                    a_kind=Value(STATUS_CHANGE, output_field=text),
                    a_type=Value(label, output_field=text),
                    a_record=F(f"{subject}_id"),
                    a_action=F("action"),
                    a_from=F("from_status"),
                    a_to=F("to_status"),
                    a_note=F("note"),
                )
                .order_by()
                .values_list(*COLUMNS)
            )
    if what != STATUS_CHANGE:
        qs = ActivityRecord.objects.filter(**bounds)
        if what:
            qs = qs.filter(kind=what)
        if user:
            qs = qs.filter(user=user)
        if record_type:
            qs = qs.filter(record_type=record_type)
        if record_id:
            qs = qs.filter(record_id=int(record_id))
        parts.append(
            qs.annotate(
                a_at=F("at"),
                a_user=F("user_id"),
                a_kind=F("kind"),
                a_type=F("record_type"),
                a_record=F("record_id"),
                a_action=F("kind"),
                a_from=F("username"),
                a_to=Value("", output_field=text),
                a_note=F("detail"),
            )
            .order_by()
            .values_list(*COLUMNS)
        )
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-a_at")


def rows(values: Iterable[Sequence[Any]]) -> list[LogRow]:
    """LogRows for one page of ``activity_log()``, with their users and records: one query for
    the users, one per kind of record on the page."""
    result = [LogRow(*row) for row in values]
    user_ids = {row.user_id for row in result if row.user_id}
    users = get_user_model()._default_manager.in_bulk(user_ids) if user_ids else {}
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in result:
        if row.record_type and row.record_id:
            wanted[row.record_type].add(row.record_id)
    records: dict[str, dict[int, Any]] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        # select_related(): a record's name may come from the rows it points at (an audit's client).
        records[label] = model._default_manager.select_related().in_bulk(ids)
    sources = _sources()
    status_labels: dict[str, dict[str, str]] = {}
    for label in {row.record_type for row in result if row.kind == STATUS_CHANGE}:
        try:
            choices = getattr(sources[label][2]._meta.get_field("status"), "flatchoices", [])
        except (KeyError, LookupError):
            choices = []
        status_labels[label] = {str(value): str(text) for value, text in choices}
    for row in result:
        if row.kind == STATUS_CHANGE:
            names = status_labels.get(row.record_type, {})
            row.from_status = names.get(row.from_status, row.from_status)
            row.to_status = names.get(row.to_status, row.to_status)
        row.user = users.get(row.user_id) if row.user_id else None
        row.record = records.get(row.record_type, {}).get(row.record_id) if row.record_id else None
        if row.kind != STATUS_CHANGE:
            row.action = str(ActivityKind(row.kind).label) if row.kind in ActivityKind.values else row.kind
    return result
