"""The rows of each sheet, built from the records: one dict per row, keyed by the ``value`` names
the layout files use, plus meta keys starting with ``_`` (the record's label, the page that fixes
it, the submission key, the certificate it belongs to, the event day).
Which events a month reports: ``regulator/months.py``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch
from django.urls import reverse

from audits.models import Audit, AuditStatus, AuditType, CertificationBody, TeamAssignment, TeamRole
from certification.models import (
    Certificate,
    CertificateAction,
    CertificateStatusChange,
    DecisionType,
)
from clients.models import SiteKind
from people.models import Employment, QualificationLevel

from . import rules
from .layouts import code_table
from .models import (
    AuditorIdentity,
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ProgrammeContract,
    RegulatorSettings,
)

Row = dict[str, Any]

# audits.AuditType → the stage code of the CNCA sheets (code table audit_stage).
STAGE_CODES = {
    AuditType.STAGE_1: "0101",
    AuditType.STAGE_2: "0102",
    AuditType.RECERTIFICATION: "02",
    AuditType.SURVEILLANCE_1: "03",
    AuditType.SURVEILLANCE_2: "03",
    AuditType.SPECIAL: "04",
    AuditType.SHORT_NOTICE: "04",
    AuditType.RESTORATION: "04",
    AuditType.SCOPE_EXTENSION: "05",
    AuditType.TRANSFER: "04",
}
# The audit activity of a certificate row (code table audit_activity), by the decision behind it.
ACTIVITY_BY_DECISION = {
    DecisionType.GRANT: "01",
    DecisionType.RENEW: "02",
    DecisionType.MAINTAIN: "03",
    DecisionType.EXTEND_SCOPE: "05",
    DecisionType.REDUCE_SCOPE: "05",
    DecisionType.RESTORE: "04",
}
TEAM_ROLE_CODES = {TeamRole.LEADER: "01", TeamRole.AUDITOR: "02", TeamRole.TECHNICAL_EXPERT: "03"}
QUALIFICATION_CODES = {
    QualificationLevel.LEAD_AUDITOR: "01",
    QualificationLevel.AUDITOR: "02",
    QualificationLevel.TECHNICAL_EXPERT: "04",
}
STATUS_ACTIONS = (
    CertificateAction.SUSPEND,
    CertificateAction.RESTORE,
    CertificateAction.WITHDRAW,
    CertificateAction.CANCEL,
    CertificateAction.EXPIRE,
)
# Values that describe the event a row reports rather than the certificate as it stands: left out
# of the fingerprint that detects an information change (04).
EVENT_KEYS = frozenset(
    {
        "report_type",
        "late",
        "audit_activity",
        "surveillance_number",
        "stage1_start",
        "stage2_end",
        "actual_days",
        "combined_audit",
        "decision_makers",
        "decision_date",
        "change_date",
        "change_types",
        "audit_mode",
        "audit_leader",
    }
)
CERT_SHEET = "cnca_103010"
RESULT_SHEET = "cnca_103011"
PLAN_SHEET = "cnca_102010"


def fingerprint(row: Row) -> str:
    """The SHA-256 of a row's values, events and meta left out: what "changed since" compares."""
    content = {k: v for k, v in row.items() if not k.startswith("_") and k not in EVENT_KEYS}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _related(obj: Any, name: str) -> Any:
    """A reverse one-to-one (the regulator data of a record), None when there is none: read from
    ``select_related`` when the query joined it, one query otherwise."""
    if obj is None:
        return None
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class Context:
    """What the rows of one collection share, read in a fixed number of queries whatever the number
    of rows: the settings, the CB, and for the audits behind the rows (``load``) the stage 1 audit
    of each programme, the standards counted, the regulator data and the team (profile, user,
    qualifications, identity), one query per related table."""

    def __init__(self) -> None:
        self.settings = RegulatorSettings.objects.current()
        self._cb: Any = None
        self._cb_read = False
        self.stage_1: dict[int, Any] = {}
        self.standards_count: dict[int, int] = {}
        self.audit_data: dict[int, Any] = {}
        self.teams: dict[int, list[Any]] = {}
        self.loaded: set[int] = set()
        self.stage_1_loaded: set[int] = set()

    @property
    def cb(self) -> Any:
        if not self._cb_read:
            self._cb, self._cb_read = CertificationBody.objects.current(), True
        return self._cb

    def load(self, audits: list[Any], *, stage_1: bool = True) -> None:
        """Reads what the rows need of ``audits`` (and, with ``stage_1``, of the stage 1 audits of
        the stage 2 ones) that is not read yet."""
        if stage_1:
            programmes = {
                a.programme_id
                for a in audits
                if a.audit_type == AuditType.STAGE_2 and a.programme_id not in self.stage_1_loaded
            }
            if programmes:
                found = (
                    Audit.objects.filter(programme_id__in=programmes, audit_type=AuditType.STAGE_1)
                    .exclude(status=AuditStatus.CANCELLED)
                    .order_by("start_date", "pk")
                )
                for audit in found:
                    self.stage_1.setdefault(audit.programme_id, audit)
                self.stage_1_loaded |= programmes
                audits = audits + [self.stage_1[p] for p in programmes if p in self.stage_1]
        ids = {a.pk for a in audits} - self.loaded
        if not ids:
            return
        counts = (
            Audit.standards.through.objects.filter(audit_id__in=ids)
            .values("audit_id")
            .annotate(n=Count("pk"))
            .values_list("audit_id", "n")
        )
        self.standards_count.update(dict(counts))
        self.audit_data.update({r.audit_id: r for r in AuditRegistration.objects.filter(audit_id__in=ids)})
        team = (
            TeamAssignment.objects.filter(audit_id__in=ids)
            .select_related("profile__user", "profile__regulator_identity")
            .prefetch_related("profile__qualifications")
        )
        for assignment in team:
            self.teams.setdefault(assignment.audit_id, []).append(assignment)
        self.loaded |= ids

    def decision_audits(self, decision: Any) -> list[Any]:
        if decision is None or decision.audit_id is None:
            return []
        self.load([decision.audit])
        return _decision_audits(decision, self)

    def team(self, audit: Any) -> list[Any]:
        self.load([audit], stage_1=False)
        order = {TeamRole.LEADER: 0, TeamRole.AUDITOR: 1, TeamRole.TECHNICAL_EXPERT: 2}
        team = [a for a in self.teams.get(audit.pk, []) if a.role in order]
        return sorted(team, key=lambda a: (order[a.role], a.pk))


