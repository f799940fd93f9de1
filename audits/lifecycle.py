"""The audit's lifecycle, declared once (DESIGN.md, "Lifecycles"); ``core.lifecycle`` moves it.

    planned ─start─▶ in progress ─report_started─▶ report drafted ─report_submitted─▶ submitted
       │                  └──────────report_submitted───────────────────────────────▶ │
       └─cancel─▶ cancelled          report drafted ◀─report_returned────────────────┤
                                     report drafted ◀─report_reopened── approved ◀─report_approved
    approved ─ncs_closed─▶ NCs closed;  approved / NCs closed ─review_opened─▶ technical review
    technical review ─decided─▶ decided ─closed─▶ closed

``start`` and ``cancel`` are people's decisions and check who. The other moves follow a move of
another record (the report, the nonconformities, the certification decision) whose own machine
has already checked its actor (a signed-in user, or the system: ``None``); they are taken through
``audits.services.audit_move`` and ``audit_follow``, never by editing ``Audit.status``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.access import Role
from core.lifecycle import Machine, Move

from .models import Audit, AuditStatus, AuditTransition
from .rules import stage_2_refusals

S = AuditStatus


def leader_or_cb_admin(user: Any, audit: Audit) -> bool:
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.CB_ADMIN or Audit.objects.restrict(user, "lead").filter(pk=audit.pk).exists()


def cb_admin(user: Any, audit: Audit) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN)


def follows_another_record(user: Any, audit: Audit) -> bool:
    """The move is the consequence of another record's move, whose machine checked the actor: a
    signed-in, active user, or the system (``None``). Nobody else can have moved that record."""
    return user is None or bool(user.is_authenticated and user.is_active)


AUDIT_MACHINE = Machine(
    model=Audit,
    event_model=AuditTransition,
    subject_field="audit",
    wrong_status_message=gettext_noop("An audit that is %(from)s cannot become %(to)s."),
    moves=[
        Move(
            "start",
            [S.PLANNED],
            S.IN_PROGRESS,
            who=leader_or_cb_admin,
            refused=gettext_noop("Only the audit's team leader or a CB administrator may start the audit."),
            label=_("Start the audit"),
        ),
        Move(
            "cancel",
            [S.PLANNED],
            S.CANCELLED,
            who=cb_admin,
            refused=gettext_noop("Only a CB administrator may plan audits."),
            label=_("Cancel the audit"),
        ),
        Move(
            "report_started", [S.IN_PROGRESS], S.REPORT_DRAFTED, who=follows_another_record, label=_("Report started")
        ),
        Move(
            "report_submitted",
            [S.IN_PROGRESS, S.REPORT_DRAFTED],
            S.SUBMITTED,
            who=follows_another_record,
            label=_("Report submitted"),
        ),
        Move(
            "report_returned", [S.SUBMITTED], S.REPORT_DRAFTED, who=follows_another_record, label=_("Report returned")
        ),
        Move("report_approved", [S.SUBMITTED], S.APPROVED, who=follows_another_record, label=_("Report approved")),
        Move("report_reopened", [S.APPROVED], S.REPORT_DRAFTED, who=follows_another_record, label=_("Report reopened")),
        Move("ncs_closed", [S.APPROVED], S.NCS_CLOSED, who=follows_another_record, label=_("Nonconformities closed")),
        Move(
            "review_opened",
            [S.APPROVED, S.NCS_CLOSED],
            S.TECHNICAL_REVIEW,
            who=follows_another_record,
            label=_("Technical review opened"),
        ),
        Move("decided", [S.TECHNICAL_REVIEW], S.DECIDED, who=follows_another_record, label=_("Decided")),
        Move("closed", [S.DECIDED], S.CLOSED, who=follows_another_record, label=_("Closed")),
        # An appeal upheld against the decision (ISO/IEC 17021-1 9.7): the audit waits for its new
        # decision again, which goes through the normal decision path (complaints.services).
        Move(
            "reopened_on_appeal",
            [S.DECIDED],
            S.TECHNICAL_REVIEW,
            who=follows_another_record,
            label=_("Reopened for a new decision after an appeal"),
        ),
    ],
)


def stage_2_gate(locked: Audit) -> None:
    """Guard of ``start``: a stage 2 starts only after its programme's stage 1 was approved with
    the conclusion "ready for stage 2", within the CB's interval (ISO/IEC 17021-1 9.3.1.1–9.3.1.2;
    ``audits.rules.stage_2_refusals``).

    Why ``start`` and not the plan: the machine has no separate "plan confirmed/issued" move. A
    planned audit is still the CB's schedule (a CB books stage 2 dates while stage 1 is being
    reported, and the plan's dates are checked against stage 1 when it is saved); ``start`` is the
    act that sends the team on site and opens the report, which is what 9.3.1 forbids before a
    completed stage 1."""
    refusals = stage_2_refusals(locked)
    if refusals:
        raise ValidationError([ValidationError(message, code="stage_1_not_ready") for message in refusals])


# Rules a move checks on the locked row, besides who and from which status (``audit_move`` runs
# them through ``Machine.move``'s ``on_locked``).
GUARDS: dict[str, Callable[[Audit], None]] = {"start": stage_2_gate}
