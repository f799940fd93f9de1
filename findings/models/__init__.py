"""The findings app's models, one module per concept.

* ``finding``: findings with their evidence files (``Finding``, ``FindingEvidence``).
* ``nonconformity``: the nonconformities raised from them (``Nonconformity``), their grades,
  statuses and who may see and move them.
* ``rounds``: an NC's way to closure — the client's response rounds with evidence files, the
  decisions on each round and the status log (``NonconformityTransition``).
* ``due_dates``: the CB's due-date rules and the reminders sent.

The tables keep the names they had in the audits app, where these models were first kept.
"""

from .due_dates import REMINDER_STEP_LABELS, NonconformityDueRule, NonconformityReminder
from .finding import Finding, FindingEvidence
from .nonconformity import Nonconformity, NonconformityGrade, NonconformityStatus, restrict_nonconformities
from .rounds import (
    ClosureDecision,
    NonconformityAction,
    NonconformityEvidence,
    NonconformityResponse,
    NonconformityTransition,
    VerificationDecision,
    VerificationMethod,
)

__all__ = [
    "REMINDER_STEP_LABELS",
    "ClosureDecision",
    "Finding",
    "FindingEvidence",
    "Nonconformity",
    "NonconformityAction",
    "NonconformityDueRule",
    "NonconformityEvidence",
    "NonconformityGrade",
    "NonconformityReminder",
    "NonconformityResponse",
    "NonconformityStatus",
    "NonconformityTransition",
    "VerificationDecision",
    "VerificationMethod",
    "restrict_nonconformities",
]
