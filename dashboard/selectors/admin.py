"""The CB administrator's start page: the CB's state at a glance, every figure an aggregate of the
database and every list its first rows with a count (issue 23: the old home loaded every
certified programme to list its actions).

* the pipeline: (applications →) planned → in progress → reports → technical review → decision;
* certificates by status and by standard (main certificates: a sub-certificate is one site of
  its main certificate);
* surveillances and recertifications due within 30/60/90 days and overdue
  (``audits.selectors.falling_due_counts``; an overdue surveillance is a ground for suspension,
  ISO/IEC 17021-1 9.6.5.1, which the daily check raises to the committee);
* open NCs by grade and age (days since raised);
* the next CNCA monthly reporting deadline (市监认证(司)函〔2021〕102号, ``regulator.rules``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import ACCEPTED_STATUSES, Application, ApplicationStatus
from audits.models import Audit, AuditStatus
from audits.selectors import falling_due_counts
from certification import dashboard as certification_dashboard
from certification import selectors as certification_selectors
from certification.models import Certificate, CertificateStatus, Decision, DecisionStatus
from findings.models import Nonconformity, NonconformityGrade, NonconformityStatus
from regulator import rules as regulator_rules
from regulator.models import RegulatorSettings, Submission, SubmissionKind

from .common import LIMIT, Bounded, age_in_days, first, today

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

# Age buckets of open NCs, in days since raised (upper bounds; the last is open-ended).
NC_AGE_BUCKETS = (30, 60, 90)


@dataclass
class Stage:
    key: str
    label: StrOrPromise
    count: int
    url: str


def pipeline(user: Any) -> list[Stage]:
    """One aggregate query over the audits (and an open decision's existence per audit)."""
    open_decision = Decision.objects.filter(audit=OuterRef("pk"), status__in=_OPEN_DECISION)
    row = (
        Audit.objects.restrict(user, "view")
        .annotate(deciding=Exists(open_decision))
        .aggregate(
            planned=Count("pk", filter=Q(status=AuditStatus.PLANNED)),
            in_progress=Count("pk", filter=Q(status=AuditStatus.IN_PROGRESS)),
            reports=Count("pk", filter=Q(status__in=_REPORT_STAGE)),
            review=Count("pk", filter=Q(status__in=_REVIEW_STAGE, deciding=False)),
            decision=Count("pk", filter=Q(status__in=_REVIEW_STAGE, deciding=True)),
        )
    )
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


def certificates_by_status(user: Any) -> list[dict[str, Any]]:
    counts = dict(
        Certificate.objects.restrict(user, "view")
        .filter(main_certificate__isnull=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    url = reverse("certification:certificate_list")
    return [
        {"status": status, "label": status.label, "count": counts.get(status.value, 0), "url": f"{url}?status={status}"}
        for status in CertificateStatus
    ]


def certificates_by_standard(user: Any) -> list[dict[str, Any]]:
    """Certificates in force (valid or suspended) per standard, most first."""
    return list(
        Certificate.objects.restrict(user, "view")
        .filter(main_certificate__isnull=True, status__in=(CertificateStatus.VALID, CertificateStatus.SUSPENDED))
        .values("standard__code")
        .annotate(count=Count("pk"))
        .order_by("-count", "standard__code")
    )


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def nc_ageing(user: Any, on: datetime.date) -> dict[str, Any]:
    """Open NCs (not closed) per grade in age buckets, one aggregate query. Rows: one per grade,
    ``counts`` in the order of ``labels``."""
    # Bucket boundaries as moments: raised on or after the start of the day ``days`` ago.
    bounds = [on - datetime.timedelta(days=days) for days in NC_AGE_BUCKETS]
    aggregates = {}
    previous: datetime.date | None = None
    # Compared as moments (the CB's local midnight), not as ``raised_at__date``: a plain column
    # comparison the open NCs' (grade, raised_at) index answers.
    for index, bound in enumerate(bounds):
        newer = Q(raised_at__gte=_start_of_day(bound))
        aggregates[f"b{index}"] = Count(
            "pk", filter=newer & Q(raised_at__lt=_start_of_day(previous)) if previous else newer
        )
        previous = bound
    assert previous is not None
    aggregates["older"] = Count("pk", filter=Q(raised_at__lt=_start_of_day(previous)))
    rows = (
        Nonconformity.objects.restrict(user, "view")
        .exclude(status=NonconformityStatus.CLOSED)
        .values("grade")
        .annotate(**aggregates)
        .order_by()
    )
    by_grade = {row["grade"]: row for row in rows}
    keys = [f"b{i}" for i in range(len(bounds))] + ["older"]
    grades = []
    for grade in NonconformityGrade:
        row = by_grade.get(grade.value, {})
        counts = [row.get(key, 0) for key in keys]
        grades.append({"grade": grade, "label": grade.label, "counts": counts, "total": sum(counts)})
    low = [0, *NC_AGE_BUCKETS]
    labels = [_("%(low)s–%(high)s days") % {"low": low[i], "high": high} for i, high in enumerate(NC_AGE_BUCKETS)]
    labels.append(_("over %(days)s days") % {"days": NC_AGE_BUCKETS[-1]})
    return {"labels": labels, "grades": grades}


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
    excludes the first 30)."""
    counts = falling_due_counts(user=user, today=on)
    rows = []
    for kind, label in (("surveillance", _("Surveillances")), ("recertification", _("Recertifications"))):
        c = counts[kind]
        rows.append(
            {
                "kind": kind,
                "label": label,
                "overdue": c["overdue"],
                "buckets": [c["30"] - c["overdue"], c["60"] - c["30"], c["90"] - c["60"]],
            }
        )
    return {"rows": rows, "url": reverse("audits:programme_list")}


def page(user: Any) -> dict[str, Any]:
    on = today()
    dashboard_url = reverse("certification:dashboard")
    awaiting: list[Any] = certification_dashboard.audits_awaiting_review(user=user)
    flags = first(certification_selectors.open_flags(user=user), url=dashboard_url)
    for flag in flags.rows:
        flag.age = age_in_days(flag.basis_date, on)
    for audit in awaiting[:LIMIT]:
        audit.age = age_in_days(audit.end_date, on)
    return {
        "pipeline": pipeline(user),
        "certificates_by_status": certificates_by_status(user),
        "certificates_by_standard": certificates_by_standard(user),
        "due": due(user, on),
        "nc_ageing": nc_ageing(user, on),
        "cnca": cnca_deadline(on),
        "flags": flags,
        "awaiting_review": Bounded(rows=awaiting[:LIMIT], total=len(awaiting), url=dashboard_url),
        "capped_at": certification_dashboard.LIST_LIMIT,
    }
