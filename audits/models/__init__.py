"""The audits app's models, one module per concept (NetBox style).

* ``cb``: the certification body itself (``CertificationBody``, one row).
* ``programme``: a client's certification cycle (``AuditProgramme``).
* ``audit``: one audit (``Audit``) with its standards, audit-time adjustments, non-applicable
  clauses and status log (``AuditTransition``).
* ``team``: who audits (``TeamAssignment``) and who accompanies (``AccompanyingPerson``).
* ``plan``: the audit plan's itinerary (``PlanItem``), attachment 1 of the report.
* ``findings``: findings with their evidence files (``Finding``, ``FindingEvidence``) and the
  nonconformities raised from them (``Nonconformity``).
* ``nc_lifecycle``: an NC's way to closure — response rounds with evidence files, decisions,
  the status log, the CB's due-date rules and the reminders sent.
"""

from .audit import (
    Audit,
    AuditMethod,
    AuditPurpose,
    AuditStandard,
    AuditStatus,
    AuditTimeAdjustment,
    AuditTransition,
    AuditType,
    NonApplicableClause,
)
from .cb import CertificationBody, RoundingChoice, RuleSetChoice
from .findings import Finding, FindingEvidence, Nonconformity, NonconformityGrade, NonconformityStatus
from .nc_lifecycle import (  # noqa: F401 (the NC lifecycle: rounds, log, due-date rules, reminders)
    NonconformityDueRule,
    NonconformityEvidence,
    NonconformityReminder,
    NonconformityResponse,
    NonconformityTransition,
)
from .plan import PlanItem
from .programme import AuditProgramme
from .team import AccompanyingPerson, TeamAssignment, TeamRole

__all__ = [
    "AccompanyingPerson",
    "Audit",
    "AuditMethod",
    "AuditProgramme",
    "AuditPurpose",
    "AuditStandard",
    "AuditStatus",
    "AuditTimeAdjustment",
    "AuditTransition",
    "AuditType",
    "CertificationBody",
    "Finding",
    "FindingEvidence",
    "NonApplicableClause",
    "Nonconformity",
    "NonconformityGrade",
    "NonconformityStatus",
    "PlanItem",
    "RoundingChoice",
    "RuleSetChoice",
    "TeamAssignment",
    "TeamRole",
]
