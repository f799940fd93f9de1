"""The writes of a workbook import, one row at a time, each fact to the record it belongs to
(``services.workbook_import`` calls them in its transaction, after the dry run of
``regulator.importing`` said the row is to be created).

A certificate row (103010) becomes: the client when missing (name, legal representative, postcode,
phone, staff, registered and operating sites) and its registration (credit code, industry class,
division, organisation type, capital …); a programme and its contract; the past audits, review,
decision and certificate (first certification date, status with its reason and dates, English
scope); the certificate's regulator data (item code, CNAS codes, mark, risk level, base days);
the audit's actual days; and the reporting row keeping the month and the cells no record models.
A result row (103011) puts its person on the team of the past audit of its stage (the audit entered
as history when missing: surveillance, special and change audits too) and keeps its reporting row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import importing, rules
from .models import (
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ImportedReportRow,
    ProgrammeContract,
)

CERT_SHEET = "cnca_103010"
RESULT_SHEET = "cnca_103011"
# The audit activity of a certificate row → the past audit and decision behind it.
AUDIT_TYPE_BY_ACTIVITY = {
    "01": "stage_2",
    "02": "recertification",
    "03": "surveillance_1",
    "04": "special",
    "05": "scope_extension",
}
DECISION_BY_ACTIVITY = {"01": "grant", "02": "renew", "03": "maintain", "04": "restore", "05": "extend_scope"}
# The stage code of a result row → the past audit entered when its certificate has none yet.
AUDIT_TYPE_BY_STAGE = {
    "03": "surveillance_1",
    "04": "special",
    "05": "scope_extension",
}
# The stage of the result rows of the audit a certificate row's activity reports.
MAIN_STAGE_BY_ACTIVITY = {"01": "0102", "02": "02", "03": "03", "04": "04", "05": "05"}


def _text(values: dict[str, Any], code: str) -> str:
    value = values.get(code, "")
    return "" if value is None else rules.clean_text(str(value))


def _int(value: Any) -> int | None:
    try:
        return int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if str(value or "").strip() else None
    except InvalidOperation:
        return None


def _makers(values: dict[str, Any]) -> tuple[str, str]:
    """The evaluator and the approver of a decision from its decision makers (ISO/IEC 17021-1 9.5:
    two people; one name only: the approver, the evaluator not recorded)."""
    names = [n for n in (rules.clean_text(p) for p in _text(values, "DECISION_MAKERS").split(rules.JOIN)) if n]
    if len(names) >= 2:
        return names[0], names[-1]
    return "—", names[0] if names else _("not recorded")


def _client(line: importing.Line, *, by: Any) -> Any:
    from clients.models import Client, Site, SiteKind
    from clients.services import client_save

    values = line.values
    client = line.client
    if client is None:
        client = Client(
            name_zh=_text(values, "ORG_NAME"),
            legal_representative=_text(values, "LEGAL_REP"),
            postal_code=_text(values, "POSTCODE"),
            phone=_text(values, "ORG_PHONE"),
            headcount=_int(values.get("TOTAL_STAFF")),
        )
        registered = _text(values, "REG_ADDRESS")
        operating = _text(values, "OPER_ADDRESS")

        def sites(saved: Any) -> None:
            Site.objects.create(client=saved, kind=SiteKind.REGISTERED, address_zh=registered)
            if operating and operating != registered:
                Site.objects.create(client=saved, kind=SiteKind.OPERATING, address_zh=operating)

        client_save(client=client, by=by, save_related=sites)
    registration, _created = ClientRegistration.objects.get_or_create(client=client)
    registration.credit_code = rules.no_spaces_upper(_text(values, "ORG_CODE"))
    registration.former_name = _text(values, "ORG_FORMER_NAME")
    registration.industry_code = _text(values, "INDUSTRY_CODE")
    registration.country_code = _text(values, "COUNTRY_CODE") or "156"
    registration.division_code = _text(values, "REGION_CODE")
    registration.organisation_type = _text(values, "ORG_TYPE")
    registration.registered_capital = _decimal(values.get("REG_CAPITAL"))
    registration.capital_currency = _text(values, "CAPITAL_CURRENCY") or "CNY"
    registration.total_staff = _int(values.get("TOTAL_STAFF"))
    registration.covered_staff = _int(values.get("COVERED_STAFF"))
    registration.full_clean()
    registration.save()
    return client


def _audit(*, client: Any, programme: Any, standard: Any, audit_type: str, days: tuple, source: str, by: Any) -> Any:
    from audits.services import audit_import

    return audit_import(
        by=by,
        client=client,
        programme=programme,
        audit_type=audit_type,
        standards=[standard],
        start_date=days[0],
        end_date=days[1],
        leader_name="—",
        source=source,
    )


def certificate_row_import(
    line: importing.Line,
    *,
    stages: dict[str, tuple[datetime.date, datetime.date]],
    source: str,
    by: Any,
) -> ImportedReportRow:
    """Everything one certificate row of a past workbook says (``stages``: the first and last day of
    each stage its result rows name)."""
    from audits.services import programme_create
    from certification.services import certificate_import, decision_import, review_import

    values = line.values
    standard = line.standard
    issued = importing._day(values.get("ISSUE_DATE"))
    expires = importing._day(values.get("EXPIRY_DATE"))
    decided = importing._day(values.get("DECISION_DATE")) or issued
    assert issued and expires and decided and line.month  # checked by the dry run
    activity = _text(values, "AUDIT_ACTIVITY") or "01"
    client = _client(line, by=by)
    programme = programme_create(client=client, standards=[standard], by=by, notes=source[:200])
    evaluator, approver = _makers(values)
    stage_2_end = importing._day(values.get("STAGE2_END"))
    main_stage = MAIN_STAGE_BY_ACTIVITY.get(activity, "0102")
    main_days = stages.get(main_stage)
    if main_days is None and stage_2_end is not None:
        start = importing._day(values.get("STAGE1_START")) if activity == "01" else None
        main_days = (start or stage_2_end, stage_2_end)
    audit_type = AUDIT_TYPE_BY_ACTIVITY.get(activity, "stage_2")
    if audit_type == "surveillance_1" and _int(values.get("SURVEILLANCE_NO")) == 2:
        audit_type = "surveillance_2"
    if activity == "01" and "0101" in stages:
        _audit(
            client=client,
            programme=programme,
            standard=standard,
            audit_type="stage_1",
            days=stages["0101"],
            source=source,
            by=by,
        )
    initial = activity in ("01", "02")
    event_audit = None
    if initial and main_days is None:
        main_days = (decided, decided)  # the audit's days are not in the workbook: the decision's day
    if main_days is not None:
        event_audit = _audit(
            client=client,
            programme=programme,
            standard=standard,
            audit_type=audit_type,
            days=main_days,
            source=source,
            by=by,
        )
    scope_zh, scope_en = _text(values, "CERT_SCOPE"), _text(values, "CERT_SCOPE_EN")
    recertifications = _int(values.get("RECERT_COUNT")) or 0
    if initial:
        assert event_audit is not None
        review = review_import(audit=event_audit, by=by, concluded_on=decided, reviewer_name=evaluator, source=source)
        issuing = decision_import(
            client=client,
            by=by,
            decision_type=DECISION_BY_ACTIVITY[activity],
            evaluated_on=decided,
            approved_on=decided,
            evaluator_name=evaluator,
            approver_name=approver,
            audit=event_audit,
            review=review,
            standards=[standard],
            source=source,
        )
    else:
        # The decision that issued the certificate is not in this row (it reports a later event):
        # entered on the issue day with its makers not recorded.
        issuing = decision_import(
            client=client,
            by=by,
            decision_type="renew" if recertifications else "grant",
            evaluated_on=issued,
            approved_on=issued,
            evaluator_name="—",
            approver_name=_("not recorded"),
            programme=programme,
            standards=[standard],
            scope_zh=scope_zh,
            source=source,
        )
    status = _text(values, "CERT_STATUS")
    status_columns = importing.STATUS_COLUMNS.get(status)
    status_since = importing._day(values.get(status_columns[1])) if status_columns else None
    certificate = certificate_import(
        decision=issuing,
        standard=standard,
        by=by,
        issued_on=issued,
        expires_on=expires,
        status=status,
        scope_zh=scope_zh,
        scope_en=scope_en,
        number=rules.no_spaces_upper(_text(values, "CERT_NUMBER")),
        first_issued_on=importing._day(values.get("FIRST_CERT_DATE")),
        status_since=status_since,
        suspended_until=importing._day(values.get("SUSPEND_END")) if status == "02" else None,
        reason=line.reason_code,
        recertification_count=recertifications,
        source=source,
    )
    if not initial and event_audit is not None and values.get("DECISION_DATE"):
        review = review_import(audit=event_audit, by=by, concluded_on=decided, reviewer_name=evaluator, source=source)
        event = decision_import(
            client=client,
            by=by,
            decision_type=DECISION_BY_ACTIVITY.get(activity, "maintain"),
            evaluated_on=decided,
            approved_on=decided,
            evaluator_name=evaluator,
            approver_name=approver,
            audit=event_audit,
            review=review,
            standards=[standard],
            source=source,
        )
        event.certificates.add(certificate)
    cnas = rules.join(p for p in _text(values, "CNAS_CODES").replace(";", rules.JOIN).split(rules.JOIN))
    CertificateRegistration.objects.update_or_create(
        certificate=certificate,
        defaults={
            "item_code": _text(values, "CERT_ITEM_CODE"),
            "cnas_codes": cnas,
            "accreditation_mark": _text(values, "ACCRED_MARK"),
            "risk_level": _text(values, "RISK_LEVEL"),
            "base_audit_days": _decimal(values.get("BASE_AUDIT_DAYS")),
        },
    )
    amount = _decimal(values.get("CONTRACT_AMOUNT"))
    if amount is not None or _text(values, "CONTRACT_NUMBER"):
        ProgrammeContract.objects.update_or_create(
            programme=programme,
            defaults={
                "number": _text(values, "CONTRACT_NUMBER"),
                "amount": amount,
                "currency": _text(values, "CONTRACT_CURRENCY") or "CNY",
            },
        )
    if event_audit is not None and _decimal(values.get("AUDIT_DAYS")) is not None:
        AuditRegistration.objects.update_or_create(
            audit=event_audit, defaults={"actual_days": _decimal(values.get("AUDIT_DAYS"))}
        )
    return ImportedReportRow.objects.create(
        sheet=CERT_SHEET,
        month=line.month,
        position=line.row,
        certificate=certificate,
        audit=event_audit,
        cells=importing.kept_cells(values, sheet_key=CERT_SHEET, modelled=importing.MODELLED_CERT_COLUMNS),
        source=source[:200],
    )


def event_row_import(line: importing.Line, *, source: str) -> ImportedReportRow:
    """Another row of a certificate an earlier row (or import) entered: kept whole, in the month of
    its event (the records hold the certificate's state of its first row)."""
    from certification.models import Certificate

    number = rules.no_spaces_upper(_text(line.values, "CERT_NUMBER"))
    certificate = Certificate.objects.filter(number=number).order_by("-reissue").first()
    assert certificate is not None and line.month  # created by an earlier row, or present
    return ImportedReportRow.objects.create(
        sheet=CERT_SHEET,
        month=line.month,
        position=line.row,
        certificate=certificate,
        cells=importing.kept_cells(line.values, sheet_key=CERT_SHEET, modelled=frozenset()),
        complete=True,
        source=source[:200],
    )


def result_row_import(
    line: importing.Line,
    *,
    parents: dict[str, ImportedReportRow],
    stages: dict[str, dict[str, tuple[datetime.date, datetime.date]]],
    source: str,
    by: Any,
) -> None:
    """One person of a result row (103011) on the team of the past audit it names (entered as
    history when the imported certificate has none of that stage and day yet), and the row kept
    with its certificate row when this workbook created it (``parents``, by number)."""
    from audits.models import TeamAssignment
    from audits.models.team import WitnessRole
    from audits.services import team_member_import
    from certification.models import Certificate

    values = line.values
    number = rules.no_spaces_upper(str(values.get("CERT_NUMBER", "")))
    stage = str(values.get("AUDIT_STAGE", "")).strip()
    start = importing._day(values.get("AUDIT_START"))
    certificate = Certificate.objects.filter(number=number).order_by("-reissue").first()
    audit = line.audit
    if audit is None and certificate is not None and start is not None:
        audit = importing.result_audit(certificate, stage, start)
        if audit is None and certificate.imported and stage in importing.EVENT_STAGES:
            end = importing._day(values.get("AUDIT_END")) or start
            days = stages.get(number, {}).get(stage)
            if days is None or days[0] != start:
                days = (start, end)
            audit_type = AUDIT_TYPE_BY_STAGE[stage]
            if audit_type == "surveillance_1" and certificate.programme.audits.filter(audit_type=audit_type).exists():
                audit_type = "surveillance_2"
            audit = _audit(
                client=certificate.client,
                programme=certificate.programme,
                standard=certificate.standard,
                audit_type=audit_type,
                days=days,
                source=source,
                by=by,
            )
    if audit is None or certificate is None:
        raise ValidationError(
            _("Row %(row)s of the result sheet: no past audit of stage %(stage)s of %(number)s starts on %(day)s.")
            % {"row": line.row, "stage": stage, "number": number, "day": start},
            code="result_audit",
        )
    # A person with two rows of one audit (two roles) is on its team once.
    if not TeamAssignment.objects.filter(audit=audit, profile=line.client).exists():
        witness = str(values.get("IS_WITNESS", "")).strip() in ("1", "Y", "是")
        team_member_import(
            audit=audit,
            profile=line.client,
            role=importing.ROLE_BY_CODE[str(values.get("TEAM_ROLE", ""))],
            witness_role=WitnessRole.WITNESSED if witness else "",
            by=by,
        )
    parent = parents.get(number)
    if parent is not None:
        ImportedReportRow.objects.create(
            sheet=RESULT_SHEET,
            month=parent.month,
            position=line.row,
            certificate=certificate,
            parent=parent,
            audit=audit,
            profile=line.client,
            cells=importing.kept_cells(values, sheet_key=RESULT_SHEET, modelled=importing.MODELLED_RESULT_COLUMNS),
            source=source[:200],
        )
