"""The invoice milestones split the accepted quotation exactly: every line goes to the audit it
pays for, and the milestones add up to the quotation's total."""

from decimal import Decimal

from ..milestones import due_date, invoice_number, milestone_amounts


def _line(key, amount, rate=None, quantity=1):
    return {"key": key, "amount": str(amount), "rate": None if rate is None else str(rate), "quantity": quantity}


LINES = [
    _line("application", "500.00", "500.00"),
    _line("stage_1", "3000.00", "3000.00"),
    _line("stage_2", "6000.00", "3000.00"),
    _line("surveillance_1", "3000.00", "3000.00"),
    _line("surveillance_2", "3000.00", "3000.00"),
    _line("recertification", "6000.00", "3000.00"),
    _line("certificate", "3200.00", "800.00", 4),  # two certificates, each at initial and recertification
    _line("surveillance_fee", "600.00", "300.00", 2),
    _line("travel", "5000.00", "1000.00", 5),
]


def test_milestones_split_every_line_and_add_up_to_the_total():
    amounts = milestone_amounts(LINES)
    assert amounts == {
        "application": Decimal("500.00"),
        "initial": Decimal("3000") + Decimal("6000") + Decimal("2000"),  # stage 1 + 2 and two audits' travel
        "certificate": Decimal("1600.00"),  # the initial certificate of each standard
        "surveillance_1": Decimal("3000") + Decimal("300") + Decimal("1000"),
        "surveillance_2": Decimal("3000") + Decimal("300") + Decimal("1000"),
        "recertification": Decimal("6000") + Decimal("1600") + Decimal("1000"),
    }
    assert sum(amounts.values()) == sum(Decimal(line["amount"]) for line in LINES)


def test_a_milestone_of_nothing_is_left_out():
    amounts = milestone_amounts([_line("stage_1", "3000.00", "3000.00"), _line("stage_2", "3000.00", "3000.00")])
    assert amounts == {"initial": Decimal("6000.00")}


def test_odd_cents_stay_within_the_total():
    lines = [_line("travel", "1000.05", "200.01", 5), _line("certificate", "1.34", "0.67", 2)]
    amounts = milestone_amounts(lines)
    assert amounts["initial"] == Decimal("400.02") and amounts["recertification"] == Decimal("200.01") + Decimal("0.67")
    assert sum(amounts.values()) == Decimal("1001.39")


def test_invoice_numbers_follow_the_pattern_and_due_dates_the_terms():
    import datetime

    assert invoice_number(pattern="FP{yyyy}-{serial:04d}", year=2026, serial=7) == "FP2026-0007"
    assert invoice_number(pattern="INV{yy}{serial:03d}", year=2026, serial=12) == "INV26012"
    assert due_date(issued_on=datetime.date(2026, 12, 20), payment_days=30) == datetime.date(2027, 1, 19)
