"""Planning an audit: its type, criteria, dates, sites, standards with their IAF MD 5
complexity, audit-time adjustments and non-applicable clauses, and the man-days calculated
(``audits.calculation``) and planned. The whole plan is checked at once; a refusal names every
field it refuses."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.history import set_history_user
from core.notes import NoteMessage

from .. import availability, rules, selectors
from ..calculation import AdjustmentInput, StandardInput, calculate_man_days, calculated_days
from ..lifecycle import AUDIT_MACHINE
from ..models import (
    Audit,
    AuditMethod,
    AuditProgramme,
    AuditStandard,
    AuditTimeAdjustment,
    AuditType,
    HalfDay,
    NonApplicableClause,
)
from ..models.audit import PURPOSE_FOR_TYPE, AuditPurpose
from .common import days_text, require_cb_admin, require_plan_editable
from .programme import _programme_for, programme_covering

PLANNED_NOTE = NoteMessage(gettext_noop("Audit planned."))

if TYPE_CHECKING:
    from accounts.models import User
    from clients.models import Client, Site
    from standards.models import Clause


@dataclass(frozen=True)
class NonApplicableInput:
    clause: Clause
    justification: str


_PLAN_FIELDS = (
    "audit_type",
    "purpose",
    "method",
    "integrated",
    "integration_reduction_percent",
    "integration_reduction_reason",
    "effective_personnel",
    "effective_personnel_reason",
    "criteria_client_documents",
    "criteria_legislation",
    "criteria_other",
    "start_date",
    "end_date",
    "start_half",
    "end_half",
    "on_site_days",
    "planned_man_days",
    "man_days_deviation_reason",
    "notes",
)


def audit_calculation(
    *,
    client: Client,
    audit_type: str,
    standards: Sequence[StandardInput],
    adjustments: Sequence[AdjustmentInput] = (),
    integrated: bool = False,
    integration_reduction_percent: Decimal = Decimal(0),
    effective_personnel: int | None = None,
    programme: AuditProgramme | None = None,
    audit: Audit | None = None,
) -> dict[str, Any]:
    """The IAF MD 5 calculation for audit data (saved or not): see calculation.py."""
    cb = selectors.certification_body()
    return calculate_man_days(
        audit_type=audit_type,
        effective_personnel=effective_personnel or getattr(client, "headcount", None),
        standards=standards,
        adjustments=adjustments,
        integrated=integrated,
        integration_reduction_percent=integration_reduction_percent,
        rounding=cb.audit_time_rounding,
        stage_1_share_percent=cb.stage_1_share_percent,
        stage_1_planned_days=(
            selectors.stage_1_planned_days(programme=programme, exclude_audit=audit)
            if audit_type == AuditType.STAGE_2
            else None
        ),
        sites=list(client.sites.all()) if client and client.pk else [],
    )


def _validate_plan(
    *,
    client: Client,
    programme: AuditProgramme | None,
    data: dict[str, Any],
    standards: list[StandardInput],
    adjustments: list[AdjustmentInput],
    non_applicable: list[NonApplicableInput],
    sites: list[Site],
    audit: Audit | None = None,
) -> dict[str, Any]:
    """All rules of an audit's plan; returns the audit-time calculation. Raises one
    ValidationError with every refused field."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    audit_type = data["audit_type"]
    if audit_type not in AuditType.values:
        add("audit_type", _("Choose the type of audit."))
    if data.get("purpose") and data["purpose"] not in AuditPurpose.values:
        add("purpose", _("Choose the audit purpose."))
    if data.get("method") not in AuditMethod.values:
        add("method", _("Choose the audit method."))
    if not standards:
        add("standards", _("Choose at least one standard (the audit criteria)."))
    pks = [s.standard.pk for s in standards]
    if len(pks) != len(set(pks)):
        add("standards", _("Each standard may appear only once."))

    start, end = data["start_date"], data["end_date"]
    if start and end and end < start:
        add("end_date", _("The last day cannot be before the first day."))
    elif (
        start
        and end
        and not availability.Span(start, end, data.get("start_half", "am"), data.get("end_half", "pm")).valid
    ):
        add("end_half", _("A one-day audit that starts in the afternoon cannot end in the morning."))
    elif start and end:
        on_site = data["on_site_days"]
        if on_site is not None and on_site > (end - start).days + 1:
            add("on_site_days", _("The days on site cannot exceed the calendar days of the audit."))

    headcount = getattr(client, "headcount", None)
    personnel = data.get("effective_personnel") or headcount
    if not personnel:
        add("effective_personnel", _("Enter the effective number of personnel (the client has no headcount)."))
    elif headcount and personnel != headcount and not (data.get("effective_personnel_reason") or "").strip():
        add(
            "effective_personnel_reason",
            _(
                "The effective personnel (%(personnel)s) differs from the client's headcount (%(headcount)s): record why."
            )
            % {"personnel": personnel, "headcount": headcount},
        )

    integration = Decimal(data.get("integration_reduction_percent") or 0)
    if integration and not data.get("integrated"):
        add("integration_reduction_percent", _("An integration reduction applies to integrated audits only."))
    if data.get("integrated") and len(standards) < 2:
        add("integrated", _("An integrated audit covers two or more standards."))
    if integration and not (data.get("integration_reduction_reason") or "").strip():
        add("integration_reduction_reason", _("Record the reason for the integration reduction (IAF MD 11)."))

    client_site_ids = set(client.sites.values_list("pk", flat=True)) if client.pk else set()
    if any(site.pk not in client_site_ids for site in sites):
        add("sites", _("Choose sites of this client only."))

    standard_ids = set(pks)
    for row in non_applicable:
        if row.clause.standard_id not in standard_ids:
            add(
                "non_applicable",
                _("Clause %(clause)s is not a clause of the audited standards.") % {"clause": row.clause.number},
            )
        if not (row.justification or "").strip():
            add("non_applicable", _("Justify why clause %(clause)s does not apply.") % {"clause": row.clause.number})
    for adj in adjustments:
        if adj.standard.pk not in standard_ids:
            add(
                "adjustments",
                _("An audit-time adjustment refers to %(standard)s, which is not audited.")
                % {"standard": adj.standard},
            )
        if not adj.percent:
            add("adjustments", _("An audit-time adjustment must change the time (0 percent is not an adjustment)."))
        if not (adj.reason or "").strip():
            add("adjustments", _("Every audit-time adjustment needs a documented reason (IAF MD 5)."))

    if programme is not None:
        if programme.client_id != client.pk:
            add("programme", _("The programme belongs to another client."))
        elif not standard_ids <= set(programme.standards.values_list("pk", flat=True)):
            add("programme", _("The programme does not cover every standard of this audit."))

    if errors:
        raise ValidationError(errors)

    calculation = audit_calculation(
        client=client,
        audit_type=audit_type,
        standards=standards,
        adjustments=adjustments,
        integrated=bool(data.get("integrated")),
        integration_reduction_percent=integration,
        effective_personnel=personnel,
        programme=programme,
        audit=audit,
    )
    calculated = calculated_days(calculation)
    planned = data.get("planned_man_days")
    reason = (data.get("man_days_deviation_reason") or "").strip()
    total = calculation.get("total") if audit_type in (AuditType.STAGE_1, AuditType.STAGE_2) else None
    floor = rules.time_floor(
        audit_type=audit_type,
        calculated=calculated,
        initial_total=None if total is None else Decimal(total),
        other_stage=rules.other_stage_planned_days(audit_type=audit_type, programme=programme, audit=audit),
    )
    refusal = rules.time_floor_refusal(
        floor=floor, audit_type=audit_type, planned=Decimal(planned if planned is not None else calculated or 0)
    )
    if refusal:
        add("planned_man_days", refusal)
    if audit_type == AuditType.STAGE_2 and programme is not None and start:
        for message in rules.stage_2_plan_refusals(programme=programme, start_date=start, audit=audit):
            add("start_date", message)
    if planned is None and calculated is None:
        add("planned_man_days", _("Enter the planned man-days."))
    elif calculated is None and not reason:
        add(
            "man_days_deviation_reason",
            _("There is no IAF MD 5 figure for this audit: record how the planned man-days were determined."),
        )
    elif planned is not None and calculated is not None and Decimal(planned) != calculated and not reason:
        # Above the calculated time (or, for a stage 1, a split other than the CB's share that
        # stage 2 makes up): allowed, with the reason recorded (IAF MD 5).
        add(
            "man_days_deviation_reason",
            _(
                "The planned man-days (%(planned)s) differ from the calculated %(calculated)s: record the reason "
                "(IAF MD 5 requires every deviation to be justified)."
            )
            % {"planned": days_text(planned), "calculated": days_text(calculated)},
        )
    if errors:
        raise ValidationError(errors)
    return calculation


