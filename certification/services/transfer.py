"""A transfer of certification (IAF MD 2) as the committee's decision opens it: the previous
certificate's facts and, without a transfer audit, the standards and scopes transferred."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audits.models import Audit
from clients.models import Client
from standards.models import Standard

from . import base
from . import decision as checks  # its checks, read when called (it imports this module)
from .base import day_text

ScopeMap = dict[int, tuple[str, str]]


@dataclass(frozen=True)
class TransferFacts:
    """The certification taken over from another CB (IAF MD 2), as the pre-transfer review found it."""

    previous_cb: str
    previous_certificate_number: str
    previous_expires_on: datetime.date
    transfer_reason: str = ""

    def fields(self) -> dict[str, Any]:
        return {
            "previous_cb": self.previous_cb.strip(),
            "previous_certificate_number": self.previous_certificate_number.strip(),
            "previous_expires_on": self.previous_expires_on,
            "transfer_reason": self.transfer_reason.strip(),
        }


def _check_transfer(
    client: Client,
    audit: Audit | None,
    standards: list[Standard],
    scopes: ScopeMap,
    transfer: TransferFacts | None,
    errors: dict[str, Any],
) -> tuple[list[Standard], ScopeMap]:
    """A transfer: the previous certificate's facts, an expiry still to come (IAF MD 2 1.2, from
    memory: only valid certification is transferred), and the standards as a first certification
    (the transfer audit's when there was one)."""
    if transfer is None or not transfer.previous_cb.strip() or not transfer.previous_certificate_number.strip():
        errors["transfer"] = ValidationError(
            _("A transfer names the previous certification body and certificate number."), code="transfer_facts"
        )
    elif transfer.previous_expires_on <= base.today():
        errors["transfer"] = ValidationError(
            _("The previous certificate expired on %(date)s: an expired certificate is not transferred.")
            % {"date": day_text(transfer.previous_expires_on)},
            code="transfer_expired",
        )
    if audit is not None:
        return checks._check_new_certification(client, audit, standards, scopes, errors)
    if not standards:
        errors["standards"] = ValidationError(_("Choose the standards transferred."), code="standards_required")
    existing = checks._live_main_certificates(client, standards=standards).select_related("standard").first()
    if existing is not None:
        errors["standards"] = ValidationError(
            _("The client already holds certificate %(number)s for %(standard)s: renew it or change its scope instead.")
            % {"number": existing.number, "standard": existing.standard},
            code="already_certified",
        )
    requested = {s.standard_id: (s.scope_zh, s.scope_en) for s in client.scopes.all()}
    chosen: ScopeMap = {}
    for standard in standards:
        zh, en = scopes.get(standard.pk) or requested.get(standard.pk) or ("", "")
        if not zh.strip():
            errors[checks._scope_field(standard)] = ValidationError(
                _("Enter the scope to certify for %(standard)s (no requested scope is recorded for it).")
                % {"standard": standard},
                code="scope_required",
            )
            continue
        chosen[standard.pk] = (zh.strip(), en.strip())
    return standards, chosen
