"""The audits app's rules: planning an audit, its team, its itinerary, its programme, and the
status transitions. Views, forms, admin, commands and the demo call these; none of them
re-implements a rule.

Every function takes keyword-only arguments and the acting user ``by``; refused actions raise
``ValidationError`` with a translatable message naming the rule (or ``PermissionDenied`` when
the actor may not act at all). Tracked models are saved one by one (never ``QuerySet.update``)
so django-simple-history records every change.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import QualificationLevel
from accounts.selectors import auditor_covers_codes, auditor_has_conflict, auditor_qualified_for
from core.access import Role

from . import selectors
from .calculation import AdjustmentInput, StandardInput, calculate_man_days, calculated_days
from .lifecycle import AUDIT_MACHINE
from .models import (
    Audit,
    AuditMethod,
    AuditProgramme,
    AuditStandard,
    AuditStatus,
    AuditTimeAdjustment,
    AuditType,
    NonApplicableClause,
    PlanItem,
    TeamAssignment,
    TeamRole,
)
from .models.audit import PURPOSE_FOR_TYPE, AuditPurpose
from .models.team import AUDITING_ROLES, CODE_COMPETENCE_ROLES

__all__ = [
    "AdjustmentInput",
    "NonApplicableInput",
    "PlanItemInput",
    "StandardInput",
    "TeamCheck",
    "accompanying_person_add",
    "accompanying_person_remove",
    "audit_cancel",
    "audit_plan",
    "audit_start",
    "audit_update",
    "itinerary_prefill_from_matrix",
    "itinerary_save",
    "programme_create",
    "programme_update",
    "team_assignment_add",
    "team_assignment_remove",
    "team_check",
]

# Statuses in which the plan (audit data, team, itinerary) may still change.
PLAN_EDITABLE_STATUSES = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


@dataclass(frozen=True)
class NonApplicableInput:
    clause: object  # standards.Clause
    justification: str


@dataclass(frozen=True)
class PlanItemInput:
    """One itinerary line as entered: ``item`` is the existing PlanItem or None for a new one."""

    day: datetime.date
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    department: object = None
    process: str = ""
    clauses: tuple = ()
    auditor: TeamAssignment | None = None
    order: int = 0
    item: PlanItem | None = None


@dataclass
class TeamCheck:
    """What stands between the team and the audit: ``errors`` block the start of the audit,
    ``warnings`` are shown but do not block."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


# --- who may act --------------------------------------------------------------------------


def _is_cb_admin(user):
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN)


def _require_cb_admin(by):
    if not _is_cb_admin(by):
        raise PermissionDenied(_("Only a CB administrator may plan audits."))


def _require_plan_editable(audit):
    if audit.status not in PLAN_EDITABLE_STATUSES:
        raise ValidationError(
            _("This audit is %(status)s: its plan can no longer be changed.") % {"status": audit.get_status_display()}
        )


def _d(value):
    return date_format(value, "Y-m-d")


def _num(value):
    text = format(Decimal(value).quantize(Decimal("0.1")), "f")
    return text[:-2] if text.endswith(".0") else text


# --- programmes ---------------------------------------------------------------------------


def _validate_programme(*, standards, decision_on, certificate_issued_on, expires_on):
    errors = {}
    if not standards:
        errors["standards"] = _("Choose at least one standard.")
    if decision_on and certificate_issued_on and certificate_issued_on < decision_on:
        errors["certificate_issued_on"] = _("The certificate cannot be issued before the certification decision.")
    if certificate_issued_on and not decision_on:
        errors["decision_on"] = _("Enter the certification decision date too.")
    if expires_on and (certificate_issued_on or decision_on):
        anchor = min(d for d in (decision_on, certificate_issued_on) if d)
        if expires_on <= anchor:
            errors["expires_on"] = _("The expiry date must be after the start of the cycle.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *,
    client,
    standards,
    by,
    rule_set=None,
    cycle=1,
    starts_with_initial_audit=True,
    decision_on=None,
    certificate_issued_on=None,
    expires_on=None,
    notes="",
):
    _require_cb_admin(by)
    standards = list(standards)
    _validate_programme(
        standards=standards, decision_on=decision_on, certificate_issued_on=certificate_issued_on, expires_on=expires_on
    )
    programme = AuditProgramme(
        client=client,
        rule_set=rule_set or selectors.certification_body().default_rule_set,
        cycle=cycle,
        starts_with_initial_audit=starts_with_initial_audit,
        decision_on=decision_on,
        certificate_issued_on=certificate_issued_on,
        expires_on=expires_on,
        notes=notes,
        created_by=by,
    )
    programme._history_user = by
    programme.save()
    programme.standards.set(standards)
    return programme


