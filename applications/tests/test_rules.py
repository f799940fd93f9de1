"""The pure rules at their edges: completeness, the review's checklist, the cycle days, the day
rate, the quotation's total, contract numbers."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from audits.calculation import StandardInput

from .. import rules

QMS = SimpleNamespace(pk=1, family="QMS", __str__=lambda self: "ISO 9001")
EMS = SimpleNamespace(pk=2, family="EMS", __str__=lambda self: "ISO 14001")


def facts(**kwargs):
    values = {
        "name_zh": "甲公司",
        "address_zh": "北京",
        "contact_name": "张三",
        "contact_phone": "010-1",
        "contact_email": "",
        "headcount": 10,
        "standards": [("QMS", "软件", "")],
        "site_count": 1,
        "central_sites": 1,
        "code_count": 1,
    }
    values.update(kwargs)
    return rules.ApplicationFacts(**values)


def test_a_complete_application_misses_nothing():
    assert rules.missing_for_submission(facts()) == []


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"headcount": None}, "the total headcount"),
        ({"headcount": 0}, "the total headcount"),
        ({"standards": []}, "at least one standard"),
        ({"standards": [("QMS", " ", "")]}, "the requested scope (Chinese) of every standard"),
        ({"standards": [("EMS", "软件", "")]}, "the complexity category of every EMS/OHSMS standard"),
        ({"site_count": 0, "central_sites": 0}, "at least one site"),
        ({"site_count": 2, "central_sites": 2}, "exactly one site marked as the central function"),
        ({"site_count": 2, "central_sites": 0}, "exactly one site marked as the central function"),
        ({"code_count": 0}, "the proposed technical-area codes"),
        ({"contact_phone": ""}, "a contact person with a telephone or an e-mail"),
    ],
)
def test_each_missing_item_is_named(change, missing):
    assert missing in rules.missing_for_submission(facts(**change))


def test_contact_by_email_alone_is_enough():
    assert rules.missing_for_submission(facts(contact_phone="", contact_email="a@b.cn")) == []


OK = {key: {"ok": True, "remark": "符合"} for key in rules.REVIEW_POINT_KEYS}


def test_review_needs_every_point_with_a_remark():
    points = dict(OK, scope={"ok": True, "remark": "  "})
    assert "points" in rules.review_refusal(points=points, result="accept", conditions="")
    points = {k: v for k, v in OK.items() if k != "competence"}
    assert "points" in rules.review_refusal(points=points, result="accept", conditions="")
    assert rules.review_refusal(points=OK, result="accept", conditions="") == {}


def test_a_failed_point_cannot_be_plainly_accepted():
    points = dict(OK, competence={"ok": False, "remark": "仅一名审核员"})
    assert "result" in rules.review_refusal(points=points, result="accept", conditions="")
    assert "conditions" in rules.review_refusal(points=points, result="accept_conditions", conditions="")
    assert rules.review_refusal(points=points, result="accept_conditions", conditions="增加技术专家") == {}
    assert "conditions" in rules.review_refusal(points=points, result="decline", conditions=" ")


def _std(family, pk):
    return StandardInput(standard=SimpleNamespace(pk=pk, family=family), complexity="" if family == "QMS" else "medium")


def test_cycle_days_follow_md5_fractions():
    # IAF MD 5 QMS table: 26-45 people -> 4 days initial; surveillance 1/3, recertification 2/3,
    # rounded up to half days (the CB's default rounding).
    cycle = rules.cycle_days(effective_personnel=40, standards=[_std("QMS", 1)], stage_1_share_percent=20)
    assert cycle.error == ""
    initial = cycle.days["stage_1"] + cycle.days["stage_2"]
    assert initial == Decimal(4)
    assert cycle.days["stage_1"] == Decimal(1)  # 20 % of 4 = 0.8 -> up 1
    assert cycle.days["surveillance_1"] == cycle.days["surveillance_2"] == Decimal("1.5")  # 4/3 = 1.33 -> 1.5
    assert cycle.days["recertification"] == Decimal(3)  # 8/3 = 2.67 -> 3
    assert cycle.total == initial + Decimal(6)


def test_cycle_days_at_a_band_edge():
    at_edge = rules.cycle_days(effective_personnel=45, standards=[_std("QMS", 1)])
    above = rules.cycle_days(effective_personnel=46, standards=[_std("QMS", 1)])
    assert at_edge.days["stage_1"] + at_edge.days["stage_2"] < above.days["stage_1"] + above.days["stage_2"]


def test_cycle_days_say_why_not():
    assert rules.cycle_days(effective_personnel=None, standards=[_std("QMS", 1)]).error
    assert rules.cycle_days(effective_personnel=10, standards=[]).error
    cycle = rules.cycle_days(
        effective_personnel=10, standards=[StandardInput(standard=SimpleNamespace(pk=2, family="EMS"))]
    )
    assert cycle.error and cycle.days == {}


PRICES = rules.Prices(
    currency="CNY",
    default_rate=Decimal("3000"),
    family_rates={"EMS": Decimal("3200")},
    code_rates={"33.02": Decimal("3500")},
    application_fee=Decimal("500"),
    certificate_fee=Decimal("800"),
    surveillance_fee=Decimal("300"),
    travel_per_audit=Decimal("1000"),
)


def test_day_rate_highest_applicable_else_default():
    assert rules.day_rate(PRICES, families=["QMS"], codes=["19.05"]) == Decimal("3000")
    assert rules.day_rate(PRICES, families=["QMS", "EMS"], codes=["19.05"]) == Decimal("3200")
    assert rules.day_rate(PRICES, families=["QMS"], codes=["33.02.01"]) == Decimal("3500")  # 33.02 covers it
    assert rules.day_rate(PRICES, families=["QMS"], codes=["33.01.01"]) == Decimal("3000")  # 33.02 does not


def test_quotation_total_is_the_sum_of_its_lines():
    cycle = rules.CycleDays(
        days={
            "stage_1": Decimal(1),
            "stage_2": Decimal(4),
            "surveillance_1": Decimal(2),
            "surveillance_2": Decimal(2),
            "recertification": Decimal("3.5"),
        }
    )
    lines, total = rules.quotation_lines(cycle=cycle, prices=PRICES, rate=Decimal("3000"), certificates=2)
    amounts = {line.key: line.amount for line in lines}
    assert amounts["stage_1"] == Decimal("3000.00") and amounts["recertification"] == Decimal("10500.00")
    assert amounts["certificate"] == Decimal("3200.00")  # 2 certificates x (initial + recertification)
    assert amounts["surveillance_fee"] == Decimal("600.00") and amounts["travel"] == Decimal("5000.00")
    assert total == Decimal("500") + Decimal("12.5") * 3000 + Decimal("3200") + Decimal("600") + Decimal("5000")
    assert total == sum(amounts.values())


def test_zero_fees_leave_no_line_and_a_third_of_a_cent_rounds():
    free = rules.Prices(currency="CNY", default_rate=Decimal("1000.005"), family_rates={}, code_rates={})
    cycle = rules.CycleDays(days={k.value: Decimal("0.5") for k in rules.CYCLE_AUDITS})
    lines, total = rules.quotation_lines(cycle=cycle, prices=free, rate=Decimal("1000.005"), certificates=1)
    assert [line.key for line in lines] == [k.value for k in rules.CYCLE_AUDITS]
    assert lines[0].amount == Decimal("500.00")  # 500.0025 rounds half up to the cent
    assert total == Decimal("2500.00")


def test_no_days_no_quotation():
    with pytest.raises(ValidationError):
        rules.quotation_lines(cycle=rules.CycleDays(error="x"), prices=PRICES, rate=Decimal(1), certificates=1)


def test_contract_numbers():
    assert rules.contract_number(pattern="HT{yyyy}-{serial:04d}", year=2026, serial=7) == "HT2026-0007"
    assert rules.contract_number(pattern="{yy}RZ{serial:03d}", year=2026, serial=12) == "26RZ012"
    for bad in ("HT-{serial}", "HT{yyyy}", "HT{yyyy}-{serial:04d}{", "{yyyy}" + "X" * 40 + "{serial}"):
        with pytest.raises(ValidationError):
            rules.validate_contract_pattern(bad)
