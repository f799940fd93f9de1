"""Pure rules of the front of the process: what a complete application holds, the application
review's checklist (ISO/IEC 17021-1 9.1.2), the audit days of the 3-year cycle, the quotation's
lines and total, the contract number. No database writes; the facts come in as plain data.

Audit days come from the existing calculator (``audits.calculation.calculate_man_days``: IAF MD 5
tables, MD 11 integration, MD 1 site sample, the CB's stage 1 share and rounding), once per audit
of the cycle. Surveillance is 1/3 and recertification 2/3 of the initial time there (IAF MD 5:2019,
``audits.audit_time.tables.AUDIT_TYPE_FRACTIONS``, checked against public copies), so this module
keeps no ratio of its own.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audits.calculation import StandardInput, calculate_man_days
from audits.models import AuditType
from audits.programme_rules import add_months
from standards.models import code_covers

# --- completeness (17021-1 9.1.1: the information the applicant provides) ----------------------


@dataclass(frozen=True)
class ApplicationFacts:
    name_zh: str
    address_zh: str
    contact_name: str
    contact_phone: str
    contact_email: str
    headcount: int | None
    standards: Sequence[tuple[str, str, str]]  # (family, scope_zh, complexity)
    site_count: int
    central_sites: int
    code_count: int
    has_client: bool = False
    # A transfer (IAF MD 2) names the certificate it transfers.
    transfer_missing_certificate: bool = False


def facts_of(application: Any) -> ApplicationFacts:
    """The facts completeness needs, read off an application (three small queries)."""
    standards = [
        (s.standard.family, s.scope_zh, s.complexity) for s in application.standards.select_related("standard")
    ]
    sites = list(application.sites.all())
    return ApplicationFacts(
        name_zh=application.name_zh or (application.client.name_zh if application.client_id else ""),
        address_zh=application.address_zh,
        contact_name=application.contact_name,
        contact_phone=application.contact_phone,
        contact_email=application.contact_email,
        headcount=application.headcount,
        standards=standards,
        site_count=len(sites),
        central_sites=sum(1 for s in sites if s.is_central),
        code_count=application.technical_areas.count(),
        has_client=bool(application.client_id),
        transfer_missing_certificate=application.kind == "transfer"
        and not (
            application.existing_cb
            and application.existing_certificate_number
            and application.existing_certificate_expires_on
        ),
    )


NEEDS_COMPLEXITY = ("EMS", "OHSMS")


def missing_for_submission(facts: ApplicationFacts) -> list[str]:
    """What a submitted application must hold, each missing item named (untranslated text: the
    caller translates). A draft may miss any of them."""
    missing = []
    if not facts.name_zh:
        missing.append(gettext_noop("the organisation's name"))
    if not facts.address_zh and not facts.has_client:
        missing.append(gettext_noop("the registered address"))
    if not facts.contact_name or not (facts.contact_phone or facts.contact_email):
        missing.append(gettext_noop("a contact person with a telephone or an e-mail"))
    if not facts.headcount:
        missing.append(gettext_noop("the total headcount"))
    if not facts.standards:
        missing.append(gettext_noop("at least one standard"))
    if any(not scope.strip() for _family, scope, _c in facts.standards):
        missing.append(gettext_noop("the requested scope (Chinese) of every standard"))
    if any(family in NEEDS_COMPLEXITY and not complexity for family, _s, complexity in facts.standards):
        missing.append(gettext_noop("the complexity category of every EMS/OHSMS standard"))
    if not facts.site_count:
        missing.append(gettext_noop("at least one site"))
    elif facts.central_sites != 1:
        missing.append(gettext_noop("exactly one site marked as the central function"))
    if not facts.code_count:
        missing.append(gettext_noop("the proposed technical-area codes"))
    if facts.transfer_missing_certificate:
        missing.append(gettext_noop("the current certification body, certificate number and expiry (a transfer)"))
    return missing


# --- the application review's checklist (17021-1 9.1.2) ----------------------------------------

REVIEW_POINTS: tuple[tuple[str, str], ...] = (
    (
        "information",
        gettext_noop("The information about the applicant and its management system is sufficient (9.1.2 a)"),
    ),
    ("scope", gettext_noop("The requested scope is clear and the technical-area codes are right (9.1.2 c)")),
    ("competence", gettext_noop("The CB has the competence and accreditation for the codes (9.1.2 d)")),
    ("audit_time", gettext_noop("Audit time determined (IAF MD 5, MD 11, MD 1 sampling) (9.1.2 e, 9.1.4)")),
    ("impartiality", gettext_noop("Threats to impartiality considered, incl. consultancy in the last 2 years (5.2)")),
    ("language_safety", gettext_noop("Language, safety conditions and other needs of the audit considered (9.1.2 e)")),
)
REVIEW_POINT_KEYS = tuple(key for key, _text in REVIEW_POINTS)
REVIEW_RESULTS = ("accept", "accept_conditions", "decline")


def review_refusal(*, points: dict[str, Any], result: str, conditions: str) -> dict[str, str]:
    """Why a review cannot be concluded with ``result``: every point answered with a remark;
    acceptance needs every point satisfied unless it carries conditions; a condition or a
    decline needs its text. Returns {field: message} (empty: it may conclude)."""
    errors: dict[str, str] = {}
    unanswered = [
        key
        for key in REVIEW_POINT_KEYS
        if not isinstance(points.get(key), dict)
        or points[key].get("ok") is None
        or not str(points[key].get("remark") or "").strip()
    ]
    if unanswered:
        errors["points"] = _("Answer every point of the checklist with a remark (%(count)s missing).") % {
            "count": len(unanswered)
        }
        return errors
    failed = [key for key in REVIEW_POINT_KEYS if not points[key]["ok"]]
    if result == "accept" and failed:
        errors["result"] = _("A point is not satisfied: accept with conditions or decline.")
    if result in ("accept_conditions", "decline") and not conditions.strip():
        errors["conditions"] = (
            _("State the conditions.") if result == "accept_conditions" else _("State the reasons for declining.")
        )
    if result not in ("accept", "accept_conditions", "decline"):
        errors["result"] = _("Choose the result of the review.")
    return errors


# --- competence per code (shown on the review) -------------------------------------------------


@dataclass
class CodeCoverage:
    code: str
    auditors: int = 0
    leaders: int = 0


def code_coverage(required: Iterable[str], held: Iterable[tuple[int, str, bool]]) -> list[CodeCoverage]:
    """For each required code, how many auditors (and of them, leaders) hold a competence code that
    covers it (33.02 covers 33.02.01). ``held``: (profile id, code, is leader) rows."""
    rows = list(held)
    out = []
    for code in required:
        auditors: set[int] = set()
        leaders: set[int] = set()
        for profile, have, leader in rows:
            if code_covers(have, code):
                auditors.add(profile)
                if leader:
                    leaders.add(profile)
        out.append(CodeCoverage(code=code, auditors=len(auditors), leaders=len(leaders)))
    return out


# --- the audit days of the cycle ------------------------------------------------------------------

CYCLE_AUDITS = (
    AuditType.STAGE_1,
    AuditType.STAGE_2,
    AuditType.SURVEILLANCE_1,
    AuditType.SURVEILLANCE_2,
    AuditType.RECERTIFICATION,
)


@dataclass
class CycleDays:
    days: dict[str, Decimal] = field(default_factory=dict)  # audit type -> man-days
    error: str = ""
    site_sample: dict[str, Any] | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.days.values(), Decimal(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "days": {k: str(v) for k, v in self.days.items()},
            "total": str(self.total),
            "error": self.error,
            "site_sample": self.site_sample,
        }


def cycle_days(
    *,
    effective_personnel: int | None,
    standards: Sequence[StandardInput],
    sites: Iterable[Any] = (),
    integrated: bool = False,
    integration_reduction_percent: Decimal = Decimal(0),
    rounding: str = "up",
    stage_1_share_percent: int = 20,
) -> CycleDays:
    """Man-days of stage 1, stage 2, surveillance 1 and 2 and recertification from the calculator;
    ``sites`` need ``kind`` and ``is_central`` (client sites or sites applied for)."""
    sites = list(sites)
    out = CycleDays()
    stage_1 = None
    for audit_type in CYCLE_AUDITS:
        calc = calculate_man_days(
            audit_type=audit_type,
            effective_personnel=effective_personnel,
            standards=standards,
            integrated=integrated,
            integration_reduction_percent=integration_reduction_percent,
            rounding=rounding,
            stage_1_share_percent=stage_1_share_percent,
            stage_1_planned_days=stage_1 if audit_type == AuditType.STAGE_2 else None,
            sites=sites,
        )
        if calc.get("calculated") is None:
            out.error = calc.get("error") or ""
            out.days = {}
            return out
        out.days[str(audit_type)] = Decimal(calc["calculated"])
        if audit_type == AuditType.STAGE_1:
            stage_1 = Decimal(calc["calculated"])
            out.site_sample = calc.get("site_sample")
    return out


# --- prices ----------------------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Prices:
    currency: str
    default_rate: Decimal
    family_rates: dict[str, Decimal]
    code_rates: dict[str, Decimal]
    application_fee: Decimal = Decimal(0)
    certificate_fee: Decimal = Decimal(0)
    surveillance_fee: Decimal = Decimal(0)
    travel_per_audit: Decimal = Decimal(0)


def day_rate(prices: Prices, *, families: Iterable[str], codes: Iterable[str]) -> Decimal:
    """The day rate of an application: the highest rate that applies to one of its codes (a rate
    for 33.02 applies to 33.02.01) or families; the default rate when none does. Taking the
    highest is the CB's choice (a team qualified for every code is paid at the dearest)."""
    applicable = [rate for family, rate in prices.family_rates.items() if family in set(families)]
    codes = list(codes)
    applicable += [rate for have, rate in prices.code_rates.items() if any(code_covers(have, c) for c in codes)]
    return max(applicable) if applicable else prices.default_rate


