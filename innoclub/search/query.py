"""Searching: one ranked result list across all kinds, with facets and snippets.

A search costs a handful of queries whatever it finds: the names one typo
away, the facet counts (one GROUP BY over the matches), the topic names, the
page of results in at most two parts (``_page``) and their texts. What a user
may not see never enters any of them: visibility is part of each query's WHERE
clause, so counts and snippets cannot leak.
"""

from __future__ import annotations

import datetime
import math
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from innoclub.core import sections
from innoclub.core.access import AnyUser, is_staff, visible_levels
from innoclub.search.analysis import (
    QueryWord,
    deletions,
    ending,
    ends_in,
    fold,
    query_words,
    stem,
    within_one_edit,
)
from innoclub.search.backends import Match, Part, WordMatch, backend
from innoclub.search.documents import SOURCES
from innoclub.search.index import VERSION
from innoclub.search.models import Audience, Kind, NameVariant, SearchDocument

PER_PAGE = 20
FACETS = ("kind", "topic", "stage", "land", "year")
# News lose their recency bonus over two years; a new article counts up to 50 % more.
RECENCY_DAYS = 730
RECENCY_BONUS = 0.5
SNIPPET_WORDS = 28
# A stem this long also finds the compounds it begins ("Dorfladen" →
# "Dorfladengenossenschaft"), always, ranked with the compound ends below the
# stems. Shorter stems begin too many unrelated words ("Schule" → "Schulung")
# and widen to their prefix only when nothing else is found.
COMPOUND_HEAD = 7
# Counts are kept only when counting took at least this long (seconds): quick
# ones are not worth it, and a flood of odd queries then fills no cache.
KEEP_COUNTS_AFTER = 0.01
# Within each part of the ranking (backends.Part; the head part comes first):
# the upper tier (every word matched by its stem), then the score, then a fixed
# order. The head is all upper tier.
ORDER = (F("tier").desc(), F("rank").desc(), F("id").asc())
HEAD_ORDER = ORDER[1:]


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    topic: str = ""
    stage: str = ""
    land: str = ""
    year: int | None = None

    def selected(self, facet: str) -> str:
        value = getattr(self, facet)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    url: str
    title: SafeString
    snippet: SafeString
    dated: datetime.datetime | None
    year: int | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Results:
    query: str
    filters: Filters
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The query had no word to search for (empty, or only punctuation).
    too_short: bool = False
    # No document has every word; these results have some of them.
    any_word: bool = False
    # The cache key this search is kept under ("": not kept); what is shown of
    # it may be kept under the same key (views.py).
    kept_as: str = ""


# --- Who finds what --------------------------------------------------------


def visible_documents(user: AnyUser) -> QuerySet[SearchDocument]:
    """The documents ``user`` may find; staff find all of them."""
    # The vectors (PostgreSQL) are for matching only; never send them back to Python.
    documents = SearchDocument.objects.defer("vector", "head")
    if is_staff(user):
        return documents
    condition = Q(audience__in=visible_levels(user) & set(Audience.values))
    # Anonymous visitors see no restricted document; no source names them.
    if user.is_authenticated:
        for kind, source in SOURCES.items():
            if source.restricted_ids is not None:
                condition |= Q(
                    kind=kind,
                    audience=Audience.RESTRICTED,
                    object_id__in=source.restricted_ids(user),
                )
    released = Q(visible_from__isnull=True) | Q(visible_from__lte=timezone.now())
    return documents.filter(condition & released)


def _filtered(documents: QuerySet[SearchDocument], filters: Filters) -> QuerySet[SearchDocument]:
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.topic:
        documents = documents.filter(topics__contains=f"|{filters.topic}|")
    if filters.stage:
        documents = documents.filter(stage=filters.stage)
    if filters.land:
        documents = documents.filter(land=filters.land)
    if filters.year is not None:
        documents = documents.filter(year=filters.year)
    return documents


# --- The query -------------------------------------------------------------


