"""The pure certification rules: certificate numbers, size bands, validity, suspension limit,
renewal against expiry — at their edges."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from certification import rules
from certification.models.reference import DEFAULT_NUMBER_PATTERN

D = datetime.date
POLICY = SimpleNamespace(small_max_headcount=50, medium_max_headcount=1000, validity_months=36, max_suspension_months=6)


# --- numbers --------------------------------------------------------------------------------


def test_default_pattern_gives_the_common_cb_number():
    number = rules.format_number(
        pattern=DEFAULT_NUMBER_PATTERN, cb="069", year=2013, std="Q1", serial=2270, recert=0, size="S"
    )
    assert number == "06913Q12270R0S"


@pytest.mark.parametrize("recert, expected", [(0, "R0"), (1, "R1"), (12, "R12")])
def test_number_carries_the_recertification_count(recert, expected):
    number = rules.format_number(cb="069", year=2025, std="E1", serial=7, recert=recert, size="M")
    assert number == f"06925E10007{expected}M"


def test_a_cb_pattern_with_the_full_year_and_separators_is_honoured():
    pattern = "{cb}-{yyyy}-{std}-{serial:05d}-R{recert}{size}"
    assert (
        rules.format_number(pattern=pattern, cb="123", year=2026, std="S1", serial=42, recert=2, size="L")
        == "123-2026-S1-00042-R2L"
    )


@pytest.mark.parametrize(
    "pattern, words",
    [
        ("{cb}{yy}{std}{serial:04d}{client}", "unknown field {client}"),
        ("{cb.__class__}{yy}{std}{serial}", "unknown field {cb.__class__}"),
        ("{cb}{yy}{std}{serial[0]}", "unknown field {serial[0]}"),
        ("{}{yy}{std}{serial}", "unknown field {}"),
        ("{cb!r}{yy}{std}{serial}", "may not convert"),
        ("{cb:>5}{yy}{std}{serial}", "Only {serial} and {recert} take a format"),
        ("{cb}{yy}{std}", "must contain {serial}"),
        ("{cb}{yy}{serial:04d}", "must contain {std}"),
        ("{cb}{std}{serial:04d}", "must contain {yy}"),
        ("{cb}{yy}{std}{serial:04d", "not valid"),
        ("", "Enter a certificate number pattern"),
        ("{cb}{yyyy}{std}{serial:030d}", "too long"),
    ],
)
def test_a_pattern_that_cannot_make_unique_numbers_is_refused_with_a_message(pattern, words):
    with pytest.raises(ValidationError) as caught:
        rules.validate_pattern(pattern)
    assert words in " ".join(caught.value.messages)


def test_the_unknown_field_message_lists_the_known_fields():
    with pytest.raises(ValidationError) as caught:
        rules.format_number(pattern="{cb}{yy}{std}{serial}{branch}", cb="069", year=2025, std="Q1", serial=1, size="S")
    message = caught.value.messages[0]
    assert "{branch}" in message and "{serial}" in message and "{size}" in message


def test_sample_number_shows_what_a_pattern_makes():
    assert rules.sample_number(DEFAULT_NUMBER_PATTERN) == "06913Q12270R0S"


def test_cb_code_falls_back_to_000_when_the_cb_has_none():
    assert rules.cb_code("") == "000" and rules.cb_code(None) == "000" and rules.cb_code("069") == "069"


def test_standard_code_comes_from_the_policy_and_a_missing_one_is_refused():
    assert rules.standard_code("EMS", {"QMS": "Q1", "EMS": "E1"}) == "E1"
    with pytest.raises(ValidationError, match="ISMS"):
        rules.standard_code("ISMS", {"QMS": "Q1"})


# --- size band ------------------------------------------------------------------------------


@pytest.mark.parametrize("headcount, band", [(1, "S"), (50, "S"), (51, "M"), (1000, "M"), (1001, "L"), (20000, "L")])
def test_size_band_edges(headcount, band):
    assert rules.size_band(headcount, POLICY) == band


def test_size_band_follows_the_cb_policy():
    policy = SimpleNamespace(small_max_headcount=20, medium_max_headcount=200)
    assert [rules.size_band(n, policy) for n in (20, 21, 200, 201)] == ["S", "M", "M", "L"]


@pytest.mark.parametrize("headcount", [None, 0])
def test_size_band_needs_the_headcount(headcount):
    with pytest.raises(ValidationError, match="headcount"):
        rules.size_band(headcount, POLICY)


# --- validity and expiry ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "issued, expires",
    [
        (D(2025, 3, 1), D(2028, 2, 29)),  # ends on a leap day
        (D(2024, 2, 29), D(2027, 2, 28)),  # issued on a leap day: a full three years
        (D(2025, 1, 15), D(2028, 1, 14)),
        (D(2025, 12, 31), D(2028, 12, 30)),
    ],
)
def test_expiry_is_issue_plus_three_years_minus_one_day(issued, expires):
    assert rules.expiry(issued, POLICY) == expires


def test_expiry_follows_a_shorter_validity_in_the_policy():
    assert rules.expiry(D(2025, 1, 15), SimpleNamespace(validity_months=12)) == D(2026, 1, 14)


def test_the_expiry_day_is_still_valid_and_the_day_after_is_expired():
    assert not rules.is_expired(D(2028, 2, 29), D(2028, 2, 29))
    assert rules.is_expired(D(2028, 2, 29), D(2028, 3, 1))


@pytest.mark.parametrize(
    "decided, allowed",
    [(D(2028, 2, 28), True), (D(2028, 2, 29), True), (D(2028, 3, 1), False)],
)
def test_renewal_is_allowed_up_to_and_including_the_expiry_day(decided, allowed):
    assert rules.renewal_allowed(expires_on=D(2028, 2, 29), decided_on=decided) is allowed


@pytest.mark.parametrize(
    "previous, renewed",
    [
        (D(2028, 2, 29), D(2031, 2, 28)),  # from 1 Mar 2028
        (D(2027, 2, 28), D(2030, 2, 28)),  # from 1 Mar 2027
        (D(2031, 2, 27), D(2034, 2, 27)),
        (D(2028, 12, 31), D(2031, 12, 31)),
    ],
)
def test_renewal_continues_the_cycle_from_the_previous_expiry(previous, renewed):
    assert rules.renewal_expiry(previous, POLICY) == renewed


def test_a_certificate_is_never_issued_before_its_decision():
    assert rules.check_issue_date(issued_on=D(2025, 3, 10), decided_on=D(2025, 3, 10)) == D(2025, 3, 10)
    with pytest.raises(ValidationError) as caught:
        rules.check_issue_date(issued_on=D(2025, 3, 9), decided_on=D(2025, 3, 10))
    assert caught.value.error_dict["issued_on"][0].code == "issue_before_decision"


# --- suspension -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ends, ok",
    [(D(2025, 3, 1), False), (D(2025, 3, 2), True), (D(2025, 9, 1), True), (D(2025, 9, 2), False)],
)
def test_a_suspension_ends_after_it_starts_and_within_six_months(ends, ok):
    if ok:
        assert rules.check_suspension_end(ends_on=ends, starts_on=D(2025, 3, 1), policy=POLICY) == ends
    else:
        with pytest.raises(ValidationError):
            rules.check_suspension_end(ends_on=ends, starts_on=D(2025, 3, 1), policy=POLICY)


def test_the_suspension_limit_clamps_to_the_month_end_and_follows_the_policy():
    assert rules.suspension_limit(D(2025, 8, 31), POLICY) == D(2026, 2, 28)
    assert rules.suspension_limit(D(2025, 8, 31), SimpleNamespace(max_suspension_months=3)) == D(2025, 11, 30)


def test_a_suspension_needs_an_end_date():
    with pytest.raises(ValidationError, match="end date"):
        rules.check_suspension_end(ends_on=None, starts_on=D(2025, 3, 1), policy=POLICY)
