"""Certification (parts 十五–十七 of the report made real): technical review, the committee's
two-step decision, certificates with the regulator's status codes, and what the daily job
flags to the committee.

* ``reference``: the CB's certification policy (number pattern, size bands, validity,
  suspension limit), the suspension/withdrawal reason codes, the committee members' competence.
* ``review``: the technical review (评定) of one audit — reviewers, checklist answers, issues.
* ``decision``: one decision (grant, renew, suspend …) — evaluation, then approval, part 十七.
* ``certificate``: certificates, their numbers' serials, every status change, the PDF versions.
* ``flags``: what the daily job proposes to the committee; a person decides.
"""

from .certificate import (  # noqa: F401
    Certificate,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    CertificateVersion,
    SizeBand,
)
from .decision import (  # noqa: F401
    ApprovalConclusion,
    Decision,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
)
from .flags import CommitteeFlag, FlagKind  # noqa: F401
from .reference import (  # noqa: F401
    CertificationPolicy,
    CommitteeProfile,
    ReasonKind,
    StatusReason,
)
from .review import (  # noqa: F401
    CHECKLIST,
    ChecklistAnswer,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    ReviewStatus,
    TechnicalReview,
)
