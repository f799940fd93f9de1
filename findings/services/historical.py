"""Historical records of nonconformities: an NC a CB closed before it used this product, entered
with the real dates of the client's answer, the verification and the closure.

The round is written once, marked as imported (``core.imported``), and the NC moves open →
closed by the machine's ``record_past_closure`` move (a CB administrator only): nobody answers,
verifies or approves anything again today.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.dates import local_today
from core.history import set_history_user
from core.imported import import_marks, on_day

from ..lifecycle import NC_MACHINE
from ..models import (
    ClosureDecision,
    Nonconformity,
    NonconformityAction,
    NonconformityResponse,
    VerificationDecision,
    VerificationMethod,
)
from .closure import _advance_audit_if_ready

if TYPE_CHECKING:
    from accounts.models import User


def _check_past_closure_dates(
    *, nc: Nonconformity, responded_on: datetime.date, verified_on: datetime.date, closed_on: datetime.date
) -> None:
    errors: dict[str, str] = {}
    if responded_on < nc.audit.start_date:
        errors["responded_on"] = _("The client cannot have answered before the audit began.")
    if verified_on < responded_on:
        errors["verified_on"] = _("The verification cannot come before the client's answer.")
    if closed_on < verified_on:
        errors["closed_on"] = _("The closure cannot come before the verification.")
    if closed_on > local_today():
        errors["closed_on"] = _("A historical record is in the past: this date is in the future.")
    if errors:
        raise ValidationError(errors, code="dates_out_of_order")


@transaction.atomic
def nonconformity_record_past_closure(
    *,
    nc: Nonconformity,
    by: User,
    correction: str,
    root_cause: str,
    corrective_action: str,
    responded_on: datetime.date,
    verified_on: datetime.date,
    closed_on: datetime.date,
    verification_method: str = VerificationMethod.DOCUMENTS,
    verification_note: str = "",
    closure_note: str = "",
    verified_by: User | None = None,
    closed_by: User | None = None,
    source: str = "",
) -> NonconformityResponse:
    """Enter the closure of an open NC as it happened before the product: one round, with the
    client's answer and the verification and closure on their real days, marked as imported."""
    NC_MACHINE.require(by, nc, NonconformityAction.RECORD_PAST_CLOSURE)
    texts = {
        "correction": (correction or "").strip(),
        "root_cause": (root_cause or "").strip(),
        "corrective_action": (corrective_action or "").strip(),
    }
    missing = {name: _("This field is required.") for name, value in texts.items() if not value}
    if missing:
        raise ValidationError(missing, code="required")
    if verification_method not in VerificationMethod.values:
        raise ValidationError({"verification_method": _("Choose how the response was verified.")})
    _check_past_closure_dates(nc=nc, responded_on=responded_on, verified_on=verified_on, closed_on=closed_on)
    note = _("Historical record: closed on %(day)s (imported).") % {"day": closed_on.isoformat()}

    def past_round(locked: Nonconformity) -> dict[str, Any]:
        if locked.responses.exists():
            raise ValidationError(
                _("This nonconformity already has a response in this product: it is not a historical record."),
                code="duplicate",
            )
        response = NonconformityResponse(
            nc=locked,
            round=1,
            submitted_at=on_day(responded_on),
            verification=VerificationDecision.ACCEPTED,
            verification_method=verification_method,
            verification_note=(verification_note or "").strip(),
            verified_by=verified_by,
            verified_at=on_day(verified_on),
            closure=ClosureDecision.APPROVED,
            closure_note=(closure_note or "").strip(),
            closure_by=closed_by,
            closure_at=on_day(closed_on),
            **texts,
            **import_marks(by=by, source=source),
        )
        set_history_user(response, by)
        response.save()
        return {"response": response}

    locked, transition = NC_MACHINE.move(
        nc, NonconformityAction.RECORD_PAST_CLOSURE, by=by, note=note, on_locked=past_round
    )
    _advance_audit_if_ready(audit=locked.audit, by=by)
    return transition.response  # type: ignore[attr-defined]  # NonconformityTransition's round
