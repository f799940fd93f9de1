"""Reads of the audits app, each at a fixed number of queries whatever the row count."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clients import selectors as client_selectors
from clients.selectors import MatrixGap
from core.dates import local_today
from standards.models import Clause

from . import programme_rules, registry
from .models import (
    Audit,
    AuditProgramme,
    AuditStandard,
    AuditStatus,
    AuditTransition,
    AuditType,
    CertificationBody,
    NonApplicableClause,
    PlanItem,
    TeamAssignment,
    TeamRole,
)
from .models.audit import ON_SITE_DONE_STATUSES
from .rule_texts import translated

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from clients.models import Client
    from people.models import AuditorProfile

TEAM_ROLE_ORDER = Case(
    When(role=TeamRole.LEADER, then=Value(0)),
    When(role=TeamRole.AUDITOR, then=Value(1)),
    When(role=TeamRole.TECHNICAL_EXPERT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def certification_body() -> CertificationBody:
    """The CB (one row), or an unsaved default when none is configured yet."""
    return CertificationBody.objects.current() or CertificationBody()


def cb_code_notice() -> str:
    """What a CB without its code is told where numbers are configured and printed: report and
    certificate numbers start with the CB's three-digit code, and a placeholder stands in for it
    ("CB", "000") until it is entered. Empty when the code is set."""
    cb = CertificationBody.objects.current()
    if cb is not None and cb.cb_code:
        return ""
    return str(
        _(
            "The certification body has no CB code: report and certificate numbers print a placeholder "
            "(“CB”, “000”) instead. A CB administrator enters the CB's three digits in the certification "
            "body's settings (administration, Certification body, CB code)."
        )
    )


def today() -> datetime.date:
    return local_today()


# --- audits -------------------------------------------------------------------------------


def audit_list(*, user: User) -> QuerySet[Audit]:
    """Audits the user may see, with what the list shows (fixed number of queries)."""
    return Audit.objects.restrict(user, "view").for_list()


def audit_detail(*, user: User, pk: int, action: str = "view") -> Audit:
    """One audit with its standards, team, NA clauses; raises Audit.DoesNotExist."""
    return (
        Audit.objects.restrict(user, action)
        .select_related("client", "programme", "created_by")
        .prefetch_related(
            Prefetch("audit_standards", queryset=AuditStandard.objects.select_related("standard")),
            "standards",
            "sites",
            "time_adjustments__standard",
            Prefetch(
                "non_applicable_rows",
                queryset=NonApplicableClause.objects.select_related("clause__standard").order_by(
                    "clause__standard__code", "clause__sort_key"
                ),
            ),
            Prefetch("team", queryset=team_queryset()),
            Prefetch("transitions", queryset=AuditTransition.objects.select_related("by")),
            "accompanying_persons",
        )
        .get(pk=pk)
    )


def team_queryset() -> QuerySet[TeamAssignment]:
    """Team assignments, leader first, with their profiles."""
    return (
        TeamAssignment.objects.select_related("profile__user")
        .annotate(role_order=TEAM_ROLE_ORDER)
        .order_by("role_order", "pk")
    )


def plan_items(*, audit: Audit) -> list[PlanItem]:
    """The itinerary lines in order, with department, auditor and clauses."""
    return list(
        PlanItem.objects.filter(audit=audit)
        .select_related("department", "auditor")
        .prefetch_related("clauses__standard")
        .order_by("day", "order", "start_time", "pk")
    )


def audits_of_auditor(
    *, user: User, statuses: Iterable[str] = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)
) -> QuerySet[Audit]:
    """Audits the user is on (any team role) in the given statuses, soonest first."""
    return (
        Audit.objects.restrict(user, "view")
        .filter(status__in=statuses, team__profile__user=user)
        .select_related("client")
        .prefetch_related(
            Prefetch("team", queryset=TeamAssignment.objects.filter(profile__user=user), to_attr="my_roles")
        )
        .order_by("start_date", "pk")
        .distinct()
    )


def overlapping_assignments(
    *,
    profile: AuditorProfile,
    start_date: datetime.date,
    end_date: datetime.date,
    exclude_audit: Audit | None = None,
) -> QuerySet[TeamAssignment]:
    """Other (not cancelled) audits the auditor is booked on between the dates."""
    qs = TeamAssignment.objects.filter(
        profile=profile, audit__start_date__lte=end_date, audit__end_date__gte=start_date
    ).exclude(audit__status=AuditStatus.CANCELLED)
    if exclude_audit is not None:
        qs = qs.exclude(audit=exclude_audit)
    return qs.select_related("audit__client")


def stage_1_planned_days(*, programme: AuditProgramme | None, exclude_audit: Audit | None = None) -> Decimal | None:
    """The planned man-days of the programme's (not cancelled) stage 1 audit, or None."""
    if programme is None:
        return None
    qs = programme.audits.filter(audit_type=AuditType.STAGE_1).exclude(status=AuditStatus.CANCELLED)
    if exclude_audit is not None and exclude_audit.pk:
        qs = qs.exclude(pk=exclude_audit.pk)
    row = qs.order_by("-start_date").values_list("planned_man_days", flat=True).first()
    return row


