"""The CB's figures for its administrators (and the committee): each a database aggregate, one or
two queries whatever the number of rows, returned as data a chart, a table and a CSV are made from.

* certificates by status — every main certificate, by its CNCA status code (a sub-certificate is
  one site of its main certificate and is not counted again);
* certificates in force by standard — valid and suspended main certificates per standard;
* audits per month — the last 12 months by first day: scheduled (not cancelled) and done (past
  the on-site audit, ``audits.models.ON_SITE_DONE_STATUSES``);
* nonconformities opened vs closed per month — major and minor NCs (observations are not
  nonconformities, ISO/IEC 17021-1 9.4.9): raised in the month, and closures (the NC machine's
  event rows to "closed") in the month;
* NC ageing by grade — open major and minor NCs (not closed) by days since raised: 0–30, 31–60,
  61–90, over 90 (the buckets are ours);
* auditor-days per month — the audit time of leaders and auditors (IAF MD 5: technical experts and
  observers do not count) on audits of the month, planned (not cancelled) and done. An audit counts
  wholly in the month of its first day; the scheduling load page spreads days over half days, so the
  two may differ for an audit across a month's end.

Months are the CB's local months (``TIME_ZONE``); "today" is ``core.dates.local_today``.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from audits.models import Audit, AuditStatus, TeamAssignment
from audits.models.audit import ON_SITE_DONE_STATUSES
from audits.models.team import AUDITING_ROLES
from certification.models import Certificate, CertificateStatus
from certification.models.certificate import LIVE_STATUSES
from core.dates import local_today
from findings.models import Nonconformity, NonconformityGrade, NonconformityStatus, NonconformityTransition

from . import charts

MONTHS = 12
NC_GRADES = (NonconformityGrade.MAJOR, NonconformityGrade.MINOR)
# NC ageing buckets: (label, first day of age, last day of age or None); ours, not a standard's.
AGE_BUCKETS: tuple[tuple[Promise, int, int | None], ...] = (
    (gettext_lazy("0–30 days"), 0, 30),
    (gettext_lazy("31–60 days"), 31, 60),
    (gettext_lazy("61–90 days"), 61, 90),
    (gettext_lazy("over 90 days"), 91, None),
)


@dataclass
class Figure:
    """One figure: rows of ``labels`` (the table's first column) and one column per series."""

    name: str
    title: str
    kind: str  # "bar" or "line"
    label_heading: str
    labels: list[str]
    series: list[charts.Series]
    description: str = ""
    notes: list[str] = field(default_factory=list)

    def svg(self) -> SafeString:
        draw = charts.line_chart if self.kind == "line" else charts.bar_chart
        return draw(
            self.labels, self.series, title=self.title, description=self.description, empty_text=_("Nothing yet.")
        )

    @property
    def headings(self) -> list[str]:
        return [self.label_heading, *(one.name for one in self.series)]

    @property
    def rows(self) -> list[list[Any]]:
        return [[label, *(one.values[i] for one in self.series)] for i, label in enumerate(self.labels)]

    @property
    def total(self) -> Any:
        return sum((sum(one.values, 0) for one in self.series), 0)


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    out = []
    for _step in range(count):
        out.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _month_key(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return datetime.date(value.year, value.month, 1)
    return datetime.date(value.year, value.month, 1)


def _month_label(first: datetime.date) -> str:
    return f"{first:%Y-%m}"


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _after_month(first: datetime.date) -> datetime.date:
    return datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def _cell(rows: Mapping[Any, Any], key: Any, column: str) -> Any:
    """``rows[key][column]``, 0 for a missing row or a NULL sum."""
    row = rows.get(key)
    return (row.get(column) if row is not None else None) or 0


# --- the figures ---------------------------------------------------------------------------------


def certificates_by_status(today: datetime.date) -> Figure:
    """One query."""
    counts = dict(
        Certificate.objects.filter(main_certificate__isnull=True)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return Figure(
        name="certificates-by-status",
        title=_("Certificates by status"),
        kind="bar",
        label_heading=_("Status"),
        labels=[str(label) for label in CertificateStatus.labels],
        series=[charts.Series(_("Certificates"), [counts.get(value, 0) for value in CertificateStatus.values])],
        description=_("Every certificate the CB has issued, by its status today (sub-certificates not counted again)."),
    )


def certificates_by_standard(today: datetime.date) -> Figure:
    """One query: valid and suspended certificates per standard (standards without one left out)."""
    rows = list(
        Certificate.objects.filter(status__in=LIVE_STATUSES, main_certificate__isnull=True)
        .order_by()
        .values("standard__code", "standard__edition")
        .annotate(
            valid=Count("pk", filter=Q(status=CertificateStatus.VALID)),
            suspended=Count("pk", filter=Q(status=CertificateStatus.SUSPENDED)),
        )
        .order_by("standard__code", "standard__edition")
    )
    return Figure(
        name="certificates-by-standard",
        title=_("Certificates in force by standard"),
        kind="bar",
        label_heading=_("Standard"),
        labels=[f"{row['standard__code']}:{row['standard__edition']}" for row in rows],
        series=[
            charts.Series(str(CertificateStatus.VALID.label), [row["valid"] for row in rows]),
            charts.Series(str(CertificateStatus.SUSPENDED.label), [row["suspended"] for row in rows]),
        ],
        description=_("Valid and suspended certificates, per standard."),
    )


def audits_per_month(today: datetime.date) -> Figure:
    """One query: audits by the month of their first day, the last 12 months."""
    months = month_starts(today)
    rows = (
        Audit.objects.filter(start_date__gte=months[0], start_date__lt=_after_month(months[-1]))
        .exclude(status=AuditStatus.CANCELLED)
        .annotate(month=TruncMonth("start_date"))
        .order_by()
        .values("month")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(status__in=ON_SITE_DONE_STATUSES)))
    )
    by_month = {_month_key(row["month"]): row for row in rows}
    return Figure(
        name="audits-per-month",
        title=_("Audits per month"),
        kind="bar",
        label_heading=_("Month"),
        labels=[_month_label(m) for m in months],
        series=[
            charts.Series(pgettext("figure series", "Scheduled"), [_cell(by_month, m, "planned") for m in months]),
            charts.Series(pgettext("figure series", "Done"), [_cell(by_month, m, "done") for m in months]),
        ],
        description=_(
            "Audits by the month of their first day, the last 12 months: scheduled (not cancelled) and done "
            "(the on-site audit is over)."
        ),
    )


def ncs_opened_closed(today: datetime.date) -> Figure:
    """Two queries: major and minor NCs raised per month, and closures per month."""
    months = month_starts(today)
    since, until = _start_of_day(months[0]), _start_of_day(_after_month(months[-1]))
    opened = {
        _month_key(row["month"]): row["n"]
        for row in Nonconformity.objects.filter(grade__in=NC_GRADES, raised_at__gte=since, raised_at__lt=until)
        .annotate(month=TruncMonth("raised_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    closed = {
        _month_key(row["month"]): row["n"]
        for row in NonconformityTransition.objects.filter(
            to_status=NonconformityStatus.CLOSED, nc__grade__in=NC_GRADES, at__gte=since, at__lt=until
        )
        .annotate(month=TruncMonth("at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    return Figure(
        name="ncs-opened-closed",
        title=_("Nonconformities opened and closed per month"),
        kind="line",
        label_heading=_("Month"),
        labels=[_month_label(m) for m in months],
        series=[
            charts.Series(pgettext("figure series", "Opened"), [opened.get(m, 0) for m in months]),
            charts.Series(pgettext("figure series", "Closed"), [closed.get(m, 0) for m in months]),
        ],
        description=_("Major and minor nonconformities raised, and closed, in each of the last 12 months."),
    )


def nc_ageing(today: datetime.date) -> Figure:
    """One query: NCs not closed, by grade and days since they were raised."""
    aggregates = {}
    for index, (_label, first, last) in enumerate(AGE_BUCKETS):
        # Raised on day D is ``today - D`` days old; the bucket [first, last] is raised in
        # (today - last - 1, today - first] in local days.
        condition = Q(raised_at__lt=_start_of_day(today - datetime.timedelta(days=first - 1)))
        if last is not None:
            condition &= Q(raised_at__gte=_start_of_day(today - datetime.timedelta(days=last)))
        # COUNT(grade), a column of the open NCs' index (never NULL): the index alone answers.
        aggregates[f"b{index}"] = Count("grade", filter=condition)
    rows = {
        row["grade"]: row
        for row in Nonconformity.objects.filter(grade__in=NC_GRADES)
        .exclude(status=NonconformityStatus.CLOSED)
        .order_by()
        .values("grade")
        .annotate(**aggregates)
    }
    return Figure(
        name="nc-ageing",
        title=_("Open nonconformities by age"),
        kind="bar",
        label_heading=_("Age"),
        labels=[str(label) for label, _first, _last in AGE_BUCKETS],
        series=[
            charts.Series(
                str(NonconformityGrade(grade).label),
                [_cell(rows, grade, f"b{index}") for index in range(len(AGE_BUCKETS))],
            )
            for grade in NC_GRADES
        ],
        description=_("Major and minor nonconformities not yet closed, by days since they were raised."),
    )


def auditor_days(today: datetime.date) -> Figure:
    """One query: the audit time of leaders and auditors per month of the audit's first day."""
    months = month_starts(today)
    days = Coalesce("days", "audit__on_site_days", output_field=DecimalField(max_digits=6, decimal_places=1))
    rows = (
        TeamAssignment.objects.filter(
            role__in=AUDITING_ROLES,
            audit__start_date__gte=months[0],
            audit__start_date__lt=_after_month(months[-1]),
        )
        .exclude(audit__status=AuditStatus.CANCELLED)
        .annotate(month=TruncMonth("audit__start_date"))
        .order_by()
        .values("month")
        .annotate(planned=Sum(days), done=Sum(days, filter=Q(audit__status__in=ON_SITE_DONE_STATUSES)))
    )
    by_month = {_month_key(row["month"]): row for row in rows}

    def value(month: datetime.date, key: str) -> Decimal:
        return Decimal(_cell(by_month, month, key))

    return Figure(
        name="auditor-days",
        title=_("Auditor-days per month"),
        kind="line",
        label_heading=_("Month"),
        labels=[_month_label(m) for m in months],
        series=[
            charts.Series(pgettext("figure series", "Planned"), [value(m, "planned") for m in months]),
            charts.Series(pgettext("figure series", "Done"), [value(m, "done") for m in months]),
        ],
        description=_(
            "Days of team leaders and auditors on the audits of each month (technical experts and observers do "
            "not count, IAF MD 5): planned, and done."
        ),
    )


FIGURES: dict[str, Callable[[datetime.date], Figure]] = {
    "certificates-by-status": certificates_by_status,
    "certificates-by-standard": certificates_by_standard,
    "audits-per-month": audits_per_month,
    "ncs-opened-closed": ncs_opened_closed,
    "nc-ageing": nc_ageing,
    "auditor-days": auditor_days,
}
# The few the CB administrator's start page shows small.
START_PAGE_FIGURES = ("certificates-by-status", "nc-ageing", "audits-per-month", "auditor-days")


def figures(names: Sequence[str] | None = None, *, today: datetime.date | None = None) -> list[Figure]:
    """The figures named (all by default), in that order: seven queries for all of them."""
    day = today or local_today()
    return [FIGURES[name](day) for name in (names if names is not None else FIGURES)]


def figure(name: str, *, today: datetime.date | None = None) -> Figure | None:
    """One figure by its name, or None for an unknown name."""
    make = FIGURES.get(name)
    return make(today or local_today()) if make is not None else None
