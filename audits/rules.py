"""Rules about the stages of an initial certification that read the records but never write:
the stage 1 / stage 2 gating (ISO/IEC 17021-1 9.3.1.1–9.3.1.2) and the audit-time floor of a
planned audit (IAF MD 5:2019, IAF MD 11:2019). The audit machine (``audits.lifecycle``), the
planning services and the technical review call them; pages show their messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import (
    Audit,
    AuditProgramme,
    AuditStatus,
    AuditType,
    CertificationBody,
    Stage1Conclusion,
    Stage1Outcome,
    TeamAssignment,
)
from .models.team import AUDITING_ROLES
from .programme_rules import add_months

# The stage 1 report is approved (and stays so) from "report approved" on.
REPORT_APPROVED_STATUSES = frozenset(
    {
        AuditStatus.APPROVED,
        AuditStatus.NCS_CLOSED,
        AuditStatus.TECHNICAL_REVIEW,
        AuditStatus.DECIDED,
        AuditStatus.CLOSED,
    }
)
HALF_DAY = Decimal("0.5")


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _days(value: Decimal) -> str:
    text = format(Decimal(value).quantize(Decimal("0.1")), "f")
    return text[:-2] if text.endswith(".0") else text


def _interval_months() -> int:
    cb = CertificationBody.objects.current()
    return cb.stage_2_interval_months if cb is not None else 6


def stage_2_latest_start(*, stage_1_end: datetime.date, months: int) -> datetime.date:
    """The last day a stage 2 may start: the same calendar day ``months`` after the last day of
    stage 1 (clamped to the month's end). Pure."""
    return add_months(day=stage_1_end, months=months)


def latest_stage_1(*, programme: AuditProgramme, exclude: Audit | None = None) -> Audit | None:
    """The programme's most recent stage 1 audit that is not cancelled (a repeated stage 1
    replaces the earlier one), with its conclusion."""
    qs = (
        programme.audits.filter(audit_type=AuditType.STAGE_1)
        .exclude(status=AuditStatus.CANCELLED)
        .select_related("stage_1_conclusion")
    )
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-end_date", "-pk").first()


def needs_stage_1(audit: Audit) -> bool:
    """A stage 2 of a programme that starts with an initial audit follows a stage 1
    (ISO/IEC 17021-1 9.3.1.1). A programme that does not (a recertification cycle, a transfer, a
    restoration after expiry where 9.6.3.2.5 asks for "at least a stage 2") has none to follow."""
    return audit.audit_type == AuditType.STAGE_2 and audit.programme.starts_with_initial_audit


def stage_1_conclusion(stage_1: Audit) -> Stage1Conclusion | None:
    """The stage 1 audit's conclusion row, or None."""
    try:
        return stage_1.stage_1_conclusion
    except Stage1Conclusion.DoesNotExist:
        return None


def stage_2_refusals(audit: Audit, *, start_date: datetime.date | None = None) -> list[str]:
    """Why this stage 2 may not start (or pass the technical review) yet; empty when it may.

    ISO/IEC 17021-1 9.3.1.1–9.3.1.2: stage 2 follows a completed stage 1 whose conclusion is
    that the client is ready; the longest interval is CB policy (``stage_2_interval_months``)."""
    if not needs_stage_1(audit):
        return []
    start = start_date or audit.start_date
    stage_1 = latest_stage_1(programme=audit.programme, exclude=audit)
    if stage_1 is None:
        return [
            _(
                "ISO/IEC 17021-1 9.3.1: stage 2 follows a completed stage 1, and this programme has no stage 1 "
                "audit. Plan and complete stage 1 first."
            )
        ]
    facts = {"date": _day(stage_1.start_date), "status": stage_1.get_status_display()}
    if stage_1.status not in REPORT_APPROVED_STATUSES:
        return [
            _(
                "ISO/IEC 17021-1 9.3.1: stage 2 follows a completed stage 1. The stage 1 audit of %(date)s is "
                "“%(status)s”: its report must be approved with the conclusion “ready for stage 2”."
            )
            % facts
        ]
    conclusion = stage_1_conclusion(stage_1)
    if conclusion is None:
        return [
            _(
                "ISO/IEC 17021-1 9.3.1.2: the approved report of the stage 1 audit of %(date)s has no conclusion "
                "“ready for stage 2”."
            )
            % facts
        ]
    if conclusion.outcome != Stage1Outcome.READY:
        return [
            _(
                "ISO/IEC 17021-1 9.3.1.2: the stage 1 audit of %(date)s concluded “not ready for stage 2” on "
                "%(concluded)s (%(remark)s). Stage 1 must be repeated."
            )
            % {**facts, "concluded": _day(conclusion.concluded_on), "remark": conclusion.remark or "—"}
        ]
    refusals = []
    months = _interval_months()
    latest = stage_2_latest_start(stage_1_end=stage_1.end_date, months=months)
    if start > latest:
        refusals.append(
            _(
                "CB policy: stage 2 starts at the latest %(months)s months after stage 1. Stage 1 ended on "
                "%(end)s, so stage 2 had to start by %(latest)s; this stage 2 starts on %(start)s. Stage 1 must be "
                "repeated (ISO/IEC 17021-1 9.3.1.2)."
            )
            % {"months": months, "end": _day(stage_1.end_date), "latest": _day(latest), "start": _day(start)}
        )
    elif start < stage_1.end_date:
        refusals.append(
            _("Stage 2 cannot start (%(start)s) before stage 1 has ended (%(end)s).")
            % {"start": _day(start), "end": _day(stage_1.end_date)}
        )
    return refusals


def stage_2_plan_refusals(
    *, programme: AuditProgramme, start_date: datetime.date, audit: Audit | None = None
) -> list[str]:
    """Dates a stage 2 plan cannot have, whatever the stage 1 conclusion still to come: a start
    before the planned stage 1 ends or beyond the CB's interval after it. Nothing when the
    programme has no stage 1 yet (the start of stage 2 is refused until it has)."""
    if not programme.starts_with_initial_audit:
        return []
    stage_1 = latest_stage_1(programme=programme, exclude=audit)
    if stage_1 is None:
        return []
    months = _interval_months()
    latest = stage_2_latest_start(stage_1_end=stage_1.end_date, months=months)
    if start_date > latest:
        return [
            _(
                "CB policy: stage 2 starts at the latest %(months)s months after stage 1. Stage 1 ends on %(end)s, "
                "so stage 2 must start by %(latest)s; this plan starts on %(start)s."
            )
            % {"months": months, "end": _day(stage_1.end_date), "latest": _day(latest), "start": _day(start_date)}
        ]
    if start_date < stage_1.end_date:
        return [
            _("Stage 2 cannot start (%(start)s) before stage 1 has ended (%(end)s).")
            % {"start": _day(start_date), "end": _day(stage_1.end_date)}
        ]
    return []


# --- the audit-time floor --------------------------------------------------------------------


def other_stage_planned_days(
    *, audit_type: str, programme: AuditProgramme | None, audit: Audit | None
) -> Decimal | None:
    """For a stage 1 or stage 2: the planned man-days of the programme's other stage (the latest
    one not cancelled), or None."""
    if programme is None or audit_type not in (AuditType.STAGE_1, AuditType.STAGE_2):
        return None
    other = AuditType.STAGE_2 if audit_type == AuditType.STAGE_1 else AuditType.STAGE_1
    qs = programme.audits.filter(audit_type=other).exclude(status=AuditStatus.CANCELLED)
    if audit is not None and audit.pk:
        qs = qs.exclude(pk=audit.pk)
    value = qs.order_by("-start_date", "-pk").values_list("planned_man_days", flat=True).first()
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class TimeFloor:
    """The least man-days an audit may be planned with, and the figures behind it."""

    calculated: Decimal  # this audit's calculated man-days
    minimum: Decimal  # never plan below this
    initial_total: Decimal | None = None  # stage 1 + stage 2 together (initial certification)
    other_stage: Decimal | None = None  # the other stage's planned man-days, when planned


def time_floor(
    *, audit_type: str, calculated: Decimal | None, initial_total: Decimal | None, other_stage: Decimal | None
) -> TimeFloor | None:
    """The audit-time floor (pure). ``calculated`` comes from ``audits.calculation`` (IAF MD 5
    table time, documented adjustments with reductions capped at 30 %, the IAF MD 11 integration
    reduction capped at 20 %, then 1/3 or 2/3 for surveillance and recertification). Reductions
    are made there, documented, never by planning fewer days.

    * Surveillance, recertification, restoration: the calculated time is the minimum.
    * Initial certification (IAF MD 5 gives stage 1 + stage 2 together): the two stages together
      at least the initial time, each at least half a day. Stage 2's minimum is the initial time
      less stage 1's planned days; stage 1's is the initial time less a planned stage 2, or half a
      day while stage 2 is not planned (stage 2 then makes up the rest).
    * No MD 5 figure (special audits …): no floor.
    """
    if calculated is None:
        return None
    if audit_type in (AuditType.STAGE_1, AuditType.STAGE_2) and initial_total is not None:
        if other_stage is None:
            minimum = calculated if audit_type == AuditType.STAGE_2 else HALF_DAY
        else:
            minimum = max(HALF_DAY, initial_total - other_stage)
        return TimeFloor(calculated=calculated, minimum=minimum, initial_total=initial_total, other_stage=other_stage)
    return TimeFloor(calculated=calculated, minimum=calculated)


def time_floor_refusal(*, floor: TimeFloor | None, audit_type: str, planned: Decimal) -> str:
    """The message refusing ``planned`` man-days below the floor, with the figures; "" when the
    plan is at or above it."""
    if floor is None or Decimal(planned) >= floor.minimum:
        return ""
    if floor.initial_total is not None:
        head = _(
            "IAF MD 5 / IAF MD 11: stage 1 and stage 2 together need at least the initial audit time of "
            "%(total)s man-days (calculated, after the documented reductions: at most 30 %% per standard, "
            "and at most 20 %% for an integrated audit)."
        ) % {"total": _days(floor.initial_total)}
        if floor.other_stage is not None:
            other_label = _("Stage 2") if audit_type == AuditType.STAGE_1 else _("Stage 1")
            middle = _("%(other_label)s is planned with %(other)s.") % {
                "other_label": other_label,
                "other": _days(floor.other_stage),
            }
        else:
            middle = _("Stage 1 is not planned yet: the CB's stage 1 share of %(other)s is set aside for it.") % {
                "other": _days(floor.initial_total - floor.minimum)
            }
        tail = _(
            "This audit needs at least %(minimum)s (calculated for it: %(calculated)s); planned: %(planned)s. "
            "To plan less, document a reduction in the calculation."
        ) % {"minimum": _days(floor.minimum), "calculated": _days(floor.calculated), "planned": _days(planned)}
        return f"{head} {middle} {tail}"
    return _(
        "IAF MD 5: this audit needs at least the calculated audit time (after the documented reductions: at "
        "most 30 %% per standard, and at most 20 %% for an integrated audit under IAF MD 11). Calculated: "
        "%(calculated)s man-days, minimum: %(minimum)s, planned: %(planned)s. To plan less, document a "
        "reduction in the calculation."
    ) % {"calculated": _days(floor.calculated), "minimum": _days(floor.minimum), "planned": _days(planned)}


def audit_time_floor(audit: Audit) -> TimeFloor | None:
    """The floor of a saved audit, from its stored calculation and the programme's other stage."""
    calculation = audit.calculation or {}
    calculated = calculation.get("calculated")
    total = calculation.get("total") if audit.audit_type in (AuditType.STAGE_1, AuditType.STAGE_2) else None
    return time_floor(
        audit_type=audit.audit_type,
        calculated=None if calculated is None else Decimal(calculated),
        initial_total=None if total is None else Decimal(total),
        other_stage=other_stage_planned_days(audit_type=audit.audit_type, programme=audit.programme, audit=audit),
    )


# --- calculated, planned and actual time, for the technical review -----------------------------


@dataclass(frozen=True)
class AuditTimeRow:
    audit: Audit
    calculated: Decimal | None
    minimum: Decimal | None
    planned: Decimal
    actual: Decimal | None  # the auditor-days recorded on the team (leader and auditors)
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AuditTimeSummary:
    rows: tuple[AuditTimeRow, ...]
    initial_total: Decimal | None  # stage 1 + stage 2 together, for an initial certification
    planned_total: Decimal | None
    flags: tuple[str, ...]  # about the whole (stage 1 + stage 2 below the initial time)

    @property
    def has_flags(self) -> bool:
        return bool(self.flags) or any(row.flags for row in self.rows)


def team_auditor_days(audit: Audit) -> Decimal | None:
    """The auditor-days the team records (leader and auditors: IAF MD 5 counts no one else); each
    member's own days, or the days on site. None without a team."""
    rows = TeamAssignment.objects.filter(audit=audit, role__in=AUDITING_ROLES).values_list("days", flat=True)
    days = [Decimal(d) if d is not None else Decimal(audit.on_site_days) for d in rows]
    return sum(days, Decimal(0)) if days else None


def _time_row(audit: Audit) -> AuditTimeRow:
    floor = audit_time_floor(audit)
    planned = Decimal(audit.planned_man_days)
    actual = team_auditor_days(audit)
    flags = []
    if floor is not None and planned < floor.minimum:
        flags.append(
            _("Planned %(planned)s man-days, below the minimum of %(minimum)s (IAF MD 5 / IAF MD 11).")
            % {"planned": _days(planned), "minimum": _days(floor.minimum)}
        )
    if actual is not None and actual != planned:
        flags.append(
            _("Actual %(actual)s man-days differ from the planned %(planned)s.")
            % {"actual": _days(actual), "planned": _days(planned)}
        )
    return AuditTimeRow(
        audit=audit,
        calculated=floor.calculated if floor else None,
        minimum=floor.minimum if floor else None,
        planned=planned,
        actual=actual,
        flags=tuple(flags),
    )


def audit_time_summary(audit: Audit) -> AuditTimeSummary:
    """Calculated, minimum, planned and actual man-days of the audit under review and, for an
    initial certification, of its stage 1, with every difference flagged."""
    audits = [audit]
    if audit.audit_type == AuditType.STAGE_2:
        stage_1 = latest_stage_1(programme=audit.programme, exclude=audit)
        if stage_1 is not None:
            audits.insert(0, stage_1)
    rows = tuple(_time_row(a) for a in audits)
    total = (audit.calculation or {}).get("total") if audit.audit_type == AuditType.STAGE_2 else None
    initial_total = None if total is None else Decimal(total)
    planned_total = sum((row.planned for row in rows), Decimal(0)) if initial_total is not None else None
    flags = []
    if initial_total is not None and planned_total is not None and planned_total < initial_total:
        flags.append(
            _(
                "Stage 1 and stage 2 together are planned with %(planned)s man-days, below the initial audit "
                "time of %(total)s (IAF MD 5)."
            )
            % {"planned": _days(planned_total), "total": _days(initial_total)}
        )
    return AuditTimeSummary(rows=rows, initial_total=initial_total, planned_total=planned_total, flags=tuple(flags))