def _save_plan_rows(
    *,
    audit: Audit,
    standards: list[StandardInput],
    adjustments: list[AdjustmentInput],
    non_applicable: list[NonApplicableInput],
    sites: list[Site],
    by: User,
) -> None:
    """Bring the audit's standards, adjustments, NA clauses and sites to the given lists, one
    saved row at a time (history)."""
    wanted = {s.standard.pk: s for s in standards}
    for row in list(audit.audit_standards.all()):
        if row.standard_id not in wanted:
            set_history_user(row, by)
            row.delete()
        elif row.complexity != (wanted[row.standard_id].complexity or ""):
            row.complexity = wanted[row.standard_id].complexity or ""
            set_history_user(row, by)
            row.save()
    existing = set(audit.audit_standards.values_list("standard_id", flat=True))
    for pk, spec in wanted.items():
        if pk not in existing:
            row = AuditStandard(audit=audit, standard=spec.standard, complexity=spec.complexity or "")
            set_history_user(row, by)
            row.save()

    current = [(a.standard_id, Decimal(a.percent), a.reason) for a in audit.time_adjustments.order_by("pk")]
    target = [(a.standard.pk, Decimal(a.percent), a.reason.strip()) for a in adjustments]
    if current != target:
        for old_adjustment in list(audit.time_adjustments.all()):
            set_history_user(old_adjustment, by)
            old_adjustment.delete()
        for a in adjustments:
            adjustment = AuditTimeAdjustment(
                audit=audit, standard=a.standard, percent=a.percent, reason=a.reason.strip()
            )
            set_history_user(adjustment, by)
            adjustment.save()

    wanted_na = {n.clause.pk: n for n in non_applicable}
    for na_row in list(audit.non_applicable_rows.all()):
        na_spec = wanted_na.get(na_row.clause_id)
        if na_spec is None:
            set_history_user(na_row, by)
            na_row.delete()
        elif na_row.justification != na_spec.justification.strip():
            na_row.justification = na_spec.justification.strip()
            set_history_user(na_row, by)
            na_row.save()
    existing_na = set(audit.non_applicable_rows.values_list("clause_id", flat=True))
    for pk, na_input in wanted_na.items():
        if pk not in existing_na:
            na_row = NonApplicableClause(
                audit=audit, clause=na_input.clause, justification=na_input.justification.strip()
            )
            set_history_user(na_row, by)
            na_row.save()

    if {s.pk for s in audit.sites.all()} != {s.pk for s in sites}:
        set_history_user(audit, by)
        audit.sites.set(sites)


