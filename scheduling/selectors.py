"""Reads for the scheduling pages, each in a fixed number of queries whatever the number of
auditors: who can go on an audit, the calendar's events, the load, competence monitoring."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from audits import availability
from audits.models import Absence, Audit, AuditStatus, TeamAssignment, TeamRole
from audits.models.audit import ON_SITE_DONE_STATUSES
from audits.models.team import AUDITING_ROLES, WitnessRole
from people.models import AuditorProfile, ConflictOfInterest, QualificationLevel
from people.selectors import code_covers, holds_qualification

from . import registry, rules
from .models import ClientFeedback, CpdRecord, PerformanceReview, SchedulingPolicy

# How far back "recent load" looks when ranking.
RECENT_LOAD_DAYS = 90


@dataclass
class Candidate:
    """One auditor in the "who can go" list, with why they rank where they do."""

    profile: AuditorProfile
    can_lead: bool
    can_audit: bool
    codes_covered: list[str]
    codes_missing: list[str]
    clashes: list[availability.Clash]
    conflict: ConflictOfInterest | None
    rotation_cycles: int | None  # consecutive cycles if they led, when beyond the policy
    recent_days: Decimal
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return not self.clashes

    @property
    def eligible(self) -> bool:
        return self.free and self.conflict is None and (self.can_audit or self.can_lead)


def _auditor_profiles() -> QuerySet[AuditorProfile]:
    return (
        AuditorProfile.objects.filter(active=True)
        .select_related("user")
        .prefetch_related("qualifications", "technical_areas")
    )


def who_can_go(*, audit: Audit) -> list[Candidate]:
    """Every active auditor ranked for ``audit``: eligible ones (qualified for at least one of the
    audit's systems, free in every half day of it, no conflict of interest with the client) first,
    by fit: client codes covered, a lead-auditor qualification for every system, no rotation
    warning, less recent load. Each carries its reasons. Eight queries whatever the number."""
    policy = SchedulingPolicy.objects.current()
    families = audit.families
    client_codes = sorted(ta.code for ta in audit.client.technical_areas.all())
    on_date = audit.start_date
    profiles = list(_auditor_profiles())
    ids = [p.pk for p in profiles]
    clashes = availability.clashes_of(profile_ids=ids, span=availability.audit_span(audit), exclude_audit=audit)
    conflicts: dict[int, ConflictOfInterest] = {}
    for conflict in ConflictOfInterest.objects.filter(profile_id__in=ids, client=audit.client).filter(
        Q(until__isnull=True) | Q(until__gte=audit.start_date)
    ):
        conflicts.setdefault(conflict.profile_id, conflict)
    led_cycles: dict[int, set[int]] = defaultdict(set)
    for profile_id, cycle in (
        TeamAssignment.objects.filter(role=TeamRole.LEADER, audit__client=audit.client)
        .exclude(audit__status=AuditStatus.CANCELLED)
        .exclude(audit=audit)
        .values_list("profile_id", "audit__programme__cycle")
    ):
        led_cycles[profile_id].add(cycle)
    since = on_date - datetime.timedelta(days=RECENT_LOAD_DAYS)
    recent: dict[int, Decimal] = defaultdict(Decimal)
    for assignment in (
        TeamAssignment.objects.filter(
            profile_id__in=ids, audit__start_date__gte=since, audit__start_date__lt=on_date, role__in=AUDITING_ROLES
        )
        .exclude(audit__status=AuditStatus.CANCELLED)
        .select_related("audit")
        .only("profile_id", "days", "audit__on_site_days")
    ):
        recent[assignment.profile_id] += assignment.effective_days
    current_cycle = audit.programme.cycle
    already = set(audit.team.values_list("profile_id", flat=True))
    candidates = []
    for profile in profiles:
        if profile.pk in already:
            continue
        own = [ta.code for ta in profile.technical_areas.all()]
        covered = [code for code in client_codes if any(code_covers(c, code) for c in own)]
        can_lead = bool(families) and all(
            holds_qualification(profile=profile, family=f, level=QualificationLevel.LEAD_AUDITOR, on_date=on_date)
            for f in families
        )
        can_audit = any(holds_qualification(profile=profile, family=f, on_date=on_date) for f in families)
        rotation = (
            rules.rotation_exceeded(
                cycles_led=led_cycles.get(profile.pk, ()),
                current_cycle=current_cycle,
                max_cycles=policy.rotation_max_cycles,
            )
            if can_lead
            else None
        )
        candidate = Candidate(
            profile=profile,
            can_lead=can_lead,
            can_audit=can_audit,
            codes_covered=covered,
            codes_missing=[c for c in client_codes if c not in covered],
            clashes=clashes.get(profile.pk, []),
            conflict=conflicts.get(profile.pk),
            rotation_cycles=rotation,
            recent_days=recent.get(profile.pk, Decimal(0)),
        )
        _rank(candidate, families=families, max_cycles=policy.rotation_max_cycles)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (not c.eligible, -c.score, c.recent_days, str(c.profile.user)))
    return candidates


def _rank(candidate: Candidate, *, families: list[str], max_cycles: int) -> None:
    """The score and its reasons: what a CB planner weighs, in that order."""
    reasons = candidate.reasons
    score = 0
    if candidate.conflict is not None:
        reasons.append(
            _("Conflict of interest with the client: %(description)s") % {"description": candidate.conflict.description}
        )
    for clash in candidate.clashes:
        reasons.append(clash.message())
    if not (candidate.can_audit or candidate.can_lead):
        reasons.append(_("No valid auditor qualification for %(families)s.") % {"families": ", ".join(families)})
    if candidate.can_lead:
        score += 20
        reasons.append(_("May lead: lead auditor for every system of the audit."))
    elif candidate.can_audit:
        score += 10
        reasons.append(_("Auditor qualification for part of the audit's systems."))
    if candidate.codes_covered:
        score += 30 * len(candidate.codes_covered)
        reasons.append(_("Covers the client's codes %(codes)s.") % {"codes": ", ".join(candidate.codes_covered)})
    if candidate.codes_missing:
        reasons.append(_("Does not cover %(codes)s.") % {"codes": ", ".join(candidate.codes_missing)})
    if candidate.rotation_cycles is not None:
        score -= 15
        reasons.append(
            _("Rotation: leading would make %(count)s consecutive cycles with this client (policy: at most %(max)s).")
            % {"count": candidate.rotation_cycles, "max": max_cycles}
        )
    score -= int(candidate.recent_days)
    reasons.append(
        _("%(days)s audit days in the last %(window)s days.")
        % {"days": availability._days(candidate.recent_days), "window": RECENT_LOAD_DAYS}
    )
    candidate.score = score


def rotation_warning(*, audit: Audit, profile: AuditorProfile) -> str | None:
    """The rotation warning for ``profile`` leading ``audit``, or None."""
    policy = SchedulingPolicy.objects.current()
    cycles = (
        TeamAssignment.objects.filter(role=TeamRole.LEADER, audit__client=audit.client, profile=profile)
        .exclude(audit__status=AuditStatus.CANCELLED)
        .exclude(audit=audit)
        .values_list("audit__programme__cycle", flat=True)
    )
    count = rules.rotation_exceeded(
        cycles_led=cycles, current_cycle=audit.programme.cycle, max_cycles=policy.rotation_max_cycles
    )
    if count is None:
        return None
    return _(
        "Warning (rotation): %(name)s would lead %(client)s for %(count)s consecutive cycles (policy: at most %(max)s)."
    ) % {"name": profile.user, "client": audit.client, "count": count, "max": policy.rotation_max_cycles}


# --- calendar --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilter:
    start: datetime.date
    end: datetime.date  # exclusive
    profile_id: int | None = None
    standard_id: int | None = None
    code: str = ""
    region: str = ""


def calendar_audits(*, user: Any, filters: CalendarFilter) -> list[Audit]:
    """The audits the user may see in the window, with their teams: three queries."""
    audits = (
        Audit.objects.restrict(user, "view")
        .filter(start_date__lt=filters.end, end_date__gte=filters.start)
        .exclude(status=AuditStatus.CANCELLED)
        .select_related("client")
        .prefetch_related("team__profile__user", "standards")
        .order_by("start_date", "pk")
    )
    if filters.profile_id:
        audits = audits.filter(team__profile_id=filters.profile_id)
    if filters.standard_id:
        audits = audits.filter(standards__id=filters.standard_id)
    if filters.code:
        audits = audits.filter(client__technical_areas__code__startswith=filters.code)
    if filters.region:
        audits = audits.filter(
            Q(client__address_zh__icontains=filters.region) | Q(client__address_en__icontains=filters.region)
        )
    return list(audits.distinct())


def calendar_absences(*, user: Any, filters: CalendarFilter) -> list[Absence]:
    absences = (
        Absence.objects.restrict(user, "view")
        .filter(start_date__lt=filters.end, end_date__gte=filters.start)
        .select_related("profile__user")
    )
    if filters.profile_id:
        absences = absences.filter(profile_id=filters.profile_id)
    return list(absences)


def feed_assignments(*, profile: AuditorProfile, since: datetime.date) -> list[TeamAssignment]:
    """The auditor's own (not cancelled) assignments from ``since``: the private feed."""
    return list(
        TeamAssignment.objects.filter(profile=profile, audit__end_date__gte=since)
        .exclude(audit__status=AuditStatus.CANCELLED)
        .select_related("audit__client")
        .order_by("audit__start_date")
    )


# --- load ------------------------------------------------------------------------------------------


@dataclass
class LoadRow:
    profile: AuditorProfile
    planned: list[Decimal]  # per month, 12 entries
    done: list[Decimal]
    agreed: Decimal | None

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned, Decimal(0))

    @property
    def done_total(self) -> Decimal:
        return sum(self.done, Decimal(0))

    def months(self) -> list[tuple[Decimal, Decimal, bool]]:
        return [
            (p, d, self.agreed is not None and p > self.agreed) for p, d in zip(self.planned, self.done, strict=True)
        ]


