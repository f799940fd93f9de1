"""Reads of nonconformities: the register, one NC with its history, the home-page queues,
readiness of an audit, and the facts parts 七, 十二 and 十五 of the report print.

Lists run a fixed number of queries whatever the row count. The date rules themselves are the
pure functions of ``findings.rules``; ``with_flags`` applies them to NC rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce

from core.dates import local_today

from . import rules
from .models import (
    Nonconformity,
    NonconformityDueRule,
    NonconformityGrade,
    NonconformityResponse,
    NonconformityStatus,
    NonconformityTransition,
)
from .rules import resolve_due_days as rules_resolve_due_days  # ``due_days`` has an argument ``rules``

if TYPE_CHECKING:
    from accounts.models import User
    from audits.models import Audit

NCs = TypeVar("NCs", bound=Iterable[Nonconformity])

FAMILY_ORDER = {"QMS": 0, "EMS": 1, "OHSMS": 2}


def today() -> datetime.date:
    return local_today()


# --- due dates ------------------------------------------------------------------------------


def due_rules() -> list[tuple[str, str, int]]:
    """The CB's rules as (grade, audit_type, days) tuples."""
    return list(NonconformityDueRule.objects.values_list("grade", "audit_type", "days"))


def due_days(*, grade: str, audit_type: str, rules: Iterable[tuple[str, str, int]] | None = None) -> int | None:
    return rules_resolve_due_days(grade=grade, audit_type=audit_type, rules=due_rules() if rules is None else rules)


def due_days_for_audit_type(audit_type: str) -> dict[str, int | None]:
    """{"minor": days, "major": days} for an audit type (part 十二 prints them)."""
    cb_rules = due_rules()
    return {
        grade: due_days(grade=grade, audit_type=audit_type, rules=cb_rules)
        for grade in (NonconformityGrade.MINOR, NonconformityGrade.MAJOR)
    }


def default_due_date(*, audit: Audit, grade: str) -> datetime.date | None:
    """The due date an NC of ``grade`` raised at ``audit`` gets (None for observations)."""
    return rules.due_date(
        audit_end=audit.end_date,
        grade=grade,
        audit_type=audit.audit_type,
        days=due_days(grade=grade, audit_type=audit.audit_type),
    )


def overdue_q(on: datetime.date | None = None) -> Q:
    """Q for NCs past their due date and not yet accepted by the auditor."""
    return Q(due_date__lt=on or today(), status__in=rules.AWAITING_VERIFICATION)


def suspension_grounds_q(on: datetime.date | None = None) -> Q:
    return overdue_q(on) & Q(audit__audit_type__in=rules.SURVEILLANCE_TYPES)


STATUS_CSS = {"open": "warning", "returned": "danger", "responded": "info", "verified": "primary", "closed": "success"}


def with_flags(ncs: NCs, on: datetime.date | None = None) -> NCs:
    """Set on each NC (audit loaded): ``is_overdue``, ``days_overdue``, ``suspension_grounds``, ``status_css``,
    ``stage2_limit`` (stage 2 majors) and ``new_stage2_required``."""
    on = on or today()
    for nc in ncs:
        audit = nc.audit
        nc.is_overdue = rules.is_overdue(due=nc.due_date, status=nc.status, today=on)
        nc.status_css = STATUS_CSS.get(nc.status, "secondary")
        nc.days_overdue = (on - nc.due_date).days if nc.is_overdue and nc.due_date is not None else 0
        nc.suspension_grounds = rules.suspension_grounds(audit_type=audit.audit_type, overdue=nc.is_overdue)
        nc.stage2_limit = (
            rules.stage2_limit(audit.end_date)
            if rules.has_stage2_limit(grade=nc.grade, audit_type=audit.audit_type)
            else None
        )
        nc.new_stage2_required = rules.new_stage2_required(
            grade=nc.grade, audit_type=audit.audit_type, status=nc.status, audit_end=audit.end_date, today=on
        )
    return ncs


# --- lists ----------------------------------------------------------------------------------


def nc_list(*, user: User, action: str = "view") -> QuerySet[Nonconformity]:
    """NCs the user may see, with what the register shows (fixed number of queries)."""
    return (
        Nonconformity.objects.restrict(user, action)
        .select_related("audit__client", "clause__standard", "department")
        .annotate(**_round_figures())
        .order_by("audit__client__name_zh", "-audit__start_date", "audit_id", "number")
    )


def _round_figures() -> dict[str, Any]:
    """Each NC's number of response rounds and its last answer, as correlated subqueries: the
    database computes them for the page's rows only, where a GROUP BY over the joined responses
    made it group and sort every NC before the page's LIMIT."""
    rounds = NonconformityResponse.objects.filter(nc=OuterRef("pk")).order_by().values("nc")
    return {
        "round_count": Coalesce(Subquery(rounds.annotate(n=Count("pk")).values("n")), 0),
        "last_response_at": Subquery(rounds.annotate(last=Max("submitted_at")).values("last")),
    }


