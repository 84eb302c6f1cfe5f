"""Growth statistics for the club office: charts with their tables, and each table as CSV.

The charts are drawn here as plain shapes (rectangles, lines, labels) and
rendered as inline SVG by one template, so the page needs no JavaScript and no
inline styles. Horizontal positions are percentages of the chart's width and
vertical ones pixels: a chart fills the width of any screen while its text
keeps its size.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.core.csv import safe_cell
from innoclub.network import statistics
from innoclub.network.models import FederalState
from innoclub.network.statistics import Distribution, YearFigures

# Colours as SVG attributes, so that a chart reads well before any stylesheet
# applies; site.css overrides them through the classes (chart__<kind>), also
# for dark mode and forced colours. Contrast on white: 8.5:1 and 6.0:1.
FILLS = {"bar": "#2044aa", "bar-left": "#c31c13", "track": "#e8e9ef"}
STROKES = {"grid": "#c0c3d5", "axis": "currentColor"}


# --- Tables -----------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table of the page and its CSV file: a label column, then counts."""

    slug: str
    caption: str
    headers: list[str]
    rows: list[tuple[str, list[int]]]
    totals: list[int] | None = None


def _members_table(years: list[YearFigures]) -> Table:
    return Table(
        slug="mitglieder-pro-jahr",
        caption=_("Members at the end of each year"),
        headers=[_("Year"), _("Members")],
        rows=[(str(y.year), [y.members]) for y in years],
    )


def _moves_table(years: list[YearFigures]) -> Table:
    return Table(
        slug="eintritte-und-austritte",
        caption=_("Joins and leaves in each year"),
        headers=[_("Year"), _("Joins"), _("Leaves")],
        rows=[(str(y.year), [y.joined, y.left]) for y in years],
        totals=[sum(y.joined for y in years), sum(y.left for y in years)],
    )


def _distribution_table(
    slug: str, caption: str, headers: list[str], distribution: Distribution
) -> Table:
    return Table(
        slug=slug,
        caption=caption,
        headers=headers,
        rows=[(c.label, [c.count]) for c in distribution.categories],
        totals=[distribution.total],
    )


def _state_table(states: Distribution) -> Table:
    headers = [_("Federal state"), _("Members")]
    caption = _("Current members by federal state")
    return _distribution_table("bundeslaender", caption, headers, states)


def _size_table(sizes: Distribution) -> Table:
    headers = [_("Inhabitants of the municipality"), _("Members")]
    caption = _("Current members by size of their municipality")
    return _distribution_table("kommunengroesse", caption, headers, sizes)


def _sector_table(sectors: Distribution) -> Table:
    headers = [_("Sector"), _("External partners")]
    caption = _("Current external partners by sector")
    return _distribution_table("partner-nach-bereich", caption, headers, sectors)


def _function_table(functions: Distribution) -> Table:
    headers = [_("Function"), _("Members")]
    caption = _("Current members by function in their municipality")
    return _distribution_table("funktionen", caption, headers, functions)


# Every CSV file there is, by the name in its address; nothing else is served.
CSV_TABLES: dict[str, Callable[[], Table]] = {
    "mitglieder-pro-jahr": lambda: _members_table(statistics.year_figures()),
    "eintritte-und-austritte": lambda: _moves_table(statistics.year_figures()),
    "bundeslaender": lambda: _state_table(statistics.members_by_state()),
    "kommunengroesse": lambda: _size_table(statistics.members_by_size_class()),
    "partner-nach-bereich": lambda: _sector_table(statistics.partners_by_sector()),
    "funktionen": lambda: _function_table(statistics.members_by_function()),
}


# --- Charts -----------------------------------------------------------------


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


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _px(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(maximum: int, ticks: int) -> int:
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
                Label(
                    "year", str(self.years[0]), _pct(self.left(0) + self.bar / 2), _px(y), "middle"
                )
            ]
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if count / s <= YEAR_LABELS)
        labels = [Label("year", str(self.years[0]), _pct(GUTTER), _px(y))]
        for index, year in enumerate(self.years[1:-1], start=1):
            if year % step == 0 and min(index, count - 1 - index) >= step * 0.6:
                centre = GUTTER + self.slot * (index + 0.5)
                labels.append(Label("year", str(year), _pct(centre), _px(y), "middle"))
        labels.append(Label("year", str(self.years[-1]), "100%", _px(y), "end"))
        return labels


