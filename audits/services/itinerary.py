"""The audit plan's itinerary (attachment 1 of the report): its lines, their rules, and the
pre-fill from the client's responsibility matrix."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Department, Responsibility
from core.history import set_history_user
from standards.models import Clause, clause_list_key

from .. import itinerary_rules
from ..models import Audit, CertificationBody, PlanItem, PlanItemKind, TeamAssignment, TeamRole
from ..models.team import AUDITING_ROLES
from .common import day_text, require_cb_admin, require_plan_editable

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PlanItemInput:
    """One itinerary line as entered: ``item`` is the existing PlanItem or None for a new one."""

    day: datetime.date
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    department: Department | None = None
    process: str = ""
    clauses: tuple[Clause, ...] = ()
    auditor: TeamAssignment | None = None
    order: int = 0
    item: PlanItem | None = None
    kind: str = PlanItemKind.AUDIT


def _excluded_clause_ids(non_applicable_clauses: Iterable[Clause]) -> set[int]:
    """Ids of the non-applicable clauses and every clause below them (8.3 excludes 8.3.1 …)."""
    excluded: set[int] = set()
    for clause in non_applicable_clauses:
        excluded.add(clause.pk)
        excluded.update(
            Clause.objects.filter(standard_id=clause.standard_id, number__startswith=clause.number + ".").values_list(
                "pk", flat=True
            )
        )
    return excluded


def _validate_plan_item(
    *, audit: Audit, row: PlanItemInput, allowed_clause_ids: set[int], team_ids: set[int]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if row.day is None or not (audit.start_date <= row.day <= audit.end_date):
        errors["day"] = _("The day must be within the audit dates (%(start)s – %(end)s).") % {
            "start": day_text(audit.start_date),
            "end": day_text(audit.end_date),
        }
    if row.start_time and row.end_time and row.end_time <= row.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    if row.department is not None and row.department.client_id != audit.client_id:
        errors["department"] = _("Choose a department of this client.")
    if row.kind == PlanItemKind.AUDIT and row.department is None and not (row.process or "").strip():
        errors["process"] = _("Name the department or the process audited.")
    wrong = [c.number for c in row.clauses if c.pk not in allowed_clause_ids]
    if wrong:
        errors["clauses"] = _(
            "Clauses %(clauses)s are not clauses of the audited standards, or were declared not applicable."
        ) % {"clauses": ", ".join(wrong)}
    if row.auditor is not None and row.auditor.pk not in team_ids:
        errors["auditor"] = _("Choose someone on this audit's team.")
    return errors


def itinerary_allowed_clause_ids(*, audit: Audit) -> set[int]:
    """Clauses an itinerary line may list: the audit's standards minus non-applicable ones."""
    excluded = _excluded_clause_ids([row.clause for row in audit.non_applicable_rows.select_related("clause")])
    ids = set(Clause.objects.filter(standard__in=audit.standards.all()).values_list("pk", flat=True))
    return ids - excluded


def itinerary_check_row(*, audit: Audit, row: PlanItemInput) -> dict[str, str]:
    """The errors of one line (dict field -> message), for forms."""
    return _validate_plan_item(
        audit=audit,
        row=row,
        allowed_clause_ids=itinerary_allowed_clause_ids(audit=audit),
        team_ids=set(audit.team.values_list("pk", flat=True)),
    )


