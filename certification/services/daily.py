"""The daily job and the committee's flags. Certificates valid or suspended past their expiry
become 05 (expired, the day after the expiry date, decided by nobody). Everything else is only
flagged to the committee, never decided: a suspension past its end → proposed withdrawal (0115);
an overdue surveillance or an overdue NC of a surveillance audit → proposed suspension; a
certificate expired without renewal → what the rules now require. The committee resolves a flag
with a decision or a written resolution."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits import programme_rules
from audits.models import AuditProgramme, AuditType
from audits.rule_texts import translated
from audits.selectors import certification_body, programme_schedule, programmes_with_audits
from core.notes import NoteMessage
from findings.models import Nonconformity
from findings.selectors import suspension_grounds_q

from ..models import (
    Certificate,
    CertificateStatus,
    CommitteeFlag,
    Decision,
    FlagKind,
    ReasonKind,
    StatusReason,
)
from ..models.certificate import LIVE_STATUSES
from ..rules import invalid
from . import base
from .base import day_text, require, save
from .certificates import certificate_status_change

EXPIRED_NOTE = NoteMessage(gettext_noop("The validity ended on %(date)s."))

SUSPENSION_ENDED_REASON_CODE = "0115"  # withdrawal list: suspension expired unresolved
OVERDUE_SURVEILLANCE_REASON_CODE = "0112"  # suspension list: client does not meet its contract duties
OVERDUE_NC_REASON_CODE = "0111"  # suspension list: failure to meet the requirements


@dataclass
class DailyRun:
    """What one run of the daily job did."""

    expired: list[str] = field(default_factory=list)  # certificate numbers now 05
    flags: list[CommitteeFlag] = field(default_factory=list)  # CommitteeFlag rows raised by this run

    def as_dict(self) -> dict[str, int]:
        return {"expired": len(self.expired), "flags": len(self.flags)}


def _raise_flag(run: DailyRun, *, key: str, **fields: Any) -> CommitteeFlag:
    flag, created = CommitteeFlag.objects.get_or_create(key=key[:120], defaults=fields)
    if created:
        run.flags.append(flag)
    return flag


@transaction.atomic
def certification_daily(*, today: datetime.date | None = None) -> DailyRun:
    """The daily beat job (idempotent: a second run the same day changes nothing); see the
    module's docstring. Flags are stored in the CB's language."""
    today = today or base.today()
    run = DailyRun()
    with translation.override(settings.LANGUAGE_CODE):
        for certificate in Certificate.objects.filter(status__in=LIVE_STATUSES, expires_on__lt=today).order_by("pk"):
            certificate_status_change(
                certificate=certificate,
                to_status=CertificateStatus.EXPIRED,
                by=None,
                effective_on=certificate.expires_on + datetime.timedelta(days=1),
                note=EXPIRED_NOTE.text(date=day_text(certificate.expires_on)),
            )
            run.expired.append(certificate.number)
        _flag_ended_suspensions(run, today)
        _flag_overdue_surveillance(run, today)
        _flag_overdue_ncs(run, today)
        _flag_expired(run, today)
    return run


def _mains(qs: QuerySet) -> QuerySet:
    return qs.filter(main_certificate__isnull=True).select_related("programme", "client")


def _flag_ended_suspensions(run: DailyRun, today: datetime.date) -> None:
    reason = StatusReason.objects.filter(kind=ReasonKind.WITHDRAWAL, code=SUSPENSION_ENDED_REASON_CODE).first()
    for certificate in _mains(
        Certificate.objects.filter(status=CertificateStatus.SUSPENDED, suspended_until__lt=today)
    ):
        _raise_flag(
            run,
            key=f"suspension-ended:{certificate.pk}:{certificate.suspended_until.isoformat()}",
            kind=FlagKind.PROPOSED_WITHDRAWAL,
            certificate=certificate,
            programme=certificate.programme,
            suggested_reason=reason,
            basis_date=certificate.suspended_until,
            raised_on=today,
            message=_(
                "The suspension of certificate %(number)s ended on %(date)s and the certificate has not been "
                "restored: the committee decides on withdrawal (reason 0115) or restoration."
            )
            % {"number": certificate.number, "date": day_text(certificate.suspended_until)},
        )


def _valid_certificate_of(programme_id: int) -> Certificate | None:
    return (
        Certificate.objects.filter(
            programme_id=programme_id, status=CertificateStatus.VALID, main_certificate__isnull=True
        )
        .order_by("pk")
        .first()
    )


def _flag_overdue_surveillance(run: DailyRun, today: datetime.date) -> None:
    cb = certification_body()
    reason = StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, code=OVERDUE_SURVEILLANCE_REASON_CODE).first()
    valid_programmes = Certificate.objects.filter(status=CertificateStatus.VALID, main_certificate__isnull=True).values(
        "programme_id"
    )
    programmes = programmes_with_audits(
        AuditProgramme.objects.filter(
            active=True, pk__in=valid_programmes, decision_on__isnull=False, certificate_issued_on__isnull=False
        )
    )
    for programme in programmes:
        for entry in programme_schedule(programme=programme, on_date=today, cb=cb):
            if entry.kind not in (AuditType.SURVEILLANCE_1, AuditType.SURVEILLANCE_2) or entry.status != "overdue":
                continue
            if entry.due_by is None:  # an overdue entry always has its due date
                continue
            certificate = _valid_certificate_of(programme.pk)
            _raise_flag(
                run,
                key=f"surveillance:{programme.pk}:{entry.kind}:{entry.due_by.isoformat()}",
                kind=FlagKind.PROPOSED_SUSPENSION,
                certificate=certificate,
                programme=programme,
                suggested_reason=reason,
                basis_date=entry.due_by,
                raised_on=today,
                message=_("%(audit)s was due by %(date)s and is not done. %(consequence)s")
                % {
                    "audit": entry.label,
                    "date": day_text(entry.due_by),
                    "consequence": entry.consequence,
                },
            )


def _flag_overdue_ncs(run: DailyRun, today: datetime.date) -> None:
    reason = StatusReason.objects.filter(kind=ReasonKind.SUSPENSION, code=OVERDUE_NC_REASON_CODE).first()
    ncs = Nonconformity.objects.filter(suspension_grounds_q(today)).select_related("audit__programme").order_by("pk")
    for nc in ncs:
        certificate = _valid_certificate_of(nc.audit.programme_id)
        if certificate is None or nc.due_date is None:  # (overdue NCs always have a due date)
            continue
        _raise_flag(
            run,
            key=f"nc:{nc.pk}:{nc.due_date.isoformat()}",
            kind=FlagKind.PROPOSED_SUSPENSION,
            certificate=certificate,
            programme=nc.audit.programme,
            suggested_reason=reason,
            basis_date=nc.due_date,
            raised_on=today,
            message=_(
                "Nonconformity No. %(number)s of the %(audit)s was due by %(date)s and its corrective action "
                "is not accepted: grounds for suspending certificate %(certificate)s."
            )
            % {
                "number": nc.number,
                "audit": nc.audit.get_audit_type_display().lower(),
                "date": day_text(nc.due_date),
                "certificate": certificate.number,
            },
        )


def _flag_expired(run: DailyRun, today: datetime.date) -> None:
    for certificate in _mains(Certificate.objects.filter(status=CertificateStatus.EXPIRED, replaced_by__isnull=True)):
        requirement = programme_rules.recertification_after_expiry(
            rule_set=programme_rules.RuleSet(certificate.programme.rule_set),
            expiry_date=certificate.expires_on,
            today=today,
        )
        _raise_flag(
            run,
            key=f"expired:{certificate.pk}",
            kind=FlagKind.RECERTIFICATION_AFTER_EXPIRY,
            certificate=certificate,
            programme=certificate.programme,
            basis_date=certificate.expires_on,
            raised_on=today,
            message=_(
                "Certificate %(number)s expired on %(date)s without a recertification decision. %(rule)s (%(source)s)"
            )
            % {
                "number": certificate.number,
                "date": day_text(certificate.expires_on),
                "rule": translated(requirement.message),
                "source": translated(requirement.source),
            },
        )


@transaction.atomic
def flag_resolve(*, flag: CommitteeFlag, by: Any, resolution: str, decision: Decision | None = None) -> CommitteeFlag:
    """Close a flag with what the committee decided (committee members, CB administrators)."""
    require(
        CommitteeFlag,
        by,
        "resolve",
        flag,
        _("Only the certification committee or a CB administrator resolves flags."),
    )
    flag = CommitteeFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise invalid(_("This flag is already resolved."), code="flag_resolved")
    resolution = (resolution or "").strip()
    if not resolution and decision is None:
        raise invalid({"resolution": _("Say what was decided.")}, code="resolution_required")
    if decision is not None:
        if decision.flag_id is None:
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            decision.flag = flag
            save(decision, by)
        resolution = resolution or _("Decision opened: %(decision)s.") % {"decision": decision}
    flag.resolution, flag.resolved_by, flag.resolved_at = resolution, by, timezone.now()
    flag.save()
    return flag
