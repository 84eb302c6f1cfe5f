"""How far a set of pilots reaches, read as aggregates in the database.

The map, its table, the reach and the diffusion curve of the transfer views
come from grouped queries (by map cell, by Bundesland, by month), so the rows
that reach Python are bounded by the size of the map and the calendar, not by
the number of pilots, participants, adoptions and state changes. ``pilots``
is always a queryset of the pilots the viewer may see (adoptions follow their
pilot's visibility).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Floor, Lead
from django.utils.formats import number_format

from innoclub.network.models import FederalState, Municipality
from innoclub.pilots import maps
from innoclub.pilots.maps import Cell, Role
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    AdoptionStateChange,
    PilotParticipant,
    PilotProject,
)
from innoclub.pilots.transfer_charts import Span

ADOPTION_ROLES = {
    AdoptionState.IMPLEMENTED: Role.IMPLEMENTED,
    AdoptionState.PREPARING: Role.PREPARING,
    AdoptionState.INTERESTED: Role.INTERESTED,
    AdoptionState.GIVEN_UP: Role.GIVEN_UP,
}
RANKS = {role: index for index, role in enumerate(Role)}  # stronger roles rank higher
LARGEST = 25  # municipalities listed by name in the map's table


def _rank_of_adoption() -> Case:
    return Case(
        *(When(state=state, then=Value(RANKS[role])) for state, role in ADOPTION_ROLES.items()),
        output_field=IntegerField(),
    )


def _sources(pilots: QuerySet[PilotProject]) -> list[tuple[QuerySet[Any], str, Case | Value]]:
    """Leads, participants and adoptions of ``pilots``: queryset, path to the municipality, rank."""
    ids = pilots.order_by().values("pk")
    return [
        (
            PilotProject.objects.filter(pk__in=ids, lead_municipality__isnull=False),
            "lead_municipality",
            Value(RANKS[Role.LEAD]),
        ),
        (
            PilotParticipant.objects.filter(pilot__in=ids),
            "municipality",
            Value(RANKS[Role.PARTICIPANT]),
        ),
        (Adoption.objects.filter(pilot__in=ids), "municipality", _rank_of_adoption()),
    ]


# --- The map and its table ---------------------------------------------------------


@dataclass
class StateRow:
    """Entries (a municipality in a role for a pilot) of one Bundesland, by role."""

    name: str
    counts: dict[Role, int] = field(default_factory=dict)
    columns: list[int] = field(default_factory=list)  # the counts in the table's order

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ListedPlace:
    """One of the largest municipalities on the map, in its strongest role."""

    name: str
    ags: str
    state: str
    role: Role
    pilots: int
    placed: bool


@dataclass(frozen=True)
class MapTable:
    """The map as a table, bounded: entries per Bundesland and role, and the largest places."""

    roles: list[Role]  # the columns, strongest first
    states: list[StateRow]
    totals: StateRow
    largest: list[ListedPlace]
    municipalities: int  # distinct municipalities on the map or in the table
    unplaced: int  # entries whose municipality has no coordinates

    @property
    def entries(self) -> int:
        return self.totals.total


@dataclass(frozen=True)
class Reach:
    """How far pilots reach: lead, participants and adopters that have not given up."""

    municipalities: int
    inhabitants: int
    without_population: int  # municipalities whose population is unknown
    states: list[str]

    @property
    def inhabitants_grouped(self) -> str:
        """“403.000” rather than “403000”, whatever the site's separator setting."""
        return number_format(self.inhabitants, force_grouping=True)


def map_cells(pilots: QuerySet[PilotProject]) -> dict[Cell, Role]:
    """The strongest role in each map cell (three grouped queries)."""
    strongest: dict[Cell, int] = {}
    for rows, path, rank in _sources(pilots):
        grouped = (
            rows.filter(**{f"{path}__latitude__isnull": False, f"{path}__longitude__isnull": False})
            .annotate(
                cx=Floor((F(f"{path}__longitude") - maps.CELL_WEST) * maps.CELLS_PER_LONGITUDE),
                cy=Floor((maps.CELL_NORTH - F(f"{path}__latitude")) * maps.CELLS_PER_LATITUDE),
            )
            .order_by()
            .values("cx", "cy")
            .annotate(rank=Max(rank))
            .values_list("cx", "cy", "rank")
        )
        for cx, cy, value in grouped:
            cell = (int(cx), int(cy))
            strongest[cell] = max(value, strongest.get(cell, value))
    roles = list(Role)
    return {cell: roles[value] for cell, value in strongest.items()}


def _municipalities(pilots: QuerySet[PilotProject], *, given_up: bool) -> Q:
    """Municipalities that lead, take part in or adopt one of ``pilots``."""
    condition = Q()
    for rows, path, _rank in _sources(pilots):
        if rows.model is Adoption and not given_up:
            rows = rows.exclude(state=AdoptionState.GIVEN_UP)
        condition |= Q(pk__in=rows.order_by().values(path))
    return condition