@dataclass(frozen=True)
class QuoteLine:
    key: str  # application | audit type | certificate | surveillance_fee | travel
    label: str  # untranslated text (translated when shown)
    days: Decimal | None
    rate: Decimal | None
    quantity: int
    amount: Decimal


LINE_LABELS = {
    "application": gettext_noop("Application fee"),
    AuditType.STAGE_1.value: gettext_noop("Stage 1 audit"),
    AuditType.STAGE_2.value: gettext_noop("Stage 2 audit"),
    AuditType.SURVEILLANCE_1.value: gettext_noop("First surveillance audit"),
    AuditType.SURVEILLANCE_2.value: gettext_noop("Second surveillance audit"),
    AuditType.RECERTIFICATION.value: gettext_noop("Recertification audit"),
    "certificate": gettext_noop("Certificate fee (initial and recertification, per certificate)"),
    "surveillance_fee": gettext_noop("Surveillance fee (per surveillance audit)"),
    "travel": gettext_noop("Travel (per audit)"),
}


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def quotation_lines(
    *, cycle: CycleDays, prices: Prices, rate: Decimal, certificates: int
) -> tuple[list[QuoteLine], Decimal]:
    """The quotation's lines and total for the whole cycle: each audit's days × the day rate, the
    application fee once, the certificate fee per certificate at the initial certification and at
    recertification, the surveillance fee per surveillance audit, travel per audit. Lines of 0 are
    left out; amounts are rounded to the cent, the total is their sum."""
    if cycle.error or not cycle.days:
        raise ValidationError(
            _("The audit days of the cycle cannot be calculated: %(error)s") % {"error": cycle.error or "—"},
            code="no_days",
        )
    lines = []

    def add(key: str, *, quantity: int = 1, unit: Decimal, days: Decimal | None = None) -> None:
        amount = money(unit * (days if days is not None else 1) * quantity)
        if amount:
            lines.append(QuoteLine(key, LINE_LABELS[key], days, money(unit), quantity, amount))

    add("application", unit=prices.application_fee)
    for audit_type in CYCLE_AUDITS:
        add(audit_type.value, unit=rate, days=cycle.days[audit_type.value])
    add("certificate", unit=prices.certificate_fee, quantity=2 * certificates)
    add("surveillance_fee", unit=prices.surveillance_fee, quantity=2)
    add("travel", unit=prices.travel_per_audit, quantity=len(CYCLE_AUDITS))
    return lines, sum((line.amount for line in lines), Decimal(0))


