"""The audit-time warnings (MD 5 reduction cap, stage 2 at half a day) are shown in the reader's
language, also from a calculation stored while another language was active: the rule module
(audits/audit_time) is plain English Python, so its own warning text never reached a catalogue."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from audits.calculation import AdjustmentInput, StandardInput, calculate_man_days

from .factories import iso9001

pytestmark = pytest.mark.django_db


def _capped_calculation():
    standard = iso9001()
    with translation.override("en"):  # stored from an English page
        return calculate_man_days(
            audit_type="stage_2",
            effective_personnel=25,
            standards=[StandardInput(standard=standard)],
            adjustments=[
                AdjustmentInput(standard=standard, percent=Decimal(-20), reason="低风险"),
                AdjustmentInput(standard=standard, percent=Decimal(-15), reason="场所集中"),
            ],
        )


def test_the_md5_cap_warning_is_chinese_on_a_chinese_page():
    calc = _capped_calculation()
    with translation.override("zh-hans"):
        html = render_to_string("audits/_calculation.html", {"calc": calc})
    assert 'data-testid="calculation-warning"' in html
    assert "capped at" not in html
    assert "减少合计 35%，按 IAF MD 5:2019 以表中时间的 30% 为上限" in html


def test_the_md5_cap_warning_is_english_on_an_english_page():
    calc = _capped_calculation()
    with translation.override("en"):
        html = render_to_string("audits/_calculation.html", {"calc": calc})
    assert "reductions total 35%; capped at 30% of the table time (IAF MD 5:2019)." in html


def test_a_calculation_stored_with_text_warnings_still_shows_them():
    calc = {"lines": [{}], "warnings": ["旧的提示"], "calculated": "1"}
    with translation.override("en"):
        html = render_to_string("audits/_calculation.html", {"calc": calc})
    assert "旧的提示" in html
