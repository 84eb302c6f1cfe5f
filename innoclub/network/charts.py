"""Charts of the growth statistics, as plain shapes for an SVG template.

The charts are drawn as rectangles, lines and labels and rendered as inline
SVG by one template (network/statistics/_chart.html), so the page needs no
JavaScript and no inline styles. Horizontal positions are percentages of the
chart's width and vertical ones pixels: a chart fills the width of any screen
while its text keeps its size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from innoclub.network.statistics import Distribution, YearFigures

# Colours as SVG attributes, so that a chart reads well before any stylesheet
# applies; site.css overrides them through the classes (chart__<kind>), also
# for dark mode and forced colours. Contrast on white: 8.5:1 and 6.0:1.
FILLS = {"bar": "#2044aa", "bar-left": "#c31c13", "track": "#e8e9ef"}
STROKES = {"grid": "#c0c3d5", "axis": "currentColor"}


@dataclass(frozen=True)
class Shape:
    kind: str
    x: str
    y: str
    width: str
    height: str

    @property
    def fill(self) -> str:
        return FILLS[self.kind]


@dataclass(frozen=True)
class Line:
    kind: str
    x1: str
    x2: str
    y: str

    @property
    def stroke(self) -> str:
        return STROKES[self.kind]


@dataclass(frozen=True)
class Label:
    kind: str
    text: str
    x: str
    y: str
    anchor: str = "start"
    dx: int = 0


@dataclass
class Chart:
    height: int
    shapes: list[Shape] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def pct(value: float) -> str:
    return f"{value:.2f}%"


def px(value: float) -> str:
    return f"{value:.1f}"


def nice_step(maximum: int, ticks: int) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most ``ticks`` gridlines."""
    raw = max(maximum, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    return max(1, math.ceil(step))


# Year charts: a gutter on the left for the scale, one slot per year.
GUTTER = 10.0
SLOT_FILL = 0.7  # share of a slot the bar covers
MAX_BAR = 8.0  # percent: few years give slim bars, not slabs
YEAR_LABELS = 6  # at most, so that they fit side by side on a phone


class _YearAxis:
    def __init__(self, years: list[int]) -> None:
        self.years = years
        self.slot = (100 - GUTTER) / len(years)
        self.bar = min(self.slot * SLOT_FILL, MAX_BAR)

    def left(self, index: int) -> float:
        return GUTTER + self.slot * index + (self.slot - self.bar) / 2

    def labels(self, y: float) -> list[Label]:
        """The first and last year and round years between, never crowded."""
        count = len(self.years)
        if count == 1:
            return [
                Label("year", str(self.years[0]), pct(self.left(0) + self.bar / 2), px(y), "middle")
            ]
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if count / s <= YEAR_LABELS)
        labels = [Label("year", str(self.years[0]), pct(GUTTER), px(y))]
        for index, year in enumerate(self.years[1:-1], start=1):
            if year % step == 0 and min(index, count - 1 - index) >= step * 0.6:
                centre = GUTTER + self.slot * (index + 0.5)
                labels.append(Label("year", str(year), pct(centre), px(y), "middle"))
        labels.append(Label("year", str(self.years[-1]), "100%", px(y), "end"))
        return labels


def _scale(chart: Chart, ticks: list[int], y_of: Callable[[int], float]) -> None:
    for tick in ticks:
        y = y_of(tick)
        chart.lines.append(Line("axis" if tick == 0 else "grid", pct(GUTTER), "100%", px(y)))
        chart.labels.append(Label("tick", str(abs(tick)), pct(GUTTER), px(y + 5), "end", -6))


def members_chart(years: list[YearFigures]) -> Chart:
    """Columns of the members at the end of each year, the first and last value named."""
    top, plot = 26, 190
    baseline = top + plot
    step = nice_step(max(y.members for y in years), 4)
    ceiling = max(step, math.ceil(max(y.members for y in years) / step) * step)
    chart = Chart(height=baseline + 30)
    _scale(chart, list(range(0, ceiling + 1, step)), lambda n: baseline - n * plot / ceiling)
    axis = _YearAxis([y.year for y in years])
    for index, figures in enumerate(years):
        height = figures.members * plot / ceiling
        if height:
            chart.shapes.append(
                Shape(
                    "bar",
                    pct(axis.left(index)),
                    px(baseline - height),
                    pct(axis.bar),
                    px(height),
                )
            )
    named = {0: "start", len(years) - 1: "end"} if len(years) > 1 else {0: "middle"}
    for index, anchor in named.items():
        x = axis.left(index) + {"start": 0, "end": axis.bar, "middle": axis.bar / 2}[anchor]
        y = baseline - years[index].members * plot / ceiling - 7
        chart.labels.append(Label("value", str(years[index].members), pct(x), px(y), anchor))
    chart.labels.extend(axis.labels(baseline + 22))
    return chart


def moves_chart(years: list[YearFigures]) -> Chart:
    """Joins as columns above the line, leaves below it, with a legend."""
    top, plot = 40, 180
    most_joined = max(y.joined for y in years)
    most_left = max(y.left for y in years)
    step = nice_step(max(most_joined, most_left), 3)
    above = max(step, math.ceil(most_joined / step) * step)
    below = most_left  # the longest leave bar ends the chart: leaves are few
    unit = plot / (above + below)
    zero = top + above * unit
    chart = Chart(height=top + plot + 30)
    chart.shapes += [Shape("bar", "0", "4", "14", "14"), Shape("bar-left", "140", "4", "14", "14")]
    chart.labels += [
        Label("legend", _("Joins"), "20", "16"),
        Label("legend", _("Leaves"), "160", "16"),
    ]
    ticks = [*range(-(below // step) * step, 0, step), *range(0, above + 1, step)]
    _scale(chart, ticks, lambda n: zero - n * unit)
    axis = _YearAxis([y.year for y in years])
    for index, figures in enumerate(years):
        x, width = pct(axis.left(index)), pct(axis.bar)
        if figures.joined:
            height = figures.joined * unit
            chart.shapes.append(Shape("bar", x, px(zero - height), width, px(height)))
        if figures.left:
            chart.shapes.append(Shape("bar-left", x, px(zero), width, px(figures.left * unit)))
    chart.labels.extend(axis.labels(top + plot + 22))
    return chart


def bars_chart(distribution: Distribution) -> Chart:
    """One row per category: its name and count above a bar on a light track."""
    row, bar = 50, 16
    largest = max(c.count for c in distribution.categories) or 1
    chart = Chart(height=row * len(distribution.categories))
    for index, category in enumerate(distribution.categories):
        y = index * row
        chart.labels.append(Label("category", category.label, "0", px(y + 17)))
        chart.labels.append(Label("value", str(category.count), "100%", px(y + 17), "end"))
        chart.shapes.append(Shape("track", "0", px(y + 24), "100%", px(bar)))
        if category.count:
            width = pct(category.count * 100 / largest)
            chart.shapes.append(Shape("bar", "0", px(y + 24), width, px(bar)))
    return chart