def nc_detail(*, user: User, pk: int) -> Nonconformity:
    """One NC the user may see, with its rounds, files, transitions and reminders; raises
    Nonconformity.DoesNotExist."""
    nc = (
        Nonconformity.objects.restrict(user, "view")
        .select_related("audit__client", "audit__programme", "clause__standard", "department", "raised_by", "finding")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=NonconformityResponse.objects.select_related("submitted_by", "verified_by", "closure_by")
                .prefetch_related("files")
                .order_by("round"),
            ),
            Prefetch("transitions", queryset=NonconformityTransition.objects.select_related("by").order_by("at", "pk")),
            "reminders",
        )
        .get(pk=pk)
    )
    with_flags([nc])
    return nc


def history_of(nc: Nonconformity) -> list[dict[str, Any]]:
    """The NC's field changes from django-simple-history (who, when, which fields), newest last."""
    records = list(nc.history.select_related("history_user").order_by("history_date", "history_id"))
    changes = []
    previous = None
    for record in records:
        if previous is None:
            changes.append({"record": record, "fields": []})
        else:
            delta = record.diff_against(previous, excluded_fields=["version"])
            fields = [c.field for c in delta.changes]
            if fields:
                changes.append({"record": record, "fields": fields})
        previous = record
    return changes


# --- home-page queues -----------------------------------------------------------------------


def _answer_queue(user: User) -> QuerySet[Nonconformity]:
    return (
        Nonconformity.objects.restrict(user, "respond")
        .filter(status__in=rules.AWAITING_CLIENT)
        .select_related("audit__client", "clause")
    )


def to_answer(*, user: User, limit: int | None = None) -> list[Nonconformity]:
    """A client user's NCs waiting for its answer, overdue first, then by due date (the overdue
    ones have the earliest due dates, so the database orders and cuts at ``limit``)."""
    qs = _answer_queue(user)
    if limit is not None:
        qs = with_total(qs.order_by(F("due_date").asc(nulls_last=True), "audit_id", "number"))[:limit]
    ncs = with_flags(list(qs))
    far = datetime.date.max
    return sorted(ncs, key=lambda nc: (not nc.is_overdue, nc.due_date or far, nc.audit_id, nc.number))


def _verify_queue(user: User) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.restrict(user, "verify").filter(status=NonconformityStatus.RESPONDED)


def _approve_queue(user: User) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.restrict(user, "approve").filter(status=NonconformityStatus.VERIFIED)


def _suspension_queue(user: User) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.restrict(user, "view").filter(suspension_grounds_q())


def with_total(qs: QuerySet[Nonconformity]) -> QuerySet[Nonconformity]:
    """Each row carries ``queue_total``, the number of rows before the LIMIT (a window count in
    the same query): a bounded list and its count in one query."""
    return qs.annotate(queue_total=Window(Count("pk")))


def total_of(ncs: list[Nonconformity]) -> int:
    """The count ``with_total`` put on a bounded list (0 for an empty one)."""
    return int(getattr(ncs[0], "queue_total", 0)) if ncs else 0


def _first(qs: QuerySet[Nonconformity], limit: int | None) -> list[Nonconformity]:
    qs = qs.select_related("audit__client", "clause").order_by("due_date", "pk")
    return with_flags(list(qs if limit is None else with_total(qs)[:limit]))


def to_verify(*, user: User, limit: int | None = None) -> list[Nonconformity]:
    return _first(_verify_queue(user), limit)


def to_approve(*, user: User, limit: int | None = None) -> list[Nonconformity]:
    return _first(_approve_queue(user), limit)


def overdue_surveillance(*, user: User, limit: int | None = None) -> list[Nonconformity]:
    """Overdue NCs of surveillance audits: grounds for suspension, for the committee."""
    return _first(_suspension_queue(user), limit)


def overdue_count(*, user: User) -> int:
    return Nonconformity.objects.restrict(user, "view").filter(overdue_q()).count()


# --- the audit's readiness for the certification decision ----------------------------------------


@dataclass
class Readiness:
    ready: bool
    blocking: list[Nonconformity] = field(default_factory=list)  # NCs that stop the audit from moving on


def audit_nc_readiness(*, audit: Audit) -> Readiness:
    """Every major closed and every minor at least accepted (action plan accepted), as
    ISO/IEC 17021-1 9.5.3 and 9.6.3.2.3 require before a certification decision; observations
    do not count."""
    blocking = []
    for nc in Nonconformity.objects.filter(audit_id=audit.pk).order_by("number"):
        if (nc.grade == NonconformityGrade.MAJOR and nc.status != NonconformityStatus.CLOSED) or (
            nc.grade == NonconformityGrade.MINOR
            and nc.status not in (NonconformityStatus.VERIFIED, NonconformityStatus.CLOSED)
        ):
            blocking.append(nc)
    return Readiness(ready=not blocking, blocking=blocking)


