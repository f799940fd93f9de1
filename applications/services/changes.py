"""Changes a certified client reports (ISO/IEC 17021-1 8.5.3; the CB's review of them, 9.6.3):
reported in the portal or by CB staff, approved or rejected by a CB administrator.

Approving a new name or address updates the client (its history keeps the old values, and the
change keeps them too) and proposes the reissue of its valid certificates: a ``reissue`` decision
for the committee, whose effect is the existing reissue (same number, reissue + 1, same expiry, the
old certificate cancelled with reason 0120), printing the new name and address. A scope extension
plans a scope-extension audit in the certificate's programme (the extension decision follows its
review as for any such audit); a scope reduction opens the reduction decision with the new scope.

A new total headcount updates the client (its history and the change keep the old one); the
change's page then lists the planned audits whose time was calculated with the old headcount, for
the CB to review (IAF MD 5: the effective number of personnel determines audit time); nothing is
recalculated here. A site added or closed is written to the client's sites the way the client's
own page does it (a closed site is removed; its history keeps it) and, as certificates list the
sites, proposes the reissue of the valid certificates like a new name or address."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import AuditType
from certification import services as certification_services
from certification.models import Certificate, CertificateStatus
from clients import services as client_services
from clients.models import Client, Site, SiteKind
from core import dates
from core.access import Role
from core.history import set_history_user

from ..change_lifecycle import CHANGE_MACHINE
from ..models import NAME_OR_ADDRESS, NEW_SITE_KINDS, SITE_CHANGES, ChangeKind, ChangeRequest

CHANGE_FIELDS = (
    "name_zh",
    "name_en",
    "address_zh",
    "address_en",
    "standard",
    "scope_zh",
    "scope_en",
    "headcount",
    "site_kind",
    "site_name",
    "site_address_zh",
    "site_address_en",
    "site_headcount",
    "site",
    "effective_on",
    "description",
)


def _valid_certificates(client: Client, standard: Any = None) -> list[Certificate]:
    qs = Certificate.objects.filter(client=client, status=CertificateStatus.VALID, main_certificate__isnull=True)
    if standard is not None:
        qs = qs.filter(standard=standard)
    return list(qs.order_by("pk"))


def _check(kind: str, client: Client, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if kind == ChangeKind.NAME and not (fields.get("name_zh") or "").strip():
        errors["name_zh"] = _("Enter the new name (Chinese).")
    if (
        kind == ChangeKind.NAME
        and (fields.get("name_zh") or "").strip() == client.name_zh
        and not fields.get("name_en")
    ):
        errors["name_zh"] = _("This is the current name.")
    if kind == ChangeKind.ADDRESS and not (fields.get("address_zh") or "").strip():
        errors["address_zh"] = _("Enter the new address (Chinese).")
    if kind in (ChangeKind.SCOPE_EXTENSION, ChangeKind.SCOPE_REDUCTION):
        if fields.get("standard") is None:
            errors["standard"] = _("Choose the certified standard whose scope changes.")
        elif not _valid_certificates(client, fields["standard"]):
            errors["standard"] = _("The organisation holds no valid certificate for this standard.")
        if not (fields.get("scope_zh") or "").strip():
            errors["scope_zh"] = _("Enter the scope as it should read (Chinese).")
    if kind == ChangeKind.HEADCOUNT:
        headcount = fields.get("headcount")
        if headcount is None or headcount < 1:
            errors["headcount"] = _("Enter the new total headcount, a whole number of at least 1.")
    if kind == ChangeKind.SITE_ADDITION:
        if fields.get("site_kind") not in NEW_SITE_KINDS:
            errors["site_kind"] = _("Choose whether the site is an operating address, a branch or a temporary site.")
        if not (fields.get("site_address_zh") or "").strip():
            errors["site_address_zh"] = _("Enter the address of the new site (Chinese).")
    if kind == ChangeKind.SITE_CLOSURE:
        site = fields.get("site")
        # Object-level check: only one of the client's own sites, whatever id was sent.
        if site is None or site.client_id != client.pk:
            errors["site"] = _("Choose one of the organisation's own sites to close.")
        elif site.kind == SiteKind.REGISTERED or site.is_central:
            errors["site"] = _(
                "The registered address and the central function cannot be closed: report a change of address."
            )
    if errors:
        raise ValidationError(errors, code="incomplete")


@transaction.atomic
def change_report(*, client: Client, kind: str, fields: dict[str, Any], by: Any) -> ChangeRequest:
    """Report a change: a client user for its own organisation, or a CB administrator for any."""
    if not (by and by.is_authenticated and by.is_active):
        raise PermissionDenied(_("Only a client user or a CB administrator may report a change."))
    if by.role == Role.CLIENT:
        if by.client_id != client.pk:
            raise PermissionDenied(_("A client user reports changes of its own organisation only."))
    elif by.role != Role.CB_ADMIN:
        raise PermissionDenied(_("Only a client user or a CB administrator may report a change."))
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("Choose the kind of change.")}, code="invalid_kind")
    unknown = set(fields) - set(CHANGE_FIELDS)
    if unknown:
        raise TypeError(f"change_report does not take {sorted(unknown)}")
    _check(kind, client, fields)
    change = ChangeRequest(client=client, kind=kind, requested_by=by)
    for name, value in fields.items():
        setattr(change, name, value.strip() if isinstance(value, str) else value)
    change.full_clean()
    change.save()
    CHANGE_MACHINE.record_creation(change, by=by)
    return change


def _registered_site(client: Client) -> Site | None:
    sites = list(client.sites.all())
    for test in (lambda s: s.kind == SiteKind.REGISTERED, lambda s: s.is_central):
        for site in sites:
            if test(site):
                return site
    return None


def _apply_name_or_address(change: ChangeRequest, by: Any) -> dict[str, str]:
    client = Client.objects.get(pk=change.client_id)
    previous: dict[str, str] = {}
    site_holder: list[Site] = []
    if change.kind == ChangeKind.NAME:
        previous = {"name_zh": client.name_zh, "name_en": client.name_en}
        client.name_zh = change.name_zh
        if change.name_en:
            client.name_en = change.name_en
    else:
        site = _registered_site(client)
        previous = {"address_zh": site.address_zh, "address_en": site.address_en} if site else {}
        site_holder.append(site or Site(client=client, kind=SiteKind.REGISTERED))

    def related(saved: Client) -> None:
        for site in site_holder:
            site.address_zh = change.address_zh
            site.address_en = change.address_en or ("" if not previous else site.address_en)
            site.full_clean()
            set_history_user(site, by)
            site.save()

    client_services.client_save(client=client, by=by, save_related=related)
    return previous


def _apply_headcount(change: ChangeRequest, by: Any) -> dict[str, Any]:
    client = Client.objects.get(pk=change.client_id)
    previous = {"headcount": client.headcount}
    client.headcount = change.headcount
    client_services.client_save(client=client, by=by)
    return previous


def _site_row(site: Site) -> dict[str, Any]:
    return {
        "site_kind": site.kind,
        "site_name": site.name,
        "site_address_zh": site.address_zh,
        "site_address_en": site.address_en,
        "site_headcount": site.headcount,
    }


def _apply_site(change: ChangeRequest, by: Any) -> dict[str, Any]:
    client = Client.objects.get(pk=change.client_id)
    previous: dict[str, Any] = {}

    def related(saved: Client) -> None:
        if change.kind == ChangeKind.SITE_ADDITION:
            new = Site(
                client=saved,
                kind=change.site_kind,
                name=change.site_name,
                address_zh=change.site_address_zh,
                address_en=change.site_address_en,
                headcount=change.site_headcount,
            )
            new.full_clean()
            set_history_user(new, by)
            new.save()
            return
        site = Site.objects.select_for_update().filter(pk=change.site_id or 0, client=saved).first()
        if site is None:
            raise ValidationError(_("The site to close is no longer one of the organisation's sites."), code="gone")
        if Certificate.objects.filter(site=site).exists():
            raise ValidationError(
                _("A sub-certificate names this site: withdraw or reissue it before closing the site."),
                code="site_certified",
            )
        previous.update(_site_row(site))
        # Removed as the client's own page removes a site; its history keeps the row.
        set_history_user(site, by)
        site.delete()
        change.site = None  # the database set it to null; the change's own save must not undo that

    client_services.client_save(client=client, by=by, save_related=related)
    return previous


@transaction.atomic
def change_approve(
    *,
    change: ChangeRequest,
    by: Any,
    note: str = "",
    audit_start: datetime.date | None = None,
    version: int | None = None,
) -> ChangeRequest:
    """Approve (CB administrators): see the module's docstring for what follows each kind."""

    def on_locked(locked: ChangeRequest) -> dict[str, Any]:
        client = Client.objects.get(pk=locked.client_id)
        if locked.kind in (*NAME_OR_ADDRESS, *SITE_CHANGES):
            if locked.kind in NAME_OR_ADDRESS:
                locked.previous = _apply_name_or_address(locked, by)
            else:
                locked.previous = _apply_site(locked, by)
            certificates = _valid_certificates(client)
            if certificates:
                locked.decision = certification_services.decision_open(
                    decision_type="reissue", client=client, by=by, certificates=certificates
                )
        elif locked.kind == ChangeKind.HEADCOUNT:
            locked.previous = _apply_headcount(locked, by)
        elif locked.kind == ChangeKind.SCOPE_REDUCTION:
            certificates = _valid_certificates(client, locked.standard)
            locked.previous = {"scope_zh": certificates[0].scope_zh if certificates else ""}
            locked.decision = certification_services.decision_open(
                decision_type="reduce_scope",
                client=client,
                by=by,
                certificates=certificates,
                scopes={locked.standard_id: (locked.scope_zh, locked.scope_en)},
            )
        else:
            certificates = _valid_certificates(client, locked.standard)
            if not certificates:
                raise ValidationError(
                    _("The organisation holds no valid certificate for this standard."), code="no_certificate"
                )
            start = audit_start or locked.effective_on or dates.local_today() + datetime.timedelta(days=30)
            locked.previous = {"scope_zh": certificates[0].scope_zh}
            locked.audit = audit_services.audit_plan(
                by=by,
                client=client,
                audit_type=AuditType.SCOPE_EXTENSION,
                standards=[StandardInput(standard=certificates[0].standard)],
                start_date=start,
                end_date=start,
                on_site_days=Decimal(1),
                planned_man_days=Decimal(1),
                man_days_deviation_reason=_(
                    "A first estimate for the reported extension: the CB sets the days when it plans the audit."
                ),
                programme=certificates[0].programme,
                effective_personnel=client.headcount,
                sites=list(client.sites.all()),
                notes=_("Scope extension reported: %(scope)s") % {"scope": locked.scope_zh},
            )
        return {}

    locked, _event = CHANGE_MACHINE.move(
        change,
        "approve",
        by=by,
        version=version,
        note=note,
        on_locked=on_locked,
        changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": note.strip()},
    )
    return locked


@transaction.atomic
def change_reject(*, change: ChangeRequest, by: Any, note: str, version: int | None = None) -> ChangeRequest:
    """Reject (CB administrators), saying why (the client sees it)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the change is rejected.")}, code="note_required")
    locked, _event = CHANGE_MACHINE.move(
        change,
        "reject",
        by=by,
        version=version,
        note=note,
        changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": note.strip()},
    )
    return locked
