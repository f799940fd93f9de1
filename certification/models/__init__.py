"""Certification (parts 十五–十七 of the report made real): technical review, the committee's
two-step decision, certificates with the regulator's status codes, and what the daily job
flags to the committee.

* ``reference``: the CB's certification policy (number pattern, size bands, validity,
  suspension limit), the suspension/withdrawal reason codes, the committee members' competence.
* ``review``: the technical review (评定) of one audit — reviewers, checklist answers, issues,
  its status changes.
* ``decision``: one decision (grant, renew, suspend …) — evaluation, then approval, part 十七,
  its status changes.
* ``certificate``: certificates, their numbers' serials, every status change, the PDF versions.
* ``pdf_job``: the progress of a certificate's PDFs after an approval (queued … ready/failed).
* ``flags``: what the daily job proposes to the committee; a person decides.
* ``access``: who may see and act on decisions, reviews, issues and flags (their ``restrict()``).
"""

from .certificate import (  # noqa: F401
    Certificate,
    CertificateAction,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    CertificateVersion,
    SizeBand,
)
from .decision import (  # noqa: F401
    ApprovalConclusion,
    Decision,
    DecisionAction,
    DecisionEvent,
    DecisionScope,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    OpenDecisionOnCertificate,
)
from .flags import CommitteeFlag, FlagKind  # noqa: F401
from .pdf_job import CertificatePdfJob  # noqa: F401
from .reference import (  # noqa: F401
    CertificationPolicy,
    CommitteeProfile,
    ReasonKind,
    StatusReason,
)
from .review import (  # noqa: F401
    CHECKLIST,
    ChecklistAnswer,
    ReviewAction,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
    TechnicalReviewEvent,
)