def _searchable(words: Iterable[QueryWord]) -> list[QueryWord]:
    # One letter finds everything and nothing; digits always count ("5G", "2030").
    return [word for word in words if len(word.word) >= 2 or word.word.isdigit()]


def _typos(words: list[QueryWord]) -> dict[str, tuple[str, ...]]:
    """For each query word, the stems of indexed names one edit away. Numbers
    have no typos: "0621" is not a misspelt "621" (a telephone prefix is no house number)."""
    wanted = {
        word.word: deletions(word.word) | {word.word}
        for word in words
        if len(word.word) >= 4 and not word.word.isdigit()
    }
    if not wanted:
        return {}
    variants = set().union(*wanted.values())
    names = set(
        NameVariant.objects.filter(variant__in=variants).values_list("term", flat=True).distinct()
    )
    found = {}
    for word in words:
        near = sorted(
            {stem(name) for name in names if name != word.word and within_one_edit(word.word, name)}
            - {word.stem}
        )
        found[word.word] = tuple(near)
    return found


def _match(words: list[QueryWord], *, typos: dict[str, tuple[str, ...]], prefix: bool) -> Match:
    return Match(
        words=tuple(
            WordMatch(
                stem=word.stem,
                word=word.word,
                prefix=len(word.stem) >= (3 if prefix else COMPOUND_HEAD),
                ending=ending(word.stem) if len(word.stem) >= 3 else "",
                splits=word.splits,
                typos=typos.get(word.word, ()),
            )
            for word in words
        )
    )


def _ranked(
    documents: QuerySet[SearchDocument], match: Match, part: Part
) -> QuerySet[SearchDocument]:
    age = Value(timezone.localdate().toordinal()) - F("recency_day")
    # NULL (not news) counts as no bonus; SQLite's MAX() would pass the NULL on.
    freshness = Coalesce(
        Greatest(Value(0.0), Value(1.0) - age / Value(float(RECENCY_DAYS))), Value(0.0)
    )
    return (
        backend()
        .ranked(documents, match, part)
        .alias(rank=F("score") * (Value(1.0) + Value(RECENCY_BONUS) * freshness))
        .order_by(*(HEAD_ORDER if part is Part.HEAD else ORDER))
    )


def _page(
    documents: QuerySet[SearchDocument], match: Match, *, offset: int, limit: int
) -> list[SearchDocument]:
    """The matches from ``offset`` to ``offset + limit`` in ranking order.

    The head part (every word in title or summary) ranks above the rest, and
    is read first: for a broad query it fills the page on its own, so the
    many documents that mention the words only in their text are never
    scored. The rest is read only for the places the head leaves, after
    counting the head when the page starts beyond it.
    """
    found = list(_ranked(documents, match, Part.HEAD)[offset : offset + limit])
    if len(found) == limit:
        return found
    head_total = (
        offset + len(found) if found or not offset else _ranked(documents, match, Part.HEAD).count()
    )
    start = max(0, offset - head_total)
    rest = _ranked(documents, match, Part.REST)[start : start + limit - len(found)]
    return found + list(rest)


# --- Facets ----------------------------------------------------------------


def _facet_labels(slugs: Iterable[str]) -> dict[str, dict[str, str]]:
    from innoclub.network.models import FederalState, Topic

    slugs = set(slugs)
    topics = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
    return {
        "kind": {str(value): str(label) for value, label in Kind.choices},
        "topic": topics,
        "stage": _stage_labels(),
        "land": {str(value): str(label) for value, label in FederalState.choices},
        "year": {},
    }


def _stage_labels() -> dict[str, str]:
    """Labels of the stage facet: idea stages, pilot states, publication kinds."""
    from innoclub.events.models import EventState
    from innoclub.ideas.models import Stage
    from innoclub.news.models import PublicationKind
    from innoclub.pilots.models import PilotState

    labels: dict[str, str] = {}
    for choices in (EventState, PublicationKind, PilotState, Stage):
        labels.update({str(value): capfirst(str(label)) for value, label in choices.choices})
    return labels


def _topic_slugs(topics: str) -> list[str]:
    return [slug for slug in topics.split("|") if slug]


