"""What each kind of certification decision is, in one table: which audits it may follow,
whether it needs one and which review, which certificates it acts on, which parts of the form it
uses, whether it issues certificates, and what it does once approved (its effect, a function of
``certification.services.effects``). The services, the forms and the pages read this table; none
of them keeps a list of decision types of its own.

    type          follows audits                      review     acts on certificates   issues  effect
    grant         stage 2, transfer                   passed     —                      yes     grant
    refuse        any (needs one)                     concluded  —                      no      none
    maintain      surveillance 1/2, special, short    passed     valid                  no      maintain
    renew         recertification                     passed     valid                  yes     renew
    extend scope  scope ext., surv. 1/2, recert, spec. passed    valid                  yes     scope
    reduce scope  any (optional)                      passed     valid, suspended       yes     scope
    suspend       any (optional)                      —          valid                  no      status → 02
    restore       any (optional)                      passed     suspended              no      status → 01
    withdraw      any (optional)                      —          valid, suspended       no      status → 03
    transfer      transfer (optional)                 passed     —                      yes     transfer
    reissue       none                                —          valid                  yes     scope

A transfer (IAF MD 2) and a reissue after a change of name or address are opened by the
applications app's services (the pre-transfer review, a reported change), never from these pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from audits.models import AuditType
from certification.models import CertificateStatus, DecisionType, FlagKind, ReasonKind

# Which review an audit-based decision needs.
PASSED = "passed"  # the audit's technical review passed
CONCLUDED = "concluded"  # the review is concluded, passed or not (a refusal)
NO_REVIEW = ""  # none: the audit is only the occasion (suspension, withdrawal)

# Where a decision is opened from (the pages offering it).
FROM_REVIEW = "review"  # a concluded technical review
FROM_CERTIFICATE = "certificate"  # a certificate in force (or a committee flag on it)
FROM_APPLICATION = "application"  # the applications app's services (a transfer, a reported change)

# The parts of the decision form (certification.forms.DecisionOpenForm).
STANDARDS, CERTIFICATES, SCOPE, REASON, SUSPENSION_END = (
    "standards",
    "certificates",
    "scope",
    "reason",
    "suspension_ends_on",
)
FORM_PARTS = (STANDARDS, CERTIFICATES, SCOPE, REASON, SUSPENSION_END)


@dataclass(frozen=True)
class DecisionKind:
    """The facts of one decision type."""

    type: DecisionType
    # Audit types the decision may follow (None: any audit type).
    audit_types: frozenset[str] | None
    # Whether the decision is always based on an audit.
    needs_audit: bool
    # Which review a decision based on an audit needs (PASSED, CONCLUDED, NO_REVIEW).
    review: str
    # The statuses of the certificates it acts on (empty: it acts on none).
    certificate_statuses: tuple[str, ...]
    # Whether it issues certificates (a new one, a renewal, a reissue with a new scope).
    issues_certificates: bool
    # Whether it needs a new scope (scope changes).
    needs_new_scope: bool
    # The reason list it takes a code from (suspension, withdrawal), or None.
    reason_kind: ReasonKind | None
    # The status it gives its certificates (suspend, restore, withdraw), or None.
    sets_status: CertificateStatus | None
    # The form parts it uses (the page shows only these).
    form_parts: frozenset[str]
    # Whether part 十六 prints its conclusions as 同意注册 / 不同意注册 (decisions that certify).
    registration: bool
    # The pages it is opened from.
    opened_from: frozenset[str]
    # Audit types after which the committee is offered this decision first.
    proposed_after: frozenset[str]
    # Committee flags this decision answers by default.
    proposed_for: frozenset[str]
    # Its effect once approved: a name in certification.services.effects.EFFECTS.
    effect: str

    @property
    def follows_review(self) -> bool:
        """Based on an audit, it follows that audit's technical review (the audit waits for it)."""
        return self.review != NO_REVIEW

    @property
    def finds_certificates_from_audit(self) -> bool:
        """It acts on the certificates of the audit's programme when none are chosen."""
        return self.needs_audit and bool(self.certificate_statuses)


def _kind(
    type: DecisionType,
    *,
    audit_types: Iterable[str] | None = None,
    needs_audit: bool = False,
    review: str = PASSED,
    certificate_statuses: Iterable[str] = (),
    issues_certificates: bool = False,
    needs_new_scope: bool = False,
    reason_kind: ReasonKind | None = None,
    sets_status: CertificateStatus | None = None,
    form_parts: Iterable[str] = (),
    registration: bool = False,
    opened_from: Iterable[str] = (),
    proposed_after: Iterable[str] = (),
    proposed_for: Iterable[str] = (),
    effect: str,
) -> DecisionKind:
    return DecisionKind(
        type=type,
        audit_types=frozenset(audit_types) if audit_types is not None else None,
        needs_audit=needs_audit,
        review=review,
        certificate_statuses=tuple(certificate_statuses),
        issues_certificates=issues_certificates,
        needs_new_scope=needs_new_scope,
        reason_kind=reason_kind,
        sets_status=sets_status,
        form_parts=frozenset(form_parts),
        registration=registration,
        opened_from=frozenset(opened_from),
        proposed_after=frozenset(proposed_after),
        proposed_for=frozenset(proposed_for),
        effect=effect,
    )


T = DecisionType
A = AuditType
C = CertificateStatus
LIVE = (C.VALID, C.SUSPENDED)

