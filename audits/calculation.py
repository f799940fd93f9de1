"""Audit time for one audit: audits/audit_time/ (IAF MD 5 / MD 11 / MD 1) applied to the
audit's data, plus the CB's stage 1 / stage 2 split.

``calculate_man_days`` is the one place an audit's calculated man-days come from; the planning
form shows its result, ``services`` stores it on the audit (``Audit.calculated_man_days`` and
the ``Audit.calculation`` snapshot), and the deviation rule compares against it.

The result is a plain dict (JSON-serialisable, Decimals as strings) so the same structure is
stored on the audit and rendered by the templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import audit_time
from .models.audit import AUDIT_TIME_BASIS, AuditType

if TYPE_CHECKING:
    from clients.models import Site
    from standards.models import Standard

FAMILY_TO_MD5 = {
    "QMS": audit_time.Standard.QMS,
    "EMS": audit_time.Standard.EMS,
    "OHSMS": audit_time.Standard.OHSMS,
}
# Sites that count for IAF MD 1 sampling: permanent sites other than the central function.
PERMANENT_SITE_KINDS = ("operating", "branch")


@dataclass(frozen=True)
class StandardInput:
    standard: Standard
    complexity: str = ""


@dataclass(frozen=True)
class AdjustmentInput:
    standard: Standard
    percent: Decimal
    reason: str


# The calculation is stored on the audit and shown later, in the reader's language: a warning is
# kept as a code and its figures and translated when it is shown (``calculation_warnings``). The
# rule module (audits/audit_time) is plain Python and says the same in English for its own callers.
WARNING_TEXTS = {
    "reduction_capped": gettext_noop(
        "%(standard)s: reductions total %(claimed)s%%; capped at %(cap)s%% of the table time (IAF MD 5:2019)."
    ),
    "band_extrapolated": gettext_noop(
        "%(standard)s: %(personnel)s effective personnel is above the 10700 of the IAF MD 5 table; "
        "extrapolated (follow the progression) to band %(band)s."
    ),
    "stage_2_half_day": gettext_noop("Stage 1 takes the whole initial audit time; stage 2 set to half a day."),
}


def _notice(out: dict[str, Any], code: str, **params: Any) -> None:
    out.setdefault("notices", []).append({"code": code, "params": params})


def calculation_warnings(calc: dict[str, Any] | None) -> list[str]:
    """The warnings of a stored calculation in the current language. A calculation stored before
    warnings were kept as codes shows its ``warnings`` text as it was stored."""
    if not calc:
        return []
    texts = [
        _(WARNING_TEXTS[notice["code"]]) % notice.get("params", {})
        for notice in calc.get("notices", [])
        if notice.get("code") in WARNING_TEXTS
    ]
    return texts + [str(text) for text in calc.get("warnings", [])]


def _days(value: Decimal | None) -> str | None:
    """Decimal -> '2.5' / '2' for display and JSON."""
    if value is None:
        return None
    value = Decimal(value)
    text = format(value.quantize(Decimal("0.0001")), "f").rstrip("0").rstrip(".")
    return text or "0"


def site_counts(sites: Iterable[Site]) -> tuple[int, int]:
    """(permanent sites other than the central function, temporary sites) of a client."""
    permanent = sum(1 for s in sites if s.kind in PERMANENT_SITE_KINDS and not s.is_central)
    temporary = sum(1 for s in sites if s.kind == "temporary")
    return permanent, temporary


def calculate_man_days(
    *,
    audit_type: str,
    effective_personnel: int | None,
    standards: Sequence[StandardInput],
    adjustments: Sequence[AdjustmentInput] = (),
    integrated: bool = False,
    integration_reduction_percent: Decimal | int | str = Decimal(0),
    rounding: str = audit_time.Rounding.UP,
    stage_1_share_percent: int = 20,
    stage_1_planned_days: Decimal | None = None,
    sites: Iterable[Site] = (),
) -> dict[str, Any]:
    """The calculation as a dict; ``calculated`` is the man-days for this audit (None when
    IAF MD 5 gives no figure for the audit type, or the input is incomplete: see ``error``)."""
    basis = AUDIT_TIME_BASIS.get(AuditType(audit_type)) if audit_type else None
    permanent, temporary = site_counts(sites)
    out: dict[str, Any] = {
        "audit_type": audit_type,
        "basis": basis.value if basis else None,
        "effective_personnel": effective_personnel,
        "lines": [],
        "calculated": None,
        "error": "",
        "warnings": [],
        "sites_excluding_central": permanent,
        "temporary_sites": temporary,
        "site_sample": None,
    }
    if permanent:
        sample = audit_time.site_sample_size(
            sites_excluding_central=permanent, audit_type=basis or audit_time.AuditType.INITIAL
        )
        out["site_sample"] = {
            "sites_to_sample": sample.sites_to_sample,
            "coefficient": _days(sample.coefficient),
            "locations_visited": sample.locations_visited,
            "capped": sample.capped_at_site_count,
            "source": "IAF MD 1:2018 6.1.3",
        }
    if basis is None:
        out["error"] = _(
            "IAF MD 5 gives no audit time for this type of audit: record the man-days the CB decided and why."
        )
        return out
    if not effective_personnel:
        out["error"] = _("Enter the effective number of personnel to calculate the audit time.")
        return out
    standards = list(standards)
    if not standards:
        out["error"] = _("Choose the standards to calculate the audit time.")
        return out

    scopes: list[audit_time.StandardScope] = []
    by_pk: dict[int, Standard] = {}
    for item in standards:
        md5 = FAMILY_TO_MD5.get(item.standard.family)
        if md5 is None:
            out["error"] = _("IAF MD 5 has no table for %(standard)s.") % {"standard": item.standard}
            return out
        if any(scope.standard is md5 for scope in scopes):
            out["error"] = _(
                "Two standards of the same family (%(family)s): IAF MD 5 counts each management system once."
            ) % {"family": item.standard.family}
            return out
        by_pk[item.standard.pk] = item.standard
        try:
            adj = tuple(
                audit_time.Adjustment(percent=a.percent, reason=a.reason)
                for a in adjustments
                if a.standard.pk == item.standard.pk
            )
        except ValueError:
            out["error"] = _("Every audit-time adjustment needs a percentage other than 0 and a reason.")
            return out
        complexity = None if md5 is audit_time.Standard.QMS else (item.complexity or None)
        if md5 is not audit_time.Standard.QMS and complexity is None:
            out["error"] = _("Choose the complexity category of %(standard)s (IAF MD 5 Annex B/C).") % {
                "standard": item.standard
            }
            return out
        try:
            category = None if complexity is None else audit_time.Complexity(complexity)
            scopes.append(audit_time.StandardScope(standard=md5, complexity=category, adjustments=adj))
        except ValueError:
            out["error"] = _('%(standard)s has no complexity category "%(category)s" in IAF MD 5.') % {
                "standard": item.standard,
                "category": complexity,
            }
            return out
    for a in adjustments:
        if a.standard.pk not in by_pk:
            out["error"] = _("An audit-time adjustment refers to %(standard)s, which is not audited.") % {
                "standard": a.standard
            }
            return out
    integration = Decimal(integration_reduction_percent or 0) if integrated else Decimal(0)
    try:
        result = audit_time.calculate_audit_time(
            effective_personnel=int(effective_personnel),
            scopes=scopes,
            audit_type=basis,
            integration_reduction_percent=integration,
            rounding=audit_time.Rounding(rounding),
        )
    except (ValueError, TypeError) as exc:
        out["error"] = str(exc)
        return out

    for item, line in zip(standards, result.lines, strict=False):
        if line.band.extrapolated:
            _notice(
                out,
                "band_extrapolated",
                standard=str(item.standard),
                personnel=effective_personnel,
                band=line.band.label,
            )
        if line.reduction_capped:
            _notice(
                out,
                "reduction_capped",
                standard=str(item.standard),
                claimed=_days(line.reduction_percent_claimed),
                cap=_days(audit_time.MAX_TOTAL_REDUCTION_PERCENT),
            )
        out["lines"].append(
            {
                "standard": str(item.standard),
                "family": item.standard.family,
                "complexity": line.complexity.value if line.complexity else "",
                "band": line.band.label,
                "table_days": _days(line.table_days),
                "adjustments": [{"percent": _days(a.percent), "reason": a.reason} for a in line.adjustments],
                "increase_percent": _days(line.increase_percent),
                "reduction_percent_claimed": _days(line.reduction_percent_claimed),
                "reduction_percent_applied": _days(line.reduction_percent_applied),
                "reduction_capped": line.reduction_capped,
                "adjusted_days": _days(line.adjusted_days),
                "source": line.source,
            }
        )
    num, den = result.audit_type_fraction
    out.update(
        {
            "initial_before_integration": _days(result.initial_days_before_integration),
            "integration_reduction_percent": _days(result.integration_reduction_percent),
            "initial_after_integration": _days(result.initial_days_after_integration),
            "fraction": f"{num}/{den}" if (num, den) != (1, 1) else "",
            "before_rounding": _days(result.total_before_rounding),
            "rounding": result.rounding.value,
            "total": _days(result.total_days),
            "hours": _days(result.hours),
            "warnings": [],
        }
    )
    calculated = result.total_days
    if basis is audit_time.AuditType.INITIAL:
        # IAF MD 5's initial time is stage 1 + stage 2 together; the CB's split.
        if stage_1_planned_days is not None:
            stage_1 = Decimal(stage_1_planned_days)
            stage_1_from = "stage_1_audit"
        else:
            stage_1 = audit_time.round_half_day(
                days=result.total_days * Decimal(stage_1_share_percent) / Decimal(100), rounding=audit_time.Rounding.UP
            )
            stage_1_from = "policy"
        stage_2 = result.total_days - stage_1
        if stage_2 < Decimal("0.5"):
            stage_2 = Decimal("0.5")
            _notice(out, "stage_2_half_day")
        out.update(
            {
                "stage_1_days": _days(stage_1),
                "stage_2_days": _days(stage_2),
                "stage_1_from": stage_1_from,
                "stage_1_share_percent": stage_1_share_percent,
            }
        )
        calculated = stage_1 if AuditType(audit_type) == AuditType.STAGE_1 else stage_2
    out["calculated"] = _days(calculated)
    return out


def calculated_days(calculation: dict[str, Any] | None) -> Decimal | None:
    """The calculated man-days of a calculation dict, as a Decimal (or None)."""
    value = (calculation or {}).get("calculated")
    return None if value is None else Decimal(value)