# Facet -> column of SearchDocument.
_COLUMNS = {"kind": "kind", "topic": "topics", "stage": "stage", "land": "land", "year": "year"}


def _facet_condition(facet: str, value: str) -> tuple[str, list[Any]]:
    if facet == "topic":
        return "topics LIKE %s", [f"%|{value}|%"]
    if facet == "year":
        return "year = %s", [int(value)]
    return f"{_COLUMNS[facet]} = %s", [value]


def _count(
    matches: QuerySet[SearchDocument], filters: Filters
) -> tuple[dict[str, Counter[str]], int]:
    """Counts per facet value, each under the *other* facets' filters, and the total.

    One query: the matches are materialised once, then one GROUP BY per facet
    (UNION ALL), so a few dozen rows come back however many documents match.
    Counting each facet without its own filter lets a user switch from one
    kind to another without first removing the filter.
    """
    inner, params = matches.values(*_COLUMNS.values()).order_by().query.sql_with_params()
    conditions = {
        facet: _facet_condition(facet, filters.selected(facet))
        for facet in FACETS
        if filters.selected(facet)
    }
    branches: list[str] = []
    values: list[Any] = list(params)
    for label, column in [*_COLUMNS.items(), ("total", "''")]:
        where = [condition for facet, condition in conditions.items() if facet != label]
        # Labels and columns are ours; every value is a parameter.
        sql = f"SELECT '{label}', CAST({column} AS TEXT), COUNT(*) FROM matches"  # noqa: S608
        if where:
            sql += " WHERE " + " AND ".join(condition for condition, _ in where)
        branches.append(f"{sql} GROUP BY {column}" if label != "total" else sql)
        values += [value for _, condition_values in where for value in condition_values]
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches AS MATERIALIZED ({inner}) " + " UNION ALL ".join(branches),
            values,
        )
        for facet, value, number in cursor.fetchall():
            if facet == "total":
                total = number
            elif facet == "topic":
                for slug in _topic_slugs(value or ""):
                    counts[facet][slug] += number
            elif value not in (None, ""):
                counts[facet][value] += number
    return counts, total


def _counted(
    matches: QuerySet[SearchDocument], match: Match, filters: Filters, shared: str
) -> tuple[dict[str, list[FacetValue]], int]:
    """The facets and the total of ``matches``: counted, or as counted before.

    Counting reads every match, the dearest part of a broad query; paging
    through its results or coming back to them asks again. So counts that took
    a while (``KEEP_COUNTS_AFTER``) are kept until the index changes
    (``index.VERSION``, raised by every write), per audience (``_shared_key``):
    the office, visitors, and each signed-in person until also the data of
    their own rules changes (their forums, the ideas shared with them).
    """
    key = _kept_key(shared, ("counts", match, filters))
    found: tuple[dict[str, list[FacetValue]], int] | None = cache.get(key)
    if found is None:
        began = time.perf_counter()
        counts, total = _count(matches, filters)
        found = (_facets(counts, filters), total)
        if time.perf_counter() - began >= KEEP_COUNTS_AFTER:
            cache.set(key, found, sections.SECTION_SECONDS)
    return found


# What else than the index decides which documents a person finds: the
# forums they registered for or were invited to, the ideas shared with them
# (their groups, authorship, evaluations) and their role (``visible_documents``).
PERSONAL_DATA = ("ideas", "registrations")


def _shared_key(user: AnyUser) -> str:
    """Whose finds a search keeps, and under which data: the audience (the
    office, visitors, or one person with the versions of what decides their
    own rules, ``PERSONAL_DATA``), the index's version and, for all but the
    office, the moment the next scheduled document becomes visible. One
    query, and once per version of the index the scheduled moments."""
    if is_staff(user):
        return f"{sections.version(VERSION)}:{get_language()}:staff"
    person = user.is_authenticated
    version, *personal = sections.each_version((VERSION, *PERSONAL_DATA) if person else (VERSION,))
    audience = f"public:{_next_release(version)}"
    if person:
        audience += f":person-{user.pk}:{'-'.join(personal)}"
    return f"{version}:{get_language()}:{audience}"


