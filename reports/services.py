"""Every rule about writing and approving an audit report. Views, the demo and tests call these.

Lifecycle: ``reports.lifecycle.REPORT_MACHINE`` (draft → submitted → approved → reopened, and
back to returned); each move writes a ``ReportEvent`` in the same transaction and moves the
audit's status through ``audits.services.audit_follow``.

Who: the audit's team writes (a topic: its assignee or the team leader; choices: any team
member) and submits the report to the team leader; only the team leader assigns topics,
returns, approves and reopens (``reports.rules``). Writing is possible in draft, returned and
reopened only: an approved report is locked.

Refusals follow one rule: ``PermissionDenied`` for who (not on the team, not the leader, not
the topic's writer), ``ValidationError`` with a code for what and when (``wrong_status``:
the report is locked or in another status; ``stale``: somebody saved since; ``incomplete`` …).

Concurrency: a topic save carries the ``version`` the editor started from; a stale save is
refused (``TopicConflictError``) and its text kept as a ``TopicConflict`` for merging. The
choices form carries the report's ``choices_version`` likewise.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits import services as audit_services
from audits.models import Audit, AuditType, TeamAssignment, TeamRole
from core.history import set_history_user
from core.notes import NoteMessage

from .lifecycle import LEADER_ONLY, REPORT_MACHINE, TEAM_ONLY
from .models import (
    FieldType,
    FieldValue,
    Report,
    ReportEvent,
    ReportEventAction,
    ReportStatus,
    ReportTemplate,
    TemplateField,
    TemplateTopic,
    TopicComment,
    TopicConflict,
    TopicContent,
)
from .rules import can_write_topic, is_leader, team_assignment_of
from .selectors import report_completion
from .template_loader import template_for

REPORT_STARTED_NOTE = NoteMessage(gettext_noop("Report started"))
REPORT_SUBMITTED_NOTE = NoteMessage(gettext_noop("Report submitted to the team leader"))
REPORT_RETURNED_NOTE = NoteMessage(gettext_noop("Report returned to the team"))
REPORT_APPROVED_NOTE = NoteMessage(gettext_noop("Report approved"))

MAX_TOPIC_TEXT = 100_000


class TopicConflictError(ValidationError):
    """Somebody saved the topic after the editor loaded it. ``content`` is the current row,
    ``conflict`` the kept copy of the refused text."""

    def __init__(self, message: str, *, content: TopicContent, conflict: TopicConflict) -> None:
        super().__init__(message, code="stale")
        self.content = content
        self.conflict = conflict


# --- who and when --------------------------------------------------------------------------------


def _require_leader(*, report: Report, by: Any) -> None:
    if not is_leader(audit=report.audit, user=by):
        raise PermissionDenied(_(LEADER_ONLY))


def _require_team(*, report: Report, by: Any) -> None:
    if team_assignment_of(audit=report.audit, user=by) is None:
        raise PermissionDenied(_(TEAM_ONLY))


def _require_editable(report: Report) -> None:
    if not report.is_editable:
        if report.status == ReportStatus.APPROVED:
            raise ValidationError(
                _("The report is approved and locked. The team leader must reopen it before it can be changed."),
                code="wrong_status",
            )
        raise ValidationError(
            _("The report is with the team leader for approval; it can be changed again if it is returned."),
            code="wrong_status",
        )


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


# --- starting a report -------------------------------------------------------------------------


@transaction.atomic
def report_start(*, audit: Audit, by: Any, template: ReportTemplate | None = None) -> Report:
    """The audit's report, created on first use with one ``TopicContent`` per topic of the
    template for its audit type (``template_for``: the stage 1 report's, else the default), every topic assigned to the team leader until the leader reassigns it."""
    existing = Report.objects.filter(audit=audit).first()
    if existing is not None:
        return existing
    Audit.objects.select_for_update().filter(pk=audit.pk).first()  # serialise two first openers
    existing = Report.objects.filter(audit=audit).first()
    if existing is not None:
        return existing
    template = template or template_for(audit.audit_type)
    report = Report(audit=audit, template=template)
    set_history_user(report, by)
    report.save()
    leader = audit.team.filter(role=TeamRole.LEADER).first()
    topics = TemplateTopic.objects.filter(part__template=template)
    TopicContent.objects.bulk_create([TopicContent(report=report, topic=t, assignee=leader) for t in topics])
    REPORT_MACHINE.record_creation(report, by=by)
    audit_services.audit_follow(audit=audit, action="report_started", by=by, note=REPORT_STARTED_NOTE.text())
    return report


@transaction.atomic
def topic_assign(*, content: TopicContent, assignee: TeamAssignment | None, by: Any) -> TopicContent:
    """The team leader gives a topic to a member of the audit's team."""
    report = content.report
    _require_leader(report=report, by=by)
    _require_editable(report)
    if assignee is not None and assignee.audit_id != report.audit_id:
        raise ValidationError(_("Assign topics to members of this audit's team only."), code="not_team")
    content.assignee = assignee
    set_history_user(content, by)
    content.save(update_fields=["assignee"])
    return content


# --- writing -------------------------------------------------------------------------------------


def topic_save(
    *, content: TopicContent, text: str, version: int | str | None, by: Any, left_blank: bool | None = None
) -> TopicContent:
    """Save a topic's text if ``version`` is still the current one.

    Refused with ``PermissionDenied`` when the user may not write the topic, with
    ``ValidationError`` (``wrong_status``) when the report is locked; refused with ``TopicConflictError`` when somebody saved since ``version`` — the
    refused text is then kept as a ``TopicConflict`` (one per author and base version) so
    nothing typed is lost, and the editor shows both texts for a merge. The conflict copy is
    committed before the error is raised (the error must not roll it back).
    """
    text = (text or "").replace("\r\n", "\n")
    with transaction.atomic():
        current = TopicContent.objects.select_for_update().select_related("report__audit").get(pk=content.pk)
        report = current.report
        if not can_write_topic(content=current, user=by, audit=report.audit):
            raise PermissionDenied(
                _("This topic is assigned to another team member; only they and the team leader may write it.")
            )
        _require_editable(report)
        if len(text) > MAX_TOPIC_TEXT:
            raise ValidationError(
                _("The text is too long (at most %(max)s characters).") % {"max": MAX_TOPIC_TEXT}, code="too_long"
            )
        if version is not None and int(version) == current.version:
            return _write_topic(current, text=text, left_blank=left_blank, by=by)
        if text == current.text:
            return current  # the same text is already saved: nothing to merge
        conflict, _created = TopicConflict.objects.update_or_create(
            content=current,
            by=by,
            base_version=int(version or 0),
            resolved_at=None,
            defaults={"text": text, "current_version": current.version},
        )
    saved_by = current.saved_by
    raise TopicConflictError(
        _(
            "%(name)s saved this topic at %(time)s, after you started editing. Your text was NOT saved over "
            "theirs; both texts are kept below. Merge them and save the merged text."
        )
        % {
            "name": saved_by.get_full_name() if saved_by else _("Someone"),
            "time": timezone.localtime(current.saved_at).strftime("%H:%M:%S") if current.saved_at else "",
        },
        content=current,
        conflict=conflict,
    )


def _write_topic(current: TopicContent, *, text: str, left_blank: bool | None, by: Any) -> TopicContent:
    changed = text != current.text or (left_blank is not None and bool(left_blank) != current.left_blank)
    if not changed:
        return current
    now = timezone.now()
    current.text = text
    if left_blank is not None:
        current.left_blank = bool(left_blank)
    current.version += 1
    current.saved_by = by
    current.saved_at = now
    set_history_user(current, by)
    current.save()
    # Neither comments nor conflict copies are history-tracked: a bulk update is safe here.
    TopicComment.objects.filter(content=current, addressed_at__isnull=True).update(addressed_at=now)
    TopicConflict.objects.filter(content=current, by=by, resolved_at__isnull=True).update(resolved_at=now)
    return current


def _clean_value(fld: TemplateField, raw: Any, detail: Mapping[str, Any] | None) -> tuple[Any, dict[str, str]]:
    """Validate one typed value against the field's type and fixed options."""
    keys = [o.key for o in fld.options.all()]
    if fld.type == FieldType.CHOICE:
        value = raw or None
        if value is not None and value not in keys:
            raise ValidationError(
                _("“%(value)s” is not an option of “%(field)s”.") % {"value": value, "field": fld.label}
            )
        return value, {}
    if fld.type == FieldType.MULTICHOICE:
        values = [v for v in (raw or []) if v]
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not an option of “%(field)s”.") % {"value": ", ".join(unknown), "field": fld.label}
            )
        ordered = [k for k in keys if k in values]
        clean_detail = {k: str(v).strip() for k, v in (detail or {}).items() if k in ordered and str(v).strip()}
        return ordered, clean_detail
    if fld.type == FieldType.DATE:
        if not raw:
            return None, {}
        if isinstance(raw, datetime.date):
            return raw.isoformat(), {}
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat(), {}
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD for “%(field)s”.") % {"field": fld.label}) from None
    if fld.type == FieldType.TABLE:
        return raw or None, {}
    value = (str(raw) if raw is not None else "").strip()
    return value or None, {}