def lines_as_json(lines: Sequence[QuoteLine]) -> list[dict[str, Any]]:
    return [
        {
            "key": line.key,
            "label": line.label,
            "days": None if line.days is None else str(line.days),
            "rate": None if line.rate is None else str(line.rate),
            "quantity": line.quantity,
            "amount": str(line.amount),
        }
        for line in lines
    ]


# --- contract numbers ---------------------------------------------------------------------------

CONTRACT_NUMBER_MAX_LENGTH = 40


def validate_contract_pattern(pattern: str) -> str:
    """A pattern must hold {serial} and the year ({yy} or {yyyy}): serials count per year."""
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(pattern) if name}
        sample = pattern.format(yy="26", yyyy="2026", serial=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(
            _("The number pattern is not valid: %(error)s.") % {"error": exc}, code="pattern_syntax"
        ) from exc
    if "serial" not in names or not names & {"yy", "yyyy"}:
        raise ValidationError(
            _("The number pattern must contain {serial} and {yy} or {yyyy}: serials are counted per year."),
            code="pattern_incomplete",
        )
    if len(sample) > CONTRACT_NUMBER_MAX_LENGTH:
        raise ValidationError(_("Numbers made from this pattern are too long."), code="pattern_too_long")
    return pattern


def contract_number(*, pattern: str, year: int, serial: int) -> str:
    validate_contract_pattern(pattern)
    return pattern.format(yy=f"{year % 100:02d}", yyyy=f"{year:04d}", serial=int(serial))


# --- transfer of certification (IAF MD 2) -----------------------------------------------------
# Clause numbers from memory of IAF MD 2:2017, checked against CBs' public procedures that quote
# it (1.1 MLA, 1.2 valid only, 1.3 lapsed accreditation); the figures are CB settings
# (``TransferSettings``).

TRANSFER_POINTS: tuple[tuple[str, str], ...] = (
    ("certificate", gettext_noop("Validity, status, scope and sites of the certificate verified (MD 2 1.2, 2.1.3 d)")),
    (
        "accreditation",
        gettext_noop(
            "The issuing CB's accreditation covers it; its accreditation body is an IAF MLA signatory (MD 2 1.1)"
        ),
    ),
    ("scope", gettext_noop("The certified activities fall within this CB's accredited scope (MD 2 2.1.3 a)")),
    (
        "reports",
        gettext_noop("Last initial or recertification report and latest surveillance report seen (MD 2 2.1.3 e)"),
    ),
    ("nonconformities", gettext_noop("Open nonconformities and their status reviewed (MD 2 2.1.3 e)")),
    ("complaints", gettext_noop("Complaints received and the actions taken reviewed (MD 2 2.1.3 f)")),
    ("reason", gettext_noop("The reason for the transfer considered (MD 2 2.1.3 c)")),
    ("regulatory", gettext_noop("Engagement with regulators relevant to the scope considered (MD 2 2.1.3 h)")),
)
TRANSFER_POINT_KEYS = tuple(key for key, _text in TRANSFER_POINTS)


@dataclass(frozen=True)
class TransferCase:
    """What the pre-transfer review found, as plain data."""

    certificate_state: str  # valid | suspended | withdrawn | expired ("" unknown)
    expires_on: datetime.date | None
    ab_mla_signatory: bool | None
    accreditation_state: str  # valid | suspended | withdrawn | ceased ("" unknown)
    accreditation_lapsed_on: datetime.date | None
    last_audit_on: datetime.date | None
    open_major_ncs: int = 0
    open_minor_ncs: int = 0
    open_complaints: int = 0
    issuing_cb_cooperates: bool = True


@dataclass(frozen=True)
class TransferLimits:
    last_audit_max_months: int = 12
    lapsed_cb_months: int = 6
    audit_for_open_complaints: bool = True


@dataclass
class TransferAssessment:
    refusals: list[str] = field(default_factory=list)  # untranslated texts: not transferable
    audit_reasons: list[str] = field(default_factory=list)  # untranslated texts: a transfer audit first
    complete_by: datetime.date | None = None

    @property
    def transferable(self) -> bool:
        return not self.refusals

    @property
    def outcome(self) -> str:
        if self.refusals:
            return "refused"
        return "with_audit" if self.audit_reasons else "without_audit"


def _months_after(day: datetime.date, months: int) -> datetime.date:
    return add_months(day=day, months=months)


def transfer_assessment(case: TransferCase, *, today: datetime.date, limits: TransferLimits) -> TransferAssessment:
    """Whether a certification may be transferred and whether a transfer audit (a pre-transfer
    visit) is needed first. Refused (the organisation is treated as a new client):
    a certificate not valid, suspended, withdrawn or expired (MD 2 1.2), expiring today or before;
    an accreditation body not an IAF MLA signatory (1.1); no recent report or a missed
    surveillance (2.1.3 e); a CB without accreditation whose transfer window has passed (1.3).
    A transfer audit first: open major nonconformities (2.1.2, to verify their correction
    before the certificate is issued), an issuing CB without accreditation or not answering
    (1.3, 2.4), open complaints (the CB's setting)."""
    out = TransferAssessment()
    if case.certificate_state != "valid":
        out.refusals.append(
            gettext_noop("Only a valid certificate is transferred; a suspended one is not (MD 2 1.2).")
            if case.certificate_state in ("suspended", "withdrawn", "expired")
            else gettext_noop("The status of the certificate is not verified (MD 2 1.2).")
        )
    if case.expires_on is None or case.expires_on <= today:
        out.refusals.append(gettext_noop("The certificate has expired or has no expiry date (MD 2 1.2)."))
    if not case.ab_mla_signatory:
        out.refusals.append(
            gettext_noop(
                "The accreditation body is not an IAF MLA signatory: the organisation is treated as a new "
                "client (MD 2 1.1)."
            )
        )
    if case.last_audit_on is None:
        out.refusals.append(
            gettext_noop("No audit report of the current cycle was seen: treated as a new client (MD 2 2.1.3 e).")
        )
    elif _months_after(case.last_audit_on, limits.last_audit_max_months) < today:
        out.refusals.append(
            gettext_noop(
                "The latest audit is older than the surveillance interval: a surveillance was missed, the "
                "organisation is treated as a new client (MD 2 2.1.3 e)."
            )
        )
    if case.accreditation_state in ("suspended", "withdrawn", "ceased"):
        out.audit_reasons.append(gettext_noop("The issuing CB is without accreditation or ceased trading (MD 2 1.3)."))
        if case.accreditation_lapsed_on is not None:
            deadline = _months_after(case.accreditation_lapsed_on, limits.lapsed_cb_months)
            if case.expires_on is not None:
                deadline = min(deadline, case.expires_on)
            out.complete_by = deadline
            if deadline < today:
                out.refusals.append(
                    gettext_noop("The transfer from a CB without accreditation was not completed in time (MD 2 1.3).")
                )
    if case.open_major_ncs:
        out.audit_reasons.append(
            gettext_noop(
                "Open major nonconformities: their correction is verified before the certificate is issued "
                "(MD 2 2.1.2, 2.2)."
            )
        )
    if not case.issuing_cb_cooperates:
        out.audit_reasons.append(gettext_noop("The issuing CB did not provide the information (MD 2 2.4)."))
    if case.open_complaints and limits.audit_for_open_complaints:
        out.audit_reasons.append(gettext_noop("Complaints are open (the CB's rule)."))
    return out


def transfer_review_refusal(*, points: dict[str, Any], outcome: str, reasons: str) -> dict[str, str]:
    """Why the pre-transfer review cannot be concluded: every point answered with a remark; a
    refusal states its reasons. Returns {field: message}."""
    unanswered = [
        key
        for key in TRANSFER_POINT_KEYS
        if not isinstance(points.get(key), dict)
        or points[key].get("ok") is None
        or not str(points[key].get("remark") or "").strip()
    ]
    if unanswered:
        return {
            "points": _("Answer every point of the checklist with a remark (%(count)s missing).")
            % {"count": len(unanswered)}
        }
    if outcome != "refused" and any(not points[key]["ok"] for key in TRANSFER_POINT_KEYS):
        return {"points": _("A point is not satisfied: the certification cannot be transferred.")}
    return {}