def _kept_key(shared: str, what: tuple[object, ...]) -> str:
    """The cache key of ``what`` a search found for the ``shared`` audience."""
    return f"search:{what[0]}:{shared}:{sections.digest(repr(what))}"


def _next_release(version: str) -> str:
    """When the next scheduled document becomes visible to visitors ("-": none).

    Part of the key of their counts, so that a scheduled article counts from
    its moment on without a write to the index. The scheduled moments are
    read once per version of the index.
    """
    key = f"search:scheduled:{version}"
    scheduled: list[datetime.datetime] | None = cache.get(key)
    if scheduled is None:
        scheduled = [
            moment
            for moment in SearchDocument.objects.filter(
                visible_from__gt=timezone.now()
            ).values_list("visible_from", flat=True)
            if moment is not None
        ]
        cache.set(key, scheduled, sections.SECTION_SECONDS)
    now = timezone.now()
    upcoming = [moment for moment in scheduled if moment > now]
    return min(upcoming).isoformat() if upcoming else "-"


def _facets(counts: dict[str, Counter[str]], filters: Filters) -> dict[str, list[FacetValue]]:
    labels = _facet_labels(counts["topic"])
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        selected = filters.selected(facet)
        if selected and selected not in counts[facet]:
            counts[facet][selected] = 0
        entries = [
            FacetValue(
                value=value,
                label=labels[facet].get(value, value),
                count=count,
                selected=value == selected,
            )
            for value, count in counts[facet].items()
        ]
        if facet == "year":
            entries.sort(key=lambda item: item.value, reverse=True)
        else:
            entries.sort(key=lambda item: (-item.count, item.label))
        facets[facet] = entries
    return facets


