"""The certification rules in action, one unit per lifecycle or sub-feature:

* ``review``: the technical review (评定) of an audit — reviewers, checklist, issues, conclusion.
* ``decision``: the committee's decision in two steps (evaluation, approval: part 十六) and
  part 十七's remarks.
* ``effects``: what an approved decision does to certificates, programme and audit (one effect
  per kind, named in ``certification.decision_types``).
* ``certificates``: issuing certificates (numbers, serials, sub-certificates) and changing their
  status.
* ``daily``: the daily job (expiry, committee flags) and resolving flags.
* ``independence``: ISO/IEC 17021-1 9.5.1.2 and who may be chosen for each step.

Every action takes keyword-only arguments and the acting user ``by``, runs in one transaction,
and refuses with ``PermissionDenied`` (who) or ``ValidationError`` with a ``code`` (what, when).
Status changes go through the machines of ``certification.lifecycle``, each writing its event
row; tracked models are saved one by one with ``_history_user`` so django-simple-history records
who changed what.

``from certification import services`` and ``services.<action>`` keep working: this package
re-exports the public API of its units.
"""

import datetime

from . import base
from .certificates import certificate_issue, certificate_status_change, certificates_release, next_serial
from .daily import DailyRun, certification_daily, flag_resolve
from .decision import decision_approve, decision_evaluate, decision_open, decision_remarks_save
from .effects import decision_effect
from .historical import (
    HistoricalCertificate,
    HistoricalCycle,
    certificate_import,
    decision_import,
    historical_cycle_import,
    review_import,
)
from .independence import (
    approval_refusal,
    eligible_approvers,
    eligible_evaluators,
    eligible_reviewers,
    independence_check,
    second_signature_check,
)
from .review import (
    review_answer,
    review_blockers,
    review_conclude,
    review_issue_raise,
    review_issue_resolve,
    review_issue_respond,
    review_open,
    reviewer_assign,
)
from .transfer import TransferFacts


def _today() -> datetime.date:
    """Today as the services see it (tests read it here and set it on ``base.today``)."""
    return base.today()


__all__ = [
    "DailyRun",
    "HistoricalCertificate",
    "HistoricalCycle",
    "TransferFacts",
    "approval_refusal",
    "certificate_import",
    "certificate_issue",
    "certificate_status_change",
    "certificates_release",
    "certification_daily",
    "decision_approve",
    "decision_effect",
    "decision_evaluate",
    "decision_import",
    "decision_open",
    "decision_remarks_save",
    "eligible_approvers",
    "eligible_evaluators",
    "eligible_reviewers",
    "flag_resolve",
    "historical_cycle_import",
    "independence_check",
    "next_serial",
    "review_answer",
    "review_blockers",
    "review_conclude",
    "review_import",
    "review_issue_raise",
    "review_issue_resolve",
    "review_issue_respond",
    "review_open",
    "reviewer_assign",
    "second_signature_check",
]
