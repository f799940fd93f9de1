"""Charts as server-side SVG: pure functions from data (labels, series) to SVG markup.

No JavaScript library and no CDN: the page carries the ``<svg>`` element itself, so the
Content-Security-Policy (no inline style) holds: the look is SVG presentation attributes
(``fill=``, ``font-family=``), never a ``style=`` attribute. Texts (title, labels, series names)
are escaped here; the result is marked safe. Chinese and English labels are drawn with the system's
CJK fonts through ``font-family``. Every chart has a ``<title>`` and ``<desc>`` for screen readers;
its numbers are also shown as a table under it (``figures_chart.html``) and offered as CSV.

The geometry is plain: a value ``v`` is drawn ``v / axis_max * PLOT_HEIGHT`` high, where
``axis_max`` is the smallest "nice" number (1, 2, 2.5 or 5 × 10ⁿ) not below the largest value.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# Sizes in SVG user units; the <svg> scales to its container's width (viewBox).
WIDTH = 640
HEIGHT = 300
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 30  # the legend
MARGIN_BOTTOM = 70  # category labels (rotated when there are many or they are long)
MAX_LABEL = 16
PLOT_WIDTH = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PLOT_HEIGHT = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BASELINE = MARGIN_TOP + PLOT_HEIGHT

# Okabe–Ito colours: told apart by colour-blind readers too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', "
    "'WenQuanYi Micro Hei', system-ui, sans-serif"
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def nice_max(value: Number) -> float:
    """The axis maximum: the smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least ``value`` (1 for
    nothing or less, so an all-zero chart has an axis and zero-height bars)."""
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * power
        if candidate >= value * (1 - 1e-12):
            return float(candidate)
    return float(10 * power)  # pragma: no cover - the loop always returns


def tick_count(axis_max: float) -> int:
    """How many steps the axis has: whole steps for small counts (1, 2, 5 → 1, 2, 5 steps), else
    steps of 1, 2 or 5 × 10ⁿ (1 → 5, 2 → 4, 2.5 → 5, 5 → 5)."""
    if axis_max in (1.0, 2.0, 5.0):
        return int(axis_max) if axis_max < 5 else 5
    mantissa = axis_max / 10 ** math.floor(math.log10(axis_max))
    return 4 if abs(mantissa - 2) < 1e-9 else 5


def _number(value: float) -> str:
    """A tick label: whole numbers with thousands separators, else one decimal."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def _clean(values: Sequence[Number], length: int) -> list[float]:
    """The series' values as floats, padded with zeros or cut to ``length``; negative and
    non-finite values count as zero (counts and days are never negative)."""
    out = []
    for index in range(length):
        value = float(values[index]) if index < len(values) else 0.0
        out.append(value if math.isfinite(value) and value > 0 else 0.0)
    return out


