"""Audit-time (auditor-day) rules for ISO 9001 / ISO 14001 / ISO 45001 audits.

Pure Python (stdlib only) so that it can be unit-tested without Django.

Sources (public copies checked, see comments at each rule):

* IAF MD 5:2019, Issue 4 (Version 2, 11 Nov 2019), "Determination of Audit
  Time of Quality, Environmental, and Occupational Health & Safety Management
  Systems": Annex A Table QMS 1, Annex B Table EMS 1, Annex C Table OH&SMS 1,
  clause 2.2 (audit days, rounding), the surveillance / recertification
  proportions and the 30 % reduction limit.
* IAF MD 11:2019, Issue 2, "Application of ISO/IEC 17021-1 for Audits of
  Integrated Management Systems", clause 2.2 (sum of the individual times,
  then an integration reduction of at most 20 %).
* IAF MD 1:2018, Issue 2, "Audit and Certification of a Management System
  Operated by a Multi-Site Organization", clause 6.1.3 (site sample size).
* EA (European co-operation for Accreditation) FAQ answers 37.5, 37.23 (March
  2019), the MD 11 / MD 5 FAQ of September 2019 and 38.2 (September 2019),
  which explain how these documents fit together.

All durations are auditor-days of *auditors*: technical experts, translators,
observers and auditors-in-training do not count towards audit time
(IAF MD 5:2019, methodology for determining audit time).

The rules are split by what they compute: ``tables`` (the MD 5 tables, enums and limits),
``calculation`` (table time, adjustments, integration, cycle fractions, rounding) and
``multisite`` (the IAF MD 1 site sample).
"""

from .calculation import (
    Adjustment,
    AuditTimeResult,
    Band,
    StandardLine,
    StandardScope,
    calculate_audit_time,
    round_half_day,
    table_days,
)
from .multisite import SiteSample, site_sample_size
from .tables import (
    AUDIT_TYPE_FRACTIONS,
    HOURS_PER_AUDITOR_DAY,
    MAX_INTEGRATION_REDUCTION_PERCENT,
    MAX_TOTAL_REDUCTION_PERCENT,
    AuditType,
    Complexity,
    Rounding,
    Standard,
)

__all__ = [
    "AUDIT_TYPE_FRACTIONS",
    "HOURS_PER_AUDITOR_DAY",
    "MAX_INTEGRATION_REDUCTION_PERCENT",
    "MAX_TOTAL_REDUCTION_PERCENT",
    "Adjustment",
    "AuditTimeResult",
    "AuditType",
    "Band",
    "Complexity",
    "Rounding",
    "SiteSample",
    "Standard",
    "StandardLine",
    "StandardScope",
    "calculate_audit_time",
    "round_half_day",
    "site_sample_size",
    "table_days",
]
