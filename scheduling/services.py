"""Scheduling's writes: proposing a team from the "who can go" list (through the audits team
rules), auditors' calendar feeds, and the records of competence monitoring (reviews, CPD, the
client's feedback)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.models import Audit, TeamAssignment, TeamRole
from audits.models.audit import ON_SITE_DONE_STATUSES
from core.access import Role
from core.history import set_history_user

from .models import CalendarFeed, ClientFeedback, CpdRecord, PerformanceReview, Rating, ReviewOutcome
from .selectors import rotation_warning

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import AuditorProfile


def _is_admin(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN)


def _is_self_or_admin(user: User | None, profile: AuditorProfile) -> bool:
    return _is_admin(user) or bool(user and user.is_authenticated and user.is_active and profile.user_id == user.pk)


@dataclass
class Proposal:
    assignments: list[TeamAssignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def team_propose(
    *, audit: Audit, by: User, leader: AuditorProfile | None = None, members: list[AuditorProfile] | None = None
) -> Proposal:
    """Put the chosen leader and members on the audit's team in one go, each through the audits
    team rules (``audits.services.team_assignment_add``): one refusal refuses the whole proposal.
    Warns when the leader would break the CB's rotation policy."""
    members = list(members or [])
    if leader is None and not members:
        raise ValidationError(_("Choose a team leader or at least one team member."))
    proposal = Proposal()
    if leader is not None:
        warning = rotation_warning(audit=audit, profile=leader)
        if warning:
            proposal.warnings.append(warning)
        assignment, warnings = audit_services.team_assignment_add(
            audit=audit, profile=leader, role=TeamRole.LEADER, by=by
        )
        proposal.assignments.append(assignment)
        proposal.warnings.extend(warnings)
    for member in members:
        if leader is not None and member.pk == leader.pk:
            continue
        assignment, warnings = audit_services.team_assignment_add(
            audit=audit, profile=member, role=TeamRole.AUDITOR, by=by
        )
        proposal.assignments.append(assignment)
        proposal.warnings.extend(warnings)
    return proposal


# --- calendar feeds --------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, profile: AuditorProfile, by: User) -> CalendarFeed:
    """A new private feed address for the auditor; any earlier one stops working."""
    if not _is_self_or_admin(by, profile):
        raise PermissionDenied(_("Only the auditor or a CB administrator may manage the auditor's calendar feed."))
    now = timezone.now()
    for feed in CalendarFeed.objects.select_for_update().filter(profile=profile, revoked_at__isnull=True):
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
    return CalendarFeed.objects.create(profile=profile)


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """The feed's address answers 404 from now on."""
    if not _is_self_or_admin(by, feed.profile):
        raise PermissionDenied(_("Only the auditor or a CB administrator may manage the auditor's calendar feed."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


# --- competence monitoring -------------------------------------------------------------------------


@transaction.atomic
def performance_review_record(
    *, profile: AuditorProfile, by: User, reviewed_on: datetime.date, outcome: str, summary: str = ""
) -> PerformanceReview:
    """Record an auditor's performance review (ISO/IEC 17021-1 7.2.10), by a CB administrator."""
    if not _is_admin(by):
        raise PermissionDenied(_("Only a CB administrator records performance reviews."))
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the review.")})
    review = PerformanceReview(
        profile=profile, reviewed_on=reviewed_on, outcome=outcome, summary=(summary or "").strip(), reviewed_by=by
    )
    set_history_user(review, by)
    review.save()
    return review


@transaction.atomic
def cpd_record_add(
    *, profile: AuditorProfile, by: User, completed_on: datetime.date, hours: Decimal, title: str
) -> CpdRecord:
    """Record continual professional development (the auditor or a CB administrator)."""
    if not _is_self_or_admin(by, profile):
        raise PermissionDenied(_("Only the auditor or a CB administrator may record the auditor's CPD."))
    errors = {}
    if hours is None or Decimal(hours) < Decimal("0.5"):
        errors["hours"] = _("Enter at least half an hour.")
    if not (title or "").strip():
        errors["title"] = _("Enter the activity.")
    if errors:
        raise ValidationError(errors)
    record = CpdRecord(profile=profile, completed_on=completed_on, hours=Decimal(hours), title=title.strip())
    set_history_user(record, by)
    record.save()
    return record


def feedback_open(*, audit: Audit, user: User | None) -> bool:
    """Whether ``user`` may give feedback on ``audit`` now: a client user of its organisation,
    once the on-site audit is over, once."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role == Role.CLIENT
        and user.client_id == audit.client_id
        and audit.status in ON_SITE_DONE_STATUSES
        and not ClientFeedback.objects.filter(audit=audit).exists()
    )


@transaction.atomic
def client_feedback_submit(
    *, audit: Audit, by: User, competence: int, conduct: int, communication: int, comment: str = ""
) -> ClientFeedback:
    """The client's feedback on an audit (portal): once per audit, after the on-site audit."""
    if not (by.is_authenticated and by.role == Role.CLIENT and by.client_id == audit.client_id):
        raise PermissionDenied(_("Only a user of the audited organisation gives feedback on its audit."))
    if audit.status not in ON_SITE_DONE_STATUSES:
        raise ValidationError(_("Feedback opens once the on-site audit is over."))
    if ClientFeedback.objects.filter(audit=audit).exists():
        raise ValidationError(_("Feedback on this audit has already been given."))
    errors = {
        name: _("Choose a rating from 1 to 5.")
        for name, value in (("competence", competence), ("conduct", conduct), ("communication", communication))
        if value not in Rating.values
    }
    if errors:
        raise ValidationError(errors)
    feedback = ClientFeedback(
        audit=audit,
        competence=competence,
        conduct=conduct,
        communication=communication,
        comment=(comment or "").strip(),
        submitted_by=by,
    )
    set_history_user(feedback, by)
    feedback.save()
    return feedback
