"""Invoices per milestone of a signed agreement and their payment state (no accounting), and the
CB's release policy: with ``InvoiceSettings.release_only_when_paid`` a granted certificate is
withheld until the certificate-fee invoice is paid (``certification.registry``); marking it paid
releases it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import services as certification_services
from core import dates
from core.access import restricted

from .. import milestones
from ..lifecycle import INVOICE_MACHINE
from ..models import Contract, ContractStatus, Invoice, InvoiceMilestone, InvoiceSettings, InvoiceStatus


def _require_manage(contract: Contract, by: Any) -> None:
    if not restricted(Contract, by, "manage").filter(pk=contract.pk).exists():
        raise PermissionDenied(_("Only a CB administrator may do this."))


def contract_milestones(contract: Contract) -> dict[str, Decimal]:
    """Milestone → amount of the agreement, from its accepted quotation's lines."""
    return milestones.milestone_amounts(contract.quotation.lines)


@transaction.atomic
def invoice_issue(
    *,
    contract: Contract,
    milestone: str,
    by: Any,
    issued_on: datetime.date | None = None,
    amount: Decimal | None = None,
    replaces: Invoice | None = None,
) -> Invoice:
    """Issue the invoice of one milestone of a signed agreement (CB administrators): the amount from
    the accepted quotation (or, for a correction of a cancelled invoice, the corrected amount),
    the next number of the year by the CB's pattern, due after the CB's payment terms."""
    _require_manage(contract, by)
    settings_row = InvoiceSettings.objects.ensure()
    settings_row = InvoiceSettings.objects.select_for_update().get(pk=settings_row.pk)  # serialises the numbering
    contract = Contract.objects.select_related("quotation").get(pk=contract.pk)
    if contract.status != ContractStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement is invoiced."), code="wrong_status")
    if milestone not in InvoiceMilestone.values:
        raise ValidationError(_("Choose a milestone."), code="milestone")
    quoted = contract_milestones(contract).get(milestone)
    if quoted is None:
        raise ValidationError(_("The agreement has no amount for this milestone."), code="not_quoted")
    live = contract.invoices.exclude(status=InvoiceStatus.CANCELLED).filter(milestone=milestone).first()
    if live is not None:
        raise ValidationError(
            _("Invoice %(number)s already covers this milestone; cancel it first to correct it.")
            % {"number": live.number},
            code="exists",
        )
    if replaces is not None and (replaces.contract_id != contract.pk or replaces.status != InvoiceStatus.CANCELLED):
        raise ValidationError(_("Only a cancelled invoice of this agreement is replaced."), code="replaces")
    if amount is not None and amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="amount")
    if amount is not None and replaces is None:
        # The amount agreed is the quotation's; only a correction of a cancelled invoice differs.
        raise ValidationError(
            _("The amount is the agreement's; a different amount only corrects a cancelled invoice."),
            code="amount_not_correction",
        )
    issued_on = issued_on or dates.local_today()
    year = issued_on.year
    serial = (Invoice.objects.filter(year=year).order_by("-serial").values_list("serial", flat=True).first() or 0) + 1
    invoice = Invoice.objects.create(
        contract=contract,
        milestone=milestone,
        number=milestones.invoice_number(pattern=settings_row.number_pattern, year=year, serial=serial),
        year=year,
        serial=serial,
        amount=quoted if amount is None else amount,
        currency=contract.currency,
        issued_on=issued_on,
        due_on=milestones.due_date(issued_on=issued_on, payment_days=settings_row.payment_days),
        replaces=replaces,
        issued_by=by,
    )
    INVOICE_MACHINE.record_creation(invoice, by=by)
    return invoice


@transaction.atomic
def invoice_mark_paid(
    *, invoice: Invoice, by: Any, paid_on: datetime.date | None = None, version: int | None = None, note: str = ""
) -> Invoice:
    """Record the payment (who, when, on which day); a paid certificate fee releases the
    certificates the release policy withheld."""
    paid_on = paid_on or dates.local_today()
    if paid_on > dates.local_today():
        raise ValidationError(_("A payment cannot be dated in the future."), code="future")
    if paid_on < invoice.issued_on:
        raise ValidationError(_("A payment cannot be dated before its invoice."), code="before_invoice")
    locked, _row = INVOICE_MACHINE.move(
        invoice,
        "pay",
        by=by,
        version=version,
        note=note.strip(),
        changes={"paid_on": paid_on, "paid_by": by, "paid_recorded_at": timezone.now()},
    )
    if locked.milestone == InvoiceMilestone.CERTIFICATE:
        programme = Contract.objects.get(pk=locked.contract_id).programme
        if programme is not None:
            certification_services.certificates_release(programme=programme, by=by)
    return locked


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, by: Any, reason: str, version: int | None = None) -> Invoice:
    """Cancel an unpaid invoice (a correction is a cancellation and a new invoice); the reason is
    required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the invoice is cancelled.")}, code="reason")
    locked, _row = INVOICE_MACHINE.move(
        invoice, "cancel", by=by, version=version, note=reason, changes={"cancel_reason": reason}
    )
    return locked


def certificate_fee_hold(*, decision: Any, programme: Any) -> str:
    """``certification.registry`` release hold: with the CB's policy on, a grant on a programme
    signed through an agreement whose quotation has a certificate fee is withheld until the
    certificate-fee invoice is paid (17021-1 8.4 lets the agreement set the client's financial
    obligations; the policy is the CB's)."""
    if not InvoiceSettings.objects.current().release_only_when_paid:
        return ""
    for contract in Contract.objects.filter(programme=programme, status=ContractStatus.SIGNED).select_related(
        "quotation"
    ):
        if not contract_milestones(contract).get(InvoiceMilestone.CERTIFICATE):
            continue
        if not contract.invoices.filter(milestone=InvoiceMilestone.CERTIFICATE, status=InvoiceStatus.PAID).exists():
            return _("The certificate fee of agreement %(number)s is not paid.") % {"number": contract.number}
    return ""