def _site_address(client: Any, kind: str) -> str:
    for site in client.sites.all():
        if site.kind == kind:
            return site.address_zh
    return ""


def client_values(client: Any) -> Row:
    reg = _related(client, "regulator_data") or ClientRegistration(client=client)
    registered = _site_address(client, SiteKind.REGISTERED)
    operating = _site_address(client, SiteKind.OPERATING) or registered
    return {
        "org_name": client.name_zh,
        "former_name": reg.former_name,
        "credit_code": reg.credit_code,
        "industry_code": reg.industry_code,
        "country_code": reg.country_code,
        "country_alpha2": "CN" if reg.country_code == "156" else "",
        "division_code": reg.division_code,
        "registered_address": registered,
        "postal_address": operating,
        "operating_address": operating,
        "postcode": client.postal_code,
        "phone": client.phone or client.contact_phone,
        "legal_representative": client.legal_representative,
        "organisation_type": reg.organisation_type,
        "registered_capital": reg.registered_capital,
        "capital_currency": reg.capital_currency if reg.registered_capital is not None else "",
        "total_staff": reg.total_staff if reg.total_staff is not None else client.headcount,
        "covered_staff": reg.covered_staff if reg.covered_staff is not None else client.headcount,
        "contact": client.contact_name or client.ms_contact,
        "contact_phone": client.contact_phone or client.phone,
        "_client_id": client.pk,
    }


def _decision_audits(decision: Any, ctx: Context) -> list[Any]:
    """The audits behind a decision: its audit and, for an initial grant from stage 2, the stage 1
    audit of the same programme (read by ``ctx.load``)."""
    audits = [decision.audit]
    if decision.audit.audit_type == AuditType.STAGE_2:
        stage_1 = ctx.stage_1.get(decision.audit.programme_id)
        if stage_1 is not None:
            audits.insert(0, stage_1)
    return audits


def _decision_makers(decision: Any) -> list[str]:
    if decision is None:
        return []
    names = [
        decision.evaluator_name or (decision.evaluated_by.full_name if decision.evaluated_by_id else ""),
        decision.approver_name or (decision.approved_by.full_name if decision.approved_by_id else ""),
    ]
    return [n for n in dict.fromkeys(names) if n]


def _surveillance_number(audit: Any) -> int | None:
    if audit.audit_type == AuditType.SURVEILLANCE_1:
        return 1
    if audit.audit_type == AuditType.SURVEILLANCE_2:
        return 2
    return None


def _status_changes(certificate: Any) -> list[Any]:
    changes = getattr(certificate, "regulator_changes", None)
    if changes is None:
        changes = list(certificate.status_changes.select_related("reason"))
    return changes


