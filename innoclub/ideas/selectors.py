"""Reads of the idea forge, filtered for the person who asks.

``ideas_visible(user)`` is the one query every list and page starts from: it
applies ``access.ideas_visible_condition`` (public, members, a named group,
and always the authors, the evaluators and the office). Hidden and missing
ideas answer the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from innoclub.core import access
from innoclub.core.markdown import rendered_markdown
from innoclub.core.querystring import query_value
from innoclub.events.models import Event
from innoclub.ideas.models import (
    Comment,
    EvaluationAssignment,
    Idea,
    Kind,
    Notification,
    Stage,
)
from innoclub.network.models import Municipality, Topic

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from innoclub.accounts.models import User
    from innoclub.core.access import AnyUser

PAGE_SIZE = 20
SIMILAR_LIMIT = 5
# A discussion shows this many comments with their replies per page.
THREADS_PER_PAGE = 30

SORTS: dict[str, tuple[str, ...]] = {
    "neueste": ("-created_at", "-id"),
    "unterstuetzung": ("-support_count", "-created_at", "-id"),
    "diskussion": ("-comment_count", "-created_at", "-id"),
}
SORT_LABELS: dict[str, Promise] = {
    "neueste": _("Newest first"),
    "unterstuetzung": _("Most supported"),
    "diskussion": _("Most discussed"),
}


def ideas_visible(user: AnyUser) -> QuerySet[Idea]:
    return Idea.objects.filter(access.ideas_visible_condition(user))


def idea_for_viewer(*, user: AnyUser, pk: int) -> Idea:
    """One idea with what its page header needs; 404 when hidden or missing."""
    idea = (
        ideas_visible(user)
        .select_related("municipality", "origin_session__event", "group", "pilot")
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        raise Http404
    return idea


@dataclass(frozen=True)
class IdeaFilters:
    """The list's filter state from the query string; invalid values are ignored."""

    stage: str = ""
    topic: str = ""
    kind: str = ""
    forum: str = ""
    sort: str = "neueste"
    page: str = "1"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> IdeaFilters:
        return cls(
            stage=query_value(query, "phase", Stage.values),
            topic=query_value(query, "thema")[:80],
            kind=query_value(query, "art", Kind.values),
            forum=query_value(query, "forum")[:120],
            sort=query_value(query, "sortierung", list(SORTS)) or "neueste",
            page=query_value(query, "seite")[:6] or "1",
        )

    @property
    def active(self) -> bool:
        return any((self.stage, self.topic, self.kind, self.forum))


@dataclass
class FilterOptions:
    stages: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    forums: list[tuple[str, str]]
    sorts: list[tuple[str, str]] = field(default_factory=list)


def _with_list_relations(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    return queryset.select_related("municipality", "origin_session__event").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        "authors",
    )


def idea_list(*, user: AnyUser, filters: IdeaFilters) -> Page[Idea]:
    """One page of ideas. Fixed queries: count, page, topics, authors."""
    ideas = ideas_visible(user)
    if filters.stage:
        ideas = ideas.filter(stage=filters.stage)
    if filters.kind:
        ideas = ideas.filter(kind=filters.kind)
    if filters.topic:
        ideas = ideas.filter(topics__slug=filters.topic)
    if filters.forum:
        ideas = ideas.filter(origin_session__event__slug=filters.forum)
    ideas = _with_list_relations(ideas.order_by(*SORTS[filters.sort]))
    return Paginator(ideas, PAGE_SIZE).get_page(filters.page)


def filter_options(*, user: AnyUser) -> FilterOptions:
    """Choices for the list's filters: only forums that ideas were born in. Two queries."""
    # EXISTS per forum (about 50) instead of joining every idea and de-duplicating.
    born_here = Idea.objects.filter(origin_session__event=OuterRef("pk"))
    forums = (
        access.filter_visible(Event.objects.all(), user)
        .filter(Exists(born_here))
        .order_by("-starts_on", "title")
        .values_list("slug", "title")
    )
    return FilterOptions(
        stages=[(value, str(label)) for value, label in Stage.choices],
        topics=list(Topic.objects.order_by("name").values_list("slug", "name")),
        kinds=[(value, str(label)) for value, label in Kind.choices],
        forums=list(forums),
        sorts=[(key, str(label)) for key, label in SORT_LABELS.items()],
    )


