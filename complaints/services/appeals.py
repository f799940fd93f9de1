"""The appeal's actions (ISO/IEC 17021-1 9.7). Every write is one transaction; status changes go
through ``APPEAL_MACHINE``. The record keeps who handled each step (9.7.4: no discriminatory
action against the appellant; the event rows show who did what)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from certification.models import Decision, DecisionStatus

from ..lifecycle import APPEAL_MACHINE
from ..models import Appeal, AppealAction, AppealOutcome, AppealStatus, ComplaintPolicy
from ..rules import appeal_in_time, due
from .common import invalid, next_reference, require_admin, text, today
from .independence import handler_check


@transaction.atomic
def appeal_submit(*, decision: Decision, grounds: str, by: Any) -> Appeal:
    """A client user appeals an approved certification decision on its own organisation, within
    the CB's appeal window; one open appeal per decision."""
    if by is None or not getattr(by, "client_id", None) or by.client_id != decision.client_id:
        raise PermissionDenied(_("Only a user of the organisation decided on may appeal its decision."))
    grounds = text(grounds, "grounds", _("Give the grounds of your appeal."))
    if decision.status != DecisionStatus.APPROVED:
        raise invalid({"decision": _("Only an approved decision can be appealed.")}, code="not_decided")
    ComplaintPolicy.objects.ensure()
    rules = ComplaintPolicy.objects.select_for_update().get(key=1)
    received = today()
    if not appeal_in_time(decided_on=decision.approved_on, today=received, window_days=rules.appeal_window_days):
        raise invalid(
            {
                "decision": _("The time to appeal this decision (%(days)s days) has passed.")
                % {"days": rules.appeal_window_days}
            },
            code="too_late",
        )
    if Appeal.objects.filter(decision=decision).exclude(status=AppealStatus.CLOSED).exists():
        raise invalid({"decision": _("This decision is already under appeal.")}, code="already_appealed")
    appeal = Appeal(
        reference=next_reference(Appeal, "AP", received.year),
        client_id=decision.client_id,
        decision=decision,
        grounds=grounds,
        submitted_by=by,
        received_on=received,
        answer_due_on=due(received, rules.appeal_days),
    )
    appeal.save()
    APPEAL_MACHINE.record_creation(appeal, by=by)
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, reviewer: Any, by: Any) -> Appeal:
    """Assign the reviewer: not involved in the decision appealed (the rule, no bypass)."""
    require_admin(by)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.status not in (AppealStatus.RECEIVED, AppealStatus.REVIEW):
        raise invalid(_("A reviewer is assigned before the appeal is decided."), code="wrong_status")
    if reviewer is None or getattr(reviewer, "client_id", None) or not reviewer.is_active:
        raise invalid({"reviewer": _("Choose an active member of the CB's staff.")}, code="invalid")
    handler_check(record=locked, user=reviewer)
    locked.reviewer = reviewer
    locked.version += 1
    locked.save(update_fields=["reviewer", "version"])
    appeal.refresh_from_db()
    return locked


def _move(appeal: Appeal, action: str, by: Any, note: str = "", on_locked: Any = None, **changes: Any) -> Appeal:
    locked, _event = APPEAL_MACHINE.move(appeal, action, by=by, note=note, changes=changes, on_locked=on_locked)
    return locked


@transaction.atomic
def appeal_review(*, appeal: Appeal, by: Any) -> Appeal:
    return _move(appeal, AppealAction.REVIEW, by)


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: Any, outcome: str, findings: str) -> Appeal:
    """The reviewer's decision: the decision appealed is upheld, or it is to be changed (the new
    decision then goes through the normal decision path: ``appeal_open_decision``)."""
    findings = text(findings, "findings", _("Record the review's findings."))
    if outcome not in AppealOutcome.values:
        raise invalid({"outcome": _("Choose the outcome.")}, code="invalid")

    def independent(locked: Appeal) -> None:
        handler_check(record=locked, user=by)

    return _move(appeal, AppealAction.DECIDE, by, findings, on_locked=independent, outcome=outcome, findings=findings)


@transaction.atomic
def appeal_answer(*, appeal: Appeal, by: Any, answer_text: str) -> Appeal:
    """The appellant is told (9.7.7). A changed decision is answered once its new decision exists."""
    answer_text = text(answer_text, "answer_text", _("Write the answer sent to the appellant."))

    def new_decision_opened(locked: Appeal) -> None:
        if locked.outcome == AppealOutcome.CHANGED and locked.new_decision_id is None:
            raise invalid(
                _("The decision is to be changed: open the new certification decision first."), code="no_new_decision"
            )

    return _move(
        appeal,
        AppealAction.ANSWER,
        by,
        answer_text,
        on_locked=new_decision_opened,
        answer_text=answer_text,
        answered_on=today(),
    )


@transaction.atomic
def appeal_close(*, appeal: Appeal, by: Any, note: str = "") -> Appeal:
    return _move(appeal, AppealAction.CLOSE, by, note, closed_on=today())
