"""The nonconformity's lifecycle, declared once (DESIGN.md, "Lifecycles"); ``core.lifecycle`` moves it.

    open ──respond (client)──▶ responded ──accept (auditor)──▶ verified ──close (leader)──▶ closed
      ▲                          │                               │
      └──── returned ◀──reject (auditor, reason)                 │
               ▲  └──respond (client, new round)──▶ responded    │
               └──────────────── reject_closure (leader, reason) ┘

Who may act is the NC queryset's ``restrict(user, action)`` (``respond``: the audited
organisation's client users; ``verify``: the audit's leader and members; ``approve``: the
audit's leader). The moves write rows of their own (a client's answer is a new
``NonconformityResponse`` round, a decision is written on the current round) through
``on_locked``: see ``findings.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_noop

from core.access import Role
from core.lifecycle import Machine, Move

from .models import Nonconformity, NonconformityAction, NonconformityStatus, NonconformityTransition

if TYPE_CHECKING:
    from accounts.models import User

S = NonconformityStatus


def cb_admin(user: User | None, nc: Nonconformity) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN)


NC_MACHINE = Machine(
    model=Nonconformity,
    event_model=NonconformityTransition,
    subject_field="nc",
    stale_message=gettext_noop(
        "Someone else acted on this nonconformity since you opened it. Nothing was saved; reload the page."
    ),
    wrong_status_message=gettext_noop("This nonconformity is now “%(status)s”: “%(action)s” is not possible."),
    moves=[
        Move(
            NonconformityAction.RESPOND,
            [S.OPEN, S.RETURNED],
            S.RESPONDED,
            who="respond",
            refused=gettext_noop("Only a user of the audited organisation may answer its nonconformities."),
            label=NonconformityAction.RESPOND.label,
        ),
        Move(
            NonconformityAction.ACCEPT,
            [S.RESPONDED],
            S.VERIFIED,
            who="verify",
            refused=gettext_noop("Only the audit's team leader or a team member (auditor) may verify a response."),
            label=NonconformityAction.ACCEPT.label,
        ),
        Move(
            NonconformityAction.REJECT,
            [S.RESPONDED],
            S.RETURNED,
            who="verify",
            refused=gettext_noop("Only the audit's team leader or a team member (auditor) may verify a response."),
            label=NonconformityAction.REJECT.label,
        ),
        Move(
            NonconformityAction.CLOSE,
            [S.VERIFIED],
            S.CLOSED,
            who="approve",
            refused=gettext_noop("Only the audit's team leader may approve or reject a closure."),
            label=NonconformityAction.CLOSE.label,
        ),
        Move(
            NonconformityAction.REJECT_CLOSURE,
            [S.VERIFIED],
            S.RETURNED,
            who="approve",
            refused=gettext_noop("Only the audit's team leader may approve or reject a closure."),
            label=NonconformityAction.REJECT_CLOSURE.label,
        ),
        # A CB moving onto the product enters an NC closed before it did so, with the round's
        # real dates (the services mark the round as imported): no client answer, verification
        # or approval is made again today.
        Move(
            NonconformityAction.RECORD_PAST_CLOSURE,
            [S.OPEN],
            S.CLOSED,
            who=cb_admin,
            refused=gettext_noop("Only a CB administrator may enter historical records."),
            label=NonconformityAction.RECORD_PAST_CLOSURE.label,
        ),
    ],
)


def may(user: User | None, nc: Nonconformity, action: str) -> bool:
    """Whether ``user`` may take ``action`` (a NonconformityAction) on ``nc`` now."""
    return NC_MACHINE.may(user, nc, action)


def allowed_actions(user: User | None, nc: Nonconformity) -> set[str]:
    """The actions ``user`` may take on ``nc`` now (for pages: which forms to show)."""
    return NC_MACHINE.allowed(user, nc)