def _scale(chart: Chart, ticks: list[int], y_of: Callable[[int], float]) -> None:
    for tick in ticks:
        y = y_of(tick)
        chart.lines.append(Line("axis" if tick == 0 else "grid", _pct(GUTTER), "100%", _px(y)))
        chart.labels.append(Label("tick", str(abs(tick)), _pct(GUTTER), _px(y + 5), "end", -6))


def members_chart(years: list[YearFigures]) -> Chart:
    """Columns of the members at the end of each year, the first and last value named."""
    top, plot = 26, 190
    baseline = top + plot
    step = _nice_step(max(y.members for y in years), 4)
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
                    _pct(axis.left(index)),
                    _px(baseline - height),
                    _pct(axis.bar),
                    _px(height),
                )
            )
    named = {0: "start", len(years) - 1: "end"} if len(years) > 1 else {0: "middle"}
    for index, anchor in named.items():
        x = axis.left(index) + {"start": 0, "end": axis.bar, "middle": axis.bar / 2}[anchor]
        y = baseline - years[index].members * plot / ceiling - 7
        chart.labels.append(Label("value", str(years[index].members), _pct(x), _px(y), anchor))
    chart.labels.extend(axis.labels(baseline + 22))
    return chart


def moves_chart(years: list[YearFigures]) -> Chart:
    """Joins as columns above the line, leaves below it, with a legend."""
    top, plot = 40, 180
    most_joined = max(y.joined for y in years)
    most_left = max(y.left for y in years)
    step = _nice_step(max(most_joined, most_left), 3)
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
        x, width = _pct(axis.left(index)), _pct(axis.bar)
        if figures.joined:
            height = figures.joined * unit
            chart.shapes.append(Shape("bar", x, _px(zero - height), width, _px(height)))
        if figures.left:
            chart.shapes.append(Shape("bar-left", x, _px(zero), width, _px(figures.left * unit)))
    chart.labels.extend(axis.labels(top + plot + 22))
    return chart


def bars_chart(distribution: Distribution) -> Chart:
    """One row per category: its name and count above a bar on a light track."""
    row, bar = 50, 16
    largest = max(c.count for c in distribution.categories) or 1
    chart = Chart(height=row * len(distribution.categories))
    for index, category in enumerate(distribution.categories):
        y = index * row
        chart.labels.append(Label("category", category.label, "0", _px(y + 17)))
        chart.labels.append(Label("value", str(category.count), "100%", _px(y + 17), "end"))
        chart.shapes.append(Shape("track", "0", _px(y + 24), "100%", _px(bar)))
        if category.count:
            width = _pct(category.count * 100 / largest)
            chart.shapes.append(Shape("bar", "0", _px(y + 24), width, _px(bar)))
    return chart


# --- Key messages -------------------------------------------------------------


def _growth_message(years: list[YearFigures]) -> str:
    first, last = years[0], years[-1]
    if first.year == last.year:
        return ngettext(
            "%(count)s member in %(year)s.", "%(count)s members in %(year)s.", last.members
        ) % {"count": last.members, "year": last.year}
    return ngettext(
        "From %(start)s member in %(first_year)s to %(end)s in %(last_year)s.",
        "From %(start)s members in %(first_year)s to %(end)s in %(last_year)s.",
        first.members,
    ) % {
        "start": first.members,
        "first_year": first.year,
        "end": last.members,
        "last_year": last.year,
    }


def _moves_message(years: list[YearFigures]) -> str:
    since = _("Joins since %(year)s: %(joined)s, leaves: %(left)s.") % {
        "year": years[0].year,
        "joined": sum(y.joined for y in years),
        "left": sum(y.left for y in years),
    }
    last = years[-1]
    latest = _("Joins in %(year)s: %(joined)s, leaves: %(left)s.") % {
        "year": last.year,
        "joined": last.joined,
        "left": last.left,
    }
    return f"{since} {latest}"


