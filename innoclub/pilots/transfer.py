"""Reach and spread of pilots: the map, the diffusion curve and the figures per pilot.

Everything is read as aggregates in the database (``spread.py``): a fixed
number of queries whose result rows do not grow with the number of pilots,
adoptions or state changes.

Adoptions follow their pilot's visibility: whoever may see a pilot sees where
it spread. The callers pass pilots the viewer may see.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innoclub.core import sections
from innoclub.core.access import AnyUser, visible_levels
from innoclub.network.models import Topic
from innoclub.pilots.maps import TransferMap, transfer_map
from innoclub.pilots.models import Adoption, AdoptionState, PilotProject
from innoclub.pilots.selectors import pilots_visible
from innoclub.pilots.spread import (
    ADOPTION_ROLES,
    MapTable,
    Reach,
    map_cells,
    map_table,
    reach_and_count,
    state_spans,
)
from innoclub.pilots.transfer_charts import AdoptionCounts, Curve, diffusion_curve

__all__ = ["ADOPTION_ROLES", "Reach"]

# The office's classification of a pilot's spread (shown with this definition).
WINDOW = datetime.timedelta(days=365)
SPREADING_MIN = 3  # new adoptions within the window
OFFICE_PAGE_SIZE = 50
OFFICE_LIST = 30  # given-up and unverified adoptions shown on the office's page


@dataclass(frozen=True)
class TransferSection:
    map: TransferMap
    table: MapTable
    curve: Curve
    reach: Reach


def transfer_section(
    pilots: QuerySet[PilotProject], *, today: datetime.date | None = None
) -> TransferSection:
    """Map, its table, curve and reach of ``pilots`` together (twelve queries)."""
    reach, municipalities = reach_and_count(pilots)
    table = map_table(pilots, municipalities=municipalities)
    spans = state_spans(pilots, today=today or timezone.localdate())
    return TransferSection(
        map=transfer_map(map_cells(pilots), table.roles),
        table=table,
        curve=diffusion_curve(spans, today=today or timezone.localdate()),
        reach=reach,
    )


def transfer_for_pilot(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_pilot_transfer.html`` (map, curve and reach of one pilot).

    Merge it into the pilot page's context. The section is the same for every
    viewer of the pilot (adoptions follow the pilot's visibility), so ``user``
    is not consulted. Twelve queries, whatever the number of adoptions; one
    while nothing it is computed from changes (``core/sections.py``).
    """
    today = timezone.localdate()
    return {
        "transfer": sections.cached(
            "pilots",
            ("pilot-transfer", pilot.pk, today),
            lambda: transfer_section(PilotProject.objects.filter(pk=pilot.pk), today=today),
        )
    }


