"""Everyone around one audit's technical review and decision, for the lifecycle matrices: who
may take each move, who is refused (``PermissionDenied``) and who is not independent of the
audit (``ValidationError``, code ``not_independent``: independence is checked first)."""

from typing import Any

from audits.models import TeamRole
from core.access import Role

from .factories import AuditFactory, TeamAssignmentFactory, UserFactory, qualified_profile, review_cast

ALLOWED, DENIED, NOT_INDEPENDENT = "allowed", "denied", "not_independent"
# The audit's team: never independent of it.
TEAM = ("leader", "auditor", "expert")
ACTORS = ("reviewer", "evaluator", "approver", "admin", "leader", "auditor", "expert", "client_user", "outsider")


class Actors(dict):
    """The people by name, as items (``actors["leader"]``) and attributes (``actors.leader``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def people() -> Actors:
    """The review cast (``review_cast``) and, besides: a client user of the audited organisation
    and a team leader of another audit of the same client."""
    cast = review_cast()
    outsider = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(
        audit=AuditFactory(client=cast.audit.client), profile=qualified_profile(user=outsider), role=TeamRole.LEADER
    )
    actors = Actors(cast._asdict())
    actors["client_user"] = UserFactory(role=Role.CLIENT, client=cast.audit.client)
    actors["outsider"] = outsider
    return actors


def expected(actor: str, allowed: set[str]) -> str:
    if actor in allowed:
        return ALLOWED
    return NOT_INDEPENDENT if actor in TEAM else DENIED
