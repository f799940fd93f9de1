"""The lifecycles of certification, declared once (``core.lifecycle`` moves them).

Technical review (评定)::

    (opened) ─▶ in review ─pass─▶ passed
                    └──not_pass─▶ not passed

    who: a reviewer assigned to the review (``TechnicalReview.objects.restrict(user, "review")``).

Decision (part 十六: evaluation, then approval)::

    (opened) ─▶ awaiting evaluation ─evaluate─▶ awaiting approval ─approve─────▶ approved
                                                        └────────not_approve─▶ not approved

    who: ``evaluate`` a committee member, ``approve`` / ``not_approve`` a holder of
    certification.approve_decision (``Decision.objects.restrict(user, action)``). An approval of
    the committee's disagreement is ``not_approve``: the decision does not take effect.

Certificate (the regulator's status codes)::

    (issued) ─▶ 01 valid ─suspend─▶ 02 suspended ─restore─▶ 01 valid
    01, 02 ─withdraw─▶ 03 withdrawn      01, 02, 05 ─cancel─▶ 04 cancelled (replaced)
    01, 02 ─expire─▶ 05 expired (the daily job, nobody)

    who: the moves follow an approved decision, whose machine checked the approver; the
    decision-maker is named (``by``). Only expiry happens without one: the date changes it.

Independence from the audit (ISO/IEC 17021-1 9.5.1.2) is not a ``who`` of these machines: the
services check it first, for everybody, and refuse with a ``ValidationError`` (code
``not_independent``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.lifecycle import SYSTEM, Machine, Move

from .models import (
    Certificate,
    CertificateAction,
    CertificateStatus,
    CertificateStatusChange,
    Decision,
    DecisionAction,
    DecisionEvent,
    DecisionStatus,
    ReviewAction,
    ReviewStatus,
    TechnicalReview,
    TechnicalReviewEvent,
)

STALE = gettext_noop(
    "Someone else changed this record since you opened it. Reload the page and make your changes again."
)

# --- technical review ----------------------------------------------------------------------------

REVIEW_MACHINE = Machine(
    model=TechnicalReview,
    event_model=TechnicalReviewEvent,
    subject_field="review",
    stale_message=STALE,
    wrong_status_message=gettext_noop("This technical review is concluded (%(status)s): it can no longer change."),
    moves=[
        Move(
            ReviewAction.PASS,
            [ReviewStatus.OPEN],
            ReviewStatus.PASSED,
            who="review",
            refused=gettext_noop("Only a reviewer assigned to this technical review may do this."),
            label=ReviewAction.PASS.label,
        ),
        Move(
            ReviewAction.NOT_PASS,
            [ReviewStatus.OPEN],
            ReviewStatus.NOT_PASSED,
            who="review",
            refused=gettext_noop("Only a reviewer assigned to this technical review may do this."),
            label=ReviewAction.NOT_PASS.label,
        ),
    ],
)

# --- decision ------------------------------------------------------------------------------------

APPROVAL_REFUSED = gettext_noop(
    "Only the general manager or a delegate holding the approval permission approves decisions."
)

DECISION_MACHINE = Machine(
    model=Decision,
    event_model=DecisionEvent,
    subject_field="decision",
    stale_message=STALE,
    wrong_status_message=gettext_noop("This decision is “%(status)s”: %(action)s is not possible now."),
    moves=[
        Move(
            DecisionAction.EVALUATE,
            [DecisionStatus.AWAITING_EVALUATION],
            DecisionStatus.AWAITING_APPROVAL,
            who="evaluate",
            refused=gettext_noop("Only a member of the certification committee evaluates a decision."),
            label=_("the committee's evaluation"),
        ),
        Move(
            DecisionAction.APPROVE,
            [DecisionStatus.AWAITING_APPROVAL],
            DecisionStatus.APPROVED,
            who="approve",
            refused=APPROVAL_REFUSED,
            label=_("the approval"),
        ),
        Move(
            DecisionAction.NOT_APPROVE,
            [DecisionStatus.AWAITING_APPROVAL],
            DecisionStatus.NOT_APPROVED,
            who="approve",
            refused=APPROVAL_REFUSED,
            label=_("the approval"),
        ),
    ],
)

# A decision in these statuses is still in progress (its committee has something to do).
DECISION_IN_PROGRESS: frozenset[str] = frozenset().union(*(move.sources for move in DECISION_MACHINE.moves))

# --- certificate ---------------------------------------------------------------------------------


def follows_a_decision(user: Any, certificate: Any) -> bool:
    """The move carries out an approved decision (its machine checked the approver): the
    decision-maker must be named."""
    return user is not None


C = CertificateStatus
NO_DECISION_MAKER = gettext_noop("Only expiry changes a certificate's status without a decision-maker.")

CERTIFICATE_MACHINE = Machine(
    model=Certificate,
    event_model=CertificateStatusChange,
    subject_field="certificate",
    version_field=None,
    wrong_status_message=gettext_noop("A certificate that is %(from)s cannot become %(to)s."),
    moves=[
        Move(
            CertificateAction.SUSPEND,
            [C.VALID],
            C.SUSPENDED,
            who=follows_a_decision,
            refused=NO_DECISION_MAKER,
            label=CertificateAction.SUSPEND.label,
        ),
        Move(
            CertificateAction.RESTORE,
            [C.SUSPENDED],
            C.VALID,
            who=follows_a_decision,
            refused=NO_DECISION_MAKER,
            label=CertificateAction.RESTORE.label,
        ),
        Move(
            CertificateAction.WITHDRAW,
            [C.VALID, C.SUSPENDED],
            C.WITHDRAWN,
            who=follows_a_decision,
            refused=NO_DECISION_MAKER,
            label=CertificateAction.WITHDRAW.label,
        ),
        # A renewal approved on or before the expiry day replaces the certificate even when the
        # daily job has already marked it expired.
        Move(
            CertificateAction.CANCEL,
            [C.VALID, C.SUSPENDED, C.EXPIRED],
            C.CANCELLED,
            who=follows_a_decision,
            refused=NO_DECISION_MAKER,
            label=CertificateAction.CANCEL.label,
        ),
        Move(
            CertificateAction.EXPIRE,
            [C.VALID, C.SUSPENDED],
            C.EXPIRED,
            who=SYSTEM,
            refused=gettext_noop("Only the date expires a certificate (the daily job)."),
            label=CertificateAction.EXPIRE.label,
        ),
    ],
)


def certificate_action_to(to_status: str) -> str | None:
    """The certificate machine's action that leads to ``to_status`` (each status has one)."""
    for move in CERTIFICATE_MACHINE.moves:
        if move.target == str(to_status):
            return move.action
    return None
