"""The nonconformity's way to closure, enforced here and nowhere else (views, the portal, the demo
call these functions): the client's response rounds, the auditor's verification, the team
leader's closure, and the audit's move once its NCs allow it.

The machine (who may move an NC from which status) is ``findings.lifecycle.NC_MACHINE``. Each
move locks the NC, checks the status (and the version the actor saw), writes the NC, the round's
decision and a ``NonconformityTransition`` row in one transaction. A client's answer is a new
``NonconformityResponse`` round; nothing is overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits.models import Audit, AuditStatus
from audits.services import audit_move
from clients.uploads import check_document
from core.history import set_history_user
from core.notes import NoteMessage

from .. import selectors
from ..lifecycle import NC_MACHINE
from ..models import (
    ClosureDecision,
    Nonconformity,
    NonconformityAction,
    NonconformityEvidence,
    NonconformityGrade,
    NonconformityResponse,
    NonconformityTransition,
    VerificationDecision,
    VerificationMethod,
)

NCS_CLOSED_NOTE = NoteMessage(
    gettext_noop("Every major nonconformity is closed and every minor one has an accepted action plan.")
)

if TYPE_CHECKING:
    from accounts.models import User
    from core.lifecycle import LifecycleEvent

MAX_FILES_PER_ROUND = 10


def _require(*, nc: Nonconformity, action: str, by: User) -> None:
    """Refuse an actor who may not take ``action`` on ``nc`` at all (whatever its status)."""
    NC_MACHINE.require(by, nc, action)


def _move_on_round(
    *,
    nc: Nonconformity,
    action: str,
    by: User,
    version: int | None = None,
    note: str = "",
    decide: Callable[[NonconformityResponse], None],
) -> tuple[Nonconformity, NonconformityResponse]:
    """Move the NC and record the decision on its current round (``decide(response)``), the
    event row naming that round."""

    def on_locked(locked: Nonconformity) -> dict[str, Any]:
        response = _current_round(locked)
        decide(response)
        set_history_user(response, by)
        response.save()
        return {"response": response}

    locked, transition = NC_MACHINE.move(nc, action, by=by, version=version, note=note, on_locked=on_locked)
    return locked, _round_of(transition)


def _round_of(transition: LifecycleEvent) -> NonconformityResponse:
    """The round an NC move's event row names: the moves on a round always write it."""
    response = cast(NonconformityTransition, transition).response
    if response is None:
        raise RuntimeError(f"{transition!r} names no response round.")
    return response


def _current_round(nc: Nonconformity) -> NonconformityResponse:
    """The round the decision is on: an NC the client has answered always has one."""
    return nc.responses.latest("round")


# --- the client's response -------------------------------------------------------------------


@transaction.atomic
def nc_evidence_add(*, response: NonconformityResponse, uploaded_file: UploadedFile, by: User) -> NonconformityEvidence:
    """Attach an evidence file to a round (type and size checked on name and content)."""
    checked = check_document(uploaded_file)
    evidence = NonconformityEvidence(
        response=response,
        original_name=os.path.basename(checked.name)[:255],
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by,
    )
    evidence.file.save(checked.name, uploaded_file, save=False)
    set_history_user(evidence, by)
    evidence.save()
    return evidence


@transaction.atomic
def nonconformity_respond(
    *,
    nc: Nonconformity,
    by: User,
    correction: str,
    root_cause: str,
    corrective_action: str,
    files: Iterable[UploadedFile] = (),
    version: int | None = None,
) -> NonconformityResponse:
    """The client answers an open or returned NC: a new round with its evidence files."""
    _require(nc=nc, action=NonconformityAction.RESPOND, by=by)
    errors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for field, value, message in (
        ("correction", correction, _("Describe the correction.")),
        ("root_cause", root_cause, _("Give the root-cause analysis.")),
        ("corrective_action", corrective_action, _("Describe the corrective action.")),
    ):
        value = (value or "").strip()
        if value:
            texts[field] = value
        else:
            errors[field] = [message]
    files = list(files or ())
    if len(files) > MAX_FILES_PER_ROUND:
        errors["files"] = [_("At most %(n)s files per response.") % {"n": MAX_FILES_PER_ROUND}]
    if errors:
        raise ValidationError(errors)

    def new_round(locked: Nonconformity) -> dict[str, Any]:
        number = (locked.responses.aggregate(m=Max("round"))["m"] or 0) + 1
        response = NonconformityResponse(nc=locked, round=number, submitted_by=by, **texts)
        set_history_user(response, by)
        response.save()
        return {"response": response}

    _locked, transition = NC_MACHINE.move(nc, NonconformityAction.RESPOND, by=by, version=version, on_locked=new_round)
    response = _round_of(transition)
    for uploaded in files:
        nc_evidence_add(response=response, uploaded_file=uploaded, by=by)
    return response