def similar_ideas(*, user: AnyUser, text: str, exclude: int | None = None) -> list[Idea]:
    """Ideas whose title shares a word of four letters or more with ``text``.

    A hint against duplicates while writing; the search issue replaces the
    word match with German stemming. Ranked by how many words match.
    """
    words = {word.strip(".,;:!?\"'()").lower() for word in text.split()}
    words = {word for word in words if len(word) >= 4}
    if not words:
        return []
    condition = Q()
    for word in sorted(words)[:8]:
        condition |= Q(title__icontains=word)
    candidates = ideas_visible(user).filter(condition)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    found = list(candidates.only("id", "title", "stage", "support_count")[:50])
    found.sort(key=lambda idea: -sum(word in idea.title.lower() for word in words))
    return found[:SIMILAR_LIMIT]


# --- One idea -------------------------------------------------------------


@dataclass
class IdeaPage:
    """What the idea's page shows, each read once."""

    idea: Idea
    topics: list[Topic]
    authors: list[User]
    is_author: bool
    history: list
    attachments: list
    comments: list[Comment]
    discussion: Page[Comment] | None
    supported: bool = False
    following: bool = False
    interests: list = field(default_factory=list)
    own_interest: object = None
    evaluation: EvaluationAssignment | None = None


def _threads(idea_id: int) -> QuerySet[Comment]:
    """The comments that start a thread, oldest first."""
    return Comment.objects.filter(idea_id=idea_id, parent__isnull=True).order_by("created_at", "id")


def thread_page_of(*, comment: Comment) -> int:
    """The page of the discussion that shows ``comment`` (a reply, its thread). One query."""
    root_id = comment.parent_id or comment.pk
    started = Subquery(Comment.objects.filter(pk=root_id).values("created_at"))
    before = (
        _threads(comment.idea_id)
        .filter(Q(created_at__lt=started) | Q(created_at=started, pk__lt=root_id))
        .count()
    )
    return before // THREADS_PER_PAGE + 1


def idea_page(
    *,
    user: AnyUser,
    idea: Idea,
    discussion_page: int | str = 1,
    with_discussion: bool = True,
) -> IdeaPage:
    """Everything the detail page needs, with a fixed number of queries; the
    discussion (``idea_discussion``) only ``with_discussion``, else its
    ``comments`` are empty and ``discussion`` is None."""
    # Profiles come along: how a name is shown depends on the person's sharing choices.
    authors = list(idea.authors.select_related("profile").order_by("last_name", "first_name"))
    is_author = any(author.pk == user.pk for author in authors)
    discussion, comments = (
        idea_discussion(idea=idea, discussion_page=discussion_page)
        if with_discussion
        else (None, [])
    )
    page = IdeaPage(
        idea=idea,
        topics=list(idea.topics.order_by("name")),
        authors=authors,
        is_author=is_author,
        history=list(idea.stage_changes.select_related("changed_by__profile")),
        attachments=list(idea.attachments.all()),
        comments=comments,
        discussion=discussion,
        interests=list(
            idea.interests.select_related("municipality").order_by("municipality__name")
        ),
    )
    if user.is_authenticated:
        page.supported = idea.supports.filter(user=user).exists()
        page.following = idea.follows.filter(user=user).exists()
        page.own_interest = next(
            (i for i in page.interests if i.municipality_id == user.municipality_id), None
        )
        page.evaluation = idea.evaluations.filter(evaluator=user).first()
    return page


def idea_discussion(
    *, idea: Idea, discussion_page: int | str = 1
) -> tuple[Page[Comment], list[Comment]]:
    """One page of the discussion and its threads' first comments, with their
    texts rendered (``body_html``); three queries.

    The discussion comes in pages of ``THREADS_PER_PAGE`` threads, oldest
    first; a page out of range shows the last one. Hidden comments stay in
    the thread as a placeholder (with the reason for their author and the
    office); replies are prefetched one level deep.
    """
    replies = Comment.objects.select_related("author__profile").order_by("created_at", "id")
    threads = _threads(idea.pk).select_related("author__profile")
    discussion = Paginator(
        threads.prefetch_related(Prefetch("replies", queryset=replies)), THREADS_PER_PAGE
    ).get_page(discussion_page)
    comments = discussion.object_list = list(discussion.object_list)
    _render_bodies([*comments, *(reply for comment in comments for reply in comment.replies.all())])
    return discussion, comments


