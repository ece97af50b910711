"""Geometry of the month-by-month chart on /dekking/ (server-rendered SVG, no JavaScript).

One 100 % stacked bar per month: the share of held conversations at each place. The template
draws what this module measures, so the template does no arithmetic. Each place has its own fill
pattern and every segment big enough carries its percentage, so the chart reads without colour;
the data table under it holds the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from meetings.coverage import PLACES, MonthCounts

PLOT_TOP = 12
PLOT_HEIGHT = 180
LEFT = 52
BAR_WIDTH = 38
STEP = 58
BOTTOM_SPACE = 48
#: A segment lower than this has no room for its percentage (the table has it).
MIN_LABELLED_HEIGHT = 16


@dataclass(frozen=True)
class Segment:
    key: str
    y: float
    height: float
    share: float
    #: Where the percentage goes (None: too small to label).
    label_y: float | None


@dataclass(frozen=True)
class Bar:
    month: date
    total: int
    x: float
    centre: float
    segments: list[Segment]


@dataclass(frozen=True)
class GridLine:
    y: float
    percent: int


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    bar_width: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    month_label_y: int
    total_label_y: int
    bars: list[Bar]
    grid: list[GridLine]


def month_chart(months: list[MonthCounts]) -> MonthChart:
    """Measure the chart for these months (a month without conversations gets no bar)."""
    bottom = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for index, month in enumerate(months):
        x = LEFT + 12 + index * STEP
        total = month.counts.total
        segments = []
        top = float(bottom)
        for key, _label in PLACES:
            count = month.counts.count(key)
            if not total or not count:
                continue
            share = 100 * count / total
            height = PLOT_HEIGHT * count / total
            top -= height
            segments.append(
                Segment(
                    key=key,
                    y=round(top, 2),
                    height=round(height, 2),
                    share=share,
                    label_y=round(top + height / 2, 2) if height >= MIN_LABELLED_HEIGHT else None,
                )
            )
        bars.append(
            Bar(
                month=month.month,
                total=total,
                x=x,
                centre=x + BAR_WIDTH / 2,
                segments=segments,
            )
        )
    width = LEFT + 12 + max(len(months), 1) * STEP
    return MonthChart(
        width=width,
        height=bottom + BOTTOM_SPACE,
        bar_width=BAR_WIDTH,
        plot_left=LEFT,
        plot_right=width - 8,
        plot_bottom=bottom,
        month_label_y=bottom + 18,
        total_label_y=bottom + 36,
        bars=bars,
        grid=[
            GridLine(y=round(bottom - PLOT_HEIGHT * p / 100, 2), percent=p) for p in (0, 50, 100)
        ],
    )
