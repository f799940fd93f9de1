"""Who may do what with a report: the audit's team writes it, its team leader leads it.

Read by the report machine (``reports.lifecycle``), the services, the PDF rules and the pages,
so that every page shows exactly the actions the services allow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audits.models import TeamRole

if TYPE_CHECKING:
    from audits.models import Audit, TeamAssignment

    from .models import TopicContent


def team_assignment_of(*, audit: Audit, user: Any) -> TeamAssignment | None:
    """The user's TeamAssignment on the audit, or None (the pages cache the team on the audit)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(audit, "_team_cache", None)
    team = cached if cached is not None else list(audit.team.select_related("profile__user"))
    return next((a for a in team if a.profile.user_id == user.pk), None)


def is_leader(*, audit: Audit, user: Any) -> bool:
    """Whether ``user`` is the audit's team leader."""
    assignment = team_assignment_of(audit=audit, user=user)
    return assignment is not None and assignment.role == TeamRole.LEADER


def can_write_topic(*, content: TopicContent, user: Any, audit: Audit | None = None) -> bool:
    """A topic is written by its assignee and by the team leader."""
    audit = audit or content.report.audit
    assignment = team_assignment_of(audit=audit, user=user)
    if assignment is None:
        return False
    return assignment.role == TeamRole.LEADER or content.assignee_id == assignment.pk
