"""The audits app's models, one module per concept (NetBox style).

* ``cb``: the certification body itself (``CertificationBody``, one row).
* ``programme``: a client's certification cycle (``AuditProgramme``).
* ``audit``: one audit (``Audit``) with its standards, audit-time adjustments, non-applicable
  clauses and status log (``AuditTransition``).
* ``team``: who audits (``TeamAssignment``) and who accompanies (``AccompanyingPerson``).
* ``plan``: the audit plan's itinerary (``PlanItem``), attachment 1 of the report.
* ``stage1``: a stage 1 audit's readiness conclusion (``Stage1Conclusion``).

Findings and nonconformities are the findings app's.
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
from .availability import Absence, AbsenceKind, HalfDay
from .cb import CertificationBody, RoundingChoice, RuleSetChoice
from .plan import PlanItem, PlanItemKind
from .programme import AuditProgramme
from .stage1 import Stage1Conclusion, Stage1Outcome
from .team import AccompanyingPerson, TeamAssignment, TeamRole

__all__ = [
    "Absence",
    "AbsenceKind",
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
    "HalfDay",
    "NonApplicableClause",
    "PlanItem",
    "PlanItemKind",
    "RoundingChoice",
    "RuleSetChoice",
    "Stage1Conclusion",
    "Stage1Outcome",
    "TeamAssignment",
    "TeamRole",
]
