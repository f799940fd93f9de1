"""The decision-type table (certification.decision_types): one row per decision type, facts that
agree with each other, and what the services, forms and pages derive from it."""

import pytest

from audits.models import AuditType
from certification import decision_types, forms
from certification.decision_types import DECISION_KINDS, kind_of
from certification.models import CertificateStatus, DecisionType, FlagKind, ReasonKind
from certification.services.effects import EFFECTS

T = DecisionType
KINDS = list(DECISION_KINDS.values())


def test_every_decision_type_has_one_row_in_the_order_of_the_choices():
    assert list(DECISION_KINDS) == list(DecisionType)


@pytest.mark.parametrize("kind", KINDS, ids=[k.type.value for k in KINDS])
def test_the_facts_of_a_row_agree(kind):
    assert kind.effect in EFFECTS
    assert kind.form_parts <= set(decision_types.FORM_PARTS)
    # The form shows what the kind takes, and nothing else.
    assert ("certificates" in kind.form_parts) == bool(kind.certificate_statuses)
    assert ("scope" in kind.form_parts) == kind.issues_certificates
    assert ("reason" in kind.form_parts) == (kind.reason_kind is not None)
    assert ("suspension_ends_on" in kind.form_parts) == (kind.sets_status == CertificateStatus.SUSPENDED)
    # A status effect has a status to set and certificates to set it on.
    assert (kind.effect == "status") == (kind.sets_status is not None)
    if kind.sets_status is not None:
        assert kind.certificate_statuses and kind.sets_status not in kind.certificate_statuses
    # Only an audit-based decision is proposed after an audit; each is offered somewhere.
    assert kind.opened_from
    assert kind.proposed_after <= (kind.audit_types or set(AuditType))


def test_which_audits_each_decision_follows():
    assert {k.type: k.audit_types for k in KINDS if k.audit_types} == {
        T.GRANT: {AuditType.STAGE_2, AuditType.TRANSFER},
        T.RENEW: {AuditType.RECERTIFICATION},
        T.MAINTAIN: {AuditType.SURVEILLANCE_1, AuditType.SURVEILLANCE_2, AuditType.SPECIAL, AuditType.SHORT_NOTICE},
        T.EXTEND_SCOPE: {
            AuditType.SCOPE_EXTENSION,
            AuditType.SURVEILLANCE_1,
            AuditType.SURVEILLANCE_2,
            AuditType.RECERTIFICATION,
            AuditType.SPECIAL,
        },
        T.TRANSFER: {AuditType.TRANSFER},
    }
    assert decision_types.types_where(needs_audit=True) == [T.GRANT, T.REFUSE, T.MAINTAIN, T.RENEW, T.EXTEND_SCOPE]
    assert decision_types.types_where(review=decision_types.NO_REVIEW) == [T.SUSPEND, T.WITHDRAW, T.REISSUE]
    assert decision_types.types_where(review=decision_types.CONCLUDED) == [T.REFUSE]


def test_which_certificates_each_decision_acts_on_and_what_it_does_to_them():
    valid, suspended = CertificateStatus.VALID, CertificateStatus.SUSPENDED
    assert {k.type: set(k.certificate_statuses) for k in KINDS if k.certificate_statuses} == {
        T.MAINTAIN: {valid},
        T.RENEW: {valid},
        T.EXTEND_SCOPE: {valid},
        T.REDUCE_SCOPE: {valid, suspended},
        T.SUSPEND: {valid},
        T.RESTORE: {suspended},
        T.WITHDRAW: {valid, suspended},
        T.REISSUE: {valid},
    }
    assert {k.type: k.sets_status for k in KINDS if k.sets_status} == {
        T.SUSPEND: suspended,
        T.RESTORE: valid,
        T.WITHDRAW: CertificateStatus.WITHDRAWN,
    }
    assert {k.type: k.reason_kind for k in KINDS if k.reason_kind} == {
        T.SUSPEND: ReasonKind.SUSPENSION,
        T.WITHDRAW: ReasonKind.WITHDRAWAL,
    }
    assert {k.type: k.effect for k in KINDS} == {
        T.GRANT: "grant",
        T.REFUSE: "none",
        T.MAINTAIN: "maintain",
        T.RENEW: "renew",
        T.EXTEND_SCOPE: "scope",
        T.REDUCE_SCOPE: "scope",
        T.SUSPEND: "status",
        T.RESTORE: "status",
        T.WITHDRAW: "status",
        T.TRANSFER: "transfer",
        T.REISSUE: "scope",
    }


def test_what_the_forms_derive_from_the_table():
    assert {T.GRANT, T.RENEW, T.EXTEND_SCOPE, T.TRANSFER} == forms.REGISTRATION_TYPES
    assert {T.GRANT, T.RENEW, T.EXTEND_SCOPE, T.REDUCE_SCOPE, T.TRANSFER, T.REISSUE} == forms.CERTIFICATE_ISSUING_TYPES
    assert forms.AUDIT_DECISION_TYPES == [
        T.GRANT,
        T.REFUSE,
        T.MAINTAIN,
        T.RENEW,
        T.EXTEND_SCOPE,
        T.REDUCE_SCOPE,
        T.RESTORE,
    ]
    assert set(forms.CERTIFICATE_DECISION_TYPES) == {T.SUSPEND, T.RESTORE, T.WITHDRAW, T.REDUCE_SCOPE}
    assert forms.FIELDS_BY_TYPE == {
        "standards": [T.GRANT, T.RENEW, T.EXTEND_SCOPE, T.TRANSFER],
        "certificates": [
            T.MAINTAIN,
            T.RENEW,
            T.EXTEND_SCOPE,
            T.REDUCE_SCOPE,
            T.SUSPEND,
            T.RESTORE,
            T.WITHDRAW,
            T.REISSUE,
        ],
        "scope": [T.GRANT, T.RENEW, T.EXTEND_SCOPE, T.REDUCE_SCOPE, T.TRANSFER, T.REISSUE],
        "reason": [T.SUSPEND, T.WITHDRAW],
        "suspension_ends_on": [T.SUSPEND],
    }


@pytest.mark.parametrize(
    "audit_type,proposed",
    [
        (AuditType.STAGE_2, T.GRANT),
        (AuditType.TRANSFER, T.GRANT),
        (AuditType.SURVEILLANCE_1, T.MAINTAIN),
        (AuditType.SURVEILLANCE_2, T.MAINTAIN),
        (AuditType.SPECIAL, T.MAINTAIN),
        (AuditType.SHORT_NOTICE, T.MAINTAIN),
        (AuditType.RECERTIFICATION, T.RENEW),
        (AuditType.SCOPE_EXTENSION, T.EXTEND_SCOPE),
        (AuditType.RESTORATION, T.RESTORE),
        (AuditType.STAGE_1, T.MAINTAIN),  # no decision of its own: the committee chooses
    ],
)
def test_the_decision_proposed_after_an_audit(audit_type, proposed):
    assert decision_types.proposed_after_audit(audit_type) == proposed


def test_the_decision_proposed_for_a_flag():
    assert decision_types.proposed_for_flag(FlagKind.PROPOSED_SUSPENSION) == T.SUSPEND
    assert decision_types.proposed_for_flag(FlagKind.PROPOSED_WITHDRAWAL) == T.WITHDRAW
    assert decision_types.proposed_for_flag(FlagKind.RECERTIFICATION_AFTER_EXPIRY) == T.SUSPEND


def test_kind_of_an_unknown_type_is_refused():
    with pytest.raises(KeyError):
        kind_of("promote")