def _last(changes: list[Any], actions: tuple[str, ...]) -> Any:
    found = [c for c in changes if c.action in actions]
    return found[-1] if found else None


def _reissue_values(certificate: Any, replaced: Any) -> Row:
    """Reissue date, reason and previous certificate: a certificate transferred from another CB
    (IAF MD 2) is a reissue for reason 0103 naming the previous CB and its number; one that
    replaces ours, 0101 (recertification) or 0102 (another change)."""
    if certificate.previous_cb:
        return {
            "reissue_date": certificate.issued_on,
            "reissue_reason": "0103",
            "previous_cb": certificate.previous_cb,
            "previous_cert_number": certificate.previous_certificate_number,
        }
    if replaced is None:
        return {"reissue_date": None, "reissue_reason": "", "previous_cb": "", "previous_cert_number": ""}
    return {
        "reissue_date": certificate.issued_on,
        "reissue_reason": "0101" if certificate.recertification_count > replaced.recertification_count else "0102",
        "previous_cb": "",
        "previous_cert_number": replaced.number if replaced.number != certificate.number else "",
    }


def certificate_row(certificate: Any, *, ctx: Context, decision: Any = None, status_change: Any = None) -> Row:
    """The 103010 row of ``certificate`` (read with ``rows_queryset()``, its audits loaded in
    ``ctx``); ``decision``: the decision of the event (issue: the issuing one), ``status_change``:
    the status event reported."""
    cb = ctx.settings
    decision = decision or certificate.decision
    # A reissue carries the regulator data of the certificate it replaces until it has its own.
    reg = (
        _related(certificate, "regulator_data")
        or _related(certificate.replaces, "regulator_data")
        or CertificateRegistration()
    )
    contract = _related(certificate.programme, "contract") or ProgrammeContract()
    audits = ctx.decision_audits(decision)
    main_audit = audits[-1] if audits else None
    audit_reg = ctx.audit_data.get(main_audit.pk) if main_audit else None
    standards_count = ctx.standards_count.get(main_audit.pk, 0) if main_audit else 1
    changes = _status_changes(certificate)
    last_suspension = _last(changes, (CertificateAction.SUSPEND,))
    restored = _last(changes, (CertificateAction.RESTORE,))
    if restored is not None and last_suspension is not None and restored.effective_on < last_suspension.effective_on:
        restored = None  # suspended again since: the restoration belongs to an earlier suspension
    team = ctx.team(main_audit) if main_audit else []
    ending = _last(changes, (CertificateAction.WITHDRAW, CertificateAction.CANCEL))
    replaced = certificate.replaces
    row = client_values(certificate.client)
    row.update(
        {
            "approval_number": cb.approval_number,
            "branch_code": cb.branch_code,
            "cb_name": ctx.cb.name_zh if ctx.cb else "",
            "org_name": certificate.holder_name_zh,
            "org_name_en": certificate.holder_name_en,
            "scope_en": certificate.scope_en,
            "first_issued_on": certificate.first_issued_on,
            "cert_number": certificate.number,
            "item_code": reg.item_code,
            "standard_label": certificate.standard_label,
            "cnas_codes": [c.strip() for c in reg.cnas_codes.replace(";", "；").split("；") if c.strip()],
            "multi_site": len(certificate.sites or []) > 1,
            "sites": [s.get("address_zh") or s.get("name", "") for s in (certificate.sites or [])],
            "scope": certificate.scope_zh,
            "scope_en_or_zh": certificate.scope_en or certificate.scope_zh,
            "org_name_en_or_zh": certificate.holder_name_en or certificate.holder_name_zh,
            "audit_activity": ACTIVITY_BY_DECISION.get(decision.decision_type, "04") if decision else "",
            "recertification_count": certificate.recertification_count,
            "surveillance_number": _surveillance_number(main_audit) if main_audit else None,
            "stage1_start": audits[0].start_date if audits and audits[0].audit_type == AuditType.STAGE_1 else None,
            "stage2_end": main_audit.end_date if main_audit else None,
            "actual_days": (audit_reg.actual_days if audit_reg and audit_reg.actual_days is not None else None)
            if main_audit
            else None,
            "combined_audit": {1: "01", 2: "02", 3: "03"}.get(standards_count, "04"),
            "audit_mode": main_audit.method if main_audit else "",
            "audit_leader": next(
                (a.name or a.profile.user.full_name for a in team if a.role == TeamRole.LEADER),
                main_audit.imported_leader_name if main_audit else "",
            ),
            "decision_makers": _decision_makers(decision),
            "decision_date": decision.approved_on if decision else None,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
            "status": certificate.status,
            "suspension_reason": last_suspension.reason.code if last_suspension and last_suspension.reason else "",
            "suspension_start": last_suspension.effective_on if last_suspension else None,
            "suspension_end": last_suspension.suspension_ends_on if last_suspension else None,
            "restore_date": restored.effective_on if restored else None,
            "withdrawal_reason": ending.reason.code if ending and ending.reason else "",
            "withdrawal_date": ending.effective_on if ending else None,
            "is_sub_certificate": certificate.main_certificate_id is not None,
            "main_cert_number": certificate.main_certificate.number if certificate.main_certificate_id else "",
            "change_date": None,
            "change_types": [],
            **_reissue_values(certificate, replaced),
            "accreditation_number": "",
            "accreditation_mark": reg.accreditation_mark,
            "risk_level": reg.risk_level,
            "contract_amount": contract.amount,
            "contract_currency": contract.currency if contract.amount is not None else "",
            "contract_number": contract.number,
            "overdue_flag": False,
            "overdue_reason": "",
            "overdue_planned_date": None,
            "procedure_document": "",
            "base_audit_days": reg.base_audit_days,
            "_cert_id": certificate.pk,
            "_main_expires_on": certificate.main_certificate.expires_on if certificate.main_certificate_id else None,
            "_decision_on": decision.approved_on if decision else None,
            "_stage2_end": main_audit.end_date if main_audit else None,
            "_label": f"{certificate.number} · {certificate.holder_name_zh}",
            "_link": reverse("certification:certificate", args=[certificate.pk]),
            "_fix": reverse("regulator:edit", args=["certificate", certificate.pk]),
            "_client_fix": reverse("regulator:edit", args=["client", certificate.client_id]),
        }
    )
    if status_change is not None:
        row["_event_day"] = status_change.effective_on
    return row


