"""A client user's start page: its certificates (status, validity, the next surveillance or
recertification due), its next audit (dates, team, plan), the NCs to answer with the days left,
the latest issued report. Everything through ``restrict()``: nothing of another organisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from audits.models import Audit, AuditProgramme, AuditStatus
from audits.selectors import certification_body, programme_schedule, programmes_with_audits, team_queryset
from certification.models import Certificate, CertificateStatus
from findings import selectors as findings_selectors
from portal.selectors import portal_reports

from .common import LIMIT, Bounded, days_to_audit, days_until, first, today

# The schedule statuses of an expected audit still to come (audits.selectors.STATUS_LABELS).
PENDING = ("overdue", "due", "upcoming")


def _next_due(programme: AuditProgramme | None, cb: Any) -> Any:
    """The programme's next expected audit (surveillance or recertification) not done yet."""
    if programme is None:
        return None
    pending = [e for e in programme_schedule(programme=programme, cb=cb) if e.status in PENDING and e.due_by]
    return min(pending, key=lambda entry: entry.due_by or datetime.date.max) if pending else None


def certificates(user: Any) -> Bounded:
    """The organisation's main certificates, in force first; each with ``next_due`` (its
    programme's next expected audit, computed for these few programmes only) and ``days_left``."""
    on = today()
    qs = (
        Certificate.objects.restrict(user, "view")
        .filter(main_certificate__isnull=True)
        .select_related("standard")
        .order_by("status", "expires_on", "number")
    )
    found = first(qs, url=reverse("certification:portal_certificates"))
    # Only a certificate in force (or suspended, to be restored) expects audits; an expired,
    # withdrawn or cancelled one has no next due date to show.
    in_force = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
    ids = {c.programme_id for c in found.rows if c.programme_id and c.status in in_force}
    programmes = {p.pk: p for p in programmes_with_audits(AuditProgramme.objects.filter(pk__in=ids))} if ids else {}
    cb = certification_body() if programmes else None
    for certificate in found.rows:
        certificate.next_due = (
            _next_due(programmes.get(certificate.programme_id), cb) if certificate.status in in_force else None
        )
        certificate.days_left = days_until(certificate.next_due.due_by if certificate.next_due else None, on)
    return found


def next_audit(user: Any) -> Audit | None:
    """The organisation's next audit (in progress, or planned soonest), with its team."""
    audit = (
        Audit.objects.restrict(user, "view")
        .filter(status__in=(AuditStatus.PLANNED, AuditStatus.IN_PROGRESS))
        .select_related("client")
        .prefetch_related("standards", Prefetch("team", queryset=team_queryset()))
        .order_by("start_date", "pk")
        .first()
    )
    if audit is not None:
        audit.days_left = days_to_audit(audit, today())
    return audit


def ncs_to_answer(user: Any) -> Bounded:
    on = today()
    rows: list[Any] = findings_selectors.to_answer(user=user, limit=LIMIT)
    for nc in rows:
        nc.days_left = days_until(nc.due_date, on)
    return Bounded(rows=rows, total=findings_selectors.total_of(rows), url=reverse("clients:portal_ncs"))


def latest_report(user: Any) -> Any:
    return portal_reports(user=user).first()


def page(user: Any) -> dict[str, Any]:
    return {
        "certificates": certificates(user),
        "next_audit": next_audit(user),
        "ncs": ncs_to_answer(user),
        "report": latest_report(user),
    }