# --- programmes -------------------------------------------------------------------------


@dataclass
class ScheduleEntry:
    """One expected audit of a programme and where it stands."""

    kind: str  # an AuditType value
    label: StrOrPromise
    status: str  # see STATUS_LABELS
    due_by: datetime.date | None = None
    window_opens: datetime.date | None = None
    consequence: str = ""
    source: str = ""
    note: str = ""
    audits: list[Audit] = field(default_factory=list)

    @property
    def status_label(self) -> StrOrPromise:
        return STATUS_LABELS[self.status]

    @property
    def needs_attention(self) -> bool:
        return self.status in ("due", "overdue")


STATUS_LABELS = {
    "upcoming": _("upcoming"),
    "due": _("due"),
    "overdue": _("overdue"),
    "done": _("done"),
    "planned": _("planned"),
    "not_planned": _("not planned yet"),
    "awaiting_certificate": _("dates follow the certificate"),
}
STATUS_CSS = {
    "upcoming": "secondary",
    "due": "warning",
    "overdue": "danger",
    "done": "success",
    "planned": "info",
    "not_planned": "secondary",
    "awaiting_certificate": "light",
}

_DUE_KIND_TO_TYPE = {
    programme_rules.DueKind.SURVEILLANCE_1: AuditType.SURVEILLANCE_1,
    programme_rules.DueKind.SURVEILLANCE_2: AuditType.SURVEILLANCE_2,
    programme_rules.DueKind.RECERTIFICATION: AuditType.RECERTIFICATION,
}
EXPECTED_TYPES = (
    AuditType.STAGE_1,
    AuditType.STAGE_2,
    AuditType.SURVEILLANCE_1,
    AuditType.SURVEILLANCE_2,
    AuditType.RECERTIFICATION,
)


def programmes_with_audits(queryset: QuerySet[AuditProgramme]) -> QuerySet[AuditProgramme]:
    """Prefetch what programme_schedule reads, so N programmes cost a fixed number of queries
    (with the certificates' state the higher apps provide: ``audits.registry``)."""
    return (
        queryset.annotate(**registry.programme_certificate_annotations())
        .select_related("client")
        .prefetch_related(
            "standards",
            Prefetch("audits", queryset=Audit.objects.order_by("start_date", "pk"), to_attr="audit_list"),
        )
    )


def _programme_audits(programme: AuditProgramme) -> list[Audit]:
    audits = getattr(programme, "audit_list", None)
    if audits is None:
        audits = list(programme.audits.order_by("start_date", "pk"))
    return audits


