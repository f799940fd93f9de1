"""The auditor's decisions on the proposals, areas of concern, and the client's answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audits.models import Audit
from core.access import Role
from standards.models import Clause

from ..models import AreaOfConcern, DocumentVersion, ProposalDecision, ReviewProposal
from .review import may_review


def clause_of(standard_key: str, number: str) -> Clause | None:
    code, _sep, edition = standard_key.rpartition(":")
    if not (code and number):
        return None
    return Clause.objects.filter(standard__code=code, standard__edition=edition, number=number).first()


def evidence_text(proposal: ReviewProposal) -> str:
    version = proposal.review.version
    lines = [f"{version.document.title} v{version.number} ({version.original_name})"]
    for item in proposal.evidence:
        place = " ".join(
            filter(
                None, [f"p.{item['page']}" if item.get("page") else "", f"l.{item['line']}" if item.get("line") else ""]
            )
        )
        lines.append(f"{place}: {item['text']}".strip(": "))
    return "\n".join(lines)


def _decidable(proposal: ReviewProposal, by: User) -> ReviewProposal:
    if not may_review(by, proposal.review.version):
        raise PermissionDenied(_("Only the audit team may decide on the review's proposals."))
    locked = ReviewProposal.objects.select_for_update().select_related("review__version__document").get(pk=proposal.pk)
    if locked.decision != ProposalDecision.OPEN:
        raise ValidationError(_("This proposal has already been decided."), code="decided")
    return locked


@transaction.atomic
def stage1_proposal_confirm(*, proposal: ReviewProposal, by: User, text: str = "") -> AreaOfConcern:
    """The proposal becomes an area of concern of the stage 1 audit, with its clause and evidence."""
    locked = _decidable(proposal, by)
    concern = AreaOfConcern.objects.create(
        audit=locked.review.version.document.audit,
        clause=clause_of(locked.standard, locked.clause),
        text=text.strip() or locked.text,
        evidence=evidence_text(locked),
        proposal=locked,
        created_by=by,
    )
    locked.decision = ProposalDecision.CONFIRMED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    return concern


@transaction.atomic
def stage1_proposal_dismiss(*, proposal: ReviewProposal, by: User, reason: str) -> ReviewProposal:
    """Dismissed, with the reason kept."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is dismissed.")}, code="reason_required")
    locked = _decidable(proposal, by)
    locked.decision = ProposalDecision.DISMISSED
    locked.reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def stage1_concern_add(
    *, audit: Audit, by: User, text: str, clause: Clause | None = None, evidence: str = ""
) -> AreaOfConcern:
    """An area of concern written by hand."""
    if not Audit.objects.restrict(by, "change").filter(pk=audit.pk).exists():
        raise PermissionDenied(_("Only the audit team may raise areas of concern."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the area of concern.")}, code="required")
    return AreaOfConcern.objects.create(audit=audit, clause=clause, text=text.strip(), evidence=evidence, created_by=by)


@transaction.atomic
def stage1_concern_answer(
    *, concern: AreaOfConcern, by: User, answer: str, version: DocumentVersion | None = None
) -> AreaOfConcern:
    """The audited organisation answers an area of concern (and may name a corrected document)."""
    if by.role != Role.CLIENT or by.client_id != concern.audit.client_id:
        raise PermissionDenied(_("Only the audited organisation answers its areas of concern."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")}, code="required")
    if version is not None and version.document.audit_id != concern.audit_id:
        raise ValidationError({"version": _("That document belongs to another audit.")}, code="other_audit")
    locked = AreaOfConcern.objects.select_for_update().get(pk=concern.pk)
    locked.answer = answer.strip()
    locked.answered_by = by
    locked.answered_at = timezone.now()
    locked.answer_version = version
    locked.save(update_fields=["answer", "answered_by", "answered_at", "answer_version"])
    return locked