# In the order of DecisionType (the order of the choices on the pages).
DECISION_KINDS: dict[str, DecisionKind] = {
    kind.type: kind
    for kind in (
        _kind(
            T.GRANT,
            audit_types=[A.STAGE_2, A.TRANSFER],
            needs_audit=True,
            issues_certificates=True,
            form_parts=[STANDARDS, SCOPE],
            registration=True,
            opened_from=[FROM_REVIEW],
            proposed_after=[A.STAGE_2, A.TRANSFER],
            effect="grant",
        ),
        _kind(
            T.REFUSE,
            needs_audit=True,
            review=CONCLUDED,
            opened_from=[FROM_REVIEW],
            effect="none",
        ),
        _kind(
            T.MAINTAIN,
            audit_types=[A.SURVEILLANCE_1, A.SURVEILLANCE_2, A.SPECIAL, A.SHORT_NOTICE],
            needs_audit=True,
            certificate_statuses=[C.VALID],
            form_parts=[CERTIFICATES],
            opened_from=[FROM_REVIEW],
            proposed_after=[A.SURVEILLANCE_1, A.SURVEILLANCE_2, A.SPECIAL, A.SHORT_NOTICE],
            effect="maintain",
        ),
        _kind(
            T.RENEW,
            audit_types=[A.RECERTIFICATION],
            needs_audit=True,
            certificate_statuses=[C.VALID],
            issues_certificates=True,
            form_parts=[STANDARDS, CERTIFICATES, SCOPE],
            registration=True,
            opened_from=[FROM_REVIEW],
            proposed_after=[A.RECERTIFICATION],
            effect="renew",
        ),
        _kind(
            T.EXTEND_SCOPE,
            audit_types=[A.SCOPE_EXTENSION, A.SURVEILLANCE_1, A.SURVEILLANCE_2, A.RECERTIFICATION, A.SPECIAL],
            needs_audit=True,
            certificate_statuses=[C.VALID],
            issues_certificates=True,
            needs_new_scope=True,
            form_parts=[STANDARDS, CERTIFICATES, SCOPE],
            registration=True,
            opened_from=[FROM_REVIEW],
            proposed_after=[A.SCOPE_EXTENSION],
            effect="scope",
        ),
        _kind(
            T.REDUCE_SCOPE,
            certificate_statuses=LIVE,
            issues_certificates=True,
            needs_new_scope=True,
            form_parts=[CERTIFICATES, SCOPE],
            opened_from=[FROM_REVIEW, FROM_CERTIFICATE],
            effect="scope",
        ),
        _kind(
            T.SUSPEND,
            review=NO_REVIEW,
            certificate_statuses=[C.VALID],
            reason_kind=ReasonKind.SUSPENSION,
            sets_status=C.SUSPENDED,
            form_parts=[CERTIFICATES, REASON, SUSPENSION_END],
            opened_from=[FROM_CERTIFICATE],
            proposed_for=[FlagKind.PROPOSED_SUSPENSION],
            effect="status",
        ),
        _kind(
            T.RESTORE,
            certificate_statuses=[C.SUSPENDED],
            sets_status=C.VALID,
            form_parts=[CERTIFICATES],
            opened_from=[FROM_REVIEW, FROM_CERTIFICATE],
            proposed_after=[A.RESTORATION],
            effect="status",
        ),
        _kind(
            T.WITHDRAW,
            review=NO_REVIEW,
            certificate_statuses=LIVE,
            reason_kind=ReasonKind.WITHDRAWAL,
            sets_status=C.WITHDRAWN,
            form_parts=[CERTIFICATES, REASON],
            opened_from=[FROM_CERTIFICATE],
            proposed_for=[FlagKind.PROPOSED_WITHDRAWAL],
            effect="status",
        ),
        # IAF MD 2 (from memory of the 2017 issue, clause 2.2): the accepting CB decides on the
        # pre-transfer review, after a transfer audit where the review found one needed.
        _kind(
            T.TRANSFER,
            audit_types=[A.TRANSFER],
            issues_certificates=True,
            form_parts=[STANDARDS, SCOPE],
            registration=True,
            opened_from=[FROM_APPLICATION],
            effect="transfer",
        ),
        # The existing reissue (same number, reissue + 1, same expiry, old one 04 reason 0120): the
        # new certificate prints the client's name and address as they are now.
        _kind(
            T.REISSUE,
            review=NO_REVIEW,
            certificate_statuses=[C.VALID],
            issues_certificates=True,
            form_parts=[CERTIFICATES, SCOPE],
            opened_from=[FROM_APPLICATION],
            effect="scope",
        ),
    )
}


def kind_of(decision_type: str) -> DecisionKind:
    """The facts of a decision type (``KeyError`` for an unknown one)."""
    return DECISION_KINDS[decision_type]


def types_where(**facts: object) -> list[DecisionType]:
    """The decision types whose facts equal ``facts`` (e.g. ``issues_certificates=True``), in
    the table's order."""
    return [kind.type for kind in DECISION_KINDS.values() if all(getattr(kind, k) == v for k, v in facts.items())]


def opened_from(source: str) -> list[DecisionType]:
    """The decision types a page offers (``FROM_REVIEW``, ``FROM_CERTIFICATE``), in order."""
    return [kind.type for kind in DECISION_KINDS.values() if source in kind.opened_from]


def using_part(part: str) -> list[DecisionType]:
    """The decision types whose form shows ``part``."""
    return [kind.type for kind in DECISION_KINDS.values() if part in kind.form_parts]


def proposed_after_audit(audit_type: str, default: DecisionType = DecisionType.MAINTAIN) -> DecisionType:
    """The decision an audit of this type leads to once its review passed."""
    for kind in DECISION_KINDS.values():
        if audit_type in kind.proposed_after:
            return kind.type
    return default


def proposed_for_flag(flag_kind: str, default: DecisionType = DecisionType.SUSPEND) -> DecisionType:
    """The decision a committee flag of this kind proposes."""
    for kind in DECISION_KINDS.values():
        if flag_kind in kind.proposed_for:
            return kind.type
    return default
