"""Reads for the club office's idea pages: the pipeline board, the funnel of
stages per year and the overview of evaluations.

Each function runs a fixed number of queries, whatever the number of ideas.
The office sees every idea; the functions still start from
``selectors.ideas_visible`` so that the access policy stays the one gate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.utils import timezone

from innoclub.ideas.models import (
    PIPELINE,
    Criterion,
    EvaluationAssignment,
    Idea,
    Score,
    Stage,
    StageChange,
)
from innoclub.ideas.selectors import ideas_visible, weighted_mean
from innoclub.ideas.stages import next_stages

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser

# The board shows the ideas waiting longest in each stage; the rest are a link away.
CARD_LIMIT = 10
ASIDE: tuple[str, ...] = (Stage.DEFERRED, Stage.REJECTED)


# --- The pipeline board -------------------------------------------------------


@dataclass
class Card:
    idea: Idea
    days: int
    assigned: int
    submitted: int
    moves: list[tuple[str, str]]


@dataclass
class Column:
    stage: str
    label: str
    count: int
    cards: list[Card] = field(default_factory=list)

    @property
    def is_aside(self) -> bool:
        return self.stage in ASIDE

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)


def _days_since(moment: datetime, now: datetime) -> int:
    return max(0, (timezone.localdate(now) - timezone.localdate(moment)).days)


def pipeline_columns(*, user: AnyUser, now: datetime | None = None) -> list[Column]:
    """One column per stage, the main line first, with the oldest cards first.

    Two queries and one prefetch: the count per stage, and the first
    ``CARD_LIMIT`` ideas of every stage in one query through a window function.
    """
    moment = now or timezone.now()
    visible = ideas_visible(user)
    counts = dict(
        visible.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    ranked = visible.annotate(
        place=Window(
            RowNumber(),
            partition_by=[F("stage")],
            order_by=[F("stage_changed_at").asc(), F("id").asc()],
        )
    )
    ideas = (
        ranked.filter(place__lte=CARD_LIMIT)
        .order_by("stage_changed_at", "id")
        .only("id", "title", "stage", "stage_changed_at", "support_count", "comment_count")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=EvaluationAssignment.objects.only("id", "idea_id", "submitted_at"),
            )
        )
    )
    columns = {
        stage: Column(stage=stage, label=str(Stage(stage).label), count=counts.get(stage, 0))
        for stage in (*PIPELINE, *ASIDE)
    }
    for idea in ideas:
        evaluations = list(idea.evaluations.all())
        columns[idea.stage].cards.append(
            Card(
                idea=idea,
                days=_days_since(idea.stage_changed_at, moment),
                assigned=len(evaluations),
                submitted=sum(1 for e in evaluations if e.submitted_at is not None),
                moves=[(stage, str(Stage(stage).label)) for stage in next_stages(idea.stage)],
            )
        )
    return list(columns.values())


# --- The funnel -------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelYear:
    """Ideas created in ``year`` that reached each main-line stage (in PIPELINE order)."""

    year: int
    reached: tuple[int, ...]


def _furthest_stage() -> Subquery:
    """The furthest main-line stage in an idea's history, as 1 (Idee) … 4 (Transfer)."""
    rank = Case(
        *[When(to_stage=stage, then=Value(place)) for place, stage in enumerate(PIPELINE, 1)],
        output_field=IntegerField(),
    )
    furthest = (
        StageChange.objects.filter(idea=OuterRef("pk"), to_stage__in=PIPELINE)
        .annotate(rank=rank)
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Subquery(furthest, output_field=IntegerField())


def funnel_years(*, user: AnyUser) -> list[FunnelYear]:
    """How many ideas of each year of creation reached each stage. One query.

    "Reached a stage" means the idea was in that stage or in a later stage of
    the main line at some time, by its stage history: an idea now in Pilot
    counts for Idee, Konzept and Pilot, and so does an idea that was in Pilot
    and was then deferred or taken back. Every idea counts for Idee. The year
    is the year the idea was written (in the site's time zone).
    """
    rows = (
        ideas_visible(user)
        .order_by()
        .annotate(year=ExtractYear("created_at"), furthest=Coalesce(_furthest_stage(), 1))
        .values("year", "furthest")
        .annotate(n=Count("id"))
        .values_list("year", "furthest", "n")
    )
    by_year: dict[int, list[int]] = defaultdict(lambda: [0] * len(PIPELINE))
    for year, furthest, count in rows:
        for place in range(furthest):
            by_year[year][place] += count
    return [FunnelYear(year, tuple(by_year[year])) for year in sorted(by_year)]


def funnel_total(years: list[FunnelYear]) -> tuple[int, ...]:
    return tuple(sum(y.reached[place] for y in years) for place in range(len(PIPELINE)))


# --- Evaluations ------------------------------------------------------------------


@dataclass
class EvaluationRow:
    idea: Idea
    assigned: int
    submitted: int
    averages: list[float | None]
    overall: float | None


def _count_of(condition: Q) -> Subquery:
    assignments = (
        EvaluationAssignment.objects.filter(condition, idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(assignments, output_field=IntegerField()), 0)  # type: ignore[return-value]


SORTS = ("bewertung", "neueste")


def evaluation_rows(
    *,
    user: AnyUser,
    criteria: list[Criterion],
    stage: str = "",
    open_only: bool = False,
    sort: str = "bewertung",
) -> list[EvaluationRow]:
    """Every idea with its evaluation figures. Two queries.

    ``open_only`` keeps the ideas without a submitted evaluation ("noch nicht
    bewertet"), whether evaluators were asked or not. Sorted by the weighted
    score (unscored last) or newest first.
    """
    ideas = ideas_visible(user).annotate(
        assigned=_count_of(Q()), submitted=_count_of(Q(submitted_at__isnull=False))
    )
    if stage:
        ideas = ideas.filter(stage=stage)
    if open_only:
        ideas = ideas.filter(submitted=0)
    ideas = ideas.only("id", "title", "stage", "created_at").order_by("-created_at", "-id")
    found = list(ideas)
    averages: dict[tuple[int, int], float] = (
        {
            (idea_id, criterion_id): average
            for idea_id, criterion_id, average in Score.objects.filter(
                assignment__submitted_at__isnull=False,
                assignment__idea__in=ideas.values("pk"),
                criterion__in=criteria,
            )
            .order_by()
            .values("assignment__idea_id", "criterion_id")
            .annotate(average=Avg("value"))
            .values_list("assignment__idea_id", "criterion_id", "average")
        }
        if found and criteria
        else {}
    )
    weights = [criterion.weight for criterion in criteria]
    rows = []
    for idea in found:
        values = [averages.get((idea.pk, criterion.pk)) for criterion in criteria]
        rows.append(
            EvaluationRow(
                idea=idea,
                assigned=idea.assigned,
                submitted=idea.submitted,
                averages=values,
                overall=weighted_mean(values, weights),
            )
        )
    if sort == "bewertung":
        rows.sort(key=lambda row: (row.overall is None, -(row.overall or 0)))
    return rows