def programme_schedule(
    *, programme: AuditProgramme, on_date: datetime.date | None = None, cb: CertificationBody | None = None
) -> list[ScheduleEntry]:
    """The programme's expected audits (stage 1, stage 2, surveillance 1 and 2,
    recertification) with their due dates under the programme's rule set and their status
    on ``on_date`` (today). Uses audits/programme_rules.py for every date and status."""
    on_date = on_date or today()
    cb = cb or certification_body()
    audits = [a for a in _programme_audits(programme) if a.status != AuditStatus.CANCELLED]
    by_type: dict[str, list[Audit]] = {}
    for audit in audits:
        by_type.setdefault(audit.audit_type, []).append(audit)

    entries = []
    if programme.starts_with_initial_audit:
        for kind in (AuditType.STAGE_1, AuditType.STAGE_2):
            kind_audits = by_type.get(kind, [])
            if any(a.status in ON_SITE_DONE_STATUSES for a in kind_audits):
                status = "done"
            elif kind_audits:
                status = "planned"
            else:
                status = "not_planned"
            entries.append(ScheduleEntry(kind=kind, label=AuditType(kind).label, status=status, audits=kind_audits))

    rule_set = programme_rules.RuleSet(programme.rule_set)
    issued_on, decided_on = programme.certificate_issued_on, programme.decision_on
    if issued_on is None or decided_on is None:  # not ``programme.has_anchors``
        for due_kind, kind in _DUE_KIND_TO_TYPE.items():
            entries.append(
                ScheduleEntry(
                    kind=kind,
                    label=AuditType(kind).label,
                    status="awaiting_certificate",
                    consequence=translated(programme_rules.consequence_if_missed(rule_set=rule_set, kind=due_kind)),
                    audits=by_type.get(kind, []),
                )
            )
        return entries

    def done_dates(kind: str) -> list[datetime.date]:
        return [a.end_date for a in by_type.get(kind, []) if a.status in ON_SITE_DONE_STATUSES]

    surveillances = sorted(done_dates(AuditType.SURVEILLANCE_1) + done_dates(AuditType.SURVEILLANCE_2))
    recertifications = sorted(done_dates(AuditType.RECERTIFICATION))
    items = programme_rules.programme_due_dates(
        rule_set=rule_set,
        issue_date=issued_on,
        decision_date=decided_on,
        expiry_date=programme.expires_on,
        completed_surveillances=surveillances,
        recertification_done_on=recertifications[0] if recertifications else None,
    )
    for item in items:
        kind = _DUE_KIND_TO_TYPE[item.kind]
        status = programme_rules.due_status(item=item, today=on_date, upcoming_days=cb.due_soon_days).value
        entry = ScheduleEntry(
            kind=kind,
            label=AuditType(kind).label,
            status=status,
            due_by=item.due_by,
            window_opens=item.window_opens,
            consequence=translated(programme_rules.consequence_if_missed(rule_set=rule_set, kind=item.kind)),
            source=translated(item.source),
            audits=by_type.get(kind, []),
        )
        if kind == AuditType.RECERTIFICATION and status == "overdue":
            requirement = programme_rules.recertification_after_expiry(
                rule_set=rule_set, expiry_date=item.due_by, today=on_date
            )
            entry.note = translated(requirement.message)
        entries.append(entry)
    # What the certificates change (audits.registry): suspended, a special audit to lift the
    # suspension comes first; withdrawn, nothing is expected.
    return registry.programme_schedule_adjust(
        programme=programme, entries=entries, on_date=on_date, cb=cb, audits=audits
    )


def programme_next_due(
    *, programme: AuditProgramme, cb: CertificationBody | None = None
) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """What the programme list sorts on, stored on the programme (``next_due_on``,
    ``next_due_window_opens``, ``has_pending``): the first expected audit not done yet, its due
    date and the day it turns "due" at the earliest. Which entries are done does not depend on
    the day, so the stored values stay true until the programme, an audit or a certificate
    changes. A special audit to lift a suspension that is already planned is never "due" (it is
    "planned", then "overdue" after its date): its window opens the day after its due date."""
    schedule = programme_schedule(programme=programme, cb=cb)
    # An entry without a date that a later done audit has passed (a stage 1 never recorded before
    # a stage 2 done, as in imported records), or that the issued certificate has (the initial
    # audit of a programme moved from an earlier system without its audits), is no longer expected.
    certified = programme.certificate_issued_on is not None
    pending = [
        entry
        for index, entry in enumerate(schedule)
        if entry.status != "done"
        and not (entry.due_by is None and (certified or any(later.status == "done" for later in schedule[index + 1 :])))
    ]
    if not pending:
        return None, None, False
    first = pending[0]
    if first.due_by is None:
        return None, None, True
    window = first.window_opens
    if first.kind == AuditType.SPECIAL and first.audits:
        window = first.due_by + datetime.timedelta(days=1)
    return first.due_by, window, True


def programme_list(*, user: User) -> QuerySet[AuditProgramme]:
    """The active programmes the user may see, most urgent first: by the stored due date of
    their first expected audit not done (``programme_next_due``; overdue ones come first, then
    the due ones), then those with an expected audit without a date yet, then those expecting
    nothing; by client within each. Ordered by the database on an index
    (``programme_list_order``), so a page reads only its rows; ``programme_list_rows`` computes
    the page's schedules."""
    return (
        AuditProgramme.objects.restrict(user, "view")
        .filter(active=True)
        .select_related("client")
        .order_by(F("next_due_on").asc(nulls_last=True), "-has_pending", "client__name_zh", "pk")
    )