# --- what the report prints (七, 十二, 十五) --------------------------------------------------------


def _sorted_families(families: Iterable[str]) -> list[str]:
    return sorted(set(families), key=lambda f: (FAMILY_ORDER.get(f, 9), f))


def _result(ncs: Sequence[Nonconformity]) -> str | None:
    """十五 per family: "verified" when every major and minor of the family is accepted or closed,
    "issues_remain" when one is not, None when the family has none."""
    graded = [nc for nc in ncs if nc.grade in (NonconformityGrade.MAJOR, NonconformityGrade.MINOR)]
    if not graded:
        return None
    done = (NonconformityStatus.VERIFIED, NonconformityStatus.CLOSED)
    return "verified" if all(nc.status in done for nc in graded) else "issues_remain"


def _distribution(
    ncs: Iterable[Nonconformity], label_of: Callable[[Nonconformity], str], column: str
) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for nc in ncs:
        label = label_of(nc)
        row = rows.setdefault(
            label,
            {
                "_key": label or "-",
                column: label,
                "major_count": 0,
                "minor_count": 0,
                "observation_count": 0,
                "count": 0,
            },
        )
        row[f"{nc.grade}_count"] = row.get(f"{nc.grade}_count", 0) + 1
        row["count"] += 1
    return list(rows.values())


def report_facts(
    ncs: Sequence[Nonconformity], families: Iterable[str], audit_type: str | None = None
) -> dict[str, Any]:
    """Counts by grade, family, department and clause (七), the verification result per family
    (十五) and, with ``audit_type``, the due days (十二), keyed by the report template's
    ``source`` paths. ``ncs`` is a list of NCs with clause and department loaded."""
    facts: dict[str, Any] = {}
    grades = Counter(nc.grade for nc in ncs)
    facts["nonconformities.count"] = len(ncs)
    facts["nonconformities.major_count"] = grades.get(NonconformityGrade.MAJOR, 0)
    facts["nonconformities.minor_count"] = grades.get(NonconformityGrade.MINOR, 0)
    facts["nonconformities.observation_count"] = grades.get(NonconformityGrade.OBSERVATION, 0)
    departments: list[str] = []
    clauses: list[str] = []
    for nc in ncs:
        if nc.department is not None and nc.department.name not in departments:
            departments.append(nc.department.name)
        if nc.clause is not None and nc.clause.number not in clauses:
            clauses.append(nc.clause.number)
    facts["nonconformities.departments"] = departments
    facts["nonconformities.clauses"] = clauses
    by_family = []
    for family in _sorted_families([*families, *(nc.family for nc in ncs)]):
        of_family = [nc for nc in ncs if nc.family == family]
        counts = Counter(nc.grade for nc in of_family)
        row = {
            "_key": family,
            "family": family,
            "major_count": counts.get(NonconformityGrade.MAJOR, 0),
            "minor_count": counts.get(NonconformityGrade.MINOR, 0),
            "observation_count": counts.get(NonconformityGrade.OBSERVATION, 0),
            "result": _result(of_family),
        }
        by_family.append(row)
        for grade in ("major", "minor", "observation"):
            # Part 十五 prints blanks, not zeros: "(  1 )个一般不符合，(  )个严重不符合".
            facts[f"nonconformities.by_family.{family}.{grade}_count"] = row[f"{grade}_count"] or None
        facts[f"nonconformities.by_family.{family}.result"] = row["result"]
    facts["nonconformities.by_family"] = by_family
    # Distribution by department and by clause, with the counts per grade (七, attachment 2).
    facts["nonconformities.by_department"] = _distribution(
        ncs, lambda nc: nc.department.name if nc.department else "", "department"
    )
    facts["nonconformities.by_clause"] = _distribution(
        ncs, lambda nc: f"{nc.family} {nc.clause.number}" if nc.clause is not None else "", "clause"
    )
    if audit_type is not None:
        days = due_days_for_audit_type(audit_type)
        facts["settings.nc_due_days.minor"] = days[NonconformityGrade.MINOR]
        facts["settings.nc_due_days.major"] = days[NonconformityGrade.MAJOR]
    return facts


def audit_report_facts(audit: Audit) -> dict[str, Any]:
    """``report_facts`` for one audit, in two queries (NCs, due rules)."""
    ncs = list(audit.nonconformities.select_related("clause__standard", "department").order_by("number"))
    return report_facts(ncs, audit.families, audit_type=audit.audit_type)
