"""Historical records of audits: an audit a CB made before it used this product, entered with its
real dates, type and team leader, marked as imported (``core.imported``).

The audit is created in the status it has reached (closed, unless a later step, such as an
imported technical review, still has to move it) through the machine's ``record_creation``: no
plan, no audit-time calculation, no team rule runs, and no date of today is written on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.dates import local_today
from core.history import set_history_user
from core.imported import import_marks

from ..lifecycle import AUDIT_MACHINE
from ..models import Audit, AuditProgramme, AuditStandard, AuditStatus, AuditType, TeamAssignment, TeamRole
from ..models.audit import PURPOSE_FOR_TYPE
from .common import require_cb_admin
from .team import _snapshot

if TYPE_CHECKING:
    from accounts.models import User
    from clients.models import Client
    from people.models import AuditorProfile
    from standards.models import Standard

# An imported audit is at the end of its way, or waits for the imported review and decision
# that close it (these move it through the audit machine like any decision does).
IMPORT_STATUSES = (AuditStatus.CLOSED, AuditStatus.APPROVED)


def _check_audit_import(
    *,
    client: Client,
    programme: AuditProgramme | None,
    audit_type: str,
    standards: list[Standard],
    start_date: datetime.date,
    end_date: datetime.date,
    leader: AuditorProfile | None,
    leader_name: str,
    status: str,
) -> None:
    errors: dict[str, str] = {}
    if audit_type not in AuditType.values:
        errors["audit_type"] = _("Choose the audit type.")
    if not standards:
        errors["standards"] = _("Choose the standards audited.")
    if end_date < start_date:
        errors["end_date"] = _("The last day cannot come before the first day.")
    elif end_date >= local_today():
        errors["end_date"] = _("A historical audit is over: its last day is before today.")
    if leader is None and not leader_name:
        errors["leader_name"] = _("Name the team leader.")
    if programme is not None and programme.client_id != client.pk:
        errors["programme"] = _("The programme is another client's.")
    if status not in IMPORT_STATUSES:
        errors["status"] = _("An imported audit is closed or awaits its imported decision.")
    if errors:
        raise ValidationError(errors, code="invalid_import")
    if Audit.objects.filter(client=client, audit_type=audit_type, start_date=start_date).exists():
        raise ValidationError(
            _("This client already has a %(type)s starting on %(day)s: it is not entered twice.")
            % {"type": AuditType(audit_type).label, "day": start_date.isoformat()},
            code="duplicate",
        )


@transaction.atomic
def audit_import(
    *,
    by: User,
    client: Client,
    audit_type: str,
    standards: Iterable[Standard],
    start_date: datetime.date,
    end_date: datetime.date,
    effective_personnel: int | None = None,
    programme: AuditProgramme | None = None,
    leader: AuditorProfile | None = None,
    leader_name: str = "",
    status: str = AuditStatus.CLOSED,
    source: str = "",
) -> Audit:
    """Enter a past audit (see the module docstring). The team leader is an auditor of this
    product (``leader``, put on the team) or a name only (``leader_name``)."""
    require_cb_admin(by)
    standards = list(standards)
    leader_name = (leader_name or "").strip()
    _check_audit_import(
        client=client,
        programme=programme,
        audit_type=audit_type,
        standards=standards,
        start_date=start_date,
        end_date=end_date,
        leader=leader,
        leader_name=leader_name,
        status=status,
    )
    if programme is None:
        programme = AuditProgramme.objects.filter(client=client, standards__in=standards).order_by("-cycle").first()
    if programme is None:
        raise ValidationError({"programme": _("Enter the client's audit programme first.")}, code="programme_missing")
    days = Decimal((end_date - start_date).days + 1)
    audit = Audit(
        client=client,
        programme=programme,
        audit_type=audit_type,
        purpose=PURPOSE_FOR_TYPE.get(audit_type, ""),
        start_date=start_date,
        end_date=end_date,
        on_site_days=days,
        planned_man_days=days,
        effective_personnel=effective_personnel or client.headcount or 1,
        status=status,
        imported_leader_name="" if leader is not None else leader_name,
        created_by=by,
        **import_marks(by=by, source=source),
    )
    set_history_user(audit, by)
    audit.save()
    for standard in standards:
        row = AuditStandard(audit=audit, standard=standard)
        set_history_user(row, by)
        row.save()
    if leader is not None:
        assignment = TeamAssignment(audit=audit, profile=leader, role=TeamRole.LEADER)
        _snapshot(assignment=assignment, audit=audit)
        set_history_user(assignment, by)
        assignment.save()
    AUDIT_MACHINE.record_creation(
        audit,
        by=by,
        note=_("Historical record (imported): the audit of %(start)s to %(end)s.")
        % {"start": start_date.isoformat(), "end": end_date.isoformat()},
    )
    return audit


@transaction.atomic
def team_member_import(
    *, audit: Audit, profile: AuditorProfile, role: str, witness_role: str = "", by: User
) -> TeamAssignment:
    """Put ``profile`` on the team of an imported (historical) audit, as a CB's past records name
    them (the CNCA result sheet 103011, one row per person): no team rule, no clash check, no mail;
    the audit must be an imported one. A person already on the team is refused (not entered twice)."""
    require_cb_admin(by)
    if not audit.imported:
        raise ValidationError(_("Only the team of an imported audit is entered as history."), code="not_imported")
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose the role in the team.")}, code="invalid_import")
    if TeamAssignment.objects.filter(audit=audit, profile=profile).exists():
        raise ValidationError(_("This auditor is already on the audit's team."), code="duplicate")
    assignment = TeamAssignment(audit=audit, profile=profile, role=role, witness_role=witness_role)
    _snapshot(assignment=assignment, audit=audit)
    set_history_user(assignment, by)
    assignment.save()
    return assignment