def editable_fields(template: ReportTemplate) -> QuerySet[TemplateField]:
    """Fields the team types: everything that is not a fact (no ``source``) in parts filled
    with the report or after verification, and the typed columns of tables whose rows come
    from the records (e.g. the functions audited per department); the committee's parts are
    not the team's."""
    return (
        TemplateField.objects.filter(part__template=template)
        .filter(Q(source="") | Q(type=FieldType.TABLE))
        .exclude(type=FieldType.FACT)
        .exclude(part__stage="committee")
        .select_related("part", "topic")
        .prefetch_related("options")
    )


@transaction.atomic
def report_values_save(
    *,
    report: Report,
    values: Mapping[Any, Any],
    version: int | str | None,
    by: Any,
    details: Mapping[Any, Any] | None = None,
    language: str | None = None,
) -> Report:
    """Save typed values (choices, texts, dates, tables): ``values`` maps a ``TemplateField``
    (or its id) to the new value; ``language`` (optional) is the report's language, the default
    of its PDFs. Refused when the report changed since ``version``."""
    report = _lock(report)
    _require_team(report=report, by=by)
    _require_editable(report)
    if version is not None and int(version) != report.choices_version:
        raise ValidationError(
            _(
                "Someone else saved the report's choices while you were editing them. Your changes were NOT "
                "saved; they are still in the form. Compare with the current values and save again."
            ),
            code="stale",
        )
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language for the report."), code="language")
    allowed = {f.pk: f for f in editable_fields(report.template)}
    details = details or {}
    existing = {v.field_id: v for v in FieldValue.objects.filter(report=report)}
    changed = 0
    for key, raw in values.items():
        field_id = getattr(key, "pk", key)
        fld = allowed.get(int(field_id))
        if fld is None:
            raise ValidationError(_("This value is not typed into the report: it comes from the audit's records."))
        value, detail = _clean_value(fld, raw, details.get(key, details.get(field_id)))
        row = existing.get(fld.pk)
        if row is None:
            if value in (None, [], "") and not detail:
                continue
            row = FieldValue(report=report, field=fld)
        elif row.value == value and (row.detail or {}) == detail:
            continue
        row.value, row.detail, row.updated_by = value, detail, by
        set_history_user(row, by)
        row.save()
        changed += 1
    update = ["choices_version", "updated_at"]
    if language is not None and language != report.language:
        report.language = language
        update.append("language")
        changed += 1
    if changed:
        report.choices_version += 1
        set_history_user(report, by)
        report.save(update_fields=update)
    return report