# --- Snippets --------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Highlighter:
    stems: frozenset[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]
    ends: tuple[str, ...]
    # Tokens already judged: a page of snippets repeats many words.
    seen: dict[str, bool] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, match: Match) -> _Highlighter:
        stems = {word.stem for word in match.words}
        for word in match.words:
            stems.update(word.typos)
            for head, tail in word.splits:
                stems.update((head, tail))
        return cls(
            stems=frozenset(stems),
            words=frozenset(word.word for word in match.words),
            prefixes=tuple(word.stem for word in match.words if word.prefix),
            ends=tuple(word.stem for word in match.words if word.ending),
        )

    def hits(self, token: str) -> bool:
        known = self.seen.get(token)
        if known is None:
            known = self.seen[token] = self._hits(token)
        return known

    def _hits(self, token: str) -> bool:
        word = fold(token)
        if not word.isalnum():
            return False
        word_stem = stem(word)
        return (
            word in self.words
            or word_stem in self.stems
            or bool(self.prefixes and word_stem.startswith(self.prefixes))
            or bool(self.ends and ends_in(word, word_stem, self.ends))
        )

    def mark(self, text: str) -> tuple[str, int | None]:
        """``text`` escaped with the matching words in <mark>; the first match's word index."""
        out: list[str] = []
        last, first = 0, None
        for index, found in enumerate(_TOKEN.finditer(text)):
            if self.hits(found.group()):
                out.append(escape(text[last : found.start()]))
                out.append(f"<mark>{escape(found.group())}</mark>")
                last = found.end()
                first = index if first is None else first
        out.append(escape(text[last:]))
        return "".join(out), first

    def snippet(self, *texts: str) -> SafeString:
        """Some words around the first match in the first text that has one."""
        for text in texts:
            for found in _TOKEN.finditer(text):
                if self.hits(found.group()):
                    return self._around(text, found.start())
        return next((self._around(text, 0) for text in texts if text.strip()), mark_safe(""))

    def _around(self, text: str, at: int) -> SafeString:
        before = text[:at].split()[-(SNIPPET_WORDS // 3) :] if at else []
        after = text[at:].split()
        shown = before + after[: SNIPPET_WORDS - len(before)]
        marked, _ = self.mark(" ".join(shown))
        start = "… " if len(before) < len(text[:at].split()) else ""
        end = " …" if len(after) > SNIPPET_WORDS - len(before) else ""
        return mark_safe(start + marked + end)  # noqa: S308 - built from escaped text only

    def title(self, text: str) -> SafeString:
        return mark_safe(self.mark(text)[0])  # noqa: S308 - built from escaped text only


def _hit(document: SearchDocument, highlighter: _Highlighter, *, snippet: bool = True) -> Hit:
    return Hit(
        kind=document.kind,
        kind_label=str(Kind(document.kind).label),
        object_id=document.object_id,
        url=document.url,
        title=highlighter.title(document.title),
        snippet=highlighter.snippet(document.text.summary, document.text.body)
        if snippet
        else mark_safe(""),
        dated=document.dated,
        year=document.year,
    )


# --- Entry points ----------------------------------------------------------


def search(
    query: str,
    *,
    user: AnyUser,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Search everything ``user`` may see. Any text is a valid query.

    A search that took a while (``KEEP_COUNTS_AFTER``) is kept, results and
    counts, for its audience until the index changes (``_shared_key``: for
    visitors also until the next scheduled document becomes visible, for a
    signed-in person also until the data of their own rules changes); see
    ``_counted``.
    """
    filters = filters or Filters()
    words = _searchable(query_words(query))
    if not words:
        return Results(query=query, filters=filters, too_short=True)
    shared = _shared_key(user)
    key = _kept_key(shared, ("results", query, words, filters, page, per_page))
    kept: Results | None = cache.get(key)
    if kept is not None:
        return kept
    began = time.perf_counter()
    results = _search(
        query, words, user=user, shared=shared, filters=filters, page=page, per_page=per_page
    )
    if time.perf_counter() - began >= KEEP_COUNTS_AFTER:
        results = replace(results, kept_as=key)
        cache.set(key, results, sections.SECTION_SECONDS)
    return results


def _search(
    query: str,
    words: list[QueryWord],
    *,
    user: AnyUser,
    shared: str,
    filters: Filters,
    page: int,
    per_page: int,
) -> Results:
    typos = _typos(words)
    with backend().planning():
        visible = visible_documents(user)

        def results_of(match: Match) -> Results:
            return _results(
                query,
                match,
                visible,
                user=user,
                shared=shared,
                filters=filters,
                page=page,
                per_page=per_page,
            )

        # Widening steps, each taken only when the previous one found nothing:
        # prefixes ("Digitalis" → "Digitalisierung"), then any word instead of all.
        match = _match(words, typos=typos, prefix=False)
        results = results_of(match)
        if not results.total:
            match = replace(match, words=_match(words, typos=typos, prefix=True).words)
            results = results_of(match)
        if not results.total and len(words) > 1:
            fallback = results_of(replace(match, any_word=True))
            if fallback.total:
                return replace(fallback, any_word=True)
        return results


def _results(
    query: str,
    match: Match,
    visible: QuerySet[SearchDocument],
    *,
    user: AnyUser,
    shared: str,
    filters: Filters,
    page: int,
    per_page: int,
) -> Results:
    facets, total = _counted(backend().filter(visible, match), match, filters, shared)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    results = Results(
        query=query, filters=filters, total=total, page=page, pages=pages, facets=facets
    )
    if not total:
        return results
    documents = _page(
        _filtered(visible, filters), match, offset=(page - 1) * per_page, limit=per_page
    )
    prefetch_related_objects(documents, "text")
    highlighter = _Highlighter.of(match)
    return replace(results, hits=[_hit(document, highlighter) for document in documents])


def suggest(query: str, *, user: AnyUser, limit: int = 6) -> list[Hit]:
    """Titles as you type: every word may be the beginning of a longer one."""
    words = _searchable(query_words(query))
    if not words:
        return []
    match = _match(words, typos={}, prefix=True)
    with backend().planning():
        documents = _page(visible_documents(user), match, offset=0, limit=limit)
    highlighter = _Highlighter.of(match)
    return [_hit(document, highlighter, snippet=False) for document in documents]
