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

from . import collect, exporter, importing, rules, selectors
from .fields import digest
from .models import (
    AuditorIdentity,
    AuditRegistration,
    CertificateRegistration,
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
def submission_export_month(*, month: datetime.date, by: Any, draft: bool = False) -> Submission:
    """The certificate and result sheets of ``month`` as one workbook, kept with what it covered.
    Refused while a validation error stands, unless ``draft`` (marked, covering nothing)."""
    _check_admin(by)
    return _store(selectors.month_preview(month), draft=draft, by=by)


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


_AUDIT_TYPE_BY_ACTIVITY = {"01": "stage_2", "02": "recertification", "03": "surveillance_1"}
_DECISION_BY_ACTIVITY = {"01": "grant", "02": "renew", "03": "maintain"}


@transaction.atomic
def workbook_import(*, data: bytes, source: str, by: Any) -> importing.ImportReport:
    """Apply the dry run's plan (``importing.plan_import``): each row to create becomes the client
    (when missing), its registration, a programme, and a past audit, review, decision and
    certificate entered as history (``certification.services.historical_cycle_import``). All or
    nothing."""
    from audits.services import programme_create
    from certification.services import HistoricalCertificate, HistoricalCycle, historical_cycle_import
    from clients.models import Client, Site, SiteKind
    from clients.services import client_save

    _check_admin(by)
    report = importing.plan_import(data=data)
    for line in report.lines:
        if line.action != importing.CREATE:
            continue
        if line.kind == "client":
            _import_client(line, by=by)
            continue
        if line.kind == "auditor":
            number = rules.no_spaces_upper(line.values.get(importing.AUDITOR_COLUMNS["id_number"], ""))
            AuditorIdentity.objects.update_or_create(
                profile=line.client,
                defaults={
                    "id_type": line.values.get(importing.AUDITOR_COLUMNS["id_type"], "") or "01",
                    "id_number": number,
                    "id_digest": digest(number),
                },
            )
            continue
        values = line.values
        issued = importing._day(values.get("ISSUE_DATE"))
        expires = importing._day(values.get("EXPIRY_DATE"))
        decided = importing._day(values.get("DECISION_DATE")) or issued
        end = importing._day(values.get("STAGE2_END")) or decided
        assert issued and expires and decided and end  # checked by plan_import
        client = line.client
        if client is None:
            client = Client(
                name_zh=rules.clean_text(str(values.get("ORG_NAME", ""))),
                legal_representative=str(values.get("LEGAL_REP", "") or ""),
                postal_code=str(values.get("POSTCODE", "") or ""),
                headcount=_int(values.get("TOTAL_STAFF")),
            )
            address = rules.clean_text(str(values.get("REG_ADDRESS", "") or ""))

            def registered_site(saved: Any, address: str = address) -> None:
                Site.objects.create(client=saved, kind=SiteKind.REGISTERED, address_zh=address)

            client_save(client=client, by=by, save_related=registered_site)
        registration, _created = ClientRegistration.objects.get_or_create(client=client)
        registration.credit_code = rules.no_spaces_upper(str(values.get("ORG_CODE", "")))
        registration.industry_code = str(values.get("INDUSTRY_CODE", "") or "")
        registration.division_code = str(values.get("REGION_CODE", "") or "")
        registration.organisation_type = str(values.get("ORG_TYPE", "") or "")
        registration.total_staff = _int(values.get("TOTAL_STAFF"))
        registration.covered_staff = _int(values.get("COVERED_STAFF"))
        registration.save()
        activity = str(values.get("AUDIT_ACTIVITY", "01") or "01")
        programme = programme_create(client=client, standards=[line.standard], by=by, notes=source[:200])
        makers = [m for m in str(values.get("DECISION_MAKERS", "") or "").split(rules.JOIN) if m] or ["—"]
        decision = historical_cycle_import(
            cycle=HistoricalCycle(
                client=client,
                programme=programme,
                audit_type=_AUDIT_TYPE_BY_ACTIVITY.get(activity, "stage_2"),
                standards=[line.standard],
                start_date=importing._day(values.get("STAGE1_START")) or end,
                end_date=end,
                leader_name="—",
                review_on=decided,
                reviewer_name=makers[0],
                evaluated_on=decided,
                evaluator_name=makers[0],
                approved_on=decided,
                approver_name=makers[-1],
                decision_type=_DECISION_BY_ACTIVITY.get(activity, "grant"),
                certificates=[
                    HistoricalCertificate(
                        standard=line.standard,
                        issued_on=issued,
                        expires_on=expires,
                        status=str(values.get("CERT_STATUS", "01")),
                        scope_zh=str(values.get("CERT_SCOPE", "") or ""),
                        number=rules.no_spaces_upper(str(values.get("CERT_NUMBER", ""))),
                    )
                ],
                source=source,
            ),
            by=by,
        )
        for certificate in decision.issued_certificates.all():
            CertificateRegistration.objects.update_or_create(
                certificate=certificate,
                defaults={
                    "item_code": str(values.get("CERT_ITEM_CODE", "") or ""),
                    "cnas_codes": str(values.get("CNAS_CODES", "") or ""),
                    "accreditation_mark": str(values.get("ACCRED_MARK", "") or ""),
                    "risk_level": str(values.get("RISK_LEVEL", "") or ""),
                },
            )
    report.applied = True
    return report
