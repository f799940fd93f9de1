"""Every write of the regulator reporting: an export kept as a submission, the plan number of an
audit, the regulator data of a record (``record_save``), the import of past workbooks
(``regulator.importing``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.access import CB_ADMIN
from core.history import set_history_user

from . import auditor_list, collect, exporter, importing, rules, selectors
from .fields import digest
from .models import (
    AuditorIdentity,
    AuditRegistration,
    ClientRegistration,
    RegulatorSettings,
    Submission,
    SubmissionItem,
)
from .selectors import Preview


def _check_admin(by: Any) -> None:
    if by is not None and not CB_ADMIN.allows(by):
        raise PermissionDenied(_("Only a CB administrator reports to the regulator."))


def _store(preview: Preview, *, draft: bool, by: Any) -> Submission:
    if preview.errors and not draft:
        raise ValidationError(
            _("The export has %(n)s validation errors; correct them or export a marked draft.")
            % {"n": len(preview.errors)},
            code="invalid",
        )
    data = exporter.write_sheets(preview.sheets)
    digest_ = exporter.sha256(data)
    if not draft:
        same = Submission.objects.filter(
            kind=preview.kind,
            period_start=preview.start,
            period_end=preview.end,
            draft=False,
            sha256=digest_,
        ).first()
        if same is not None:
            return same  # re-running an export of unchanged data changes nothing
    submission = Submission(
        kind=preview.kind,
        period_start=preview.start,
        period_end=preview.end,
        draft=draft,
        problems=len(preview.problems),
        sha256=digest_,
        rows=preview.counts,
        created_by=by,
    )
    submission.file.save(f"{preview.kind}.xlsx", ContentFile(data), save=False)
    try:
        submission.save()
        if not draft:
            SubmissionItem.objects.bulk_create(
                SubmissionItem(
                    submission=submission,
                    sheet=layout.key,
                    key=str(row["_key"]),
                    fingerprint=collect.fingerprint(row),
                    late=bool(row.get("late")),
                )
                for layout, rows in preview.sheets
                for row in rows
                if row.get("_key")
            )
    except BaseException:
        submission.file.storage.delete(str(submission.file.name))
        raise
    return submission


@transaction.atomic
def submission_export_month(
    *, month: datetime.date, by: Any, draft: bool = False, include_imported: bool = False
) -> Submission:
    """The certificate and result sheets of ``month`` as one workbook, kept with what it covered.
    Refused while a validation error stands, unless ``draft`` (marked, covering nothing).
    ``include_imported``: with the month's rows read back from past workbooks."""
    _check_admin(by)
    return _store(selectors.month_preview(month, include_imported=include_imported), draft=draft, by=by)


@transaction.atomic
def submission_export_plans(*, start: datetime.date, end: datetime.date, by: Any, draft: bool = False) -> Submission:
    """The plan sheet (102010) of the audits starting from ``start`` to ``end``."""
    _check_admin(by)
    if end < start:
        raise ValidationError(_("The end of the period is before its start."), code="period")
    return _store(selectors.plans_preview(start, end), draft=draft, by=by)


@transaction.atomic
def submission_export_certsearch(*, by: Any, draft: bool = False) -> Submission:
    """The IAF CertSearch upload of every certificate in force or last issued."""
    _check_admin(by)
    return _store(selectors.certsearch_preview(), draft=draft, by=by)


@transaction.atomic
def plan_number_assign(*, audit: Any, by: Any) -> AuditRegistration:
    """Give ``audit`` the next plan number CNCA suggests (rules.plan_number), unless it has one."""
    _check_admin(by)
    registration, _created = AuditRegistration.objects.select_for_update().get_or_create(audit=audit)
    if registration.plan_number:
        return registration
    cb = RegulatorSettings.objects.current()
    prefix = rules.plan_number(approval_digits=cb.approval_digits, branch_code=cb.branch_code, serial=0)[:-5]
    used = AuditRegistration.objects.filter(plan_number__startswith=prefix).count()
    serial = used + 1
    while AuditRegistration.objects.filter(
        plan_number=rules.plan_number(approval_digits=cb.approval_digits, branch_code=cb.branch_code, serial=serial)
    ).exists():
        serial += 1
    registration.plan_number = rules.plan_number(
        approval_digits=cb.approval_digits, branch_code=cb.branch_code, serial=serial
    )
    registration.save(update_fields=["plan_number"])
    return registration