# --- lifecycle -----------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: Report, by: Any) -> Report:
    """A team member (the leader included) submits the complete report to the team leader for
    approval. Refused while any required part or topic is empty or a returned topic has not
    been revised (``incomplete``)."""

    def complete(locked: Report) -> None:
        completion = report_completion(report=locked)
        if not completion.is_complete:
            missing = [item.label for item in completion.missing][:10]
            raise ValidationError(
                _("The report is not complete; %(count)s items are missing: %(items)s")
                % {"count": len(completion.missing), "items": "；".join(missing)},
                code="incomplete",
            )

    locked, _event = REPORT_MACHINE.move(
        report, ReportEventAction.SUBMIT, by=by, changes={"submitted_at": timezone.now()}, on_locked=complete
    )
    audit_services.audit_follow(audit=locked.audit, action="report_submitted", by=by, note=REPORT_SUBMITTED_NOTE.text())
    return locked


@transaction.atomic
def report_return(*, report: Report, by: Any, comments: Mapping[TopicContent | int, str], comment: str = "") -> Report:
    """The team leader returns the submitted report with a comment on each topic to revise:
    ``comments`` maps ``TopicContent`` (or its id) to the comment text; ``comment`` is the
    return's own note."""
    cleaned: dict[int, str] = {
        (k.pk if isinstance(k, TopicContent) else int(k)): (v or "").strip()
        for k, v in comments.items()
        if (v or "").strip()
    }
    contents: dict[int, TopicContent] = {}

    def commented(locked: Report) -> None:
        if not cleaned:
            raise ValidationError(_("Say what to revise: write a comment on at least one topic."), code="no_comment")
        contents.update({c.pk: c for c in TopicContent.objects.filter(report=locked, pk__in=cleaned)})
        if len(contents) != len(cleaned):
            raise ValidationError(_("A comment refers to a topic of another report."), code="other_report")

    locked, event = REPORT_MACHINE.move(
        report, ReportEventAction.RETURN, by=by, note=(comment or "").strip(), on_locked=commented
    )
    TopicComment.objects.bulk_create(
        [
            TopicComment(content=contents[pk], event=cast(ReportEvent, event), text=text, by=by)
            for pk, text in cleaned.items()
        ]
    )
    audit_services.audit_follow(audit=locked.audit, action="report_returned", by=by, note=REPORT_RETURNED_NOTE.text())
    return locked