@transaction.atomic
def audit_plan(
    *,
    by: User,
    client: Client,
    audit_type: str,
    standards: Iterable[StandardInput],
    start_date: datetime.date,
    end_date: datetime.date,
    on_site_days: Decimal,
    start_half: str = HalfDay.MORNING,
    end_half: str = HalfDay.AFTERNOON,
    programme: AuditProgramme | None = None,
    purpose: str = "",
    method: str = AuditMethod.ON_SITE,
    integrated: bool = False,
    integration_reduction_percent: Decimal = Decimal(0),
    integration_reduction_reason: str = "",
    effective_personnel: int | None = None,
    effective_personnel_reason: str = "",
    criteria_client_documents: bool = True,
    criteria_legislation: bool = True,
    criteria_other: str = "",
    sites: Iterable[Site] = (),
    adjustments: Iterable[AdjustmentInput] = (),
    non_applicable: Iterable[NonApplicableInput] = (),
    planned_man_days: Decimal | None = None,
    man_days_deviation_reason: str = "",
    notes: str = "",
) -> Audit:
    """Plan a new audit (status planned). ``standards`` are StandardInput (standard and
    complexity), ``adjustments`` AdjustmentInput, ``non_applicable`` NonApplicableInput.
    Without a programme the client's active programme covering the standards is used (or a
    new one). Without planned man-days the calculated ones are planned."""
    require_cb_admin(by)
    data = {
        "audit_type": audit_type,
        "purpose": purpose or PURPOSE_FOR_TYPE.get(audit_type, ""),
        "method": method,
        "integrated": integrated,
        "integration_reduction_percent": Decimal(integration_reduction_percent or 0),
        "integration_reduction_reason": integration_reduction_reason,
        "effective_personnel": effective_personnel or getattr(client, "headcount", None),
        "effective_personnel_reason": effective_personnel_reason,
        "criteria_client_documents": criteria_client_documents,
        "criteria_legislation": criteria_legislation,
        "criteria_other": criteria_other,
        "start_date": start_date,
        "end_date": end_date,
        "start_half": start_half,
        "end_half": end_half,
        "on_site_days": on_site_days,
        "planned_man_days": planned_man_days,
        "man_days_deviation_reason": man_days_deviation_reason,
        "notes": notes,
    }
    standards, adjustments, non_applicable, sites = (
        list(standards),
        list(adjustments),
        list(non_applicable),
        list(sites),
    )
    if programme is None:
        # The programme the audit will join, so its stage 1 / stage 2 rules apply before saving.
        programme = programme_covering(client=client, standards=[s.standard for s in standards])
    calculation = _validate_plan(
        client=client,
        programme=programme,
        data=data,
        standards=standards,
        adjustments=adjustments,
        non_applicable=non_applicable,
        sites=sites,
    )
    if programme is None:
        programme = _programme_for(
            client=client, standards=[s.standard for s in standards], audit_type=audit_type, by=by
        )
    if data["planned_man_days"] is None:
        data["planned_man_days"] = calculated_days(calculation)
    audit = Audit(client=client, programme=programme, created_by=by, **data)
    audit.calculated_man_days = calculated_days(calculation)
    audit.calculation = calculation
    set_history_user(audit, by)
    audit.save()
    _save_plan_rows(
        audit=audit, standards=standards, adjustments=adjustments, non_applicable=non_applicable, sites=sites, by=by
    )
    AUDIT_MACHINE.record_creation(audit, by=by, note=PLANNED_NOTE.text())
    return audit