@transaction.atomic
def record_save(*, instance: models.Model, by: Any) -> models.Model:
    """Save the regulator data of one record (a form's instance), as the CB administrator ``by``."""
    _check_admin(by)
    if isinstance(instance, AuditorIdentity):
        instance.id_number = rules.no_spaces_upper(instance.id_number or "")
        instance.id_digest = digest(instance.id_number) if instance.id_number else ""
    set_history_user(instance, by)
    instance.full_clean()
    instance.save()
    return instance


# --- import of past workbooks (the adoption path) ---------------------------------------------


def _import_client(line: importing.Line, *, by: Any) -> None:
    from clients.models import Client, Site, SiteKind
    from clients.services import client_save

    columns, values = importing.CLIENT_COLUMNS, line.values
    address = rules.clean_text(values.get(columns["address"], ""))

    def registered_site(saved: Any) -> None:
        Site.objects.create(client=saved, kind=SiteKind.REGISTERED, address_zh=address)

    client = Client(
        name_zh=rules.clean_text(values.get(columns["name"], "")),
        legal_representative=values.get(columns["legal_rep"], ""),
        headcount=_int(values.get(columns["staff"])),
    )
    client_save(client=client, by=by, save_related=registered_site)
    ClientRegistration.objects.create(
        client=client,
        credit_code=rules.no_spaces_upper(values.get(columns["credit_code"], "")),
        total_staff=client.headcount,
        covered_staff=client.headcount,
    )


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


@transaction.atomic
def workbook_import(*, data: bytes, source: str, by: Any, month: datetime.date | None = None) -> importing.ImportReport:
    """Apply the dry run's plan (``importing.plan_import``): each certificate row to create writes
    every fact it holds to its record and keeps its reporting row (``import_rows``); each result row
    puts its person on the past audit's team. ``month``: the month the workbook reported (each row's
    event month when not given). All or nothing."""
    from . import import_rows

    _check_admin(by)
    report = importing.plan_import(data=data, month=month)
    days = importing.result_days(data)
    parents: dict[str, Any] = {}
    for line in report.lines:
        if line.action != importing.CREATE:
            continue
        if line.kind == "result":
            import_rows.result_row_import(line, parents=parents, stages=days, source=source, by=by)
        elif line.kind == "event":
            kept = import_rows.event_row_import(line, source=source)
            parents.setdefault(kept.certificate.number, kept)  # its result rows, when no row created it
        elif line.kind == "client":
            _import_client(line, by=by)
        elif line.kind == "auditor":
            number = rules.no_spaces_upper(line.values.get(importing.AUDITOR_COLUMNS["id_number"], ""))
            AuditorIdentity.objects.update_or_create(
                profile=line.client,
                defaults={
                    "id_type": line.values.get(importing.AUDITOR_COLUMNS["id_type"], "") or "01",
                    "id_number": number,
                    "id_digest": digest(number),
                },
            )
        else:
            number = rules.no_spaces_upper(str(line.values.get("CERT_NUMBER", "")))
            parents[number] = import_rows.certificate_row_import(
                line, stages=days.get(number, {}), source=source, by=by
            )
    report.applied = True
    return report


# --- a plain list of auditors (the adoption path) ----------------------------------------------