@transaction.atomic
def programme_update(*, programme, by, standards=None, version=None, **fields):
    """Change a programme's rule set, anchors, cycle, notes or standards. With ``version``
    (the version the editor loaded) a concurrent change is refused, not overwritten."""
    _require_cb_admin(by)
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    if version is not None and programme.version != version:
        raise ValidationError(
            _("Someone else changed this programme since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    allowed = {
        "rule_set",
        "cycle",
        "starts_with_initial_audit",
        "decision_on",
        "certificate_issued_on",
        "expires_on",
        "active",
        "notes",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"programme_update does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(programme, name, value)
    new_standards = list(standards) if standards is not None else list(programme.standards.all())
    _validate_programme(
        standards=new_standards,
        decision_on=programme.decision_on,
        certificate_issued_on=programme.certificate_issued_on,
        expires_on=programme.expires_on,
    )
    if standards is not None:
        used = {
            s.pk
            for audit in programme.audits.exclude(status=AuditStatus.CANCELLED).prefetch_related("standards")
            for s in audit.standards.all()
        }
        missing = used - {s.pk for s in new_standards}
        if missing:
            raise ValidationError({"standards": _("A standard that audits of this programme use cannot be removed.")})
    programme.version += 1
    programme._history_user = by
    programme.save()
    if standards is not None:
        programme.standards.set(new_standards)
    return programme


def _programme_for(*, client, standards, audit_type, by):
    """The client's active programme covering the standards, or a new one."""
    wanted = {s.pk for s in standards}
    for programme in client.programmes.filter(active=True).prefetch_related("standards").order_by("-cycle", "-pk"):
        if wanted <= {s.pk for s in programme.standards.all()}:
            return programme
    return programme_create(
        client=client,
        standards=standards,
        by=by,
        starts_with_initial_audit=audit_type in (AuditType.STAGE_1, AuditType.STAGE_2),
    )


# --- planning an audit --------------------------------------------------------------------

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
    "on_site_days",
    "planned_man_days",
    "man_days_deviation_reason",
    "notes",
)


def audit_calculation(
    *,
    client,
    audit_type,
    standards,
    adjustments=(),
    integrated=False,
    integration_reduction_percent=Decimal(0),
    effective_personnel=None,
    programme=None,
    audit=None,
):
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


def _excluded_clause_ids(non_applicable_clauses):
    """Ids of the non-applicable clauses and every clause below them (8.3 excludes 8.3.1 …)."""
    from standards.models import Clause

    excluded = set()
    for clause in non_applicable_clauses:
        excluded.add(clause.pk)
        excluded.update(
            Clause.objects.filter(standard_id=clause.standard_id, number__startswith=clause.number + ".").values_list(
                "pk", flat=True
            )
        )
    return excluded


def _validate_plan(*, client, programme, data, standards, adjustments, non_applicable, sites, audit=None):
    """All rules of an audit's plan; returns the audit-time calculation. Raises one
    ValidationError with every refused field."""
    errors = {}

    def add(name, message):
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
        integrated=data.get("integrated"),
        integration_reduction_percent=integration,
        effective_personnel=personnel,
        programme=programme,
        audit=audit,
    )
    calculated = calculated_days(calculation)
    planned = data.get("planned_man_days")
    reason = (data.get("man_days_deviation_reason") or "").strip()
    if planned is None and calculated is None:
        add("planned_man_days", _("Enter the planned man-days."))
    elif calculated is None and not reason:
        add(
            "man_days_deviation_reason",
            _("There is no IAF MD 5 figure for this audit: record how the planned man-days were determined."),
        )
    elif planned is not None and calculated is not None and Decimal(planned) != calculated and not reason:
        add(
            "man_days_deviation_reason",
            _(
                "The planned man-days (%(planned)s) differ from the calculated %(calculated)s: record the reason "
                "(IAF MD 5 requires every deviation to be justified)."
            )
            % {"planned": _num(planned), "calculated": _num(calculated)},
        )
    if errors:
        raise ValidationError(errors)
    return calculation


