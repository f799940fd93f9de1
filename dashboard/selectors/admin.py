"""The CB administrator's start page: the CB's state at a glance, every figure an aggregate of the
database and every list its first rows with a count (never every certified programme or audit
loaded to list a few).

* the pipeline: (applications →) planned → in progress → reports → technical review → decision;
* certificates by status and by standard (main certificates: a sub-certificate is one site of
  its main certificate);
* surveillances and recertifications due within 30/60/90 days and overdue
  (``audits.selectors.falling_due_counts``; an overdue surveillance is a ground for suspension,
  ISO/IEC 17021-1 9.6.5.1, which the daily check raises to the committee);
* open major and minor NCs by grade and age (days since raised), certificates by status: the
  same figures as the small charts beside them (``dashboard.figures``), one query each;
* the next CNCA monthly reporting deadline (市监认证(司)函〔2021〕102号, ``regulator.rules``).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import ACCEPTED_STATUSES, Application, ApplicationStatus
from audits.models import Audit, AuditStatus
from audits.selectors import falling_due_counts, programme_list
from certification import dashboard as certification_dashboard
from certification import selectors as certification_selectors
from certification.models import CertificateStatus, Decision, DecisionStatus
from regulator import rules as regulator_rules
from regulator.models import RegulatorSettings, Submission, SubmissionKind

from .. import figures
from .common import LIMIT, Bounded, age_in_days, days_until, first, today

# Horizons of the audits falling due, in days: the columns of the section's table (whose headings
# name them: change both together).
DUE_HORIZONS = (30, 60, 90)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _applications_count(user: Any, statuses: tuple[str, ...]) -> int:
    return Application.objects.restrict(user, "view").filter(status__in=statuses).count()


# Stages before "planned": (key, label, url name, counter), one query each. Applications submitted
# or under review (17021-1 9.1.2), then accepted ones waiting for their contract.
PIPELINE_BEFORE: list[tuple[str, StrOrPromise, str, Callable[[Any], int]]] = [
    (
        "applications",
        _("Applications"),
        "applications:list",
        lambda user: _applications_count(user, (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)),
    ),
    ("contracting", _("To contract"), "applications:list", lambda user: _applications_count(user, ACCEPTED_STATUSES)),
]

_REPORT_STAGE = (AuditStatus.REPORT_DRAFTED, AuditStatus.SUBMITTED)
_REVIEW_STAGE = (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED, AuditStatus.TECHNICAL_REVIEW)
_OPEN_DECISION = (DecisionStatus.AWAITING_EVALUATION, DecisionStatus.AWAITING_APPROVAL)


@dataclass
class Stage:
    key: str
    label: StrOrPromise
    count: int
    url: str


def pipeline(user: Any) -> list[Stage]:
    """Two queries: the audits counted by status, and those at review with an open decision, read
    from the open decisions (a few) rather than probed for each of the CB's audits (an ``EXISTS``
    per audit, or a join of every audit to its decisions, cost 100+ ms at 100,000 audits)."""
    visible = Audit.objects.restrict(user, "view")
    row = visible.order_by().aggregate(
        planned=Count("pk", filter=Q(status=AuditStatus.PLANNED)),
        in_progress=Count("pk", filter=Q(status=AuditStatus.IN_PROGRESS)),
        reports=Count("pk", filter=Q(status__in=_REPORT_STAGE)),
        at_review=Count("pk", filter=Q(status__in=_REVIEW_STAGE)),
    )
    row["decision"] = (
        Decision.objects.filter(status__in=_OPEN_DECISION, audit__in=visible.filter(status__in=_REVIEW_STAGE))
        .values("audit")
        .distinct()
        .count()
    )
    row["review"] = row["at_review"] - row["decision"]
    audits = reverse("audits:list")
    stages = [Stage(key, label, counter(user), reverse(url)) for key, label, url, counter in PIPELINE_BEFORE]
    stages += [
        Stage("planned", _("Planned"), row["planned"], f"{audits}?status={AuditStatus.PLANNED}"),
        Stage("in_progress", _("In progress"), row["in_progress"], f"{audits}?status={AuditStatus.IN_PROGRESS}"),
        Stage("reports", _("Reports"), row["reports"], reverse("reports:list")),
        Stage("review", _("Technical review"), row["review"], reverse("certification:dashboard")),
        Stage("decision", _("Decision"), row["decision"], reverse("certification:dashboard")),
    ]
    return stages


def certificates_by_status(figure: figures.Figure) -> list[dict[str, Any]]:
    """The section's rows (each a link to the certificate list) from the chart's own counts, so
    the table and the chart beside it cannot disagree."""
    url = reverse("certification:certificate_list")
    return [
        {"status": status, "label": status.label, "count": count, "url": f"{url}?status={status}"}
        for status, count in zip(CertificateStatus, figure.series[0].values, strict=True)
    ]


def certificates_by_standard(figure: figures.Figure) -> list[dict[str, Any]]:
    """Certificates in force (valid or suspended) per standard, most first."""
    rows = [
        {"standard": label, "count": sum(one.values[i] for one in figure.series)}
        for i, label in enumerate(figure.labels)
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["standard"]))


def nc_ageing(figure: figures.Figure) -> dict[str, Any]:
    """Open major and minor NCs per grade in age buckets: the chart's counts as the section's table
    (one row per grade, ``counts`` in the order of ``labels``)."""
    grades = [
        {"grade": grade, "label": grade.label, "counts": one.values, "total": sum(one.values)}
        for grade, one in zip(figures.NC_GRADES, figure.series, strict=True)
    ]
    return {"labels": figure.labels, "grades": grades}


def cnca_deadline(on: datetime.date) -> dict[str, Any]:
    """The month due now (the previous month), its deadline and whether a final export exists
    (the first lines of ``regulator.selectors.dashboard``, without its lists)."""
    settings = RegulatorSettings.objects.current()
    month = (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    deadline = regulator_rules.deadline(month, day=settings.deadline_day)
    submitted = Submission.objects.filter(kind=SubmissionKind.MONTHLY, draft=False, period_start=month).exists()
    return {
        "month": month,
        "deadline": deadline,
        "submitted": submitted,
        "days_left": (deadline - on).days,
        "overdue": not submitted and on > deadline,
        "url": reverse("regulator:dashboard"),
    }


def due(user: Any, on: datetime.date) -> dict[str, Any]:
    """Surveillances and recertifications falling due, per horizon (not cumulative: 31–60 days
    excludes the first 30); and the first programmes of the programme list (most urgent first, by
    their stored next due date: one indexed query) due within the last horizon, overdue first."""
    counts = falling_due_counts(user=user, today=on, horizons=DUE_HORIZONS)
    horizon = on + datetime.timedelta(days=DUE_HORIZONS[-1])
    urgent: list[Any] = list(programme_list(user=user).filter(next_due_on__lte=horizon)[:LIMIT])
    for programme in urgent:
        programme.days_left = days_until(programme.next_due_on, on)
    keys = ["overdue", *(str(days) for days in DUE_HORIZONS)]  # cumulative counts: each bucket is a difference
    rows = []
    for kind, label in (("surveillance", _("Surveillances")), ("recertification", _("Recertifications"))):
        c = counts[kind]
        buckets = [c[later] - c[earlier] for earlier, later in itertools.pairwise(keys)]
        rows.append({"kind": kind, "label": label, "overdue": c["overdue"], "buckets": buckets})
    return {"rows": rows, "url": reverse("audits:programme_list"), "urgent": urgent}


def page(user: Any) -> dict[str, Any]:
    on = today()
    dashboard_url = reverse("certification:dashboard")
    awaiting: list[Any] = certification_dashboard.audits_awaiting_review(user=user)
    flags = first(certification_selectors.open_flags(user=user), url=dashboard_url)
    for flag in flags.rows:
        flag.age = age_in_days(flag.basis_date, on)
    for audit in awaiting[:LIMIT]:
        audit.age = age_in_days(audit.end_date, on)
    # The CB's figures (CB-wide: this section is a CB administrator's, who sees every record):
    # the small charts, and the tables of the sections beside them.
    charts = figures.figures(figures.START_PAGE_FIGURES, today=on)
    by_name = {figure.name: figure for figure in charts}
    return {
        "pipeline": pipeline(user),
        "certificates_by_status": certificates_by_status(by_name["certificates-by-status"]),
        "certificates_by_standard": certificates_by_standard(figures.certificates_by_standard(on)),
        "due": due(user, on),
        "nc_ageing": nc_ageing(by_name["nc-ageing"]),
        "charts": charts,
        "cnca": cnca_deadline(on),
        "flags": flags,
        "awaiting_review": Bounded(rows=awaiting[:LIMIT], total=len(awaiting), url=dashboard_url),
        "capped_at": certification_dashboard.LIST_LIMIT,
    }
