from .documents import DocumentVersion, Stage1Document, Stage1DocumentQuerySet, stage1_document_path
from .review import AreaOfConcern, DocumentReview, ProposalChange, ProposalDecision, ReviewProposal, ReviewStatus

__all__ = [
    "AreaOfConcern",
    "DocumentReview",
    "DocumentVersion",
    "ProposalChange",
    "ProposalDecision",
    "ReviewProposal",
    "ReviewStatus",
    "Stage1Document",
    "Stage1DocumentQuerySet",
    "stage1_document_path",
]
