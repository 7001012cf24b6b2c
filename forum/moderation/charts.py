"""Bar charts drawn on the server as inline SVG: no JavaScript, no library. Every text and number
goes into the markup through format_html, so names (a theme, a county) are escaped.

The SVG is one image to assistive technology (role="img", named by the caption it points at);
the template puts the same numbers beside it in a table."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 300, 120
# Room above the bars for their values and below them for the first and last month.
TOP, BOTTOM = 14, 18
GAP = 4


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(
    values: list[int], labels: list[str], *, labelled_by: str, top: int, ends: tuple[str, str]
) -> SafeString:
    """Bars for `values` scaled so that `top` fills the height (charts shown side by side share
    it, so their bars compare). `labels` name each bar in its tooltip; `ends` go under the first
    and last bar."""
    plot = HEIGHT - TOP - BOTTOM
    slot = WIDTH / len(values)
    bars = []
    for n, (value, label) in enumerate(zip(values, labels, strict=True)):
        # A bar of one issue among many still shows.
        height = max(plot * value / top, 1) if value else 0
        x, y = n * slot + GAP / 2, TOP + plot - height
        value_text = (
            format_html(
                '<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>',
                _number(x + (slot - GAP) / 2),
                _number(y - 3),
                value,
            )
            if value
            else ""
        )
        bars.append(
            (
                _number(x),
                _number(y),
                _number(slot - GAP),
                _number(height),
                value,
                label,
                value,
                value_text,
            )
        )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
        'preserveAspectRatio="xMidYMid meet" focusable="false">'
        '<line class="chart__axis" x1="0" x2="{}" y1="{}" y2="{}"></line>{}'
        '<text class="chart__label" x="0" y="{}" text-anchor="start">{}</text>'
        '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text></svg>',
        labelled_by,
        WIDTH,
        HEIGHT,
        WIDTH,
        TOP + plot + 0.5,
        TOP + plot + 0.5,
        format_html_join(
            "",
            '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}" data-value="{}">'
            "<title>{}: {}</title></rect>{}",
            bars,
        ),
        HEIGHT - 3,
        ends[0],
        WIDTH,
        HEIGHT - 3,
        ends[1],
    )


@dataclass
class Chart:
    """A chart with what its figure shows around it: `id` is its caption's, `rows` are the
    numbers for its table (month, issues)."""

    id: str
    title: str
    total: int
    rows: list[tuple[str, int]]
    svg: SafeString


def monthly_charts(series, months: list[datetime.date], *, id_prefix: str) -> list[Chart]:
    """One chart per series (with `name` and `counts` per month), all on one scale."""
    top = max((max(s.counts) for s in series), default=0)
    long_labels = [date_format(month, "F Y") for month in months]
    ends = (date_format(months[0], "b Y"), date_format(months[-1], "b Y"))
    charts = []
    for n, s in enumerate(series, start=1):
        chart_id = f"{id_prefix}-{n}"
        svg = bar_chart(s.counts, long_labels, labelled_by=chart_id, top=top, ends=ends)
        charts.append(
            Chart(chart_id, s.name, s.total, list(zip(long_labels, s.counts, strict=True)), svg)
        )
    return charts