def _render_bodies(comments: list[Comment]) -> None:
    """Give each comment its text as safe HTML in ``body_html``."""
    for comment, html in zip(comments, rendered_markdown([c.body for c in comments]), strict=True):
        comment.body_html = html  # type: ignore[attr-defined]


def comment_to_answer(*, idea: Idea, pk: int) -> Comment | None:
    """A comment of ``idea`` that starts a thread and may be answered (not hidden)."""
    return idea.comments.filter(pk=pk, parent__isnull=True, hidden_at__isnull=True).first()


@dataclass
class ScoreRow:
    criterion: str
    weight: int
    average: float | None


@dataclass
class IdeaScore:
    """The office's view of an idea's evaluation: per criterion and weighted overall."""

    submitted: int
    assigned: int
    rows: list[ScoreRow]
    overall: float | None


def weighted_mean(averages: list[float | None], weights: list[int]) -> float | None:
    """The weighted mean over the criteria that have scores; None when none has."""
    pairs = [(a, w) for a, w in zip(averages, weights, strict=True) if a is not None]
    total = sum(w for _a, w in pairs)
    return round(sum(a * w for a, w in pairs) / total, 2) if total else None


def idea_scores(*, idea: Idea, assignments: list[EvaluationAssignment] | None = None) -> IdeaScore:
    """Weighted mean of the submitted evaluations (for the office only).

    ``assignments`` are the idea's evaluations when the caller has read them.
    """
    from innoclub.ideas.models import Criterion, Score

    if assignments is None:
        assignments = list(idea.evaluations.all())
    submitted = [a for a in assignments if a.submitted_at is not None]
    scores = list(
        Score.objects.filter(assignment__in=submitted).values_list("criterion_id", "value")
    )
    criteria = list(Criterion.objects.filter(is_active=True))
    averages: list[float | None] = []
    for criterion in criteria:
        values = [value for criterion_id, value in scores if criterion_id == criterion.pk]
        averages.append(sum(values) / len(values) if values else None)
    weights = [criterion.weight for criterion in criteria]
    return IdeaScore(
        submitted=len(submitted),
        assigned=len(assignments),
        rows=[
            ScoreRow(criterion.name, criterion.weight, average)
            for criterion, average in zip(criteria, averages, strict=True)
        ],
        overall=weighted_mean(averages, weights),
    )


# --- Elsewhere on the site ------------------------------------------------


def ideas_of_session(*, user: AnyUser, session_id: int) -> list[Idea]:
    """Ideas born in a forum session, for the session page."""
    return list(ideas_visible(user).filter(origin_session_id=session_id).order_by("title"))


def ideas_of_topic(*, user: AnyUser, topic: Topic, limit: int = 10) -> list[Idea]:
    return list(ideas_visible(user).filter(topics=topic).order_by("-created_at")[:limit])


def ideas_of_municipality(
    *, user: AnyUser, municipality: Municipality, limit: int = 10
) -> list[Idea]:
    """Ideas set in a municipality, newest first, for the municipality page. One query."""
    return list(
        ideas_visible(user).filter(municipality=municipality).order_by("-created_at", "-id")[:limit]
    )


def _notifications(user: User) -> QuerySet[Notification]:
    """A person's notifications about ideas they still see (sharing may have narrowed)."""
    return Notification.objects.filter(recipient=user, idea__in=ideas_visible(user).values("pk"))


def notifications_of(*, user: User, limit: int = 50) -> list[Notification]:
    return list(
        _notifications(user)
        .select_related("idea", "actor", "stage_change", "comment")
        .order_by("-created_at", "-id")[:limit]
    )


def unread_count(*, user: User) -> int:
    return _notifications(user).filter(read_at__isnull=True).count()