def _save_plan_rows(*, audit, standards, adjustments, non_applicable, sites, by):
    """Bring the audit's standards, adjustments, NA clauses and sites to the given lists, one
    saved row at a time (history)."""
    wanted = {s.standard.pk: s for s in standards}
    for row in list(audit.audit_standards.all()):
        if row.standard_id not in wanted:
            row._history_user = by
            row.delete()
        elif row.complexity != (wanted[row.standard_id].complexity or ""):
            row.complexity = wanted[row.standard_id].complexity or ""
            row._history_user = by
            row.save()
    existing = set(audit.audit_standards.values_list("standard_id", flat=True))
    for pk, spec in wanted.items():
        if pk not in existing:
            row = AuditStandard(audit=audit, standard=spec.standard, complexity=spec.complexity or "")
            row._history_user = by
            row.save()

    current = [(a.standard_id, Decimal(a.percent), a.reason) for a in audit.time_adjustments.order_by("pk")]
    target = [(a.standard.pk, Decimal(a.percent), a.reason.strip()) for a in adjustments]
    if current != target:
        for row in list(audit.time_adjustments.all()):
            row._history_user = by
            row.delete()
        for a in adjustments:
            row = AuditTimeAdjustment(audit=audit, standard=a.standard, percent=a.percent, reason=a.reason.strip())
            row._history_user = by
            row.save()

    wanted_na = {n.clause.pk: n for n in non_applicable}
    for row in list(audit.non_applicable_rows.all()):
        spec = wanted_na.get(row.clause_id)
        if spec is None:
            row._history_user = by
            row.delete()
        elif row.justification != spec.justification.strip():
            row.justification = spec.justification.strip()
            row._history_user = by
            row.save()
    existing_na = set(audit.non_applicable_rows.values_list("clause_id", flat=True))
    for pk, spec in wanted_na.items():
        if pk not in existing_na:
            row = NonApplicableClause(audit=audit, clause=spec.clause, justification=spec.justification.strip())
            row._history_user = by
            row.save()

    if {s.pk for s in audit.sites.all()} != {s.pk for s in sites}:
        audit._history_user = by
        audit.sites.set(sites)


@transaction.atomic
def audit_plan(
    *,
    by,
    client,
    audit_type,
    standards,
    start_date,
    end_date,
    on_site_days,
    programme=None,
    purpose="",
    method=AuditMethod.ON_SITE,
    integrated=False,
    integration_reduction_percent=Decimal(0),
    integration_reduction_reason="",
    effective_personnel=None,
    effective_personnel_reason="",
    criteria_client_documents=True,
    criteria_legislation=True,
    criteria_other="",
    sites=(),
    adjustments=(),
    non_applicable=(),
    planned_man_days=None,
    man_days_deviation_reason="",
    notes="",
):
    """Plan a new audit (status planned). ``standards`` are StandardInput (standard and
    complexity), ``adjustments`` AdjustmentInput, ``non_applicable`` NonApplicableInput.
    Without a programme the client's active programme covering the standards is used (or a
    new one). Without planned man-days the calculated ones are planned."""
    _require_cb_admin(by)
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
    audit._history_user = by
    audit.save()
    _save_plan_rows(
        audit=audit, standards=standards, adjustments=adjustments, non_applicable=non_applicable, sites=sites, by=by
    )
    AUDIT_MACHINE.record_creation(audit, by=by, note=_("Audit planned."))
    return audit


