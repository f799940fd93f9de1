"""Recording what the audit found: findings with their evidence files, and the nonconformities
raised from them. The audit's team records them while it writes the report (the report editor,
``reports.finding_views``, calls these functions)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audits.models import Audit
from clients.uploads import check_document
from core.access import Role
from core.history import set_history_user

from ..models import Finding, FindingEvidence, Nonconformity, NonconformityGrade

if TYPE_CHECKING:
    from accounts.models import User
    from clients.models import Department
    from standards.models import Clause


def _require_team_member(*, audit: Audit, by: User) -> None:
    is_cb_admin = bool(by and by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN)
    if is_cb_admin or not Audit.objects.restrict(by, "change").filter(pk=audit.pk).exists():
        raise PermissionDenied(_("Only members of the audit team record findings and nonconformities."))


def _check_clause(*, audit: Audit, clause: Clause | None) -> None:
    if clause is not None and not audit.standards.filter(pk=clause.standard_id).exists():
        raise ValidationError({"clause": _("Choose a clause of the audit's standards.")})


def _check_department(*, audit: Audit, department: Department | None) -> None:
    if department is not None and department.client_id != audit.client_id:
        raise ValidationError({"department": _("Choose a department of the audited organisation.")})


@transaction.atomic
def finding_evidence_add(*, finding: Finding, uploaded_file: UploadedFile, by: User) -> FindingEvidence:
    """Attach a file to a finding (type and size checked on name and content)."""
    checked = check_document(uploaded_file)
    evidence = FindingEvidence(
        finding=finding,
        original_name=os.path.basename(checked.name)[:255],
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by,
    )
    evidence.file.save(checked.name, uploaded_file, save=False)
    set_history_user(evidence, by)
    evidence.save()
    return evidence


@transaction.atomic
def finding_create(
    *,
    audit: Audit,
    by: User,
    clause: Clause,
    description: str,
    department: Department | None = None,
    evidence: str = "",
    files: Iterable[UploadedFile] = (),
) -> Finding:
    """A team member records a finding against a clause (and department) with its evidence."""
    _require_team_member(audit=audit, by=by)
    _check_clause(audit=audit, clause=clause)
    _check_department(audit=audit, department=department)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the finding.")})
    finding = Finding(
        audit=audit,
        clause=clause,
        department=department,
        description=description.strip(),
        evidence=(evidence or "").strip(),
        recorded_by=by,
    )
    set_history_user(finding, by)
    finding.save()
    for uploaded in files or ():
        finding_evidence_add(finding=finding, uploaded_file=uploaded, by=by)
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    by: User,
    version: int | None,
    clause: Clause,
    description: str,
    department: Department | None = None,
    evidence: str = "",
    files: Iterable[UploadedFile] = (),
) -> Finding:
    """Change a finding; refused if somebody changed it since ``version`` was loaded."""
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    _require_team_member(audit=locked.audit, by=by)
    if version is not None and int(version) != locked.version:
        raise ValidationError(
            _(
                "Someone else changed this finding while you were editing it. Your changes were NOT saved; "
                "reload the finding and apply them again."
            ),
            code="stale",
        )
    _check_clause(audit=locked.audit, clause=clause)
    _check_department(audit=locked.audit, department=department)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the finding.")})
    locked.clause, locked.department = clause, department
    locked.description, locked.evidence = description.strip(), (evidence or "").strip()
    locked.version += 1
    set_history_user(locked, by)
    locked.save()
    for uploaded in files or ():
        finding_evidence_add(finding=locked, uploaded_file=uploaded, by=by)
    finding.version = locked.version
    return locked


@transaction.atomic
def nonconformity_raise(
    *,
    finding: Finding,
    by: User,
    grade: str,
    requirement: str,
    statement: str,
    evidence: str,
    clause: Clause | None = None,
    department: Department | None = None,
) -> Nonconformity:
    """Raise a nonconformity (major, minor or observation) from a finding. Numbered 1, 2, 3 …
    within the audit; its family is its clause's standard's; status ``open``."""
    audit = Audit.objects.select_for_update().get(pk=finding.audit_id)
    _require_team_member(audit=audit, by=by)
    clause = clause or finding.clause
    department = department if department is not None else finding.department
    _check_clause(audit=audit, clause=clause)
    _check_department(audit=audit, department=department)
    if grade not in NonconformityGrade.values:
        raise ValidationError({"grade": _("Choose major, minor or observation.")})
    missing = [
        name
        for name, value in (("requirement", requirement), ("statement", statement), ("evidence", evidence))
        if not (value or "").strip()
    ]
    if missing:
        raise ValidationError({name: _("This is required for a nonconformity.") for name in missing})
    number = (Nonconformity.objects.filter(audit=audit).aggregate(m=Max("number"))["m"] or 0) + 1
    nc = Nonconformity(
        audit=audit,
        finding=finding,
        number=number,
        grade=grade,
        family=clause.standard.family,
        clause=clause,
        department=department,
        requirement=requirement.strip(),
        statement=statement.strip(),
        evidence=evidence.strip(),
        raised_by=by,
    )
    set_history_user(nc, by)
    nc.save()
    return nc