def programme_list_rows(
    programmes: Iterable[AuditProgramme], *, cb: CertificationBody
) -> list[tuple[AuditProgramme, ScheduleEntry | None]]:
    """(programme, its first expected audit not done) for one page of ``programme_list``, in the
    page's order; the certificates' state and the audits are read for the page's rows only."""
    page = list(programmes)
    loaded = programmes_with_audits(AuditProgramme.objects.filter(pk__in=[p.pk for p in page]))
    by_pk = {p.pk: p for p in loaded.select_related(None).order_by()}  # the page carries the clients
    rows = []
    for listed in page:
        programme = by_pk[listed.pk]
        programme.client = listed.client
        pending = [e for e in programme_schedule(programme=programme, cb=cb) if e.status != "done"]
        rows.append((programme, pending[0] if pending else None))
    return rows


def programme_other_audits(*, programme: AuditProgramme) -> list[Audit]:
    """The programme's audits outside the expected sequence (special, scope extension …)."""
    return [a for a in _programme_audits(programme) if a.audit_type not in EXPECTED_TYPES]


def programmes_needing_attention(
    *, user: User, on_date: datetime.date | None = None, limit: int = 10
) -> tuple[list[tuple[AuditProgramme, ScheduleEntry]], int]:
    """(programme, entry) for each due or overdue expected audit of the first ``limit``
    programmes the user may see with something falling due within the CB's "due soon" days
    (the database picks and counts them: ``programmes_falling_due_first``), overdue first; and
    how many programmes need attention in all. A fixed number of queries."""
    cb = certification_body()
    on_date = on_date or today()
    firsts, total = programmes_falling_due_first(
        user=user, by=on_date + datetime.timedelta(days=cb.due_soon_days), limit=limit
    )
    programmes = programmes_with_audits(AuditProgramme.objects.filter(pk__in=[p.pk for p in firsts]))
    found = []
    for programme in programmes:
        for entry in programme_schedule(programme=programme, on_date=on_date, cb=cb):
            if entry.needs_attention:
                found.append((programme, entry))
    found.sort(key=lambda pair: (pair[1].status != "overdue", pair[1].due_by))
    return found, total


def client_programmes(*, user: User, client: Client) -> list[AuditProgramme]:
    return list(programmes_with_audits(AuditProgramme.objects.restrict(user, "view").filter(client=client)))


def itinerary_matrix_gaps(*, audit: Audit) -> list[MatrixGap]:
    """The audit's standards whose clauses are not all assigned to a department of the client
    (the itinerary is pre-filled from that matrix); the audit's non-applicable clauses, and
    those below them, need no department."""
    rows = list(audit.non_applicable_rows.select_related("clause"))
    excluded: set[int] = set()
    if rows:
        below = Q(pk__in=[row.clause_id for row in rows])
        for row in rows:
            below |= Q(standard_id=row.clause.standard_id, number__startswith=row.clause.number + ".")
        excluded = set(Clause.objects.filter(below).values_list("pk", flat=True))
    return client_selectors.matrix_gaps(
        client=audit.client, standards=list(audit.standards.all()), excluded_clause_ids=excluded
    )


# --- what falls due, counted in the database (start pages, home actions) -------------------


def latest_anchor(due_of: Callable[[datetime.date], datetime.date], by: datetime.date) -> datetime.date:
    """The latest date ``d`` with ``due_of(d) <= by`` for a non-decreasing rule ``due_of`` of
    ``programme_rules`` (e.g. "12 months after"): a bound to compare a column with, so the
    database counts what falls due without the rule being written again in SQL."""
    low, high = by.toordinal() - 4000, by.toordinal()
    while low < high:
        middle = (low + high + 1) // 2
        if due_of(datetime.date.fromordinal(middle)) <= by:
            low = middle
        else:
            high = middle - 1
    return datetime.date.fromordinal(low)