def auditor_load(*, year: int) -> list[LoadRow]:
    """Auditor-days per auditor per month of ``year``: planned (every audit not cancelled) and done
    (audits past the on-site audit). Days of an assignment are spread over the audit's half days.
    Two queries."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    profiles = list(AuditorProfile.objects.filter(active=True).select_related("user"))
    rows = {p.pk: LoadRow(p, [Decimal(0)] * 12, [Decimal(0)] * 12, p.days_per_month) for p in profiles}
    assignments = (
        TeamAssignment.objects.filter(audit__start_date__lt=after, audit__end_date__gte=first)
        .exclude(audit__status=AuditStatus.CANCELLED)
        .select_related("audit")
    )
    for assignment in assignments:
        row = rows.get(assignment.profile_id)
        if row is None:
            continue
        done = assignment.audit.status in ON_SITE_DONE_STATUSES
        for month, days in availability.days_by_month(
            availability.audit_span(assignment.audit), assignment.days
        ).items():
            if month.year != year:
                continue
            row.planned[month.month - 1] += days
            if done:
                row.done[month.month - 1] += days
    return list(rows.values())


# --- competence monitoring (ISO/IEC 17021-1 7.2.10) --------------------------------------------------


@dataclass
class MonitoringRow:
    profile: AuditorProfile
    witnessed: rules.Due
    last_witnessed: datetime.date | None
    review: rules.Due
    last_review: datetime.date | None
    qualification: rules.Due
    cpd_hours: Decimal
    cpd_required: Decimal
    feedback_average: Decimal | None
    feedback_count: int
    # Complaints of the last 12 months about the auditor's audits; None: nothing counts complaints.
    complaint_count: int | None = None

    @property
    def cpd_short(self) -> bool:
        return self.cpd_hours < self.cpd_required

    @property
    def attention(self) -> bool:
        states = {self.witnessed.state, self.review.state, self.qualification.state}
        return self.cpd_short or bool(states - {rules.DueState.OK})


def competence_monitoring(*, today: datetime.date, profile_id: int | None = None) -> list[MonitoringRow]:
    """Per active auditor: the last on-site evaluation (witnessed on a team), the last performance
    review, the earliest qualification expiry, CPD hours in the last 12 months and the clients'
    feedback on their audits of the last 12 months, each with its due state, and the complaints of
    the last 12 months about their audits (counted by the complaints app through
    ``scheduling.registry``). Eight queries."""
    policy = SchedulingPolicy.objects.current()
    profiles_qs = _auditor_profiles()
    if profile_id:
        profiles_qs = profiles_qs.filter(pk=profile_id)
    profiles = list(profiles_qs)
    ids = [p.pk for p in profiles]
    witnessed = dict(
        TeamAssignment.objects.filter(
            profile_id__in=ids, witness_role=WitnessRole.WITNESSED, audit__status__in=ON_SITE_DONE_STATUSES
        )
        .values("profile_id")
        .annotate(last=Max("audit__end_date"))
        .values_list("profile_id", "last")
    )
    reviewed = dict(
        PerformanceReview.objects.filter(profile_id__in=ids)
        .values("profile_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("profile_id", "last")
    )
    year_ago = today - datetime.timedelta(days=365)
    cpd = dict(
        CpdRecord.objects.filter(profile_id__in=ids, completed_on__gt=year_ago)
        .values("profile_id")
        .annotate(total=Sum("hours"))
        .values_list("profile_id", "total")
    )
    feedback = {
        row["audit__team__profile_id"]: row
        for row in ClientFeedback.objects.filter(audit__team__profile_id__in=ids, audit__end_date__gt=year_ago)
        .values("audit__team__profile_id")
        .annotate(avg_c=Avg("competence"), avg_d=Avg("conduct"), avg_m=Avg("communication"), n=Count("pk"))
    }
    # 17021-1 7.2.10: complaints feed the performance review (one query, see the registry).
    complaints = registry.complaints_per_profile(profile_ids=ids, since=year_ago, until=today)
    soon = policy.due_soon_days
    rows = []
    for profile in profiles:
        expiries = [q.valid_until for q in profile.qualifications.all() if q.valid_until is not None]
        fb = feedback.get(profile.pk)
        average = (
            (Decimal(fb["avg_c"] + fb["avg_d"] + fb["avg_m"]) / 3).quantize(Decimal("0.1")) if fb is not None else None
        )
        rows.append(
            MonitoringRow(
                profile=profile,
                witnessed=rules.due_after(
                    last=witnessed.get(profile.pk), months=policy.witness_interval_months, today=today, soon_days=soon
                ),
                last_witnessed=witnessed.get(profile.pk),
                review=rules.due_after(
                    last=reviewed.get(profile.pk), months=policy.review_interval_months, today=today, soon_days=soon
                ),
                last_review=reviewed.get(profile.pk),
                qualification=rules.expiry(
                    valid_until=min(expiries) if expiries else None, today=today, soon_days=soon
                ),
                cpd_hours=cpd.get(profile.pk) or Decimal(0),
                cpd_required=policy.cpd_hours_per_year,
                feedback_average=average,
                feedback_count=fb["n"] if fb is not None else 0,
                complaint_count=None if complaints is None else complaints.get(profile.pk, 0),
            )
        )
    rows.sort(key=lambda r: (not r.attention, str(r.profile.user)))
    return rows
