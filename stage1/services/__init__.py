"""Every write of the stage 1 app (``<entity>_<action>(*, …, by)``, ``@transaction.atomic``)."""

from .concerns import stage1_concern_add, stage1_concern_answer, stage1_proposal_confirm, stage1_proposal_dismiss
from .documents import stage1_document_upload
from .review import stage1_review_request, stage1_review_run

__all__ = [
    "stage1_concern_add",
    "stage1_concern_answer",
    "stage1_document_upload",
    "stage1_proposal_confirm",
    "stage1_proposal_dismiss",
    "stage1_review_request",
    "stage1_review_run",
]
