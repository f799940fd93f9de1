"""What an approved decision does to certificates and the audit programme: one effect per kind,
named in the decision-type table (``certification.decision_types``, column ``effect``).

* transfer (IAF MD 2): as grant, but expiring with the previous CB's certificate, which it names.
* grant: one certificate per standard; the programme takes its anchors (decision, issue,
  expiry) if it has none, and the standards certified.
* renew: per certificate a new one (same year and serial, R + 1, expiry = previous expiry +
  validity), the old one cancelled (04, reason 0120); a new programme (cycle + 1) with the new
  anchors, the old one inactive. Allowed when approved on or before the expiry day.
* scope (extension, reduction): a reissue under the same number (reissue + 1), same expiry; the
  old one cancelled (04, reason 0120).
* status (suspend, restore, withdraw): the certificates and their sub-certificates take the
  kind's status; a programme whose certificates are all withdrawn expects nothing more.
* maintain: the certificates stay valid; none: nothing (a refusal).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits import programme_rules
from audits.models import AuditProgramme
from audits.rule_texts import translated
from core.notes import NoteMessage
from standards.models import Standard

from .. import rules
from ..decision_types import kind_of
from ..models import Certificate, CertificateStatus, Decision, ReasonKind
from ..models.certificate import LIVE_STATUSES
from ..registry import release_hold_reason
from ..rules import invalid
from .base import day_text, policy, reason, save
from .certificates import certificate_issue, certificate_status_change

REPLACED_NOTE = NoteMessage(gettext_noop("Replaced by certificate %(number)s."))
REISSUED_NOTE = NoteMessage(gettext_noop("Reissued as %(certificate)s."))

REPLACED_REASON_CODE = "0120"  # withdrawal list: replaced by a new certificate

Effect = Callable[..., list[Certificate]]


def scope_for(*, decision: Decision, standard: Standard, certificate: Certificate | None = None) -> tuple[str, str]:
    """The scope printed on the certificate of ``standard``: the decision's scope for that
    standard (never another standard's), else the certificate's (reissues), else the client's
    requested scope for the standard."""
    own = decision.scopes.filter(standard=standard).first()
    if own is not None and own.scope_zh.strip():
        return own.scope_zh.strip(), own.scope_en.strip()
    if certificate is not None:
        return certificate.scope_zh, certificate.scope_en
    scope = decision.client.scopes.filter(standard=standard).first()
    if scope is None:
        return "", ""
    return scope.scope_zh, scope.scope_en


def recertification_after_expiry_message(certificate: Certificate, on: datetime.date) -> str:
    """Why a certificate that expired before the recertification decision cannot be renewed, with
    what the programme's rules now require."""
    programme = certificate.programme
    requirement = programme_rules.recertification_after_expiry(
        rule_set=programme_rules.RuleSet(programme.rule_set), expiry_date=certificate.expires_on, today=on
    )
    return _(
        "Certificate %(number)s expired on %(date)s, before the recertification decision. %(rule)s (%(source)s)"
    ) % {
        "number": certificate.number,
        "date": day_text(certificate.expires_on),
        "rule": translated(requirement.message),
        "source": translated(requirement.source),
    }


def _approved_on(decision: Decision) -> datetime.date:
    """The approval day of a decision taking effect (the approval records it before the effect)."""
    if decision.approved_on is None:
        raise RuntimeError(f"Decision {decision.pk} takes effect without an approval date.")
    return decision.approved_on


def _decision_certificates(decision: Decision) -> list[Certificate]:
    """The decision's certificates (locked), main certificates first."""
    ids = list(decision.certificates.values_list("pk", flat=True))
    return list(Certificate.objects.select_for_update().filter(pk__in=ids).order_by("main_certificate_id", "pk"))


def _with_subs(certificate: Certificate, statuses: Iterable[str]) -> list[Certificate]:
    """The certificate and its sub-certificates in the given statuses."""
    subs = list(
        Certificate.objects.select_for_update()
        .filter(main_certificate=certificate, status__in=list(statuses))
        .order_by("pk")
    )
    return [certificate] + subs


def _refuse_status(certificate: Certificate, message: str) -> None:
    raise invalid(
        message % {"number": certificate.number, "status": certificate.get_status_display().lower()},
        code="wrong_certificate_status",
    )


def _effect_grant(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    expires_on = rules.expiry(issued_on, policy())
    if decision.programme_id is None:  # a grant follows an audit (decision_types), of a programme
        raise RuntimeError(f"Decision {decision.pk} grants certification outside an audit programme.")
    programme = AuditProgramme.objects.select_for_update().get(pk=decision.programme_id)
    # A CB policy of a higher app may withhold the certificates until, e.g., the fee is paid.
    withheld_reason = release_hold_reason(decision=decision, programme=programme)
    issued = []
    for standard in decision.standards.order_by("family", "code"):
        scope_zh, scope_en = scope_for(decision=decision, standard=standard)
        issued += certificate_issue(
            decision=decision,
            programme=programme,
            standard=standard,
            issued_on=issued_on,
            expires_on=expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            withheld_reason=withheld_reason,
        )
    if not programme.has_anchors:
        programme.decision_on = decision.approved_on
        programme.certificate_issued_on = issued_on
        programme.expires_on = expires_on
    missing = set(decision.standards.values_list("pk", flat=True)) - set(
        programme.standards.values_list("pk", flat=True)
    )
    programme.version += 1
    save(programme, by)
    if missing:
        programme.standards.add(*missing)
    return issued


def _effect_transfer(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    """A transfer (IAF MD 2): one certificate per standard under this CB's number, expiring when the
    previous certificate did (the cycle continues, 2.2 from memory of MD 2:2017), with the previous
    CB, certificate number and reason; the programme keeps the anchors of the cycle taken over."""
    if decision.programme_id is None or decision.previous_expires_on is None:
        raise RuntimeError(f"Transfer decision {decision.pk} has no programme or previous expiry.")
    programme = AuditProgramme.objects.select_for_update().get(pk=decision.programme_id)
    facts = {
        "previous_cb": decision.previous_cb,
        "previous_certificate_number": decision.previous_certificate_number,
        "transfer_reason": decision.transfer_reason,
    }
    issued = []
    for standard in decision.standards.order_by("family", "code"):
        scope_zh, scope_en = scope_for(decision=decision, standard=standard)
        issued += certificate_issue(
            decision=decision,
            programme=programme,
            standard=standard,
            issued_on=issued_on,
            expires_on=decision.previous_expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            transferred_from=facts,
        )
    if not programme.has_anchors:
        programme.decision_on = decision.approved_on
        programme.certificate_issued_on = issued_on
    programme.expires_on = programme.expires_on or decision.previous_expires_on
    programme.version += 1
    save(programme, by)
    missing = set(decision.standards.values_list("pk", flat=True)) - set(
        programme.standards.values_list("pk", flat=True)
    )
    if missing:
        programme.standards.add(*missing)
    return issued


def _effect_none(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    return []


def _effect_maintain(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    for certificate in _decision_certificates(decision):
        if certificate.status != CertificateStatus.VALID:
            _refuse_status(certificate, _("Certificate %(number)s is %(status)s: certification cannot be maintained."))
    return []


def _effect_renew(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    """Continue the cycle (see the module's docstring)."""
    current = policy()
    replaced = reason(ReasonKind.WITHDRAWAL, REPLACED_REASON_CODE)
    approved_on = _approved_on(decision)
    certificates = [c for c in _decision_certificates(decision) if c.main_certificate_id is None]
    for certificate in certificates:
        if not rules.renewal_allowed(expires_on=certificate.expires_on, decided_on=approved_on):
            raise invalid(recertification_after_expiry_message(certificate, approved_on), code="expired")
        if certificate.status not in (CertificateStatus.VALID, CertificateStatus.EXPIRED):
            _refuse_status(certificate, _("Certificate %(number)s is %(status)s: it cannot be renewed."))
    issued = []
    new_programmes = {}
    for certificate in certificates:
        old_programme = AuditProgramme.objects.select_for_update().get(pk=certificate.programme_id)
        expires_on = rules.renewal_expiry(certificate.expires_on, current)
        if old_programme.pk not in new_programmes:
            new_programme = save(
                AuditProgramme(
                    client=old_programme.client,
                    rule_set=old_programme.rule_set,
                    cycle=old_programme.cycle + 1,
                    starts_with_initial_audit=False,
                    decision_on=decision.approved_on,
                    certificate_issued_on=issued_on,
                    expires_on=expires_on,
                    created_by=by,
                    notes=_("Recertification of cycle %(cycle)s.") % {"cycle": old_programme.cycle},
                ),
                by,
            )
            new_programme.standards.set(old_programme.standards.all())
            old_programme.active = False
            old_programme.version += 1
            save(old_programme, by)
            new_programmes[old_programme.pk] = new_programme
        scope_zh, scope_en = scope_for(decision=decision, standard=certificate.standard, certificate=certificate)
        new = certificate_issue(
            decision=decision,
            programme=new_programmes[old_programme.pk],
            standard=certificate.standard,
            issued_on=issued_on,
            expires_on=expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            continues=certificate,
        )
        issued += new
        for old in _with_subs(
            certificate, (CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED)
        ):
            certificate_status_change(
                certificate=old,
                to_status=CertificateStatus.CANCELLED,
                by=by,
                reason=replaced,
                effective_on=issued_on,
                decision=decision,
                note=REPLACED_NOTE.text(number=new[0].number),
            )
    return issued


def _effect_scope(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    """Reissue each certificate under its number with the new scope (see the module's docstring)."""
    replaced = reason(ReasonKind.WITHDRAWAL, REPLACED_REASON_CODE)
    allowed = kind_of(decision.decision_type).certificate_statuses
    issued = []
    for certificate in [c for c in _decision_certificates(decision) if c.main_certificate_id is None]:
        if certificate.status not in allowed:
            _refuse_status(certificate, _("Certificate %(number)s is %(status)s: its scope cannot change."))
        scope_zh, scope_en = scope_for(decision=decision, standard=certificate.standard, certificate=certificate)
        new = certificate_issue(
            decision=decision,
            programme=certificate.programme,
            standard=certificate.standard,
            issued_on=issued_on,
            expires_on=certificate.expires_on,
            scope_zh=scope_zh,
            scope_en=scope_en,
            by=by,
            reissue_of=certificate,
        )
        issued += new
        for old in _with_subs(certificate, LIVE_STATUSES):
            certificate_status_change(
                certificate=old,
                to_status=CertificateStatus.CANCELLED,
                by=by,
                reason=replaced,
                effective_on=issued_on,
                decision=decision,
                note=REISSUED_NOTE.text(certificate=new[0]),
            )
    return issued


def _effect_status(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    """The decision's certificates and their sub-certificates in the kind's statuses take the
    status the kind sets."""
    kind = kind_of(decision.decision_type)
    to_status = kind.sets_status
    if to_status is None:
        raise RuntimeError(f"The decision type {kind.type} has the status effect but sets no status.")
    approved_on = _approved_on(decision)
    if to_status == CertificateStatus.SUSPENDED:
        rules.check_suspension_end(ends_on=decision.suspension_ends_on, starts_on=approved_on, policy=policy())
    done = set()
    for certificate in _decision_certificates(decision):
        for target in _with_subs(certificate, kind.certificate_statuses):
            if target.pk in done:
                continue
            done.add(target.pk)
            certificate_status_change(
                certificate=target,
                to_status=to_status,
                by=by,
                reason=decision.reason if kind.reason_kind else None,
                effective_on=approved_on,
                decision=decision,
                suspension_ends_on=decision.suspension_ends_on if to_status == CertificateStatus.SUSPENDED else None,
            )
    if to_status == CertificateStatus.WITHDRAWN:
        _deactivate_finished_programmes(decision, by)
    return []


def _deactivate_finished_programmes(decision: Decision, by: Any) -> None:
    """A programme none of whose certificates is valid or suspended any more expects nothing."""
    ids = set(decision.certificates.values_list("programme_id", flat=True))
    for programme in AuditProgramme.objects.select_for_update().filter(pk__in=ids, active=True):
        if not Certificate.objects.filter(programme=programme, status__in=LIVE_STATUSES).exists():
            programme.active = False
            programme.version += 1
            save(programme, by)


# The effects the decision-type table names.
EFFECTS: dict[str, Effect] = {
    "grant": _effect_grant,
    "transfer": _effect_transfer,
    "none": _effect_none,
    "maintain": _effect_maintain,
    "renew": _effect_renew,
    "scope": _effect_scope,
    "status": _effect_status,
}


@transaction.atomic
def decision_effect(*, decision: Decision, by: Any, issued_on: datetime.date) -> list[Certificate]:
    """Apply what an approved decision does (its kind's effect); returns the certificates issued."""
    return EFFECTS[kind_of(decision.decision_type).effect](decision=decision, by=by, issued_on=issued_on)
