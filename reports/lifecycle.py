"""The audit report's lifecycle, declared once (DESIGN.md, "Lifecycles"); ``core.lifecycle`` moves it.

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen──▶ reopened
      ▲                  │                                          │
      └──── returned ◀───┘ return (comments per topic)   submit ◀───┘   (returned: submit too)

Who: a member of the audit's team (the leader included) submits the report to the team leader
(DESIGN.md: "submitted to team leader"); only the team leader returns, approves and reopens.
Writing (topics, choices, assignments) is possible in draft, returned and reopened only
(``EDITABLE_STATUSES``); an approved report is locked, and reopening it is refused once the
audit has gone past "report approved" (the move's guard). Each move writes a ``ReportEvent`` and
the audit follows through ``audits.services.audit_follow`` (``reports.services``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from audits.lifecycle import AUDIT_MACHINE
from core.lifecycle import Machine, Move

from .models import Report, ReportEvent, ReportEventAction, ReportStatus
from .rules import is_leader, team_assignment_of

S = ReportStatus
A = ReportEventAction

LEADER_ONLY = gettext_noop("Only the audit's team leader may do this.")
TEAM_ONLY = gettext_noop("Only members of the audit team may write its report.")


def team_member(user: Any, report: Report) -> bool:
    """A member of the report's audit team (auditor, expert or leader)."""
    return user is not None and team_assignment_of(audit=report.audit, user=user) is not None


def team_leader(user: Any, report: Report) -> bool:
    """The team leader of the report's audit."""
    return user is not None and is_leader(audit=report.audit, user=user)


def audit_still_at_report_approval(report: Report) -> ValidationError | None:
    """Reopening is refused once the audit has gone past "report approved" (its NCs closed, the
    technical review, the decision): the audit could not follow the report back to drafting, so
    the reopened report could never be approved again, and the committee and the client would
    lose sight of the report they rely on. A correction after issue is an issued version's
    correction, with its reason (``reports.versions``)."""
    audit = report.audit
    if audit.status in AUDIT_MACHINE["report_reopened"].sources:
        return None
    return ValidationError(
        gettext(
            "The audit is now “%(status)s”: past the approval of its report, the report can no longer be "
            "reopened. To correct an issued report, issue a corrected version and give the reason."
        )
        % {"status": audit.get_status_display()},
        code="past_report_approval",
    )


REPORT_MACHINE = Machine(
    model=Report,
    event_model=ReportEvent,
    subject_field="report",
    version_field=None,  # concurrent edits are caught per topic and per choices form, not here
    wrong_status_message=gettext_noop("The report is now “%(status)s”: “%(action)s” is not possible."),
    moves=[
        Move(
            A.SUBMIT,
            [S.DRAFT, S.RETURNED, S.REOPENED],
            S.SUBMITTED,
            who=team_member,
            refused=TEAM_ONLY,
            label=_("Submit to the team leader"),
        ),
        Move(
            A.RETURN, [S.SUBMITTED], S.RETURNED, who=team_leader, refused=LEADER_ONLY, label=_("Return with comments")
        ),
        Move(A.APPROVE, [S.SUBMITTED], S.APPROVED, who=team_leader, refused=LEADER_ONLY, label=_("Approve")),
        Move(
            A.REOPEN,
            [S.APPROVED],
            S.REOPENED,
            who=team_leader,
            refused=LEADER_ONLY,
            label=_("Reopen"),
            guard=audit_still_at_report_approval,
        ),
    ],
)