@transaction.atomic
def auditor_list_import(*, data: bytes, filename: str, by: Any) -> auditor_list.AuditorListReport:
    """Apply the dry run of a CB's auditor list (``auditor_list.plan_auditor_list``): each new
    auditor gets a login (no password until they set one), a profile, a qualification per family
    and the ID document (encrypted, as ``record_save``); each auditor present is updated, never
    entered twice. Refused rows are listed, not written; the rows to write are written all or
    none."""
    from accounts.models import User
    from core.access import Role
    from core.dates import local_today
    from people.models import AuditorProfile, Qualification
    from people.services import auditor_profile_save, auditor_user_create

    _check_admin(by)
    report = auditor_list.plan_auditor_list(data=data, filename=filename)
    for line in report.lines:
        if line.action not in (auditor_list.CREATE, auditor_list.UPDATE):
            continue
        values = line.values
        level = auditor_list.LEVEL_BY_CODE[values["qualification"]]
        profile = line.profile
        if profile is None:
            username = values.get("email") or values["registration"].lower()
            if User.objects.filter(username=username).exists():
                username = values["registration"].lower()
            user = auditor_user_create(
                username=username,
                full_name=line.name,
                email=values.get("email", ""),
                role=Role.TEAM_LEADER if level == "lead_auditor" else Role.AUDITOR,
                by=by,
            )
            profile = AuditorProfile(user=user, registration_number=values["registration"], gender=values["gender"])
        else:
            if values.get("email") and values["email"] != profile.user.email:
                profile.user.email = values["email"]
                set_history_user(profile.user, by)
                profile.user.save(update_fields=["email"])
        if values.get("phone"):
            profile.phone = values["phone"]
        auditor_profile_save(profile=profile, by=by)
        have = {q.family: q for q in profile.qualifications.all()}
        for family in line.families:
            qualification = have.get(family) or Qualification(profile=profile, family=family, valid_from=local_today())
            if qualification.pk and qualification.level == level:
                continue
            qualification.level = level
            set_history_user(qualification, by)
            qualification.full_clean()
            qualification.save()
        identity = AuditorIdentity.objects.filter(profile=profile).first() or AuditorIdentity(profile=profile)
        identity.id_type = values["id_type"]
        identity.id_number = values["id_number"]
        record_save(instance=identity, by=by)
    report.applied = True
    return report


# --- past plan sheets (102010) -------------------------------------------------------------------


@transaction.atomic
def plan_sheet_import(*, data: bytes, source: str, by: Any) -> Any:
    """Apply the dry run of a past plan sheet (``plans_import.plan_plans``): each row to create
    becomes a past audit (marked imported) of the client's programme for its standards, with its
    days, audit mode, team and plan number. Refused rows are listed, not written; the rows to
    create are written all or none."""
    from audits.models import AuditProgramme
    from audits.services import audit_import, programme_create, team_member_import

    from . import plans_import

    _check_admin(by)
    report = plans_import.plan_plans(data=data)
    for line in report.lines:
        if line.action != importing.CREATE:
            continue
        assert line.start and line.end  # checked by the dry run
        programme = (
            AuditProgramme.objects.filter(client=line.client, standards__in=line.standards).order_by("-cycle").first()
        ) or programme_create(client=line.client, standards=line.standards, by=by, notes=source[:200])
        leader, *others = line.team
        audit = audit_import(
            by=by,
            client=line.client,
            programme=programme,
            audit_type=line.audit_type,
            standards=line.standards,
            start_date=line.start,
            end_date=line.end,
            leader=leader.profile,
            source=source,
        )
        if audit.method != line.mode:
            audit.method = line.mode
            set_history_user(audit, by)
            audit.save(update_fields=["method"])
        for member in others:
            team_member_import(audit=audit, profile=member.profile, role=member.role, by=by)
        registration = AuditRegistration(audit=audit, plan_number=line.plan_number, remarks=line.remarks)
        set_history_user(registration, by)
        registration.full_clean()
        registration.save()
    report.applied = True
    return report
