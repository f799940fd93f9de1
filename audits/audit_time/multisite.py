"""How many sites of a multi-site organisation an audit samples (IAF MD 1:2018)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from .calculation import _to_decimal
from .tables import AuditType


@dataclass(frozen=True)
class SiteSample:
    """Multi-site sample per IAF MD 1:2018 clause 6.1.3."""

    audit_type: AuditType
    sites_excluding_central: int
    coefficient: Decimal
    risk_multiplier: Decimal
    sites_to_sample: int
    capped_at_site_count: bool
    central_function_audited: bool = True

    @property
    def locations_visited(self) -> int:
        """Sampled sites plus the central function (always audited)."""
        return self.sites_to_sample + (1 if self.central_function_audited else 0)


# --------------------------------------------------------------------------
# Multi-site sampling (IAF MD 1:2018)
# --------------------------------------------------------------------------

# IAF MD 1:2018 clause 6.1.3 (6.1.3.3 per EA FAQ 42.6): y = sqrt(x) at the
# initial audit, 0.6 sqrt(x) at surveillance, 0.8 sqrt(x) at recertification,
# rounded up to the next whole number; x = number of sites, not counting the
# central function, which is audited in addition at every audit (EA FAQ 46.5:
# "central function + 1 site (0.6 x square root of 2)").
_SAMPLE_COEFFICIENTS: dict[AuditType, Decimal] = {
    AuditType.INITIAL: Decimal(1),
    AuditType.SURVEILLANCE: Decimal("0.6"),
    AuditType.RECERTIFICATION: Decimal("0.8"),
}


def _ceil_sqrt(value: Decimal) -> int:
    """Exact ceil(sqrt(value)) for a non-negative Decimal (no float error)."""
    num, den = value.as_integer_ratio()
    root = math.isqrt(num // den)
    while root * root * den < num:
        root += 1
    return root


def site_sample_size(
    *,
    sites_excluding_central: int,
    audit_type: AuditType,
    risk_multiplier: Decimal | int | str = 1,
) -> SiteSample:
    """Number of sites to sample (the central function comes on top).

    risk_multiplier (>= 1) is the project's way of applying MD 1:2018
    6.1.3 ("the sample size shall be increased" where the CB's risk analysis
    calls for it): y = ceil(coefficient x multiplier x sqrt(x)). MD 1 gives no
    figure, so the CB documents the multiplier it uses (e.g. 1.2 for high
    risk). The sample never exceeds x.
    """
    if isinstance(sites_excluding_central, bool) or not isinstance(sites_excluding_central, int):
        raise TypeError("sites_excluding_central must be a whole number.")
    if sites_excluding_central < 1:
        raise ValueError("A multi-site sample needs at least one site besides the central function.")
    audit_type = AuditType(audit_type)
    multiplier = _to_decimal(risk_multiplier, what="Risk multiplier")
    if multiplier < 1:
        raise ValueError("The risk multiplier can only increase the sample (it must be >= 1).")
    coefficient = _SAMPLE_COEFFICIENTS[audit_type]
    k = coefficient * multiplier
    wanted = _ceil_sqrt(k * k * sites_excluding_central)  # ceil(k sqrt(x)), exact
    sample = min(wanted, sites_excluding_central)
    return SiteSample(
        audit_type=audit_type,
        sites_excluding_central=sites_excluding_central,
        coefficient=coefficient,
        risk_multiplier=multiplier,
        sites_to_sample=sample,
        capped_at_site_count=wanted > sites_excluding_central,
    )
