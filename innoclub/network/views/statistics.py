"""Growth statistics for the club office: charts with their tables, and each table as CSV.

The charts themselves are drawn in ``innoclub.network.charts``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.access import Rule, access
from innoclub.core.csv import csv_download
from innoclub.network import statistics
from innoclub.network.charts import Chart, bars_chart, members_chart, moves_chart
from innoclub.network.models import FederalState
from innoclub.network.statistics import Distribution, YearFigures

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
    """The table as a CSV download."""
    return csv_download(filename, table.headers, ([label, *counts] for label, counts in table.rows))


@access(Rule.STAFF)
@require_safe
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    build = CSV_TABLES.get(table)
    if build is None:
        raise Http404
    filename = f"innoclub-{table}-{timezone.localdate().isoformat()}.csv"
    audit_record(
        action=Action.EXPORT,
        request=request,
        object_label=_("Growth statistics"),
        details={"file": filename},
    )
    return csv_response(build(), filename)
