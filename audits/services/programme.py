"""Audit programmes: a client's certification cycle, its standards and the anchors its due dates
are computed from (the dates themselves: ``audits.programme_rules`` and ``audits.selectors``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import set_history_user

from .. import selectors
from ..models import AuditProgramme, AuditStatus, AuditType
from .common import require_cb_admin

if TYPE_CHECKING:
    from accounts.models import User
    from clients.models import Client
    from standards.models import Standard


def _validate_programme(
    *,
    standards: list[Standard],
    decision_on: datetime.date | None,
    certificate_issued_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> None:
    errors: dict[str, Any] = {}
    if not standards:
        errors["standards"] = _("Choose at least one standard.")
    if decision_on and certificate_issued_on and certificate_issued_on < decision_on:
        errors["certificate_issued_on"] = _("The certificate cannot be issued before the certification decision.")
    if certificate_issued_on and not decision_on:
        errors["decision_on"] = _("Enter the certification decision date too.")
    if expires_on and (certificate_issued_on or decision_on):
        anchor = min(d for d in (decision_on, certificate_issued_on) if d)
        if expires_on <= anchor:
            errors["expires_on"] = _("The expiry date must be after the start of the cycle.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *,
    client: Client,
    standards: Iterable[Standard],
    by: User,
    rule_set: str | None = None,
    cycle: int = 1,
    starts_with_initial_audit: bool = True,
    decision_on: datetime.date | None = None,
    certificate_issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    notes: str = "",
    active: bool = True,
) -> AuditProgramme:
    require_cb_admin(by)
    standards = list(standards)
    _validate_programme(
        standards=standards, decision_on=decision_on, certificate_issued_on=certificate_issued_on, expires_on=expires_on
    )
    programme = AuditProgramme(
        client=client,
        rule_set=rule_set or selectors.certification_body().default_rule_set,
        cycle=cycle,
        starts_with_initial_audit=starts_with_initial_audit,
        decision_on=decision_on,
        certificate_issued_on=certificate_issued_on,
        expires_on=expires_on,
        notes=notes,
        active=active,
        created_by=by,
    )
    set_history_user(programme, by)
    programme.save()
    programme.standards.set(standards)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: AuditProgramme,
    by: User,
    standards: Iterable[Standard] | None = None,
    version: int | None = None,
    **fields: Any,
) -> AuditProgramme:
    """Change a programme's rule set, anchors, cycle, notes or standards. With ``version``
    (the version the editor loaded) a concurrent change is refused, not overwritten."""
    require_cb_admin(by)
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    if version is not None and programme.version != version:
        raise ValidationError(
            _("Someone else changed this programme since you opened it. Reload the page and make your changes again."),
            code="stale",
        )
    allowed = {
        "rule_set",
        "cycle",
        "starts_with_initial_audit",
        "decision_on",
        "certificate_issued_on",
        "expires_on",
        "active",
        "notes",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"programme_update does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(programme, name, value)
    new_standards = list(standards) if standards is not None else list(programme.standards.all())
    _validate_programme(
        standards=new_standards,
        decision_on=programme.decision_on,
        certificate_issued_on=programme.certificate_issued_on,
        expires_on=programme.expires_on,
    )
    if standards is not None:
        used = {
            s.pk
            for audit in programme.audits.exclude(status=AuditStatus.CANCELLED).prefetch_related("standards")
            for s in audit.standards.all()
        }
        missing = used - {s.pk for s in new_standards}
        if missing:
            raise ValidationError({"standards": _("A standard that audits of this programme use cannot be removed.")})
    programme.version += 1
    set_history_user(programme, by)
    programme.save()
    if standards is not None:
        programme.standards.set(new_standards)
    return programme


def programme_covering(*, client: Client, standards: list[Standard]) -> AuditProgramme | None:
    """The client's active programme covering the standards (the latest cycle), or None."""
    if not client.pk:
        return None
    wanted = {s.pk for s in standards}
    for programme in client.programmes.filter(active=True).prefetch_related("standards").order_by("-cycle", "-pk"):
        if wanted <= {s.pk for s in programme.standards.all()}:
            return programme
    return None


def _programme_for(*, client: Client, standards: list[Standard], audit_type: str, by: User) -> AuditProgramme:
    """The client's active programme covering the standards, or a new one."""
    existing = programme_covering(client=client, standards=standards)
    if existing is not None:
        return existing
    return programme_create(
        client=client,
        standards=standards,
        by=by,
        starts_with_initial_audit=audit_type in (AuditType.STAGE_1, AuditType.STAGE_2),
    )


def programme_next_due_refresh(*, programme_ids: Iterable[int]) -> None:
    """Store each programme's next due date (``selectors.programme_next_due``), which the
    programme list sorts on. Called whenever a programme, one of its audits or one of its
    certificates is saved (``audits.signals``, ``certification.apps``) and after bulk imports
    (``make_data``); a fixed number of queries per 500 programmes. Derived data: written with
    ``bulk_update`` (no history row, no version change, no signal)."""
    ids = sorted({pk for pk in programme_ids if pk is not None})
    if not ids:
        return
    cb = selectors.certification_body()
    fields = ["next_due_on", "next_due_window_opens", "has_pending"]
    for start in range(0, len(ids), 500):
        programmes = list(
            selectors.programmes_with_audits(AuditProgramme.objects.filter(pk__in=ids[start : start + 500]))
        )
        changed = []
        for programme in programmes:
            try:
                values = selectors.programme_next_due(programme=programme, cb=cb)
            except ValueError:
                # A programme whose audits contradict its cycle (the schedule refuses it, and its
                # page says why) sorts among those without a date; saving its audit must not fail.
                values = (None, None, True)
            if values != tuple(getattr(programme, name) for name in fields):
                programme.next_due_on, programme.next_due_window_opens, programme.has_pending = values
                changed.append(programme)
        if changed:
            AuditProgramme.objects.bulk_update(changed, fields)


#: Programmes refreshed per round of the nightly refresh (one read and at most one UPDATE each).
NEXT_DUE_REFRESH_BATCH = 500


def programme_next_due_refresh_all(*, batch_size: int = NEXT_DUE_REFRESH_BATCH) -> int:
    """The nightly safety net (``audits.tasks.refresh_programme_next_due``): refresh the stored
    next due date of every active programme, ``batch_size`` at a time (by primary key, so the
    memory and the time of one round stay bounded). A signal keeps the value current on every
    save, but a bulk ``update()`` or a raw write sends none, and the due date moves with the
    calendar (a window opens, an audit becomes overdue) without any save. Returns how many
    programmes were looked at."""
    active = AuditProgramme.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)
    seen, last = 0, 0
    while True:
        batch = list(active.filter(pk__gt=last)[:batch_size])
        if not batch:
            return seen
        programme_next_due_refresh(programme_ids=batch)
        seen += len(batch)
        last = batch[-1]
