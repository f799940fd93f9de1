"""Who may see and act on the committee's records: the rules behind the ``restrict()`` of
decisions, technical reviews, review issues and committee flags (``core.access``'s
``RestrictedQuerySet``), stated once so that pages, selectors and the lifecycle machines agree.

* ``view`` of decisions and committee flags: CB administrators, committee members and holders of
  ``certification.approve_decision`` (the approvers), never a client user.
* ``view`` of a technical review and its issues: CB staff who may see the audit (CB
  administrators and the committee: every audit; auditors and team leaders: their own audits),
  never a client user.
"""

from typing import Any, Self, TypeVar

from django.db.models import QuerySet

from audits.models import TeamAssignment, TeamRole
from audits.models.scope import audit_scoped
from core.access import STAFF_ROLES, RestrictedQuerySet, Role

APPROVE_PERMISSION = "certification.approve_decision"

_QS = TypeVar("_QS", bound=QuerySet)


def is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_cb_admin(user: Any) -> bool:
    return is_active(user) and user.role == Role.CB_ADMIN


def is_committee(user: Any) -> bool:
    return is_active(user) and user.role == Role.COMMITTEE


def may_approve(user: Any) -> bool:
    """The general manager or a delegate: CB staff holding the approval permission."""
    return is_active(user) and user.role != Role.CLIENT and user.has_perm(APPROVE_PERMISSION)


def sees_decisions(user: Any) -> bool:
    """CB administrators, committee members and approvers see decisions and flags."""
    if not is_active(user) or user.role == Role.CLIENT:
        return False
    return user.role in (Role.CB_ADMIN, Role.COMMITTEE) or user.has_perm(APPROVE_PERMISSION)


def _all_or_none(queryset: _QS, allowed: bool) -> _QS:
    return queryset if allowed else queryset.none()


class DecisionQuerySet(RestrictedQuerySet):
    """Actions: ``view``; ``evaluate`` and ``remark`` (committee members, part 十六's evaluation and
    part 十七); ``approve`` (approvers). Independence from the audit is checked by the services,
    per decision, before any of these."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        if action == "view":
            return _all_or_none(self, sees_decisions(user))
        if action in ("evaluate", "remark"):
            return _all_or_none(self, is_committee(user))
        if action == "approve":
            return _all_or_none(self, may_approve(user))
        return self.none()


class CommitteeFlagQuerySet(RestrictedQuerySet):
    """Actions: ``view``; ``resolve`` (committee members and CB administrators)."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        if action == "view":
            return _all_or_none(self, sees_decisions(user))
        if action == "resolve":
            return _all_or_none(self, is_committee(user) or is_cb_admin(user))
        return self.none()


class TechnicalReviewQuerySet(RestrictedQuerySet):
    """Actions: ``view``; ``manage`` (CB administrators: open, assign reviewers); ``review`` (the
    reviewers assigned to it: answer, raise issues, conclude)."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        if not is_active(user) or user.role not in STAFF_ROLES:
            return self.none()
        if action == "view":
            return audit_scoped(self, user)
        if action == "manage":
            return _all_or_none(self, user.role == Role.CB_ADMIN)
        if action == "review":
            return self.filter(reviewers__reviewer=user)  # one row per review: a reviewer is assigned once
        return self.none()


class ReviewIssueQuerySet(RestrictedQuerySet):
    """Actions: ``view`` (as the review); ``respond`` (the audit's team leader); ``resolve`` (the
    review's assigned reviewers)."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        if not is_active(user) or user.role not in STAFF_ROLES:
            return self.none()
        if action == "view":
            return audit_scoped(self, user, field="review__audit")
        if action == "respond":
            led = TeamAssignment.objects.filter(profile__user=user, role=TeamRole.LEADER).values("audit_id")
            return self.filter(review__audit__in=led)
        if action == "resolve":
            return self.filter(review__reviewers__reviewer=user)
        return self.none()
