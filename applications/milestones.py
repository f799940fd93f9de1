"""Pure rules of invoicing: which amount of the accepted quotation each milestone of the
agreement invoices, the invoice number and the due date. No database access.

The quotation's lines (``rules.quotation_lines``) are split by the audit they pay for: the
application fee when applying; stage 1 and 2 with the initial audit; half of the certificate
fees (one per certificate at the initial certification, one at recertification) with the
certificate; each surveillance audit with its surveillance fee; travel per audit with its audit.
Every line's unit rate is already in cents, so the milestones add up to the quotation's total."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from audits.models import AuditType

from .models import InvoiceMilestone
from .rules import contract_number, money

M = InvoiceMilestone

AUDIT_MILESTONE = {
    AuditType.STAGE_1.value: M.INITIAL,
    AuditType.STAGE_2.value: M.INITIAL,
    AuditType.SURVEILLANCE_1.value: M.SURVEILLANCE_1,
    AuditType.SURVEILLANCE_2.value: M.SURVEILLANCE_2,
    AuditType.RECERTIFICATION.value: M.RECERTIFICATION,
}
# The audits travel is quoted for (``rules.CYCLE_AUDITS``), by the milestone that invoices each.
TRAVEL_SHARES = {M.INITIAL: 2, M.SURVEILLANCE_1: 1, M.SURVEILLANCE_2: 1, M.RECERTIFICATION: 1}


def milestone_amounts(lines: Iterable[Mapping[str, Any]]) -> dict[str, Decimal]:
    """Milestone → amount from a quotation's stored lines, in the milestones' order; milestones
    of 0 are left out."""
    out = {m.value: Decimal(0) for m in M}
    for line in lines:
        key, amount = line["key"], Decimal(line["amount"])
        rate = Decimal(line["rate"]) if line.get("rate") is not None else amount
        quantity = int(line.get("quantity") or 1)
        if key == "application":
            out[M.APPLICATION] += amount
        elif key in AUDIT_MILESTONE:
            out[AUDIT_MILESTONE[key]] += amount
        elif key == "certificate":
            # Quoted ×2 per certificate: the initial certificate now, the renewed one at recertification.
            initial = money(rate * (quantity // 2 + quantity % 2))
            out[M.CERTIFICATE] += initial
            out[M.RECERTIFICATION] += amount - initial
        elif key == "surveillance_fee":
            first = money(rate * (quantity // 2 + quantity % 2))
            out[M.SURVEILLANCE_1] += first
            out[M.SURVEILLANCE_2] += amount - first
        elif key == "travel":
            given = Decimal(0)
            for milestone, share in TRAVEL_SHARES.items():
                part = money(rate * share) if milestone != M.RECERTIFICATION else amount - given
                out[milestone] += part
                given += part
    return {key: value for key, value in out.items() if value}


def invoice_number(*, pattern: str, year: int, serial: int) -> str:
    """The number by the CB's pattern ({yy}/{yyyy}, {serial}), checked as contract numbers are."""
    return contract_number(pattern=pattern, year=year, serial=serial)


def due_date(*, issued_on: datetime.date, payment_days: int) -> datetime.date:
    return issued_on + datetime.timedelta(days=payment_days)
