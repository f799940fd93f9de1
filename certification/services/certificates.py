"""Certificates: issuing them (numbers, serials, the printed snapshot, sub-certificates of
multi-site certifications) and changing their status through ``CERTIFICATE_MACHINE``.

Choices (README "Certification"):

* CB code: the CB profile's three digits; "000" while none is configured (rules.cb_code).
* Renewal (``continues``): the new certificate keeps the number's year and serial, its
  recertification count is one more (R0 → R1), its size band follows today's headcount.
* Scope change (``reissue_of``): a reissue under the same number (reissue + 1), same expiry.
* Multi-site: every permanent branch site (kind "branch", not the central function) covered
  gets a sub-certificate numbered ``<main number>-<n>`` that follows its main certificate in
  every status change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits.models import AuditProgramme
from clients.models import Client, Site, SiteKind
from core.notes import NoteMessage
from standards.models import Standard

from .. import rules
from ..lifecycle import CERTIFICATE_MACHINE, certificate_action_to
from ..models import (
    Certificate,
    CertificateAction,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    Decision,
    ReasonKind,
    StatusReason,
)
from ..rules import invalid
from .base import certification_body, client_codes, day_text, policy

ISSUED_NOTE = NoteMessage(gettext_noop("Issued."))
REISSUED_N_NOTE = NoteMessage(gettext_noop("Issued (reissue %(n)s)."))

# The reason list a status needs (None: no reason).
REASON_KIND_FOR_STATUS = {
    CertificateStatus.SUSPENDED: ReasonKind.SUSPENSION,
    CertificateStatus.WITHDRAWN: ReasonKind.WITHDRAWAL,
    CertificateStatus.CANCELLED: ReasonKind.WITHDRAWAL,
}


@transaction.atomic
def next_serial(*, year: int, standard_code: str) -> int:
    """The next serial for (year, standard code): the counter row is locked (select_for_update)
    so concurrent issues never share a serial."""
    CertificateSerial.objects.get_or_create(year=year, standard_code=standard_code)
    counter = CertificateSerial.objects.select_for_update().get(year=year, standard_code=standard_code)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _next_reissue(number: str) -> int:
    last = Certificate.objects.filter(number=number).aggregate(m=Max("reissue"))["m"]
    return 0 if last is None else last + 1


def _holder_address(client: Client) -> tuple[str, str]:
    sites = list(client.sites.all())
    for test in (lambda s: s.kind == SiteKind.REGISTERED, lambda s: s.is_central, lambda s: True):
        for site in sites:
            if test(site):
                return site.address_zh, site.address_en
    raise invalid(_("Record the client's registered address first: the certificate prints it."), code="address_missing")


def _covered_sites(decision: Decision) -> list[Site]:
    sites = list(decision.audit.sites.all()) if decision.audit is not None else []
    return sites or list(decision.client.sites.all())


def _site_row(site: Site) -> dict[str, str]:
    return {"name": site.name, "kind": site.kind, "address_zh": site.address_zh, "address_en": site.address_en}


def _headcount(decision: Decision) -> int | None:
    if decision.client.headcount:
        return decision.client.headcount
    if decision.audit is not None:
        return decision.audit.effective_personnel
    return None


def _standard_label(standard: Standard) -> str:
    return f"{standard.national_equivalent}/{standard}" if standard.national_equivalent else str(standard)


def _record_issue(certificate: Certificate, decision: Decision, by: Any) -> CertificateStatusChange:
    """The certificate's first event ("" → 01), written where it is created."""
    return CertificateStatusChange.objects.create(
        certificate=certificate,
        action=CertificateAction.ISSUE,
        from_status="",
        to_status=CertificateStatus.VALID,
        effective_on=certificate.issued_on,
        decision=decision,
        by=by,
        note=REISSUED_N_NOTE.text(n=certificate.reissue) if certificate.reissue else ISSUED_NOTE.text(),
    )


def _transfer_fields(transferred_from: dict[str, str] | None, reissue_of: Certificate | None) -> dict[str, str]:
    names = ("previous_cb", "previous_certificate_number", "transfer_reason")
    if transferred_from is not None:
        return {name: (transferred_from.get(name) or "").strip() for name in names}
    if reissue_of is not None:
        return {name: getattr(reissue_of, name) for name in names}
    return {}