def refuse_team_clashes(*, audit: Audit, span: availability.Span) -> None:
    """Refuse moving the audit to ``span`` when a team member is not free then, naming each."""
    clashes = availability.team_clashes(audit=audit, span=span)
    if clashes:
        raise ValidationError(
            {"start_date": [_("Refused (team not free on the new dates):")] + [c.message() for c in clashes]},
            code="clash",
        )


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    by: User,
    version: int,
    standards: Iterable[StandardInput],
    adjustments: Iterable[AdjustmentInput] = (),
    non_applicable: Iterable[NonApplicableInput] = (),
    sites: Iterable[Site] = (),
    programme: AuditProgramme | None = None,
    **fields: Any,
) -> Audit:
    """Change a planned (or running) audit. ``version`` is the version the editor loaded: if
    someone saved in between, the change is refused instead of overwriting theirs."""
    require_cb_admin(by)
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if locked.version != version:
        raise ValidationError(
            _("Someone else changed this audit since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    require_plan_editable(locked)
    unknown = set(fields) - set(_PLAN_FIELDS)
    if unknown:
        raise TypeError(f"audit_update does not change {sorted(unknown)}")
    data = {name: getattr(locked, name) for name in _PLAN_FIELDS}
    data.update(fields)
    if not data.get("purpose"):
        data["purpose"] = PURPOSE_FOR_TYPE.get(data["audit_type"], "")
    data["integration_reduction_percent"] = Decimal(data.get("integration_reduction_percent") or 0)
    programme = programme or locked.programme
    standards, adjustments, non_applicable, sites = (
        list(standards),
        list(adjustments),
        list(non_applicable),
        list(sites),
    )
    calculation = _validate_plan(
        client=locked.client,
        programme=programme,
        data=data,
        standards=standards,
        adjustments=adjustments,
        non_applicable=non_applicable,
        sites=sites,
        audit=locked,
    )
    new_span = availability.Span(data["start_date"], data["end_date"], data["start_half"], data["end_half"])
    if not new_span.valid:
        raise ValidationError({"end_half": _("The audit cannot end before it starts.")})
    if new_span != availability.audit_span(locked):
        refuse_team_clashes(audit=locked, span=new_span)
    if data["planned_man_days"] is None:
        data["planned_man_days"] = calculated_days(calculation)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.programme = programme
    locked.calculated_man_days = calculated_days(calculation)
    locked.calculation = calculation
    locked.version += 1
    set_history_user(locked, by)
    locked.save()
    _save_plan_rows(
        audit=locked, standards=standards, adjustments=adjustments, non_applicable=non_applicable, sites=sites, by=by
    )
    return locked
