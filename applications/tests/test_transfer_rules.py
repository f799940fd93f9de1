"""IAF MD 2's rules at their edges (``rules.transfer_assessment``): what refuses a transfer (the
organisation is then a new client) and what needs a transfer audit first."""

import datetime

import pytest

from applications import rules

TODAY = datetime.date(2026, 6, 15)
LIMITS = rules.TransferLimits(last_audit_max_months=12, lapsed_cb_months=6, audit_for_open_complaints=True)


def case(**overrides):
    values = {
        "certificate_state": "valid",
        "expires_on": TODAY + datetime.timedelta(days=300),
        "ab_mla_signatory": True,
        "accreditation_state": "valid",
        "accreditation_lapsed_on": None,
        "last_audit_on": TODAY - datetime.timedelta(days=100),
    }
    values.update(overrides)
    return rules.TransferCase(**values)


def assess(**overrides):
    return rules.transfer_assessment(case(**overrides), today=TODAY, limits=LIMITS)


def test_a_valid_certificate_of_an_mla_accredited_cb_without_open_majors_transfers_without_an_audit():
    result = assess()
    assert result.outcome == "without_audit"
    assert result.refusals == [] and result.audit_reasons == []


@pytest.mark.parametrize("state", ["suspended", "withdrawn", "expired", ""])
def test_a_certificate_not_valid_is_refused(state):
    result = assess(certificate_state=state)
    assert result.outcome == "refused"
    assert any("1.2" in text for text in result.refusals)


def test_expiry_today_is_refused_and_tomorrow_is_not():
    assert assess(expires_on=TODAY).outcome == "refused"
    assert assess(expires_on=TODAY + datetime.timedelta(days=1)).outcome == "without_audit"


@pytest.mark.parametrize("mla", [False, None])
def test_an_accreditation_body_not_an_mla_signatory_is_refused(mla):
    result = assess(ab_mla_signatory=mla)
    assert result.outcome == "refused"
    assert any("MLA" in text for text in result.refusals)


def test_an_open_major_nonconformity_needs_a_transfer_audit():
    assert assess(open_major_ncs=1).outcome == "with_audit"
    assert assess(open_major_ncs=0, open_minor_ncs=3).outcome == "without_audit"


def test_the_latest_audit_exactly_at_the_interval_passes_and_a_day_older_is_refused():
    assert assess(last_audit_on=datetime.date(2025, 6, 15)).outcome == "without_audit"
    assert assess(last_audit_on=datetime.date(2025, 6, 14)).outcome == "refused"
    assert assess(last_audit_on=None).outcome == "refused"


def test_a_cb_without_accreditation_needs_an_audit_and_a_passed_window_refuses():
    lapsed = assess(accreditation_state="withdrawn", accreditation_lapsed_on=datetime.date(2026, 1, 15))
    assert lapsed.outcome == "with_audit"
    assert lapsed.complete_by == datetime.date(2026, 7, 15)
    late = assess(accreditation_state="ceased", accreditation_lapsed_on=datetime.date(2025, 12, 14))
    assert late.outcome == "refused"


def test_the_window_ends_with_the_certificate_when_sooner():
    result = assess(
        accreditation_state="suspended",
        accreditation_lapsed_on=datetime.date(2026, 6, 1),
        expires_on=datetime.date(2026, 8, 1),
    )
    assert result.complete_by == datetime.date(2026, 8, 1)


def test_open_complaints_need_an_audit_only_where_the_cb_says_so():
    assert assess(open_complaints=1).outcome == "with_audit"
    relaxed = rules.TransferLimits(audit_for_open_complaints=False)
    assert rules.transfer_assessment(case(open_complaints=1), today=TODAY, limits=relaxed).outcome == "without_audit"


def test_an_issuing_cb_that_does_not_answer_needs_an_audit():
    assert assess(issuing_cb_cooperates=False).outcome == "with_audit"


def test_the_checklist_needs_every_point_with_a_remark_and_all_satisfied_to_transfer():
    points = {key: {"ok": True, "remark": "ok"} for key in rules.TRANSFER_POINT_KEYS}
    assert rules.transfer_review_refusal(points=points, outcome="without_audit", reasons="") == {}
    missing = dict(points, reports={"ok": True, "remark": " "})
    assert "points" in rules.transfer_review_refusal(points=missing, outcome="without_audit", reasons="")
    failed = dict(points, complaints={"ok": False, "remark": "投诉未处理"})
    assert "points" in rules.transfer_review_refusal(points=failed, outcome="with_audit", reasons="")
    assert rules.transfer_review_refusal(points=failed, outcome="refused", reasons="") == {}


def test_a_transfer_application_names_the_certificate_it_transfers_before_it_is_submitted():
    base = {
        "name_zh": "甲",
        "address_zh": "乙",
        "contact_name": "丙",
        "contact_phone": "1",
        "contact_email": "",
        "headcount": 5,
        "standards": [("QMS", "软件", "")],
        "site_count": 1,
        "central_sites": 1,
        "code_count": 1,
    }
    assert rules.missing_for_submission(rules.ApplicationFacts(**base)) == []
    missing = rules.missing_for_submission(rules.ApplicationFacts(**base, transfer_missing_certificate=True))
    assert missing == ["the current certification body, certificate number and expiry (a transfer)"]