def network_overview(user: AnyUser, *, pilot_slug: str, topic_slug: str) -> dict[str, Any]:
    """Context of ``/transfer/``: every pilot ``user`` may see, or one pilot or topic.

    A fixed number of queries whatever the number of pilots and adoptions:
    the topics to choose from, the chosen pilot, the number of pilots, the
    section (``transfer_section``) and the pilots spreading the most. An
    unknown pilot or topic is said so in ``problems``; then all are shown.

    Everything but the chosen pilot is the same for everyone who sees the same
    pilots, so it comes from the cache while no pilot, adoption, participant,
    topic or municipality changes (``core/sections.py``): two queries then.
    The view of one pilot is small and computed each time, which also keeps
    the cache from filling with one entry per pilot and topic.
    """
    audience = ",".join(sorted(visible_levels(user)))
    visible = pilots_visible(user)
    topics = sections.cached(
        "pilots",
        ("transfer-topics", audience),
        lambda: list(
            Topic.objects.filter(pilots__in=visible.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    )
    problems = []
    shown = visible
    chosen = None
    if pilot_slug:
        chosen = visible.filter(slug=pilot_slug).only("pk", "slug", "title").first()
        if chosen is not None:
            shown = visible.filter(pk=chosen.pk)
        else:
            problems.append(_("We do not know the pilot project you chose; all are shown."))
            pilot_slug = ""
    if topic_slug:
        if any(slug == topic_slug for slug, _name in topics):
            shown = shown.filter(topics__slug=topic_slug)
        else:
            problems.append(_("No pilot project has the topic you chose; all topics are shown."))
            topic_slug = ""
    today = timezone.localdate()

    def figures() -> dict[str, Any]:
        return {
            "section": transfer_section(shown, today=today),
            "top": top_spreading(shown, today=today),
            "shown": shown.count(),
        }

    def figures_html() -> dict[str, Any]:
        return {"figures_html": render_to_string("pilots/_transfer_figures.html", figures())}

    return {
        # The figures of all pilots are rendered once (150 KB with the map's
        # marks and tables) and kept as HTML.
        **(
            figures()
            if chosen is not None
            else sections.cached(
                "pilots", ("transfer-html", audience, today, topic_slug), figures_html
            )
        ),
        "topic_options": topics,
        "chosen_pilot": pilot_slug,
        "chosen_pilot_title": chosen.title if chosen is not None and pilot_slug else "",
        "chosen_topic": topic_slug,
        "filtered": bool(pilot_slug or topic_slug),
        "problems": problems,
    }


# --- Per pilot: how it spreads --------------------------------------------------


class Trend(enum.Enum):
    SPREADING = "spreading"
    STALLING = "stalling"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return str(TREND_LABELS[self])


TREND_LABELS = {
    Trend.SPREADING: _("spreading"),
    Trend.STALLING: _("stalling"),
    Trend.NEITHER: _("neither"),
}


@dataclass
class PilotFigures(AdoptionCounts):
    """One pilot's adoptions by state and their movement in the last twelve months."""

    pilot: PilotProject
    counts: dict[str, int] = field(default_factory=dict)
    new_adoptions: int = 0
    last_activity: datetime.date | None = None
    trend: Trend = Trend.NEITHER


def _by_state(state: str) -> Count:
    return Count("adoptions", filter=Q(adoptions__state=state))


def with_figures(pilots: QuerySet[PilotProject], *, today: datetime.date) -> QuerySet[PilotProject]:
    """Annotate adoptions by state (``n_<state>``), ``new_adoptions`` (started within
    the window), ``last_activity`` (the latest start or state change of an
    adoption) and ``trend_rank`` (the index of its ``Trend``).

    Spreading: at least ``SPREADING_MIN`` adoptions started within the last
    twelve months. Stalling: the pilot has run for more than twelve months and
    in the last twelve no adoption started and none changed its state.
    Everything else is neither (some movement, or too young to tell)."""
    year_ago = today - WINDOW
    # Joined with the state history, so every adoption is counted once (distinct).
    annotated = pilots.annotate(
        **{
            f"n_{state}": Count("adoptions", filter=Q(adoptions__state=state), distinct=True)
            for state in AdoptionState.values
        },
        new_adoptions=Count(
            "adoptions",
            filter=Q(adoptions__started_on__gt=year_ago, adoptions__started_on__lte=today),
            distinct=True,
        ),
        last_start=Max("adoptions__started_on"),
        last_change=Max("adoptions__history__effective_on"),
    ).annotate(
        last_activity=Greatest(
            Coalesce("last_start", "last_change"), Coalesce("last_change", "last_start")
        ),
        active_since=Coalesce("starts_on", TruncDate("created_at"), output_field=DateField()),
    )
    return annotated.annotate(
        trend_rank=Case(
            When(new_adoptions__gte=SPREADING_MIN, then=Value(0)),
            When(
                Q(active_since__lt=year_ago)
                & (Q(last_activity__isnull=True) | Q(last_activity__lt=year_ago)),
                then=Value(1),
            ),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def figures_of(pilot: PilotProject) -> PilotFigures:
    """The figures of a pilot read with ``with_figures``."""
    return PilotFigures(
        pilot=pilot,
        counts={state: getattr(pilot, f"n_{state}") for state in AdoptionState.values},
        new_adoptions=pilot.new_adoptions,  # type: ignore[attr-defined]
        last_activity=pilot.last_activity,  # type: ignore[attr-defined]
        trend=list(Trend)[pilot.trend_rank],  # type: ignore[attr-defined]
    )


def top_spreading(
    pilots: QuerySet[PilotProject], *, today: datetime.date, limit: int = 5
) -> list[PilotFigures]:
    """Pilots with living adoptions, the most new ones first, then the most adoptions (one query)."""
    year_ago = today - WINDOW
    active = [AdoptionState.IMPLEMENTED, AdoptionState.PREPARING, AdoptionState.INTERESTED]
    ranked = (
        pilots.annotate(
            **{f"n_{state}": _by_state(state) for state in AdoptionState.values},
            new_adoptions=Count(
                "adoptions",
                filter=Q(adoptions__started_on__gt=year_ago, adoptions__started_on__lte=today),
            ),
            active=Count("adoptions", filter=Q(adoptions__state__in=active)),
        )
        .filter(active__gt=0)
        .only("pk", "slug", "title")
        .order_by("-new_adoptions", "-active", f"-n_{AdoptionState.IMPLEMENTED}", "title")[:limit]
    )
    return [
        PilotFigures(
            pilot=pilot,
            counts={state: getattr(pilot, f"n_{state}") for state in AdoptionState.values},
            new_adoptions=pilot.new_adoptions,
        )
        for pilot in ranked
    ]


# --- The office's overview ------------------------------------------------------


@dataclass(frozen=True)
class OfficeOverview:
    page: Page[PilotFigures]
    spreading: int
    stalling: int
    given_up: list[Adoption]  # the latest OFFICE_LIST
    given_up_total: int
    unverified: list[Adoption]  # the oldest OFFICE_LIST
    unverified_total: int
    today: datetime.date

    @property
    def figures(self) -> list[PilotFigures]:
        return list(self.page.object_list)


def office_overview(*, page: str = "1", today: datetime.date | None = None) -> OfficeOverview:
    """One page of pilots with their adoptions and trend (spreading first), the
    number of spreading and stalling pilots, the latest given-up and the oldest
    unverified adoptions with their numbers. Eight queries."""
    today = today or timezone.localdate()
    pilots: QuerySet[Any] = with_figures(PilotProject.objects.all(), today=today)
    ordered = pilots.select_related("lead_municipality").order_by(
        "trend_rank", "-new_adoptions", "title", "pk"
    )
    paginator: Paginator[PilotProject] = Paginator(ordered, OFFICE_PAGE_SIZE)
    current = paginator.get_page(page)
    current.object_list = [figures_of(pilot) for pilot in current.object_list]  # type: ignore[misc]
    adoptions = Adoption.objects.select_related("municipality", "pilot").only(
        "pk",
        "state",
        "started_on",
        "given_up_on",
        "given_up_reason",
        "created_at",
        "municipality__name",
        "pilot__slug",
        "pilot__title",
    )
    given_up = adoptions.filter(state=AdoptionState.GIVEN_UP)
    unverified = adoptions.filter(verified_at__isnull=True).exclude(state=AdoptionState.GIVEN_UP)
    return OfficeOverview(
        page=current,  # type: ignore[arg-type]
        spreading=pilots.filter(trend_rank=list(Trend).index(Trend.SPREADING)).count(),
        stalling=pilots.filter(trend_rank=list(Trend).index(Trend.STALLING)).count(),
        given_up=list(
            given_up.order_by(Coalesce("given_up_on", "started_on").desc(), "-pk")[:OFFICE_LIST]
        ),
        given_up_total=given_up.count(),
        unverified=list(unverified.order_by("created_at", "pk")[:OFFICE_LIST]),
        unverified_total=unverified.count(),
        today=today,
    )
