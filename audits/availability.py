"""The one rule about an auditor's time: no auditor is in two places in the same half day.

An audit or an absence takes a span of half days, from the first day's ``start_half`` to the last
day's ``end_half``; two spans clash when they share a half day. Back-to-back days, a morning and an
afternoon of the same day, and cancelled audits never clash. The team services (adding a member,
moving an audit's dates, the team check), the absence services and the "who can go" list of the
scheduling app all ask this module; none repeats the rule.

Part-time and external auditors have agreed days a month (``AuditorProfile.days_per_month``,
ISO/IEC 17021-1 7.3 external auditors under contract): beyond them staffing is warned, not refused.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core import dates

from .models import Absence, Audit, AuditStatus, HalfDay, TeamAssignment

if TYPE_CHECKING:
    from people.models import AuditorProfile


def half_day_index(day: datetime.date, half: str) -> int:
    """Half days counted from the start of the calendar: the morning of a day, then its afternoon."""
    return day.toordinal() * 2 + (1 if half == HalfDay.AFTERNOON else 0)


@dataclass(frozen=True)
class Span:
    """From the ``start_half`` of ``start_date`` to the ``end_half`` of ``end_date``, both included."""

    start_date: datetime.date
    end_date: datetime.date
    start_half: str = HalfDay.MORNING
    end_half: str = HalfDay.AFTERNOON

    @property
    def first(self) -> int:
        return half_day_index(self.start_date, self.start_half)

    @property
    def last(self) -> int:
        return half_day_index(self.end_date, self.end_half)

    @property
    def valid(self) -> bool:
        return self.last >= self.first

    @property
    def half_days(self) -> int:
        return self.last - self.first + 1

    def overlaps(self, other: Span) -> bool:
        return self.first <= other.last and other.first <= self.last

    def label(self) -> str:
        """2030-03-04 afternoon – 2030-03-05 (a whole day needs no half)."""
        start = dates.day_text(self.start_date)
        end = dates.day_text(self.end_date)
        if self.start_half == HalfDay.AFTERNOON:
            start = _("%(day)s afternoon") % {"day": start}
        if self.end_half == HalfDay.MORNING:
            end = _("%(day)s morning") % {"day": end}
        return start if start == end else f"{start} – {end}"

    def shifted(self, days: int) -> Span:
        delta = datetime.timedelta(days=days)
        return Span(self.start_date + delta, self.end_date + delta, self.start_half, self.end_half)


def audit_span(audit: Audit) -> Span:
    return Span(audit.start_date, audit.end_date, audit.start_half, audit.end_half)


def absence_span(absence: Absence) -> Span:
    return Span(absence.start_date, absence.end_date, absence.start_half, absence.end_half)


@dataclass(frozen=True)
class Clash:
    """What keeps an auditor busy during a span: another audit (``assignment``) or an absence."""

    profile_id: int
    name: str
    span: Span
    assignment: TeamAssignment | None = None
    absence: Absence | None = None

    def message(self) -> str:
        if self.assignment is not None:
            return _("%(name)s is on %(audit)s (%(span)s) at the same time (no double booking).") % {
                "name": self.name,
                "audit": self.assignment.audit,
                "span": self.span.label(),
            }
        assert self.absence is not None
        return _("%(name)s is not available (%(kind)s, %(span)s).") % {
            "name": self.name,
            "kind": self.absence.get_kind_display(),
            "span": self.span.label(),
        }


def clashes_of(*, profile_ids: Iterable[int], span: Span, exclude_audit: Audit | None = None) -> dict[int, list[Clash]]:
    """Every clash of each auditor with ``span``, by profile id: two queries whatever the number
    of auditors. The audit being staffed or moved (``exclude_audit``) does not clash with itself."""
    ids = list(profile_ids)
    found: dict[int, list[Clash]] = defaultdict(list)
    if not ids:
        return found
    assignments = (
        TeamAssignment.objects.filter(
            profile_id__in=ids, audit__start_date__lte=span.end_date, audit__end_date__gte=span.start_date
        )
        .exclude(audit__status=AuditStatus.CANCELLED)
        .select_related("audit__client", "profile__user")
        .order_by("audit__start_date", "pk")
    )
    if exclude_audit is not None and exclude_audit.pk:
        assignments = assignments.exclude(audit_id=exclude_audit.pk)
    for assignment in assignments:
        other = audit_span(assignment.audit)
        if other.overlaps(span):
            found[assignment.profile_id].append(
                Clash(assignment.profile_id, str(assignment.profile.user), other, assignment=assignment)
            )
    absences = (
        Absence.objects.filter(profile_id__in=ids, start_date__lte=span.end_date, end_date__gte=span.start_date)
        .select_related("profile__user")
        .order_by("start_date", "pk")
    )
    for absence in absences:
        other = absence_span(absence)
        if other.overlaps(span):
            found[absence.profile_id].append(
                Clash(absence.profile_id, str(absence.profile.user), other, absence=absence)
            )
    return found


def clashes_for(*, profile: AuditorProfile, span: Span, exclude_audit: Audit | None = None) -> list[Clash]:
    return clashes_of(profile_ids=[profile.pk], span=span, exclude_audit=exclude_audit).get(profile.pk, [])


def team_clashes(*, audit: Audit, span: Span | None = None) -> list[Clash]:
    """The clashes of the audit's team with the audit's span (or with ``span``, where the audit
    would move): who cannot be there, and why."""
    profile_ids = list(audit.team.values_list("profile_id", flat=True))
    found = clashes_of(profile_ids=profile_ids, span=span or audit_span(audit), exclude_audit=audit)
    return [clash for pid in profile_ids for clash in found.get(pid, [])]


# --- agreed days a month (part-time and external auditors) --------------------------------------


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def days_by_month(span: Span, days: Decimal | None = None) -> dict[datetime.date, Decimal]:
    """The half days of a span counted as days in each month it touches (the first of the month is
    the key). With ``days`` (an assignment's days on the audit, fewer than the span) they are spread
    in proportion."""
    result: dict[datetime.date, Decimal] = defaultdict(Decimal)
    total = span.half_days
    if total <= 0:
        return result
    for index in range(span.first, span.last + 1):
        day = datetime.date.fromordinal(index // 2)
        result[_month_start(day)] += Decimal("0.5")
    if days is not None:
        whole = Decimal(total) / 2
        for month in result:
            result[month] = (result[month] * Decimal(days) / whole).quantize(Decimal("0.1"))
    return result


def monthly_limit_warnings(*, profile: AuditorProfile, audit: Audit) -> list[str]:
    """Warnings when putting ``profile`` on ``audit`` takes them beyond their agreed days in a month."""
    limit = profile.days_per_month
    if limit is None:
        return []
    span = audit_span(audit)
    wanted = days_by_month(span)
    first = min(wanted) if wanted else span.start_date
    after = _next_month(max(wanted)) if wanted else span.end_date
    booked: dict[datetime.date, Decimal] = defaultdict(Decimal)
    others = (
        TeamAssignment.objects.filter(profile=profile, audit__end_date__gte=first, audit__start_date__lt=after)
        .exclude(audit__status=AuditStatus.CANCELLED)
        .exclude(audit_id=audit.pk)
        .select_related("audit")
    )
    for other in others:
        for month, value in days_by_month(audit_span(other.audit), other.days).items():
            booked[month] += value
    warnings = []
    for month, value in sorted(wanted.items()):
        if booked[month] + value > limit:
            warnings.append(
                _(
                    "Warning (agreed days): %(name)s would have %(days)s audit days in %(month)s, more than "
                    "the %(limit)s days a month agreed."
                )
                % {
                    "name": profile.user,
                    "days": _days(booked[month] + value),
                    "month": f"{month:%Y-%m}",
                    "limit": _days(limit),
                }
            )
    return warnings


def _days(value: Decimal) -> str:
    text = format(Decimal(value).quantize(Decimal("0.1")), "f")
    return text[:-2] if text.endswith(".0") else text