def _fmt(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open(title: str, description: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" font-family="{escape(FONT_FAMILY)}" font-size="12" fill="#212529">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]


def _axis(axis_max: float) -> list[str]:
    parts = ['<g class="chart-axis" stroke="#dee2e6" stroke-width="1">']
    labels = ['<g class="chart-ticks" text-anchor="end" fill="#6c757d">']
    ticks = tick_count(axis_max)
    for tick in range(ticks + 1):
        value = axis_max * tick / ticks
        y = BASELINE - PLOT_HEIGHT * tick / ticks
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{_fmt(y)}" x2="{WIDTH - MARGIN_RIGHT}" y2="{_fmt(y)}"/>')
        labels.append(f'<text x="{MARGIN_LEFT - 6}" y="{_fmt(y + 4)}">{_number(value)}</text>')
    parts.append("</g>")
    labels.append("</g>")
    return parts + labels


def _text_width(text: str) -> float:
    """About how wide ``text`` is at font size 12: CJK characters are square, others about half."""
    return sum(12 if ord(char) >= 0x2E80 else 7 for char in text)


def _category_labels(labels: Sequence[str], slot: float) -> list[str]:
    rotate = any(_text_width(str(label)[:MAX_LABEL]) > slot * 0.95 for label in labels)
    out = ['<g class="chart-labels" fill="#212529">']
    for index, full in enumerate(labels):
        # A long label is cut in the chart (the table under it has it whole).
        label = full if len(full) <= MAX_LABEL else full[: MAX_LABEL - 1] + "…"
        x = MARGIN_LEFT + slot * (index + 0.5)
        y = BASELINE + 16
        if rotate:
            out.append(
                f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="end" '
                f'transform="rotate(-35 {_fmt(x)} {_fmt(y)})">{escape(label)}</text>'
            )
        else:
            out.append(f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="middle">{escape(label)}</text>')
    out.append("</g>")
    return out


def _legend(series: Sequence[Series]) -> list[str]:
    if len(series) < 2:
        return []
    out = ['<g class="chart-legend">']
    x = float(MARGIN_LEFT)
    y = 16
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        out.append(f'<rect x="{_fmt(x)}" y="{y - 10}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{_fmt(x + 14)}" y="{y}">{escape(one.name)}</text>')
        x += 24 + _text_width(one.name)
    out.append("</g>")
    return out


def _empty(title: str, description: str, kind: str, empty_text: str) -> SafeString:
    parts = _open(title, description, kind)
    parts.append(
        f'<text class="chart-empty" x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" fill="#6c757d">'
        f"{escape(empty_text)}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    empty_text: str = "No data",
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series (in ``PALETTE`` order).
    Each bar is a ``<rect class="bar">`` with ``data-value`` and a ``<title>`` giving its number."""
    if not labels or not series:
        return _empty(title, description, "bar", empty_text)
    rows = [_clean(one.values, len(labels)) for one in series]
    axis_max = nice_max(max(max(row) for row in rows))
    slot = PLOT_WIDTH / len(labels)
    group = slot * 0.8
    bar_width = group / len(series)
    parts = _open(title, description, "bar") + _axis(axis_max)
    for s_index, (one, row) in enumerate(zip(series, rows, strict=True)):
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<g class="chart-series" fill="{colour}">')
        for index, value in enumerate(row):
            height = value / axis_max * PLOT_HEIGHT
            x = MARGIN_LEFT + slot * index + (slot - group) / 2 + bar_width * s_index
            parts.append(
                f'<rect class="bar" x="{_fmt(x)}" y="{_fmt(BASELINE - height)}" width="{_fmt(bar_width)}" '
                f'height="{_fmt(height)}" data-value="{_number(value)}">'
                f"<title>{escape(labels[index])} · {escape(one.name)}: {_number(value)}</title></rect>"
            )
        parts.append("</g>")
    parts += _category_labels(labels, slot)
    parts += _legend(series)
    parts.append(
        f'<line class="chart-baseline" x1="{MARGIN_LEFT}" y1="{BASELINE}" x2="{WIDTH - MARGIN_RIGHT}" '
        f'y2="{BASELINE}" stroke="#6c757d" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    empty_text: str = "No data",
) -> SafeString:
    """Lines over the labels (months, in order): one ``<polyline class="line">`` per series with a
    ``<circle class="point">`` per value (``data-value`` and a ``<title>``)."""
    if not labels or not series:
        return _empty(title, description, "line", empty_text)
    rows = [_clean(one.values, len(labels)) for one in series]
    axis_max = nice_max(max(max(row) for row in rows))
    slot = PLOT_WIDTH / len(labels)
    parts = _open(title, description, "line") + _axis(axis_max)
    for s_index, (one, row) in enumerate(zip(series, rows, strict=True)):
        colour = PALETTE[s_index % len(PALETTE)]
        points = [
            (MARGIN_LEFT + slot * (index + 0.5), BASELINE - value / axis_max * PLOT_HEIGHT)
            for index, value in enumerate(row)
        ]
        parts.append(f'<g class="chart-series" stroke="{colour}" fill="{colour}">')
        parts.append(
            '<polyline class="line" fill="none" stroke-width="2" points="'
            + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
            + '"/>'
        )
        for index, ((x, y), value) in enumerate(zip(points, row, strict=True)):
            parts.append(
                f'<circle class="point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3" data-value="{_number(value)}">'
                f"<title>{escape(labels[index])} · {escape(one.name)}: {_number(value)}</title></circle>"
            )
        parts.append("</g>")
    parts += _category_labels(labels, slot)
    parts += _legend(series)
    parts.append("</svg>")
    return mark_safe("".join(parts))