def _largest_message(distribution: Distribution, *, sizes: bool = False) -> str:
    largest = distribution.largest
    if not largest:
        return ngettext(
            "No details given (%(count)s person).",
            "No details given (%(count)s people).",
            distribution.total,
        ) % {"count": distribution.total}
    values = {
        "top": get_text_list([c.label for c in largest], _("and")),
        "count": largest[0].count,
        "total": distribution.total,
    }
    if sizes:
        return (
            ngettext(
                "Best represented: municipalities with %(top)s inhabitants (%(count)s of %(total)s).",
                "Best represented: municipalities with %(top)s inhabitants (%(count)s each of %(total)s).",
                len(largest),
            )
            % values
        )
    return (
        ngettext(
            "Best represented: %(top)s (%(count)s of %(total)s).",
            "Best represented: %(top)s (%(count)s each of %(total)s).",
            len(largest),
        )
        % values
    )


def _states_message(states: Distribution) -> str:
    covered = sum(1 for c in states.categories if c.is_specified and c.count)
    coverage = _("Members in %(covered)s of %(states)s federal states.") % {
        "covered": covered,
        "states": len(FederalState),
    }
    return f"{coverage} {_largest_message(states)}"


# --- Views ----------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One statistic on the page: heading, key message, chart and the table beside it."""

    slug: str
    title: str
    message: str
    chart: Chart | None
    table: Table
    empty: str


def _distribution_panel(
    title: str, message: str, distribution: Distribution, table: Table, empty: str
) -> Panel:
    chart = bars_chart(distribution) if distribution.total else None
    return Panel(table.slug, title, message, chart, table, empty)


@access(Rule.STAFF)
@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    years = statistics.year_figures()
    states = statistics.members_by_state()
    sizes = statistics.members_by_size_class()
    sectors = statistics.partners_by_sector()
    functions = statistics.members_by_function()
    no_members = _("There are no current members yet.")
    panels = [
        Panel(
            "mitglieder-pro-jahr",
            _("Members per year"),
            _growth_message(years) if years else "",
            members_chart(years) if years else None,
            _members_table(years),
            _("No member has a date of joining yet."),
        ),
        Panel(
            "eintritte-und-austritte",
            _("Joins and leaves per year"),
            _moves_message(years) if years else "",
            moves_chart(years) if years else None,
            _moves_table(years),
            _("No member has a date of joining yet."),
        ),
        _distribution_panel(
            _("Members by federal state"),
            _states_message(states),
            states,
            _state_table(states),
            no_members,
        ),
        _distribution_panel(
            _("Members by size of their municipality"),
            _largest_message(sizes, sizes=True),
            sizes,
            _size_table(sizes),
            no_members,
        ),
        _distribution_panel(
            _("Members by function"),
            _largest_message(functions),
            functions,
            _function_table(functions),
            no_members,
        ),
        _distribution_panel(
            _("External partners by sector"),
            _largest_message(sectors),
            sectors,
            _sector_table(sectors),
            _("There are no external partners yet."),
        ),
    ]
    today = timezone.localdate()
    this_year = years[-1] if years and years[-1].year == today.year else None
    figures = {
        "members": states.total,
        "joined": this_year.joined if this_year else 0,
        "states": sum(1 for c in states.categories if c.is_specified and c.count),
        "partners": sectors.total,
    }
    return render(
        request,
        "network/statistics/page.html",
        {"panels": panels, "figures": figures, "today": today},
    )


def csv_response(table: Table, filename: str) -> HttpResponse:
    """The table as a CSV file for German spreadsheet programs: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in table.headers])
    for label, counts in table.rows:
        writer.writerow([safe_cell(label), *counts])
    return HttpResponse(
        "\ufeff" + buffer.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@access(Rule.STAFF)
@require_safe
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    build = CSV_TABLES.get(table)
    if build is None:
        raise Http404
    filename = f"innoclub-{table}-{timezone.localdate().isoformat()}.csv"
    return csv_response(build(), filename)