@transaction.atomic
def report_approve(*, report: Report, by: Any, stage_1_outcome: str = "", stage_1_remark: str = "") -> Report:
    """The team leader approves the submitted report; its content is locked from now on. A stage
    1 report is approved with its conclusion, ready or not ready for stage 2 (ISO/IEC 17021-1
    9.3.1.2), which gates the programme's stage 2 (``audits.rules``)."""

    def concluded(locked: Report) -> None:
        if locked.audit.audit_type == AuditType.STAGE_1:
            audit_services.stage_1_conclude(audit=locked.audit, outcome=stage_1_outcome, remark=stage_1_remark, by=by)

    locked, _event = REPORT_MACHINE.move(
        report,
        ReportEventAction.APPROVE,
        by=by,
        changes={"approved_at": timezone.now(), "approved_by": by},
        on_locked=concluded,
    )
    audit_services.audit_follow(audit=locked.audit, action="report_approved", by=by, note=REPORT_APPROVED_NOTE.text())
    return locked


@transaction.atomic
def report_reopen(*, report: Report, by: Any, reason: str) -> Report:
    """The team leader reopens an approved report for changes; the reason is the event's note."""
    reason = (reason or "").strip()

    def reasoned(locked: Report) -> None:
        if not reason:
            raise ValidationError(_("Give the reason for reopening the approved report."), code="no_reason")

    locked, _event = REPORT_MACHINE.move(
        report,
        ReportEventAction.REOPEN,
        by=by,
        note=reason,
        changes={"approved_at": None, "approved_by": None},
        on_locked=reasoned,
    )
    if locked.audit.audit_type == AuditType.STAGE_1:
        audit_services.stage_1_conclusion_withdraw(audit=locked.audit, by=by)
    audit_services.audit_follow(audit=locked.audit, action="report_reopened", by=by, note=reason)
    return locked
