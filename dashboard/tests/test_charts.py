"""The SVG charts (dashboard.charts): geometry, edge cases and escaping, read back as XML."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from dashboard import charts
from dashboard.charts import BASELINE, PLOT_HEIGHT, Series, bar_chart, line_chart, nice_max

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup):
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def bars(markup):
    return parse(markup).findall(".//svg:rect[@class='bar']", NS)


def heights(markup):
    return [float(rect.get("height")) for rect in bars(markup)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (-3, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (24, 25), (26, 50), (0.3, 0.5), (10**15, 10**15)],
)
def test_the_axis_maximum_is_a_nice_number_not_below_the_largest_value(value, expected):
    assert nice_max(value) == pytest.approx(expected)


def test_bar_heights_are_proportional_to_the_values():
    markup = bar_chart(["a", "b", "c", "d"], [Series("n", [1, 2, 4, 8])], title="t")
    got = heights(markup)
    assert got[3] == pytest.approx(8 / 10 * PLOT_HEIGHT, abs=0.01)  # axis maximum 10
    for height, value in zip(got, [1, 2, 4, 8], strict=True):
        assert height == pytest.approx(got[3] * value / 8, abs=0.02)
    # Every bar stands on the baseline.
    for rect in bars(markup):
        assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(BASELINE, abs=0.02)
    assert [rect.get("data-value") for rect in bars(markup)] == ["1", "2", "4", "8"]


def test_grouped_bars_one_per_series_side_by_side_in_their_colours():
    markup = bar_chart(["x", "y"], [Series("A", [3, 0]), Series("B", [Decimal("1.5"), 5])], title="t")
    root = parse(markup)
    groups = root.findall(".//svg:g[@class='chart-series']", NS)
    assert [g.get("fill") for g in groups] == list(charts.PALETTE[:2])
    a_x, b_x = (float(g.findall("svg:rect", NS)[0].get("x")) for g in groups)
    assert b_x > a_x
    assert heights(markup) == pytest.approx([3 / 5 * PLOT_HEIGHT, 0, 1.5 / 5 * PLOT_HEIGHT, PLOT_HEIGHT], abs=0.02)
    # A legend names both series.
    legend = root.find(".//svg:g[@class='chart-legend']", NS)
    assert [t.text for t in legend.findall("svg:text", NS)] == ["A", "B"]


def test_all_zero_values_draw_zero_height_bars_on_an_axis():
    markup = bar_chart(["a", "b"], [Series("n", [0, 0])], title="t")
    assert heights(markup) == [0, 0]
    ticks = [t.text for t in parse(markup).findall(".//svg:g[@class='chart-ticks']/svg:text", NS)]
    assert ticks[0] == "0" and ticks[-1] == "1"


@pytest.mark.parametrize("draw", [bar_chart, line_chart])
def test_no_data_says_so(draw):
    for labels, series in (([], [Series("n", [])]), (["a"], [])):
        root = parse(draw(labels, series, title="Empty", empty_text="Nothing yet."))
        assert root.find("svg:text[@class='chart-empty']", NS).text == "Nothing yet."
        assert not root.findall(".//svg:rect[@class='bar']", NS)


def test_one_value_fills_its_axis_maximum():
    assert heights(bar_chart(["only"], [Series("n", [1])], title="t")) == pytest.approx([PLOT_HEIGHT])
    assert heights(bar_chart(["only"], [Series("n", [7])], title="t")) == pytest.approx([0.7 * PLOT_HEIGHT])


def test_huge_values_stay_in_the_plot_and_are_labelled_readably():
    markup = bar_chart(["a", "b"], [Series("n", [10**15, 10**12])], title="t")
    got = heights(markup)
    assert all(0 <= h <= PLOT_HEIGHT for h in got)
    assert got[0] == pytest.approx(PLOT_HEIGHT)
    assert got[1] == pytest.approx(PLOT_HEIGHT / 1000, abs=0.01)
    assert "1,000,000,000,000,000" in str(markup)


def test_negative_and_missing_values_count_as_zero_and_extra_values_are_cut():
    assert heights(bar_chart(["a", "b", "c"], [Series("n", [-5, 4])], title="t")) == pytest.approx(
        [0, 0.8 * PLOT_HEIGHT, 0]
    )
    assert len(bars(bar_chart(["a"], [Series("n", [1, 2, 3])], title="t"))) == 1
    assert heights(bar_chart(["a", "b"], [Series("n", [math.nan, 2])], title="t"))[0] == 0


def test_texts_are_escaped():
    hostile = '<script>alert("x")</script> & "quoted" \'single\''
    for draw in (bar_chart, line_chart):
        markup = str(
            draw([hostile, "b"], [Series(hostile, [1, 2]), Series("two", [2, 1])], title=hostile, description=hostile)
        )
        assert "<script>" not in markup
        root = parse(markup)  # still well-formed
        assert root.find("svg:title", NS).text == hostile
        assert hostile in [t.text for t in root.iter(f"{{{NS['svg']}}}text")]


def test_no_inline_style_so_the_content_security_policy_holds():
    markup = str(bar_chart(["a"], [Series("n", [1])], title="t")) + str(
        line_chart(["a"], [Series("n", [1])], title="t")
    )
    assert "style=" not in markup and "<style" not in markup and "<script" not in markup


def test_chinese_labels_and_a_cjk_font_family():
    markup = bar_chart(["有效", "暂停"], [Series("证书", [3, 1])], title="证书状态")
    root = parse(markup)
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.get("role") == "img" and root.find("svg:title", NS).text == "证书状态"
    assert {"有效", "暂停"} <= {t.text for t in root.iter(f"{{{NS['svg']}}}text")}


def test_line_points_are_proportional_and_in_order():
    markup = line_chart(["1", "2", "3"], [Series("n", [0, 5, 10])], title="t")
    root = parse(markup)
    points = root.findall(".//svg:circle[@class='point']", NS)
    ys = [float(p.get("cy")) for p in points]
    xs = [float(p.get("cx")) for p in points]
    assert xs == sorted(xs)
    assert ys[0] == pytest.approx(BASELINE) and ys[2] == pytest.approx(BASELINE - PLOT_HEIGHT)
    assert ys[1] == pytest.approx(BASELINE - PLOT_HEIGHT / 2)
    polyline = root.find(".//svg:polyline[@class='line']", NS)
    assert len(polyline.get("points").split()) == 3


@pytest.mark.parametrize(
    ("axis_max", "steps"), [(1, 1), (2, 2), (5, 5), (10, 5), (20, 4), (25, 5), (50, 5), (0.5, 5), (10**15, 5)]
)
def test_axis_steps_are_round_numbers(axis_max, steps):
    assert charts.tick_count(axis_max) == steps
    ticks = parse(bar_chart(["a"], [Series("n", [axis_max])], title="t")).findall(
        ".//svg:g[@class='chart-ticks']/svg:text", NS
    )
    assert len(ticks) == steps + 1


def test_long_labels_are_cut_in_the_chart_and_rotated_only_when_crowded():
    long = "ISO/IEC 27001:2022 information security"
    labels = [long] + [f"ISO {n}:2015" for n in range(9)]
    root = parse(bar_chart(labels, [Series("n", list(range(10)))], title="t"))
    texts = root.findall(".//svg:g[@class='chart-labels']/svg:text", NS)
    assert texts[0].text == long[: charts.MAX_LABEL - 1] + "…"
    assert all(t.get("transform") for t in texts)  # ten labels of 10+ characters: crowded
    few = parse(bar_chart(["有效", "暂停"], [Series("n", [1, 2])], title="t"))
    assert not any(t.get("transform") for t in few.findall(".//svg:g[@class='chart-labels']/svg:text", NS))