@transaction.atomic
def audit_update(
    *, audit, by, version, standards, adjustments=(), non_applicable=(), sites=(), programme=None, **fields
):
    """Change a planned (or running) audit. ``version`` is the version the editor loaded: if
    someone saved in between, the change is refused instead of overwriting theirs."""
    _require_cb_admin(by)
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if locked.version != version:
        raise ValidationError(
            _("Someone else changed this audit since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    _require_plan_editable(locked)
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
    if data["planned_man_days"] is None:
        data["planned_man_days"] = calculated_days(calculation)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.programme = programme
    locked.calculated_man_days = calculated_days(calculation)
    locked.calculation = calculation
    locked.version += 1
    locked._history_user = by
    locked.save()
    _save_plan_rows(
        audit=locked, standards=standards, adjustments=adjustments, non_applicable=non_applicable, sites=sites, by=by
    )
    return locked


# --- status moves (the machine is declared in lifecycle.py) ----------------------------------


def audit_move(*, audit, action, by, note="", version=None):
    """Take ``action`` of the audit machine (``audits.lifecycle.AUDIT_MACHINE``): the one public
    way for any app to change an audit's status. Refusals: ``PermissionDenied`` (who),
    ``ValidationError`` (status, version)."""
    AUDIT_MACHINE.move(audit, action, by=by, note=note, version=version)
    return audit


def audit_follow(*, audit, action, by, note=""):
    """Move the audit as another record moves (the report, in the caller's transaction). A step
    back to "report drafted" from a status that has no such step (the audit has moved on, or
    has not started), or a step the audit has already made, changes nothing; any other step
    the audit's status does not allow is refused."""
    move = AUDIT_MACHINE[action]
    current = Audit.objects.values_list("status", flat=True).get(pk=audit.pk)
    if current == move.target:
        return audit
    if move.target == AuditStatus.REPORT_DRAFTED and current not in AUDIT_MACHINE.sources_of_target(
        AuditStatus.REPORT_DRAFTED
    ):
        return audit
    return audit_move(audit=audit, action=action, by=by, note=note)


@transaction.atomic
def audit_start(*, audit, by):
    """planned → in progress: the team leader (or a CB administrator) opens the audit. Refused
    while the team check reports errors."""
    AUDIT_MACHINE.require(by, audit, "start")
    check = team_check(audit=audit)
    if check.errors:
        raise ValidationError([_("The audit cannot start:")] + check.errors)
    return audit_move(audit=audit, action="start", by=by)


@transaction.atomic
def audit_cancel(*, audit, by, reason):
    """planned → cancelled, with the reason (CB administrators)."""
    AUDIT_MACHINE.require(by, audit, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the audit.")})
    return audit_move(audit=audit, action="cancel", by=by, note=reason.strip())


# --- the team -----------------------------------------------------------------------------


def _conflict_during(*, profile, audit):
    """(day, conflict) of the first audit day on which the auditor has a declared conflict with
    the client, or None."""
    day = audit.start_date
    while day <= audit.end_date:
        conflict = auditor_has_conflict(profile=profile, client=audit.client, on_date=day)
        if conflict:
            return day, conflict
        day += datetime.timedelta(days=1)
    return None


def _conflict_message(*, profile, audit, found):
    day, conflict = found
    description = getattr(conflict, "description", "")
    return _(
        "Refused (conflict of interest): %(name)s declared a conflict with %(client)s (%(description)s) that is "
        "active on %(date)s."
    ) % {"name": profile.user, "client": audit.client, "description": description, "date": _d(day)}


def _overlap_warnings(*, profile, audit):
    return [
        _("Warning (double booking): %(name)s is also booked on %(audit)s (%(start)s – %(end)s).")
        % {
            "name": profile.user,
            "audit": other.audit,
            "start": _d(other.audit.start_date),
            "end": _d(other.audit.end_date),
        }
        for other in selectors.overlapping_assignments(
            profile=profile, start_date=audit.start_date, end_date=audit.end_date, exclude_audit=audit
        )
    ]


def _families_label(families):
    return ", ".join(families)


def _snapshot(*, assignment, audit):
    """Copy what the report prints about the person (part 一) onto the assignment."""
    profile = assignment.profile
    assignment.name = profile.user.get_full_name()
    assignment.gender = profile.gender
    assignment.registration_number = profile.registration_number
    client_codes = [ta.code for ta in audit.client.technical_areas.all()]
    own = sorted(ta.code for ta in profile.technical_areas.all())
    relevant = [code for code in own if any(c == code or c.startswith(code + ".") for c in client_codes)]
    assignment.codes = ", ".join(relevant if client_codes else own)
    assignment.qualifications = "; ".join(f"{q.family}:{q.level}" for q in profile.qualifications.order_by("family"))


@transaction.atomic
def team_assignment_add(*, audit, profile, role, by, days=None):
    """Put an auditor on the team. Returns (assignment, warnings).

    Refused: an auditor with a declared conflict of interest with the client active on the
    audit dates; a second leader; a leader without a lead-auditor qualification for every
    family of the audit; a team member without an auditor qualification in any of them.
    Warned: the auditor is already booked on another audit on overlapping dates.
    """
    _require_cb_admin(by)
    _require_plan_editable(audit)
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose the role in the team.")})
    name = profile.user
    if audit.team.filter(profile=profile).exists():
        raise ValidationError(_("%(name)s is already on this audit's team.") % {"name": name})
    found = _conflict_during(profile=profile, audit=audit)
    if found:
        raise ValidationError(_conflict_message(profile=profile, audit=audit, found=found))
    families = audit.families
    if role == TeamRole.LEADER:
        current = audit.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()
        if current:
            raise ValidationError(
                _(
                    "Refused (one team leader): %(leader)s already leads this audit; remove them first or add "
                    "%(name)s as a team member."
                )
                % {"leader": current.profile.user, "name": name}
            )
        missing = [
            f
            for f in families
            if not auditor_qualified_for(
                profile=profile, family=f, level=QualificationLevel.LEAD_AUDITOR, on_date=audit.start_date
            )
        ]
        if missing:
            raise ValidationError(
                _(
                    "Refused (leader qualification): %(name)s holds no valid lead-auditor qualification for %(families)s."
                )
                % {"name": name, "families": _families_label(missing)}
            )
    elif (
        role == TeamRole.AUDITOR
        and families
        and not any(auditor_qualified_for(profile=profile, family=f, on_date=audit.start_date) for f in families)
    ):
        raise ValidationError(
            _(
                "Refused (auditor qualification): %(name)s holds no valid auditor qualification for any "
                "system of this audit (%(families)s)."
            )
            % {"name": name, "families": _families_label(families)}
        )
    if days is not None and days > audit.calendar_days:
        raise ValidationError({"days": _("The days on this audit cannot exceed its calendar days.")})
    assignment = TeamAssignment(audit=audit, profile=profile, role=role, days=days)
    _snapshot(assignment=assignment, audit=audit)
    assignment._history_user = by
    assignment.save()
    return assignment, _overlap_warnings(profile=profile, audit=audit)


@transaction.atomic
def team_assignment_remove(*, assignment, by):
    """Take someone off the team (their itinerary lines keep no auditor)."""
    _require_cb_admin(by)
    _require_plan_editable(assignment.audit)
    assignment._history_user = by
    for item in list(assignment.plan_items.all()):
        item.auditor = None
        item._history_user = by
        item.save()
    assignment.delete()


@transaction.atomic
def accompanying_person_add(*, audit, by, name, role, gender="", employer="", remarks=""):
    """Record someone accompanying the team who is not a CB auditor (与审核组同行人员)."""
    from .models import AccompanyingPerson

    _require_cb_admin(by)
    _require_plan_editable(audit)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the name.")
    if not (role or "").strip():
        errors["role"] = _("Enter the role (observer, interpreter, guide …).")
    if errors:
        raise ValidationError(errors)
    person = AccompanyingPerson(
        audit=audit,
        name=name.strip(),
        role=role.strip(),
        gender=gender,
        employer=employer.strip(),
        remarks=remarks.strip(),
    )
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def accompanying_person_remove(*, person, by):
    _require_cb_admin(by)
    _require_plan_editable(person.audit)
    person._history_user = by
    person.delete()


def team_check(*, audit):
    """Check the whole team (see TeamCheck). The one home of the team rules besides the
    refusals in team_assignment_add, whose conditions it re-checks (dates or qualifications
    may have changed since)."""
    check = TeamCheck()
    team = list(audit.team.select_related("profile__user"))
    families = audit.families
    leaders = [a for a in team if a.role == TeamRole.LEADER]
    if not leaders:
        check.errors.append(_("No team leader (one team leader): exactly one team leader is required."))
    for leader in leaders:
        missing = [
            f
            for f in families
            if not auditor_qualified_for(
                profile=leader.profile, family=f, level=QualificationLevel.LEAD_AUDITOR, on_date=audit.start_date
            )
        ]
        if missing:
            check.errors.append(
                _(
                    "Refused (leader qualification): %(name)s holds no valid lead-auditor qualification for %(families)s."
                )
                % {"name": leader.profile.user, "families": _families_label(missing)}
            )
    auditing = [a for a in team if a.role in AUDITING_ROLES]
    for family in families:
        if not any(auditor_qualified_for(profile=a.profile, family=family, on_date=audit.start_date) for a in auditing):
            check.errors.append(
                _("Not covered (system competence): no team leader or member is qualified to audit %(family)s.")
                % {"family": family}
            )
    uncovered = auditor_covers_codes(
        profiles=[a.profile for a in team if a.role in CODE_COMPETENCE_ROLES],
        codes=[ta.code for ta in audit.client.technical_areas.all()],
    )
    if uncovered:
        check.errors.append(
            _("Not covered (technical competence): no auditor or technical expert covers the client's codes %(codes)s.")
            % {"codes": ", ".join(sorted(uncovered))}
        )
    for assignment in team:
        found = _conflict_during(profile=assignment.profile, audit=audit)
        if found:
            check.errors.append(_conflict_message(profile=assignment.profile, audit=audit, found=found))
        check.warnings.extend(_overlap_warnings(profile=assignment.profile, audit=audit))
    auditor_days = sum((a.days if a.days is not None else audit.on_site_days for a in auditing), Decimal(0))
    if auditing and auditor_days < audit.planned_man_days:
        check.warnings.append(
            _(
                "The team's auditor-days (%(team)s) are fewer than the planned man-days (%(planned)s); technical "
                "experts and observers do not count."
            )
            % {"team": _num(auditor_days), "planned": _num(audit.planned_man_days)}
        )
    return check


# --- the itinerary ------------------------------------------------------------------------


def _validate_plan_item(*, audit, row, allowed_clause_ids, team_ids):
    errors = {}
    if row.day is None or not (audit.start_date <= row.day <= audit.end_date):
        errors["day"] = _("The day must be within the audit dates (%(start)s – %(end)s).") % {
            "start": _d(audit.start_date),
            "end": _d(audit.end_date),
        }
    if row.start_time and row.end_time and row.end_time <= row.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    if row.department is not None and row.department.client_id != audit.client_id:
        errors["department"] = _("Choose a department of this client.")
    if row.department is None and not (row.process or "").strip():
        errors["process"] = _("Name the department or the process audited.")
    wrong = [c.number for c in row.clauses if c.pk not in allowed_clause_ids]
    if wrong:
        errors["clauses"] = _(
            "Clauses %(clauses)s are not clauses of the audited standards, or were declared not applicable."
        ) % {"clauses": ", ".join(wrong)}
    if row.auditor is not None and row.auditor.pk not in team_ids:
        errors["auditor"] = _("Choose someone on this audit's team.")
    return errors


def itinerary_allowed_clause_ids(*, audit):
    """Clauses an itinerary line may list: the audit's standards minus non-applicable ones."""
    from standards.models import Clause

    excluded = _excluded_clause_ids([row.clause for row in audit.non_applicable_rows.select_related("clause")])
    ids = set(Clause.objects.filter(standard__in=audit.standards.all()).values_list("pk", flat=True))
    return ids - excluded


def itinerary_check_row(*, audit, row):
    """The errors of one line (dict field -> message), for forms."""
    return _validate_plan_item(
        audit=audit,
        row=row,
        allowed_clause_ids=itinerary_allowed_clause_ids(audit=audit),
        team_ids=set(audit.team.values_list("pk", flat=True)),
    )


def _bump_plan_version(*, audit, plan_version):
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if plan_version is not None and locked.plan_version != plan_version:
        raise ValidationError(
            _("Someone else changed this itinerary since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    locked.plan_version += 1
    locked.save(update_fields=["plan_version"])  # plan_version is not tracked by the history
    audit.plan_version = locked.plan_version


@transaction.atomic
def itinerary_save(*, audit, rows, by, delete=(), plan_version=None):
    """Save the itinerary: ``rows`` (PlanItemInput) are created or updated, ``delete``
    (PlanItem) removed. Refused as a whole if one line breaks a rule, and when someone saved
    the itinerary since ``plan_version`` was loaded."""
    _require_cb_admin(by)
    _require_plan_editable(audit)
    _bump_plan_version(audit=audit, plan_version=plan_version)
    allowed = itinerary_allowed_clause_ids(audit=audit)
    team_ids = set(audit.team.values_list("pk", flat=True))
    errors = []
    for index, row in enumerate(rows, start=1):
        row_errors = _validate_plan_item(audit=audit, row=row, allowed_clause_ids=allowed, team_ids=team_ids)
        for message in row_errors.values():
            errors.append(_("Line %(n)s: %(message)s") % {"n": index, "message": message})
    if errors:
        raise ValidationError(errors)
    for item in delete:
        if item.audit_id != audit.pk:
            raise PermissionDenied
        item._history_user = by
        item.delete()
    # Compare with the stored rows (a ModelForm has already copied its input onto row.item).
    stored = {item.pk: item for item in audit.plan_items.prefetch_related("clauses")}
    saved = []
    for row in rows:
        if row.item is not None and row.item.pk not in stored:
            raise PermissionDenied
        item = stored[row.item.pk] if row.item is not None else PlanItem(audit=audit)
        changed = item.pk is None
        for name in ("day", "start_time", "end_time", "department", "process", "auditor", "order"):
            value = getattr(row, name)
            if name == "process":
                value = (value or "").strip()
            if getattr(item, name) != value:
                setattr(item, name, value)
                changed = True
        if changed:
            item._history_user = by
            item.save()
        wanted = {c.pk for c in row.clauses}
        if {c.pk for c in item.clauses.all()} != wanted:
            item._history_user = by
            item.clauses.set(list(row.clauses))
        saved.append(item)
    return saved


@transaction.atomic
def itinerary_prefill_from_matrix(*, audit, by, replace=False):
    """One itinerary line per department of the client's responsibility matrix, listing the
    clauses the department owns or supports among the audit's standards, minus the
    non-applicable clauses (and those below them). Day: the audit's first day; auditor: the
    only auditing team member, if there is exactly one. Refused when the itinerary has lines,
    unless ``replace``."""
    from clients.models import Responsibility

    _require_cb_admin(by)
    _require_plan_editable(audit)
    _bump_plan_version(audit=audit, plan_version=None)
    existing = list(audit.plan_items.all())
    if existing and not replace:
        raise ValidationError(_("The itinerary already has lines; choose to replace them to pre-fill it again."))
    for item in existing:
        item._history_user = by
        item.delete()
    allowed = itinerary_allowed_clause_ids(audit=audit)
    responsibilities = (
        Responsibility.objects.filter(department__client=audit.client, clause_id__in=allowed)
        .select_related("department", "clause__standard")
        .order_by("department__order", "department__pk", "clause__standard__code", "clause__sort_key")
    )
    by_department = {}
    for resp in responsibilities:
        by_department.setdefault(resp.department, []).append(resp.clause)
    auditing = list(audit.team.filter(role__in=AUDITING_ROLES))
    auditor = auditing[0] if len(auditing) == 1 else None
    created = []
    for order, (department, clauses) in enumerate(by_department.items(), start=1):
        item = PlanItem(audit=audit, day=audit.start_date, department=department, auditor=auditor, order=order * 10)
        item._history_user = by
        item.save()
        item.clauses.set(clauses)
        created.append(item)
    return created
