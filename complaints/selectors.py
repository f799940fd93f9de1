"""Reads of complaints and appeals for pages, each at a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, QuerySet

from audits.models import AuditStatus
from certification.models import Decision, DecisionStatus
from core.dates import local_today

from . import rules
from .models import (
    OPEN_APPEAL_STATUSES,
    OPEN_COMPLAINT_STATUSES,
    Appeal,
    AppealOutcome,
    Complaint,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    MisuseAction,
)


def complaint_list(*, user: Any) -> QuerySet:
    return (
        Complaint.objects.restrict(user, "view")
        .select_related("client", "investigator")
        .order_by("-received_on", "-pk")
    )


def complaint_detail(*, user: Any, pk: int) -> Complaint:
    return (
        Complaint.objects.restrict(user, "view")
        .select_related("client", "certificate", "investigator", "special_audit", "suspension_decision")
        .prefetch_related("events__by")
        .get(pk=pk)
    )


def may_see_identity(*, user: Any, complaint: Complaint) -> bool:
    """17021-1 9.8.3 / 8.4: the complainant's identity only to CB administrators and the handler."""
    return Complaint.objects.restrict(user, "identity").filter(pk=complaint.pk).exists()


def appeal_list(*, user: Any) -> QuerySet:
    return (
        Appeal.objects.restrict(user, "view")
        .select_related("client", "decision", "reviewer")
        .order_by("-received_on", "-pk")
    )


def appeal_detail(*, user: Any, pk: int) -> Appeal:
    return (
        Appeal.objects.restrict(user, "view")
        .select_related("client", "decision", "reviewer", "new_decision", "submitted_by")
        .prefetch_related("events__by")
        .get(pk=pk)
    )


def appealable_decisions(*, user: Any) -> QuerySet:
    """Approved decisions on the client user's own organisation (what the portal offers to appeal)."""
    if not getattr(user, "client_id", None):
        return Decision.objects.none()
    return Decision.objects.filter(client_id=user.client_id, status=DecisionStatus.APPROVED).order_by("-approved_on")


def is_overdue(record: Complaint | Appeal) -> bool:
    today = local_today()
    if isinstance(record, Complaint):
        if record.status == ComplaintStatus.RECEIVED and today > record.acknowledge_due_on:
            return True
        return rules.is_overdue(due_on=record.answer_due_on, done=not record.is_open, today=today)
    return rules.is_overdue(due_on=record.answer_due_on, done=not record.is_open, today=today)


def figures(*, user: Any) -> dict[str, Any]:
    """The assessor's view (17021-1 9.7, 9.8): counts by type and outcome, time to close, open
    items past their deadline. Two queries."""
    complaints = list(
        Complaint.objects.restrict(user, "view").only(
            "status",
            "subject",
            "outcome",
            "misuse_action",
            "received_on",
            "closed_on",
            "acknowledge_due_on",
            "answer_due_on",
        )
    )
    appeals = list(
        Appeal.objects.restrict(user, "view").only("status", "outcome", "received_on", "closed_on", "answer_due_on")
    )
    by_subject = Counter(c.subject for c in complaints)
    by_outcome = Counter(c.outcome for c in complaints if c.outcome)
    appeal_outcomes = Counter(a.outcome for a in appeals if a.outcome)
    return {
        "complaints": len(complaints),
        "complaints_open": sum(1 for c in complaints if c.status in OPEN_COMPLAINT_STATUSES),
        "complaints_by_subject": [(label, by_subject.get(value, 0)) for value, label in ComplaintSubject.choices],
        "complaints_by_outcome": [(label, by_outcome.get(value, 0)) for value, label in ComplaintOutcome.choices],
        "complaints_overdue": sum(1 for c in complaints if is_overdue(c)),
        "misuse_by_action": [
            (label, sum(1 for c in complaints if c.misuse_action == value)) for value, label in MisuseAction.choices
        ],
        "complaint_days_to_close": rules.average(rules.days_to_close(c.received_on, c.closed_on) for c in complaints),
        "appeals": len(appeals),
        "appeals_open": sum(1 for a in appeals if a.status in OPEN_APPEAL_STATUSES),
        "appeals_by_outcome": [(label, appeal_outcomes.get(value, 0)) for value, label in AppealOutcome.choices],
        "appeals_overdue": sum(1 for a in appeals if is_overdue(a)),
        "appeal_days_to_close": rules.average(rules.days_to_close(a.received_on, a.closed_on) for a in appeals),
    }


def complaints_per_auditor(*, profile_ids: Sequence[int], since: datetime.date, until: datetime.date) -> dict[int, int]:
    """Complaints received in ``(since, until]`` per auditor, for competence monitoring's
    performance review (ISO/IEC 17021-1 7.2.10; registered in ``scheduling.registry`` by
    ``ComplaintsConfig.ready``). One query.

    A complaint names the CLIENT (and maybe its certificate, whose client the services always copy
    to ``client``), never the audit complained about (``special_audit`` is the audit it led to).
    So a complaint counts for an auditor who was on the team of an audit of that client ending in
    the same 12 months and begun by the day the complaint was received; a cancelled audit does not
    count, nor a complaint rejected as not about the CB's certification activity. Each complaint
    counts once per auditor, however many such audits."""
    if not profile_ids:
        return {}
    rows = (
        Complaint.objects.exclude(status=ComplaintStatus.REJECTED)
        .filter(
            received_on__gt=since,
            received_on__lte=until,
            client__audits__team__profile_id__in=list(profile_ids),
            client__audits__end_date__gt=since,
            client__audits__start_date__lte=F("received_on"),
            # In the same filter() as the team, so the same audit (an exclude() would not be).
            client__audits__status__in=[s for s in AuditStatus.values if s != AuditStatus.CANCELLED],
        )
        .values("client__audits__team__profile_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["client__audits__team__profile_id"]: row["n"] for row in rows}