@transaction.atomic
def certificate_issue(
    *,
    decision: Decision,
    programme: AuditProgramme,
    standard: Standard,
    issued_on: datetime.date,
    expires_on: datetime.date,
    scope_zh: str,
    scope_en: str = "",
    by: Any,
    continues: Certificate | None = None,
    reissue_of: Certificate | None = None,
    transferred_from: dict[str, str] | None = None,
    withheld_reason: str = "",
) -> list[Certificate]:
    """Create a certificate for one standard with its sub-certificates; returns [main, subs …].
    The effects of an approved decision call it.

    New certificate: serial from the locked counter, number from the policy's pattern.
    ``continues`` (renewal): same year and serial, recertification count + 1, replaces it.
    ``reissue_of`` (scope change): same number and number parts, reissue + 1, replaces it.
    ``transferred_from`` (IAF MD 2): ``previous_cb``, ``previous_certificate_number`` and
    ``transfer_reason`` of the certification taken over, kept on the certificate; a reissue keeps
    them from the one it replaces.
    The issue date is never before the decision; the expiry is after the issue date."""
    current = policy()
    client = decision.client
    decided_on = decision.approved_on or issued_on
    rules.check_issue_date(issued_on=issued_on, decided_on=decided_on)
    if expires_on <= issued_on:
        raise invalid(
            _("The certificate would expire (%(expiry)s) before it is issued (%(issue)s).")
            % {"expiry": day_text(expires_on), "issue": day_text(issued_on)},
            code="expiry_before_issue",
        )
    if not (scope_zh or "").strip():
        raise invalid({"scope_zh": _("Enter the scope to certify.")}, code="scope_required")
    address_zh, address_en = _holder_address(client)
    sites = _covered_sites(decision)
    cb = certification_body()
    if reissue_of is not None:
        base = reissue_of
        year, code, serial, recert, size = (
            base.year,
            base.standard_code,
            base.serial,
            base.recertification_count,
            base.size_band,
        )
        number = base.number
        first_issued_on = base.first_issued_on
    else:
        size = rules.size_band(_headcount(decision), current)
        if continues is not None:
            year, code, serial = continues.year, continues.standard_code, continues.serial
            recert = continues.recertification_count + 1
            first_issued_on = continues.first_issued_on
        else:
            year = issued_on.year
            code = rules.standard_code(standard.family, current.standard_codes)
            serial = next_serial(year=year, standard_code=code)
            recert = 0
            first_issued_on = issued_on
        number = rules.format_number(
            pattern=current.number_pattern,
            cb=rules.cb_code(cb.cb_code if cb else ""),
            year=year,
            std=code,
            serial=serial,
            recert=recert,
            size=size,
        )
    common = {
        "client": client,
        "programme": programme,
        "standard": standard,
        "decision": decision,
        "holder_name_zh": client.name_zh,
        "holder_name_en": client.name_en,
        "address_zh": address_zh,
        "address_en": address_en,
        "standard_label": _standard_label(standard),
        "scope_zh": scope_zh.strip(),
        "scope_en": (scope_en or "").strip(),
        "technical_codes": ", ".join(client_codes(client)),
        "year": year,
        "standard_code": code,
        "serial": serial,
        "recertification_count": recert,
        "size_band": size,
        "first_issued_on": first_issued_on,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "status": CertificateStatus.VALID,
        "status_since": issued_on,
        "withheld_reason": withheld_reason,
        "created_by": by,
        **_transfer_fields(transferred_from, reissue_of),
    }
    main = Certificate.objects.create(
        number=number,
        reissue=_next_reissue(number),
        replaces=continues or reissue_of,
        sites=[_site_row(s) for s in sites],
        **common,
    )
    _record_issue(main, decision, by)
    issued = [main]
    old_subs = {}
    previous = continues or reissue_of
    if previous is not None:
        for sub in previous.sub_certificates.all():
            old_subs[sub.site_id] = sub
    branches = [s for s in sites if s.kind == SiteKind.BRANCH and not s.is_central]
    for n, site in enumerate(branches, start=1):
        sub_number = f"{number}-{n}"
        sub = Certificate.objects.create(
            number=sub_number,
            reissue=_next_reissue(sub_number),
            main_certificate=main,
            site=site,
            replaces=old_subs.get(site.pk),
            sites=[_site_row(site)],
            **common,
        )
        _record_issue(sub, decision, by)
        issued.append(sub)
    return issued


@transaction.atomic
def certificate_status_change(
    *,
    certificate: Certificate,
    to_status: str,
    by: Any,
    reason: StatusReason | None = None,
    effective_on: datetime.date,
    decision: Decision | None = None,
    suspension_ends_on: datetime.date | None = None,
    note: str = "",
) -> Certificate:
    """Move a certificate to ``to_status`` through the certificate machine (decision effects, the
    daily job): the move must exist from its status, the reason must be of the status's list, a
    suspension needs its end; the event row keeps before, after, reason, date, who, suspension
    end and the decision. ``by`` is None only when the date alone changes the status (expiry)."""
    action = certificate_action_to(to_status)
    if action is None:
        raise invalid(_("Unknown certificate status %(status)s.") % {"status": to_status}, code="wrong_status")
    to_status = CertificateStatus(to_status)
    kind = REASON_KIND_FOR_STATUS.get(to_status)
    ends_on = suspension_ends_on if to_status == CertificateStatus.SUSPENDED else None

    def check(locked: Certificate) -> None:
        if kind is not None and (reason is None or reason.kind != kind):
            raise invalid(
                _("A change to %(to)s needs a reason code from the %(kind)s list.")
                % {"to": to_status.label.lower(), "kind": kind.label.lower()},
                code="reason_required",
            )
        if to_status == CertificateStatus.SUSPENDED and ends_on is None:
            raise invalid(_("A suspension needs an end date."), code="suspension_end_missing")

    CERTIFICATE_MACHINE.move(
        certificate,
        action,
        by=by,
        note=note,
        on_locked=check,
        changes={"status_since": effective_on, "suspended_until": ends_on},
        event={
            "reason": reason if kind is not None else None,
            "effective_on": effective_on,
            "suspension_ends_on": ends_on,
            "decision": decision,
        },
    )
    return certificate


@transaction.atomic
def certificates_release(*, programme: AuditProgramme, by: Any) -> list[Certificate]:
    """Release the programme's withheld certificates (a registered hold is lifted: e.g. the
    certificate fee is paid); who and when are recorded on each. Returns those released."""
    held = list(
        Certificate.objects.select_for_update()
        .filter(programme=programme, released_at__isnull=True)
        .exclude(withheld_reason="")
        .order_by("pk")
    )
    now = timezone.now()
    for certificate in held:
        certificate.released_at = now
        certificate.released_by = by
        certificate.save(update_fields=["released_at", "released_by_id"])
    return held