# --- the auditor's verification ---------------------------------------------------------------


@transaction.atomic
def nonconformity_accept(
    *, nc: Nonconformity, by: User, method: str, note: str = "", version: int | None = None
) -> NonconformityResponse:
    """The auditor accepts the current round: its correction and corrective action are
    effective (or, for a minor, the action plan is acceptable and will be verified at the next
    audit)."""
    _require(nc=nc, action=NonconformityAction.ACCEPT, by=by)
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Choose how the response was verified.")})
    if method == VerificationMethod.NEXT_AUDIT and nc.grade == NonconformityGrade.MAJOR:
        raise ValidationError({"method": _("A major nonconformity must be verified now, not at the next audit.")})
    note = (note or "").strip()

    def accepted(response: NonconformityResponse) -> None:
        response.verification = VerificationDecision.ACCEPTED
        response.verification_method = method
        response.verification_note = note
        response.verified_by, response.verified_at = by, timezone.now()
        response.closure = ClosureDecision.PENDING

    locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.ACCEPT, by=by, version=version, note=note, decide=accepted
    )
    _advance_audit_if_ready(audit=locked.audit, by=by)
    return response


@transaction.atomic
def nonconformity_reject(
    *, nc: Nonconformity, by: User, reason: str, version: int | None = None
) -> NonconformityResponse:
    """The auditor rejects the current round; the NC goes back to the client with the reason."""
    _require(nc=nc, action=NonconformityAction.REJECT, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the response is rejected: the client reads it.")})

    def rejected(response: NonconformityResponse) -> None:
        response.verification = VerificationDecision.REJECTED
        response.verification_note = reason
        response.verified_by, response.verified_at = by, timezone.now()

    _locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.REJECT, by=by, version=version, note=reason, decide=rejected
    )
    return response


# --- the team leader's closure -------------------------------------------------------------------


@transaction.atomic
def nonconformity_close(
    *, nc: Nonconformity, by: User, note: str = "", version: int | None = None
) -> NonconformityResponse:
    """The team leader approves the closure of a verified NC."""
    note = (note or "").strip()

    def approved(response: NonconformityResponse) -> None:
        response.closure = ClosureDecision.APPROVED
        response.closure_note = note
        response.closure_by, response.closure_at = by, timezone.now()

    locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.CLOSE, by=by, version=version, note=note, decide=approved
    )
    _advance_audit_if_ready(audit=locked.audit, by=by)
    return response


@transaction.atomic
def nonconformity_reject_closure(
    *, nc: Nonconformity, by: User, reason: str, version: int | None = None
) -> NonconformityResponse:
    """The team leader refuses the closure: the NC goes back to the client with the reason."""
    _require(nc=nc, action=NonconformityAction.REJECT_CLOSURE, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the closure is rejected: the client reads it.")})

    def refused(response: NonconformityResponse) -> None:
        response.closure = ClosureDecision.REJECTED
        response.closure_note = reason
        response.closure_by, response.closure_at = by, timezone.now()

    _locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.REJECT_CLOSURE, by=by, version=version, note=reason, decide=refused
    )
    return response


# --- the audit moves on when its NCs allow ---------------------------------------------------------


def _advance_audit_if_ready(*, audit: Audit, by: User) -> bool:
    """Report approved and every major closed, every minor at least accepted: the audit
    becomes "nonconformities closed" (DESIGN.md audit lifecycle), logged as any audit move."""
    status = Audit.objects.values_list("status", flat=True).get(pk=audit.pk)
    if status != AuditStatus.APPROVED:
        return False
    if not selectors.audit_nc_readiness(audit=audit).ready:
        return False
    audit_move(
        audit=audit,
        action="ncs_closed",
        by=by,
        note=NCS_CLOSED_NOTE.text(),
    )
    return True