def _falls_due_by(by: datetime.date) -> tuple[Q, Q]:
    """(surveillance, recertification): the programme's next expected surveillance, or its
    recertification, is due on or before ``by`` (``programme_rules.programme_due_dates``:
    surveillance 1 within 12 months of the anchor; surveillance 2 within 12 months of surveillance
    1 (CNCA 5.4.1.4) or in the next calendar year and never after expiry (ISO/IEC 17021-1
    9.1.3.3); recertification by the expiry date, 3 years - 1 day when none is set)."""
    twelve = latest_anchor(
        lambda d: programme_rules.add_months(day=d, months=programme_rules.SURVEILLANCE_INTERVAL_MONTHS), by
    )
    # ISO: 31 December of the year after surveillance 1 is on or before ``by``.
    iso_year = by.year - (1 if (by.month, by.day) == (12, 31) else 2)
    surveillance = Q(surveillances_done=0, anchor__lte=twelve) | Q(
        Q(rule_set=programme_rules.RuleSet.CNCA.value, first_surveillance_on__lte=twelve)
        | Q(
            Q(first_surveillance_on__year__lte=iso_year) | Q(expires_on__lte=by),
            ~Q(rule_set=programme_rules.RuleSet.CNCA.value),
        ),
        surveillances_done=1,
    )
    default_expiry = latest_anchor(lambda d: programme_rules.default_expiry(start=d), by)
    recertification = Q(expires_on__lte=by) | Q(expires_on__isnull=True, anchor__lte=default_expiry)
    return surveillance & Q(recertified=False), recertification & Q(recertified=False)


def programmes_falling_due(*, user: User) -> QuerySet[AuditProgramme]:
    """Active programmes with a certificate the user may see, annotated with what
    ``_falls_due_by`` compares: the cycle's anchor, surveillances done, the first one's last day,
    whether the recertification audit is done."""
    done = Audit.objects.filter(programme=OuterRef("pk"), status__in=ON_SITE_DONE_STATUSES)
    surveillances = done.filter(audit_type__in=(AuditType.SURVEILLANCE_1, AuditType.SURVEILLANCE_2))
    return (
        AuditProgramme.objects.restrict(user, "view")
        .filter(active=True, decision_on__isnull=False, certificate_issued_on__isnull=False)
        .annotate(
            anchor=Case(
                When(rule_set=programme_rules.RuleSet.CNCA.value, then=F("certificate_issued_on")),
                default=F("decision_on"),
            ),
            surveillances_done=Coalesce(
                Subquery(surveillances.order_by().values("programme").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
            first_surveillance_on=Subquery(surveillances.order_by("end_date").values("end_date")[:1]),
            recertified=Exists(done.filter(audit_type=AuditType.RECERTIFICATION)),
        )
    )


UNBOUNDED = 10**9


def _stored_due_by(by: datetime.date) -> Q:
    """The stored next due date (``programme_next_due``: the first expected audit not done) is on
    or before ``by`` whenever a surveillance or the recertification is: a cheap first cut, so the
    per-programme subqueries run for the programmes it keeps, not for all."""
    return Q(next_due_on__lte=by) | Q(next_due_on__isnull=True, has_pending=True)


def falling_due_counts(
    *, user: User, today: datetime.date | None = None, horizons: Iterable[int] = (30, 60, 90)
) -> dict[str, dict[str, int]]:
    """How many programmes have a surveillance / a recertification overdue and due within each
    horizon (days from today, cumulative: the 60 includes the 30), in one query.
    ``{"surveillance": {"overdue": n, "30": n, …}, "recertification": {…}}``."""
    today = today or local_today()
    aggregates = {}
    bounds = {"overdue": today - datetime.timedelta(days=1)}
    bounds.update({str(days): today + datetime.timedelta(days=days) for days in horizons})
    for key, by in bounds.items():
        surveillance, recertification = _falls_due_by(by)
        aggregates[f"surveillance_{key}"] = Count("pk", filter=surveillance)
        aggregates[f"recertification_{key}"] = Count("pk", filter=recertification)
    # The slice (no bound in practice) keeps the annotated programmes a subquery PostgreSQL does
    # not flatten: each programme's subqueries are computed once, not once per counted bucket
    # (measured at mid size: 250 ms -> 50 ms; bench/start_pages.py).
    row = (
        programmes_falling_due(user=user)
        .filter(_stored_due_by(max(bounds.values())))[:UNBOUNDED]
        .aggregate(**aggregates)
    )
    return {kind: {key: row[f"{kind}_{key}"] for key in bounds} for kind in ("surveillance", "recertification")}


def programmes_falling_due_first(*, user: User, by: datetime.date, limit: int = 10) -> tuple[list[AuditProgramme], int]:
    """The first ``limit`` programmes (oldest anchor first) with a surveillance or recertification
    due on or before ``by``, and how many there are (two queries)."""
    surveillance, recertification = _falls_due_by(by)
    qs = programmes_falling_due(user=user).filter(_stored_due_by(by)).filter(surveillance | recertification)
    ordered = qs.order_by(F("anchor").asc(), "pk")  # the caller reads these programmes again, whole
    return list(ordered[:limit]), qs.count()