def reach_and_count(pilots: QuerySet[PilotProject]) -> tuple[Reach, int]:
    """Reach (given-up adopters left out) and all municipalities of the map (one query)."""
    active = _municipalities(pilots, given_up=False)
    rows = (
        Municipality.objects.filter(_municipalities(pilots, given_up=True))
        .order_by()
        .values("state")
        .annotate(
            everyone=Count("pk"),
            reached=Count("pk", filter=active),
            inhabitants=Sum("population", filter=active),
            unknown=Count("pk", filter=active & Q(population__isnull=True)),
        )
    )
    reached = [row for row in rows if row["reached"]]
    reach = Reach(
        municipalities=sum(row["reached"] for row in reached),
        inhabitants=sum(row["inhabitants"] or 0 for row in reached),
        without_population=sum(row["unknown"] for row in reached),
        states=sorted(str(FederalState(row["state"]).label) for row in reached),
    )
    return reach, sum(row["everyone"] for row in rows)


def map_table(pilots: QuerySet[PilotProject], *, municipalities: int) -> MapTable:
    """Entries per Bundesland and role (three grouped queries) and the ``LARGEST``
    municipalities with their strongest role (four queries)."""
    by_state: dict[str, StateRow] = {}
    unplaced = 0
    roles = list(Role)
    for rows, path, rank in _sources(pilots):
        grouped = (
            rows.order_by()
            .values(f"{path}__state")
            .annotate(
                rank=rank,  # not an aggregate: grouped by as well
                n=Count("pk"),
                unplaced=Count("pk", filter=Q(**{f"{path}__latitude__isnull": True})),
            )
            .values_list(f"{path}__state", "rank", "n", "unplaced")
        )
        for state, value, count, missing in grouped:
            row = by_state.setdefault(state, StateRow(str(FederalState(state).label)))
            role = roles[value]
            row.counts[role] = row.counts.get(role, 0) + count
            unplaced += missing
    totals = StateRow("")
    for row in by_state.values():
        for role, count in row.counts.items():
            totals.counts[role] = totals.counts.get(role, 0) + count
    columns = [role for role in reversed(roles) if totals.counts.get(role)]
    for row in [*by_state.values(), totals]:
        row.columns = [row.counts.get(role, 0) for role in columns]
    return MapTable(
        roles=columns,
        states=sorted(by_state.values(), key=lambda row: row.name),
        totals=totals,
        largest=largest_places(pilots),
        municipalities=municipalities,
        unplaced=unplaced,
    )


def largest_places(pilots: QuerySet[PilotProject], *, limit: int = LARGEST) -> list[ListedPlace]:
    """The most populous municipalities of the map with their strongest role and
    the number of pilots they are part of (four queries)."""
    places = list(
        Municipality.objects.filter(_municipalities(pilots, given_up=True))
        .order_by(F("population").desc(nulls_last=True), "name", "pk")
        .values("pk", "name", "ags", "state", "latitude", "longitude")[:limit]
    )
    ids = [place["pk"] for place in places]
    strongest: dict[int, int] = {}
    involved: dict[int, int] = defaultdict(int)
    for rows, path, rank in _sources(pilots):
        grouped = (
            rows.filter(**{f"{path}__in": ids})
            .order_by()
            .values(path)
            .annotate(rank=Max(rank), n=Count("pk"))
            .values_list(path, "rank", "n")
        )
        for municipality, value, count in grouped:
            strongest[municipality] = max(value, strongest.get(municipality, value))
            involved[municipality] += count
    roles = list(Role)
    return [
        ListedPlace(
            name=place["name"],
            ags=place["ags"],
            state=str(FederalState(place["state"]).label),
            role=roles[strongest[place["pk"]]],
            pilots=involved[place["pk"]],
            placed=place["latitude"] is not None and place["longitude"] is not None,
        )
        for place in places
        if place["pk"] in strongest
    ]


# --- The curve -------------------------------------------------------------------


def _month_sql(column: str) -> str:
    """Months since year 0 of a date column: year * 12 + month - 1."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column}) * 12 + EXTRACT(MONTH FROM {column}) - 1)::int"
    # SQLite stores dates as ISO text.
    return f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER) - 1)"


def state_spans(pilots: QuerySet[PilotProject], *, today: datetime.date) -> list[Span]:
    """How long adoptions stayed in each state, counted by month (one query).

    Each recorded state lasts from its month until the month of the adoption's
    next change (recorded later on the same day: not at all); changes after
    ``today`` do not count yet. The rows are grouped by (first month, end
    month, state), so their number depends on the calendar, not on the
    number of adoptions.
    """
    changes = (
        AdoptionStateChange.objects.filter(
            adoption__pilot__in=pilots.order_by().values("pk"), effective_on__lte=today
        )
        .annotate(
            next_on=Window(
                Lead("effective_on"),
                partition_by=[F("adoption_id")],
                order_by=[F("effective_on").asc(), F("id").asc()],
            )
        )
        .order_by()
        .values_list("effective_on", "next_on", "state")
    )
    inner, params = changes.query.sql_with_params()
    first, until = _month_sql("spans.effective_on"), _month_sql("spans.next_on")
    # Only our own SQL is interpolated; the values travel as parameters.
    sql = (
        f"SELECT {first}, {until}, spans.state, COUNT(*) FROM ({inner}) spans "  # noqa: S608
        f"GROUP BY {first}, {until}, spans.state"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(start, end, state, count) for start, end, state, count in cursor.fetchall()]
