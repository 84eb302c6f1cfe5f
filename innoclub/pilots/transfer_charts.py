"""The diffusion curve: adoptions over time, replayed from their state history.

An adoption counts, at the end of each period, in the state its history gives
for that day (``AdoptionStateChange.effective_on``, counted by month in the
database: ``spread.state_spans``): an adoption declared in
March as "interessiert" and implemented in June counts as interested in April
and as implemented from June on. Given-up adoptions are shown apart, below the
line, so the curve above it is what is alive.

Drawn with the shapes of ``innoclub.network.charts`` and rendered by its
template ``network/statistics/_chart.html``: stacked columns, one per period,
no JavaScript, no inline styles.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innoclub.network.charts import Chart, Label, Line, Shape, nice_step, pct, px
from innoclub.pilots.models import AdoptionState

# Bottom to top in the columns; "aufgegeben" hangs below the axis.
# Adoptions in a state from a month until another (None: still), as months since year 0.
Span = tuple[int, int | None, str, int]

STACK = (AdoptionState.IMPLEMENTED, AdoptionState.PREPARING, AdoptionState.INTERESTED)
# The map's colours (maps.ROLE_COLOURS), interessiert lighter so that the stack
# reads from dark to light; contrast on white 13:1, 5.7:1, 3.2:1 and 7:1.
# transfer.css restyles them through the classes chart__<state>.
STATE_FILLS = {
    AdoptionState.IMPLEMENTED: "#16305f",
    AdoptionState.PREPARING: "#2f62c8",
    AdoptionState.INTERESTED: "#6f8fd6",
    AdoptionState.GIVEN_UP: "#b3140c",
}

GUTTER = 10.0  # percent of the width for the scale
SLOT_FILL = 0.7
MAX_BAR = 8.0
AXIS_LABELS = 4  # at most, so that they fit side by side on a phone
TOP, PLOT = 24, 180


@dataclass(frozen=True)
class Segment(Shape):
    """A part of a column, coloured by the adoption state it counts."""

    @property
    def fill(self) -> str:
        return STATE_FILLS[AdoptionState(self.kind)]


class AdoptionCounts:
    """Adoptions by state; the class using it holds ``counts`` (state → number)."""

    counts: dict[str, int]

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def implemented(self) -> int:
        return self.count(AdoptionState.IMPLEMENTED)

    @property
    def preparing(self) -> int:
        return self.count(AdoptionState.PREPARING)

    @property
    def interested(self) -> int:
        return self.count(AdoptionState.INTERESTED)

    @property
    def given_up(self) -> int:
        return self.count(AdoptionState.GIVEN_UP)

    @property
    def active(self) -> int:
        return sum(self.count(state) for state in STACK)


@dataclass(frozen=True)
class Period(AdoptionCounts):
    label: str  # for the table: "März 2025", "2. Quartal 2025", "2025"
    short: str  # for the axis
    end: datetime.date
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Curve:
    periods: list[Period]
    chart: Chart | None
    message: str
    period_name: str  # header of the table's first column


# --- Periods --------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_ends(first: datetime.date, today: datetime.date) -> tuple[str, list[Period]]:
    """Empty periods from ``first`` to ``today``: months for up to a year and a half,
    quarters for up to six years, years beyond. The last one ends today."""
    months = (today.year - first.year) * 12 + today.month - first.month + 1
    periods = []
    if months <= 18:
        name = _("Month")
        year, month = first.year, first.month
        for _step in range(months):
            end = _month_end(year, month)
            periods.append(
                Period(date_format(end, "F Y"), date_format(end, "M y"), min(end, today))
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif months <= 72:
        name = _("Quarter")
        year, quarter = first.year, (first.month - 1) // 3 + 1
        while datetime.date(year, quarter * 3 - 2, 1) <= today:
            values = {"quarter": quarter, "year": year, "short_year": f"{year % 100:02d}"}
            end = _month_end(year, quarter * 3)
            periods.append(
                Period(
                    _("Quarter %(quarter)s %(year)s") % values,
                    _("Q%(quarter)s/%(short_year)s") % values,
                    min(end, today),
                )
            )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    else:
        name = _("Year")
        periods = [
            Period(str(year), str(year), min(datetime.date(year, 12, 31), today))
            for year in range(first.year, today.year + 1)
        ]
    return name, periods


def _month(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def replay(spans: Iterable[Span], *, today: datetime.date) -> tuple[str, list[Period]]:
    """Counts per state at the end of each period.

    ``spans`` say how many adoptions were in a state from one month until
    (not including) another (``spread.state_spans``); a period counts what
    its last month counts.
    """
    spans = [span for span in spans if span[3]]
    if not spans:
        return "", []
    first = min(span[0] for span in spans)
    current = today.year * 12 + today.month - 1
    changes: dict[str, list[int]] = {}
    for start, end, state, count in spans:
        steps = changes.setdefault(state, [0] * (current - first + 2))
        steps[start - first] += count
        if end is not None:
            steps[end - first] -= count
    months: dict[str, list[int]] = {}
    for state, steps in changes.items():
        running, values = 0, []
        for step in steps:
            running += step
            values.append(running)
        months[state] = values
    name, periods = period_ends(_month(first), today)
    for period in periods:
        index = period.end.year * 12 + period.end.month - 1 - first
        for state, values in months.items():
            if values[index]:
                period.counts[state] = values[index]
    return name, periods


# --- The chart ------------------------------------------------------------------


def _axis_labels(periods: list[Period], y: float, slot: float) -> list[Label]:
    """The first and last period and evenly spaced ones between, never crowded."""
    count = len(periods)
    if count == 1:
        return [Label("year", periods[0].short, pct(GUTTER + slot / 2), px(y), "middle")]
    step = math.ceil(count / AXIS_LABELS)
    labels = [Label("year", periods[0].short, pct(GUTTER), px(y))]
    for index in range(step, count - 1, step):
        if count - 1 - index >= step:  # not crowding the last one
            centre = GUTTER + slot * (index + 0.5)
            labels.append(Label("year", periods[index].short, pct(centre), px(y), "middle"))
    labels.append(Label("year", periods[-1].short, "100%", px(y), "end"))
    return labels


def diffusion_chart(periods: list[Period]) -> Chart:
    """Stacked columns of the adoptions alive at each period's end; given up below."""
    most = max(p.active for p in periods)
    step = nice_step(most, 4)
    ceiling = max(step, math.ceil(most / step) * step)
    unit = PLOT / ceiling
    baseline = TOP + PLOT
    below = max(p.given_up for p in periods) * unit
    chart = Chart(height=math.ceil(baseline + below + 30))
    for tick in range(0, ceiling + 1, step):
        y = baseline - tick * unit
        chart.lines.append(Line("axis" if tick == 0 else "grid", pct(GUTTER), "100%", px(y)))
        chart.labels.append(Label("tick", str(tick), pct(GUTTER), px(y + 5), "end", -6))
    slot = (100 - GUTTER) / len(periods)
    bar = min(slot * SLOT_FILL, MAX_BAR)
    for index, period in enumerate(periods):
        left = pct(GUTTER + slot * index + (slot - bar) / 2)
        top = float(baseline)
        for state in STACK:
            height = period.count(state) * unit
            if height:
                top -= height
                chart.shapes.append(Segment(state.value, left, px(top), pct(bar), px(height)))
        if period.given_up:
            height = period.given_up * unit
            chart.shapes.append(
                Segment(AdoptionState.GIVEN_UP.value, left, px(baseline), pct(bar), px(height))
            )
    last = periods[-1]
    chart.labels.append(
        Label(
            "value",
            str(last.active),
            pct(GUTTER + slot * (len(periods) - 1) + slot / 2),
            px(baseline - last.active * unit - 7),
            "middle",
        )
    )
    chart.labels.extend(_axis_labels(periods, baseline + below + 22, slot))
    return chart


def curve_message(period: Period) -> str:
    """The state of the spread at the end of ``period``, in one sentence."""
    counts = {
        "date": date_format(period.end, "DATE_FORMAT"),
        "active": period.active,
        "implemented": period.implemented,
        "preparing": period.preparing,
        "interested": period.interested,
    }
    text = (
        ngettext(
            "On %(date)s: %(active)s adoption (%(implemented)s implemented, %(preparing)s in preparation, %(interested)s interested).",
            "On %(date)s: %(active)s adoptions (%(implemented)s implemented, %(preparing)s in preparation, %(interested)s interested).",
            period.active,
        )
        % counts
    )
    if period.given_up:
        text += " " + ngettext(
            "%(count)s adoption was given up.",
            "%(count)s adoptions were given up.",
            period.given_up,
        ) % {"count": period.given_up}
    return text


def diffusion_curve(spans: Iterable[Span], *, today: datetime.date) -> Curve:
    name, periods = replay(spans, today=today)
    if not periods:
        return Curve([], None, _("No adoptions have been recorded yet."), name)
    return Curve(periods, diffusion_chart(periods), curve_message(periods[-1]), name)
