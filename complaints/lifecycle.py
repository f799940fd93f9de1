"""The lifecycles of complaints (17021-1 9.8) and appeals (9.7), declared once; ``core.lifecycle``
moves them.

Complaint::

    received ─acknowledge─▶ acknowledged ─validate─▶ validated ─investigate─▶ investigation ─decide─▶ decided
                                  └──reject──▶ rejected ───────────────answer──────────────┐           │
                                                                                            ▼           │
                                                               closed ◀─close── answered ◀──answer──────┘

Appeal::

    received ─review─▶ review ─decide (upheld / changed)─▶ decided ─answer─▶ answered ─close─▶ closed

Who: ``manage`` (CB administrators) acknowledge, validate, start the work, answer and close;
``handle`` (the assigned investigator or reviewer, who must be independent: see
``complaints.services.independence``) decides. A guard refuses the investigation or review
without an assigned handler.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from core.lifecycle import Machine, Move

from .models import (
    Appeal,
    AppealAction,
    AppealEvent,
    AppealStatus,
    Complaint,
    ComplaintAction,
    ComplaintEvent,
    ComplaintStatus,
)

C = ComplaintStatus
A = AppealStatus
ADMIN_ONLY = gettext_noop("Only a CB administrator may do this.")


def _needs_investigator(complaint: Complaint) -> ValidationError | None:
    if complaint.investigator_id is None:
        return ValidationError(gettext("Assign an investigator first."), code="no_handler")
    return None


def _needs_reviewer(appeal: Appeal) -> ValidationError | None:
    if appeal.reviewer_id is None:
        return ValidationError(gettext("Assign a reviewer first."), code="no_handler")
    return None


COMPLAINT_MACHINE = Machine(
    model=Complaint,
    event_model=ComplaintEvent,
    subject_field="complaint",
    moves=[
        Move(
            ComplaintAction.ACKNOWLEDGE,
            [C.RECEIVED],
            C.ACKNOWLEDGED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.ACKNOWLEDGE.label,
        ),
        Move(
            ComplaintAction.VALIDATE,
            [C.ACKNOWLEDGED],
            C.VALIDATED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.VALIDATE.label,
        ),
        Move(
            ComplaintAction.REJECT,
            [C.ACKNOWLEDGED],
            C.REJECTED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.REJECT.label,
        ),
        Move(
            ComplaintAction.INVESTIGATE,
            [C.VALIDATED],
            C.INVESTIGATION,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.INVESTIGATE.label,
            guard=_needs_investigator,
        ),
        Move(
            ComplaintAction.DECIDE,
            [C.INVESTIGATION],
            C.DECIDED,
            who="handle",
            refused=gettext_noop("Only the complaint's investigator may decide on it."),
            label=ComplaintAction.DECIDE.label,
        ),
        Move(
            ComplaintAction.ANSWER,
            [C.DECIDED, C.REJECTED],
            C.ANSWERED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.ANSWER.label,
        ),
        Move(
            ComplaintAction.CLOSE,
            [C.ANSWERED],
            C.CLOSED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ComplaintAction.CLOSE.label,
        ),
    ],
)

APPEAL_MACHINE = Machine(
    model=Appeal,
    event_model=AppealEvent,
    subject_field="appeal",
    moves=[
        Move(
            AppealAction.REVIEW,
            [A.RECEIVED],
            A.REVIEW,
            who="manage",
            refused=ADMIN_ONLY,
            label=AppealAction.REVIEW.label,
            guard=_needs_reviewer,
        ),
        Move(
            AppealAction.DECIDE,
            [A.REVIEW],
            A.DECIDED,
            who="handle",
            refused=gettext_noop("Only the appeal's reviewer may decide on it."),
            label=AppealAction.DECIDE.label,
        ),
        Move(
            AppealAction.ANSWER,
            [A.DECIDED],
            A.ANSWERED,
            who="manage",
            refused=ADMIN_ONLY,
            label=AppealAction.ANSWER.label,
        ),
        Move(
            AppealAction.CLOSE, [A.ANSWERED], A.CLOSED, who="manage", refused=ADMIN_ONLY, label=AppealAction.CLOSE.label
        ),
    ],
)
