"""The review of a document version, run as a Celery job with its progress shown.

``stage1_review_request`` writes the job row and queues the task after commit; the task calls
``stage1_review_run``, which claims the row (queued → running), records its progress, and stores
the outline and the proposals, compared with the review of the document's previous version.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from clients.models import Department
from standards.models import Standard

from ..analysis import Review, UnreadableDocument, analyse
from ..models import DocumentReview, DocumentVersion, ProposalChange, ReviewProposal, ReviewStatus, Stage1Document
from ..selectors import catalogue_from_db

logger = logging.getLogger(__name__)


def may_review(user: User, version: DocumentVersion) -> bool:
    return Stage1Document.objects.restrict(user, "review").filter(pk=version.document_id).exists()


@transaction.atomic
def stage1_review_request(
    *, version: DocumentVersion, by: User, standards: list[Standard] | None = None
) -> DocumentReview:
    """Queue the review of ``version`` against ``standards`` (default: the audit's)."""
    if not may_review(by, version):
        raise PermissionDenied(_("Only the audit team may review the client's documents."))
    review = DocumentReview.objects.create(version=version, requested_by=by)
    review.standards.set(standards if standards is not None else version.document.audit.standards.all())
    transaction.on_commit(lambda: _enqueue(review.pk))
    return review


def _enqueue(review_id: int) -> None:
    from ..tasks import run_document_review  # the task module imports this one

    try:
        run_document_review.delay(review_id)
    except Exception:
        logger.exception("stage 1 review %s could not be queued", review_id)
        DocumentReview.objects.filter(pk=review_id, status=ReviewStatus.QUEUED).update(
            status=ReviewStatus.FAILED, message=gettext_noop("The review could not be queued; try again later.")
        )


def stage1_review_run(*, review_id: int) -> DocumentReview | None:
    """The task's body: not one transaction, since its progress is committed as it goes."""
    claimed = DocumentReview.objects.filter(pk=review_id, status=ReviewStatus.QUEUED).update(
        status=ReviewStatus.RUNNING, progress=5
    )
    if not claimed:
        return None  # already run, or being run by another worker
    review = DocumentReview.objects.select_related("version__document__audit").get(pk=review_id)
    version = review.version

    def progress(percent: int) -> None:
        DocumentReview.objects.filter(pk=review_id, status=ReviewStatus.RUNNING).update(progress=percent)

    try:
        with version.file.open("rb") as stored:
            data = stored.read()
        departments = [
            name
            for d in Department.objects.filter(client_id=version.document.audit.client_id)
            for name in (d.name_zh, d.name_en)
            if name
        ]
        result = analyse(
            version.original_name,
            data,
            [str(s) for s in review.standards.all()],
            catalogue=catalogue_from_db(),
            departments=departments or None,
            progress=progress,
        )
    except UnreadableDocument as refused:
        _fail(review_id, refused.message)
        return DocumentReview.objects.get(pk=review_id)
    except Exception:
        logger.exception("stage 1 review %s failed", review_id)
        _fail(review_id, gettext_noop("The document could not be analysed."))
        raise
    return _store(review_id, result)


def _fail(review_id: int, message: str) -> None:
    DocumentReview.objects.filter(pk=review_id).update(
        status=ReviewStatus.FAILED, message=message, finished_at=timezone.now()
    )


def previous_review(review: DocumentReview) -> DocumentReview | None:
    """The last finished review of an earlier version of the same document."""
    return (
        DocumentReview.objects.filter(
            version__document_id=review.version.document_id,
            version__number__lt=review.version.number,
            status=ReviewStatus.DONE,
        )
        .order_by("-version__number", "-requested_at", "-pk")
        .first()
    )


@transaction.atomic
def _store(review_id: int, result: Review) -> DocumentReview:
    review = DocumentReview.objects.select_for_update().select_related("version").get(pk=review_id)
    previous = previous_review(review)
    before: dict[str, ReviewProposal] = {}
    if previous is not None:
        before = {p.key: p for p in previous.proposals.all()}
    keys = {p.key for p in result.proposals}
    ReviewProposal.objects.bulk_create(
        ReviewProposal(
            review=review,
            position=position,
            kind=p.kind,
            clause=p.clause[:40],
            standard=p.standard[:80],
            template=p.message,
            params=p.params,
            evidence=[e.as_dict() for e in p.evidence],
            key=p.key[:400],
            change=(
                ProposalChange.FIRST
                if previous is None
                else ProposalChange.UNCHANGED
                if p.key in before
                else ProposalChange.NEW
            ),
        )
        for position, p in enumerate(result.proposals)
    )
    data: dict[str, Any] = result.as_dict()
    review.outline = data["outline"]
    review.matrices = data["matrices"]
    review.previous = previous
    review.resolved = [
        {"kind": p.kind, "clause": p.clause, "template": p.template, "params": p.params}
        for key, p in before.items()
        if key not in keys
    ]
    review.status = ReviewStatus.DONE
    review.progress = 100
    review.finished_at = timezone.now()
    review.save()
    return review
