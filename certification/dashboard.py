"""Reads of the committee's dashboard and of the home-page actions (each a fixed number of
queries). The rules themselves are in ``certification.services``; the shared reads (certificate
list and detail, one decision, open flags, report facts) in ``certification.selectors``.
Reviews, issues and decisions are read through their ``restrict()``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from audits.models import Audit, AuditStatus, AuditType, TeamAssignment, TeamRole
from core.access import Role
from core.dates import local_today

from .models import (
    Certificate,
    CertificateStatus,
    Decision,
    DecisionStatus,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
)
from .services.independence import without_barred_audits

EXPIRY_WARNING_DAYS = 90
LIST_LIMIT = 50
# The audit report is approved (and, where the CB waits for it, the NCs are closed): ready for review.
READY_FOR_REVIEW = (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED)


def _leaders() -> Prefetch:
    return Prefetch(
        "team",
        queryset=TeamAssignment.objects.filter(role=TeamRole.LEADER).select_related("profile__user"),
        to_attr="leader_assignments",
    )


def audits_awaiting_review(*, user: Any) -> list[Audit]:
    """Audits whose report is approved and that have no technical review yet."""
    has_review = TechnicalReview.objects.filter(audit=OuterRef("pk"))
    return list(
        Audit.objects.restrict(user, "view")
        .filter(status__in=READY_FOR_REVIEW)
        # A stage 1 ends with its readiness conclusion, not in a certification decision.
        .exclude(audit_type=AuditType.STAGE_1)
        .exclude(Exists(has_review))
        .select_related("client")
        .prefetch_related("standards", _leaders())
        .order_by("end_date", "pk")[:LIST_LIMIT]
    )


def _reviews(user: Any) -> QuerySet:
    return (
        TechnicalReview.objects.restrict(user, "view")
        .select_related("audit__client")
        .prefetch_related("reviewers__reviewer", "audit__standards")
        .order_by("created_at", "pk")
    )


def open_reviews(*, user: Any) -> list[TechnicalReview]:
    """Reviews in progress: all of them for the CB administrator, the user's own for a reviewer
    (never one of an audit the independence rule bars the reviewer from: the review refuses them)."""
    reviews = _reviews(user).filter(status=ReviewStatus.OPEN)
    if user.role != Role.CB_ADMIN:
        reviews = without_barred_audits(reviews.filter(reviewers__reviewer=user), user=user)
    return list(reviews[:LIST_LIMIT])


def reviews_awaiting_decision(*, user: Any) -> list[TechnicalReview]:
    """Concluded reviews with no decision opened on them yet."""
    has_decision = Decision.objects.filter(review=OuterRef("pk"))
    return list(
        _reviews(user)
        .filter(status__in=(ReviewStatus.PASSED, ReviewStatus.NOT_PASSED))
        .exclude(Exists(has_decision))[:LIST_LIMIT]
    )


def _decisions(user: Any) -> QuerySet:
    return (
        Decision.objects.restrict(user, "view")
        .select_related("client", "audit", "evaluated_by", "approved_by")
        .prefetch_related("standards", "certificates")
        .order_by("created_at", "pk")
    )


def decisions_with_status(*, user: Any, status: str) -> list[Decision]:
    return list(_decisions(user).filter(status=status)[:LIST_LIMIT])


def decisions_to_act_on(*, user: Any, status: str) -> list[Decision]:
    """The user's to-do: decisions in ``status`` without those whose audit the independence
    rule bars the user from (the evaluation and approval would refuse them)."""
    return list(without_barred_audits(_decisions(user).filter(status=status), user=user)[:LIST_LIMIT])


def recent_decisions(*, user: Any, limit: int = 20) -> list[Decision]:
    return list(
        _decisions(user)
        .filter(status__in=(DecisionStatus.APPROVED, DecisionStatus.NOT_APPROVED))
        .order_by("-approved_on", "-pk")[:limit]
    )


def expiring_certificates(
    *, user: Any, today: datetime.date | None = None, days: int = EXPIRY_WARNING_DAYS
) -> list[Certificate]:
    today = today or local_today()
    return list(
        Certificate.objects.restrict(user, "view")
        .filter(
            status__in=(CertificateStatus.VALID, CertificateStatus.SUSPENDED),
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("client", "standard")
        .order_by("expires_on", "number")[:LIST_LIMIT]
    )


def issues_awaiting_leader(*, user: Any) -> list[ReviewIssue]:
    """Review issues the user must answer: unanswered issues of open reviews of audits they lead."""
    return list(
        ReviewIssue.objects.restrict(user, "respond")
        .filter(review__status=ReviewStatus.OPEN, responded_at__isnull=True, resolved=False)
        .select_related("review__audit__client")
        .order_by("raised_at", "pk")[:LIST_LIMIT]
    )
