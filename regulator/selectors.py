"""Reads of the regulator pages: a month's sheets and their problems (nothing written), the plan
sheet of a date range, the dashboard's figures, the submission history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from audits.models import Audit, AuditStatus
from certification.models import Certificate, CertificateStatusChange
from core.dates import local_today

from . import collect, months, rules
from .collect import CERT_SHEET, PLAN_SHEET, RESULT_SHEET
from .layouts import Layout, layout
from .models import RegulatorSettings, Submission, SubmissionItem, SubmissionKind
from .validation import Problem, validate


@dataclass
class Preview:
    kind: str
    start: datetime.date
    end: datetime.date
    sheets: list[tuple[Layout, list[dict[str, Any]]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def counts(self) -> dict[str, int]:
        return {item.key: len(rows) for item, rows in self.sheets}


def reported_certificate_numbers(*, before: datetime.date) -> set[str]:
    """Numbers of the certificates a final submission of an earlier period reported."""
    ids = {
        int(key.split(":")[1])
        for key in SubmissionItem.objects.filter(
            sheet=CERT_SHEET, submission__draft=False, submission__period_start__lt=before
        ).values_list("key", flat=True)
    }
    return {rules.no_spaces_upper(n) for n in Certificate.objects.filter(pk__in=ids).values_list("number", flat=True)}


def month_preview(month: datetime.date, *, include_imported: bool = False) -> Preview:
    """The month's sheets; ``include_imported``: with the rows past workbooks of the month reported
    and the import read back (``months._imported``)."""
    first, last = rules.month_bounds(month)
    data = months.month_data(first, include_imported=include_imported)
    sheets = [(layout(CERT_SHEET), data.certificates), (layout(RESULT_SHEET), data.results)]
    problems = validate(sheets, reported_certificates=reported_certificate_numbers(before=first))
    return Preview(kind=SubmissionKind.MONTHLY, start=first, end=last, sheets=sheets, problems=problems)


def plans_preview(start: datetime.date, end: datetime.date) -> Preview:
    sheets = [(layout(PLAN_SHEET), collect.plan_rows(start, end))]
    return Preview(kind=SubmissionKind.PLANS, start=start, end=end, sheets=sheets, problems=validate(sheets))


def certsearch_preview() -> Preview:
    today = local_today()
    sheets = [(layout("iaf_certsearch"), collect.certsearch_rows())]
    return Preview(kind=SubmissionKind.CERTSEARCH, start=today, end=today, sheets=sheets, problems=validate(sheets))


def submissions(*, user: Any) -> QuerySet[Submission]:
    return Submission.objects.restrict(user, "view").select_related("created_by").order_by("-created_at", "-pk")


@dataclass
class Dashboard:
    month: datetime.date
    deadline: datetime.date
    submitted: Submission | None
    overdue: bool
    unreported_plans: list[Audit]
    changed_certificates: list[Certificate]


def unreported_plans(*, today: datetime.date, warning_days: int) -> list[Audit]:
    """Audits starting within ``warning_days`` whose plan no final export reported. The reported
    keys are read for these few audits only (the plan sheet's items grow with every month)."""
    horizon = today + datetime.timedelta(days=warning_days)
    starting = list(
        Audit.objects.filter(start_date__gte=today, start_date__lte=horizon, imported=False)
        .exclude(status=AuditStatus.CANCELLED)
        .select_related("client")
        .order_by("start_date", "pk")
    )
    reported = set(
        SubmissionItem.objects.filter(
            sheet=PLAN_SHEET, submission__draft=False, key__in=[f"plan:{audit.pk}" for audit in starting]
        ).values_list("key", flat=True)
    )
    return [audit for audit in starting if f"plan:{audit.pk}" not in reported]


def dashboard(*, today: datetime.date | None = None, with_changes: bool = True) -> Dashboard:
    """The month due now (the previous month), its deadline and whether a final export exists; the
    audits starting within the warning days whose plan no final export reported; the certificates
    with a status change or issue since the last final monthly export (not read with
    ``with_changes=False``: the start page's actions need only the first two)."""
    today = today or local_today()
    cb = RegulatorSettings.objects.current()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    due = rules.deadline(month, day=cb.deadline_day)
    submitted = (
        Submission.objects.filter(kind=SubmissionKind.MONTHLY, draft=False, period_start=month)
        .order_by("created_at")
        .first()
    )
    plans = unreported_plans(today=today, warning_days=cb.plan_warning_days)
    last = (
        Submission.objects.filter(kind=SubmissionKind.MONTHLY, draft=False).order_by("-created_at").first()
        if with_changes
        else None
    )
    changed: list[Certificate] = []
    if last is not None:
        ids = set(
            CertificateStatusChange.objects.filter(at__gt=last.created_at).values_list("certificate_id", flat=True)
        ) | set(Certificate.objects.filter(created_at__gt=last.created_at).values_list("pk", flat=True))
        changed = list(Certificate.objects.filter(pk__in=ids).select_related("client").order_by("number"))
    return Dashboard(
        month=month,
        deadline=due,
        submitted=submitted,
        overdue=submitted is None and today > due,
        unreported_plans=plans,
        changed_certificates=changed,
    )
