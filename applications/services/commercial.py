"""The quotation (audit days of the cycle × the price list) and the certification agreement
(ISO/IEC 17021-1 5.1.2), whose signing creates the client (a new organisation), its requested
scopes, the audit programme and the stage 1 audit through ``clients.services`` and
``audits.services``: nothing of the application is typed again."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import AuditStatus, AuditType
from audits.services.programme import programme_covering
from clients import services as client_services
from clients.models import Client, ClientScope, Site
from clients.uploads import check_document
from core import dates
from core.access import restricted

from .. import rules
from ..lifecycle import APPLICATION_MACHINE, CONTRACT_MACHINE, QUOTATION_MACHINE
from ..models import (
    ACCEPTED_STATUSES,
    Application,
    Contract,
    ContractSettings,
    PriceList,
    Quotation,
    QuotationStatus,
)
from .review import application_cycle


def _require_manage(application: Application, by: Any) -> None:
    from django.core.exceptions import PermissionDenied

    if not restricted(Application, by, "manage").filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only a CB administrator may do this."))


def prices_of(price_list: PriceList) -> rules.Prices:
    rates = list(price_list.rates.select_related("technical_area"))
    return rules.Prices(
        currency=price_list.currency,
        default_rate=price_list.day_rate,
        family_rates={r.family: r.rate for r in rates if r.family},
        code_rates={r.technical_area.code: r.rate for r in rates if r.technical_area is not None},
        application_fee=price_list.application_fee,
        certificate_fee=price_list.certificate_fee,
        surveillance_fee=price_list.surveillance_fee,
        travel_per_audit=price_list.travel_per_audit,
    )


@transaction.atomic
def quotation_issue(*, application: Application, by: Any, price_list: PriceList | None = None) -> Quotation:
    """Quote the whole cycle to an accepted application (CB administrators); an earlier open
    quotation is withdrawn."""
    _require_manage(application, by)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in ACCEPTED_STATUSES:
        raise ValidationError(_("Only an accepted application is quoted."), code="wrong_status")
    price_list = price_list or PriceList.objects.filter(active=True).order_by("pk").first()
    if price_list is None:
        raise ValidationError(_("Enter the CB's price list in the administration first."), code="no_price_list")
    prices = prices_of(price_list)
    standards = list(application.standards.select_related("standard"))
    rate = rules.day_rate(
        prices,
        families=[row.standard.family for row in standards],
        codes=list(application.technical_areas.values_list("code", flat=True)),
    )
    cycle = application_cycle(application=application)
    lines, total = rules.quotation_lines(cycle=cycle, prices=prices, rate=rate, certificates=len(standards))
    for open_one in application.quotations.filter(status=QuotationStatus.ISSUED):
        QUOTATION_MACHINE.move(open_one, "withdraw", by=by, note=_("Replaced by a new quotation."))
    count = application.quotations.count() + 1
    settings_row = ContractSettings.objects.current()
    quotation = Quotation.objects.create(
        application=application,
        number=f"BJ-{application.reference}-{count}",
        price_list=price_list,
        currency=price_list.currency,
        day_rate=rate,
        lines=rules.lines_as_json(lines),
        total=total,
        valid_until=dates.local_today() + datetime.timedelta(days=settings_row.quotation_valid_days),
        issued_by=by,
    )
    QUOTATION_MACHINE.record_creation(quotation, by=by)
    return quotation


@transaction.atomic
def quotation_respond(
    *, quotation: Quotation, accept: bool, by: Any, note: str = "", version: int | None = None
) -> Quotation:
    """The client accepts or declines the quotation in the portal (who and when recorded)."""
    if accept and quotation.valid_until < dates.local_today():
        raise ValidationError(_("This quotation has expired; ask the CB for a new one."), code="expired")
    locked, _row = QUOTATION_MACHINE.move(
        quotation,
        "accept" if accept else "decline",
        by=by,
        version=version,
        note=note,
        changes={"responded_by": by, "responded_at": timezone.now(), "response_note": note.strip()},
    )
    return locked


@transaction.atomic
def contract_issue(*, application: Application, by: Any) -> Contract:
    """Issue the certification agreement for the accepted quotation: the next number of the year
    by the CB's pattern, the amount, the terms and the client's obligations from the template."""
    _require_manage(application, by)
    settings_row = ContractSettings.objects.ensure()
    settings_row = ContractSettings.objects.select_for_update().get(pk=settings_row.pk)  # serialises the numbering
    if Contract.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has its agreement."), code="exists")
    quotation = application.quotations.filter(status=QuotationStatus.ACCEPTED).order_by("-issued_at").first()
    if quotation is None:
        raise ValidationError(_("The client has not accepted a quotation."), code="no_quotation")
    year = dates.local_today().year
    serial = (Contract.objects.filter(year=year).order_by("-serial").values_list("serial", flat=True).first() or 0) + 1
    contract = Contract.objects.create(
        application=application,
        quotation=quotation,
        number=rules.contract_number(pattern=settings_row.number_pattern, year=year, serial=serial),
        year=year,
        serial=serial,
        amount=quotation.total,
        currency=quotation.currency,
        terms_zh=settings_row.terms_zh,
        terms_en=settings_row.terms_en,
        obligations_zh=settings_row.obligations_zh,
        obligations_en=settings_row.obligations_en,
        issued_by=by,
    )
    CONTRACT_MACHINE.record_creation(contract, by=by)
    return contract


@transaction.atomic
def contract_client_accept(*, contract: Contract, by: Any, version: int | None = None) -> Contract:
    """The client user accepts the agreement in the portal (who and when)."""
    locked, _row = CONTRACT_MACHINE.move(
        contract,
        "client_accept",
        by=by,
        version=version,
        changes={"client_accepted_by": by, "client_accepted_at": timezone.now()},
    )
    return locked


@transaction.atomic
def contract_upload_signed(*, contract: Contract, file: UploadedFile, by: Any) -> Contract:
    """A CB administrator uploads the copy the client signed on paper (checked as every upload)."""
    _require_manage(contract.application, by)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.status not in ("issued", "client_accepted"):
        raise ValidationError(_("This agreement is no longer open."), code="wrong_status")
    checked = check_document(file)
    locked.signed_copy.save(checked.name, file, save=False)
    locked.signed_copy_name = checked.name[:255]
    locked.version += 1
    locked.save()
    return locked


def _client_for(application: Application, by: Any) -> Client:
    """The applying organisation as a client: the existing one, or created from the application;
    either way it gains the sites, requested scopes and codes it applied for that it lacks."""
    standards = list(application.standards.select_related("standard"))
    client = application.client
    if client is None:
        client = Client(
            name_zh=application.name_zh,
            name_en=application.name_en,
            headcount=application.headcount,
            legal_representative=application.legal_representative,
            contact_name=application.contact_name,
            contact_phone=application.contact_phone,
            contact_email=application.contact_email,
            integrated_audit=application.integrated and len(standards) > 1,
        )
    new = client.pk is None
    # A registered organisation is prospective until its first agreement is signed.
    client.prospective = False

    def related(saved: Client) -> None:
        # The sites applied for that the client does not have yet (by address); a client that
        # already has its central function keeps it.
        known = set(saved.sites.values_list("address_zh", flat=True))
        has_central = saved.sites.filter(is_central=True).exists()
        for site in application.sites.all():
            if site.address_zh in known:
                continue
            row = Site(
                client=saved,
                kind=site.kind,
                name=site.name,
                address_zh=site.address_zh,
                address_en=site.address_en,
                is_central=site.is_central and not has_central,
                headcount=site.headcount,
            )
            row.full_clean()
            row.save()
            known.add(site.address_zh)
        have = set(saved.scopes.values_list("standard_id", flat=True))
        for std in standards:
            if std.standard_id not in have:
                ClientScope.objects.create(
                    client=saved, standard=std.standard, scope_zh=std.scope_zh, scope_en=std.scope_en
                )

    codes = list(application.technical_areas.all())
    if not new:
        codes = list({area.pk: area for area in [*client.technical_areas.all(), *codes]}.values())
    return client_services.client_save(client=client, by=by, technical_areas=codes, save_related=related)


def _stage_1(*, application: Application, client: Client, programme: Any, by: Any) -> Any:
    """The programme's stage 1 audit, or a new one planned from the application: its standards and
    complexity, the sites, the preferred dates and the calculated days."""
    existing = programme.audits.filter(audit_type=AuditType.STAGE_1).exclude(status=AuditStatus.CANCELLED).first()
    if existing is not None:
        return existing
    standards = [
        StandardInput(standard=row.standard, complexity=row.complexity)
        for row in application.standards.select_related("standard")
    ]
    cycle = application_cycle(application=application)
    days = cycle.days.get(AuditType.STAGE_1.value) or Decimal(1)
    on_site = max(1, math.ceil(days))
    start = application.preferred_from or dates.local_today() + datetime.timedelta(days=30)
    return audit_services.audit_plan(
        by=by,
        client=client,
        audit_type=AuditType.STAGE_1,
        standards=standards,
        start_date=start,
        end_date=start + datetime.timedelta(days=on_site - 1),
        on_site_days=Decimal(on_site),
        programme=programme,
        integrated=application.integrated and len(standards) > 1,
        effective_personnel=application.headcount,
        effective_personnel_reason=(
            _("As applied for (application %(reference)s).") % {"reference": application.reference}
            if client.headcount and application.headcount != client.headcount
            else ""
        ),
        sites=list(client.sites.all()),
        notes=_("Planned from application %(reference)s.") % {"reference": application.reference},
    )


@transaction.atomic
def contract_sign(*, contract: Contract, by: Any, version: int | None = None) -> Contract:
    """Sign the agreement for the CB (CB administrators) once the client accepted it in the portal
    or its signed copy is uploaded; creates the client, the programme (or links the client's
    active programme covering the standards) and the stage 1 audit, and marks the application
    contracted."""
    application = Application.objects.get(pk=contract.application_id)  # fresh: no caller's cached state

    def on_locked(locked: Contract) -> None:
        client = _client_for(application, by)
        standards = [row.standard for row in application.standards.select_related("standard")]
        programme = programme_covering(client=client, standards=standards) or audit_services.programme_create(
            client=client,
            standards=standards,
            by=by,
            starts_with_initial_audit=True,
            notes=_("From contract %(number)s.") % {"number": locked.number},
        )
        locked.programme = programme
        locked.stage_1_audit = _stage_1(application=application, client=client, programme=programme, by=by)
        if application.client_id is None:
            application.client = client
            application.save(update_fields=["client"])

    locked, _row = CONTRACT_MACHINE.move(
        contract,
        "sign",
        by=by,
        version=version,
        changes={"signed_by": by, "signed_at": timezone.now()},
        on_locked=on_locked,
    )
    APPLICATION_MACHINE.move(application, "contract", by=by, note=locked.number)
    return locked