def _bump_plan_version(*, audit: Audit, plan_version: int | None) -> None:
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
def itinerary_save(
    *,
    audit: Audit,
    rows: Sequence[PlanItemInput],
    by: User,
    delete: Iterable[PlanItem] = (),
    plan_version: int | None = None,
) -> list[PlanItem]:
    """Save the itinerary: ``rows`` (PlanItemInput) are created or updated, ``delete``
    (PlanItem) removed. Refused as a whole if one line breaks a rule, and when someone saved
    the itinerary since ``plan_version`` was loaded."""
    require_cb_admin(by)
    require_plan_editable(audit)
    _bump_plan_version(audit=audit, plan_version=plan_version)
    allowed = itinerary_allowed_clause_ids(audit=audit)
    team_ids = set(audit.team.values_list("pk", flat=True))
    errors: list[str] = []
    for index, row in enumerate(rows, start=1):
        row_errors = _validate_plan_item(audit=audit, row=row, allowed_clause_ids=allowed, team_ids=team_ids)
        for message in row_errors.values():
            errors.append(_("Line %(n)s: %(message)s") % {"n": index, "message": message})
    if errors:
        raise ValidationError(errors)
    for item in delete:
        if item.audit_id != audit.pk:
            raise PermissionDenied
        set_history_user(item, by)
        item.delete()
    # Compare with the stored rows (a ModelForm has already copied its input onto row.item).
    stored = {item.pk: item for item in audit.plan_items.prefetch_related("clauses")}
    saved: list[PlanItem] = []
    for row in rows:
        if row.item is not None and row.item.pk not in stored:
            raise PermissionDenied
        item = stored[row.item.pk] if row.item is not None else PlanItem(audit=audit)
        changed = item.pk is None
        for name in ("day", "kind", "start_time", "end_time", "department", "process", "auditor", "order"):
            value = getattr(row, name)
            if name == "process":
                value = (value or "").strip()
            if getattr(item, name) != value:
                setattr(item, name, value)
                changed = True
        if changed:
            set_history_user(item, by)
            item.save()
        wanted = {c.pk for c in row.clauses}
        if {c.pk for c in item.clauses.all()} != wanted:
            set_history_user(item, by)
            item.clauses.set(list(row.clauses))
        saved.append(item)
    return saved


@transaction.atomic
def itinerary_prefill_from_matrix(*, audit: Audit, by: User, replace: bool = False) -> list[PlanItem]:
    """A timetable over every day of the audit from the client's responsibility matrix: the
    opening meeting, then one stretch per department listing the clauses it owns or supports
    among the audit's standards (minus the non-applicable clauses and those below them), with
    time in proportion to its clauses (a department continues after the break or on the next
    day with the rest of its clauses), and the closing meeting (``itinerary_rules``; the working
    day is the CB's setting). Auditor: the only auditing team member, if there is exactly one;
    the meetings: the team leader. Refused when the itinerary has lines, unless ``replace``."""
    require_cb_admin(by)
    require_plan_editable(audit)
    _bump_plan_version(audit=audit, plan_version=None)
    existing = list(audit.plan_items.all())
    if existing and not replace:
        raise ValidationError(_("The itinerary already has lines; choose to replace them to pre-fill it again."))
    for item in existing:
        set_history_user(item, by)
        item.delete()
    allowed = itinerary_allowed_clause_ids(audit=audit)
    responsibilities = (
        Responsibility.objects.filter(department__client=audit.client, clause_id__in=allowed)
        .select_related("department", "clause__standard")
        .order_by("department__order", "department__pk")
    )
    by_department: dict[Department, list[Clause]] = {}
    for resp in responsibilities:
        by_department.setdefault(resp.department, []).append(resp.clause)
    departments = list(by_department)
    clause_lists = [sorted(set(by_department[d]), key=clause_list_key) for d in departments]
    team = list(audit.team.all())
    auditing = [member for member in team if member.role in AUDITING_ROLES]
    auditor = auditing[0] if len(auditing) == 1 else None
    leader = next((member for member in team if member.role == TeamRole.LEADER), auditor)
    cb = CertificationBody.objects.current()
    hours = cb.working_day() if cb is not None else CertificationBody().working_day()
    try:
        slots = itinerary_rules.schedule(
            days=itinerary_rules.audit_days(audit.start_date, audit.end_date),
            weights=[len(clauses) for clauses in clause_lists],
            hours=hours,
        )
    except itinerary_rules.ScheduleError:
        raise ValidationError(
            _(
                "The audit's days are too short for the meetings and %(n)s departments: "
                "lengthen the audit or write the itinerary by hand."
            )
            % {"n": len(departments)},
            code="too_short",
        ) from None
    created = []
    for order, slot in enumerate(slots, start=1):
        item = PlanItem(audit=audit, day=slot.day, start_time=slot.start, end_time=slot.end, order=order * 10)
        clauses: list[Clause] = []
        if slot.unit is None:
            item.kind = PlanItemKind.OPENING if slot.kind == itinerary_rules.SlotKind.OPENING else PlanItemKind.CLOSING
            item.auditor = leader
        else:
            item.department = departments[slot.unit]
            item.auditor = auditor
            clauses = clause_lists[slot.unit][slot.clauses[0] : slot.clauses[1]]
        set_history_user(item, by)
        item.save()
        if clauses:
            item.clauses.set(clauses)
        created.append(item)
    return created