def rows_queryset() -> Any:
    """Certificates with what their rows read joined or prefetched (one query per related table)."""
    return Certificate.objects.select_related(
        "client__regulator_data",
        "decision__audit",
        "decision__evaluated_by",
        "decision__approved_by",
        "replaces__regulator_data",
        "main_certificate",
        "programme__contract",
        "standard",
        "regulator_data",
    ).prefetch_related(
        "client__sites",
        Prefetch(
            "status_changes",
            queryset=CertificateStatusChange.objects.select_related("reason"),
            to_attr="regulator_changes",
        ),
    )


def _qualification(profile: Any, family: str) -> Any:
    for qualification in profile.qualifications.all():
        if qualification.family == family:
            return qualification
    return None


def person_values(assignment: Any, *, family: str) -> Row:
    profile = assignment.profile
    identity = _related(profile, "regulator_identity") or AuditorIdentity()
    qualification = _qualification(profile, family)
    if assignment.role == TeamRole.TECHNICAL_EXPERT:
        qualification_code = "04"
    elif qualification is not None:
        qualification_code = QUALIFICATION_CODES.get(qualification.level, "")
    else:
        qualification_code = ""
    return {
        "name": assignment.name or profile.user.full_name,
        "id_type": identity.id_type,
        "id_number": identity.id_number or "",
        "team_role": TEAM_ROLE_CODES.get(assignment.role, ""),
        "qualification": qualification_code,
        "ccaa_number": (qualification.registration_number if qualification else "") or profile.registration_number,
        "professional": bool(assignment.codes),
        "full_time": profile.employment == Employment.FULL_TIME,
        "witness": bool(assignment.witness_role),
        "phone": profile.phone,
        "_fix": reverse("regulator:edit", args=["auditor", profile.pk]),
        "_label": assignment.name,
        "_link": reverse("people:auditor_edit", args=[profile.pk]),
    }


def imported_person_values(profile: Any) -> Row:
    """The person of a result row read back from a past workbook: name and ID document from the
    records (the number decrypted only here, for the sheet)."""
    identity = _related(profile, "regulator_identity") or AuditorIdentity()
    return {
        "name": profile.user.full_name,
        "id_type": identity.id_type,
        "id_number": identity.id_number or "",
        "_fix": reverse("regulator:edit", args=["auditor", profile.pk]),
        "_label": profile.user.full_name,
        "_link": reverse("people:auditor_edit", args=[profile.pk]),
    }


def _audit_times(audit: Any, ctx: Context) -> tuple[datetime.datetime, datetime.datetime]:
    cb = ctx.cb
    start_time = cb.audit_day_start if cb else datetime.time(8, 30)
    end_time = cb.audit_day_end if cb else datetime.time(17, 0)
    return datetime.datetime.combine(audit.start_date, start_time), datetime.datetime.combine(audit.end_date, end_time)


def result_rows(certificate_row: Row, decision: Any, *, certificate: Any, ctx: Context) -> list[Row]:
    """The 103011 rows of a certificate row's event: one per person and audit behind ``decision``."""
    rows = []
    for audit in ctx.decision_audits(decision):
        start, end = _audit_times(audit, ctx)
        for assignment in ctx.team(audit):
            row = person_values(assignment, family=certificate.standard.family)
            row.update(
                {
                    "approval_number": certificate_row["approval_number"],
                    "cert_number": certificate.number,
                    "stage_code": STAGE_CODES.get(audit.audit_type, "04"),
                    "start": start,
                    "end": end,
                    "_cert_id": certificate.pk,
                    "_key": f"result:{certificate.pk}:{audit.pk}:{assignment.profile_id}",
                }
            )
            rows.append(row)
    return rows


def plan_rows(start: datetime.date, end: datetime.date) -> list[Row]:
    """102010: the audits starting in [start, end], not cancelled, not imported."""
    audits: list[Any] = list(
        Audit.objects.filter(start_date__gte=start, start_date__lte=end, imported=False)
        .exclude(status=AuditStatus.CANCELLED)
        .select_related("client__regulator_data", "programme", "regulator_data")
        .prefetch_related("client__sites", "standards", "sites")
        .order_by("start_date", "pk")
    )
    ctx = Context()
    ctx.load(audits, stage_1=False)
    item_codes: dict[int, list[str]] = {}
    registered = (
        CertificateRegistration.objects.filter(certificate__programme_id__in={a.programme_id for a in audits})
        .exclude(item_code="")
        .values_list("certificate__programme_id", "item_code")
        .distinct()
    )
    for programme_id, code in registered:
        codes = item_codes.setdefault(programme_id, [])
        if code not in codes:
            codes.append(code)
    return [_plan_row(audit, ctx=ctx, item_codes=item_codes.get(audit.programme_id, [])) for audit in audits]


def _plan_row(audit: Any, *, ctx: Context, item_codes: list[str]) -> Row:
    """The 102010 row of ``audit`` (read by ``plan_rows``, its team loaded in ``ctx``)."""
    cb = ctx.settings
    reg = _related(audit, "regulator_data") or AuditRegistration()
    start, end = _audit_times(audit, ctx)
    families = [s.family for s in audit.standards.all()]
    team, experts = [], []
    for assignment in ctx.team(audit):
        person = person_values(assignment, family=families[0] if families else "")
        if assignment.role == TeamRole.TECHNICAL_EXPERT:
            experts.append(rules.PART_JOIN.join([person["id_number"], person["name"], person["phone"]]))
        else:
            team.append(
                rules.PART_JOIN.join([person["id_number"], person["name"], person["team_role"], person["phone"]])
            )
    if not item_codes:
        by_family = code_table("cert_item").by_family
        item_codes = [by_family[f] for f in dict.fromkeys(families) if f in by_family]
    row = client_values(audit.client)
    sites = list(audit.sites.all())
    row.update(
        {
            "plan_number": reg.plan_number,
            "approval_number": cb.approval_number,
            "stage_codes": [STAGE_CODES.get(audit.audit_type, "04")],
            "start": start.replace(minute=0),
            "end": end.replace(minute=0),
            "team": team,
            "experts": experts,
            "main_site": sites[0].address_zh if sites else row["operating_address"],
            "item_codes": item_codes,
            "audit_mode": audit.method,
            "remarks": reg.remarks,
            "_audit_id": audit.pk,
            "_key": f"plan:{audit.pk}",
            "_label": f"{audit.client.name_zh} · {audit.get_audit_type_display()} · {audit.start_date}",
            "_link": reverse("audits:detail", args=[audit.pk]),
            "_fix": reverse("regulator:edit", args=["audit", audit.pk]),
            "_client_fix": reverse("regulator:edit", args=["client", audit.client_id]),
        }
    )
    return row


def certificate_rows(certificates: Any) -> list[Row]:
    """The 103010 rows of ``certificates`` (a queryset) as they stand, with no event of a month,
    in a fixed number of queries: the one way to build certificate rows outside ``month_data``."""
    found = list(rows_queryset().filter(pk__in=certificates.values("pk")).order_by("number", "reissue"))
    ctx = Context()
    ctx.load([c.decision.audit for c in found if c.decision_id and c.decision.audit_id])
    return [certificate_row(certificate, ctx=ctx) for certificate in found]


def certsearch_rows() -> list[Row]:
    """IAF CertSearch: every certificate not replaced, as it stands."""
    return certificate_rows(Certificate.objects.filter(replaced_by__isnull=True))


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
