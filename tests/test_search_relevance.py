"""The search relevance set (benchmarks/search_relevance.py) on a small corpus.

The gold documents and a few hundred noise documents of the benchmark's
generator are indexed; every query of the set runs as the office (who finds
everything, so the noise competes in full). Precision@5 and recall@20 must not
fall below what the engine reached when these floors were set, and no query
may start to miss: a change that makes one miss shows up here with the query,
what was expected and what came back. The full-size figures are in
docs/performance.md ("Search").
"""

from __future__ import annotations

import pytest

from benchmarks.search_corpus import corpus, vocabulary
from benchmarks.search_relevance import GROUPS, QUERIES, evaluate, reserved, search_runner
from innoclub.search.index import index_documents

NOISE = 400

# Queries that miss today, with the reason (see docs/performance.md, "Search").
KNOWN_MISSES: dict[str, str] = {}

# The 49 queries' mean precision@5 and recall@20 when the floors were set (0.99 each).
FLOOR_PRECISION = 0.98
FLOOR_RECALL = 0.98

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed() -> None:
    documents = corpus(NOISE)
    assert index_documents(documents) == len(documents)


def test_the_noise_never_uses_a_word_the_relevance_set_asks_for() -> None:
    assert sorted(word for word in vocabulary() if reserved(word)) == []


def test_the_relevance_set_covers_every_language_case_of_the_issue() -> None:
    assert len(QUERIES) >= 40
    assert set(GROUPS) == {
        "inflection",
        "umlaut",
        "gender",
        "compound",
        "typo",
        "fields",
        "recency",
        "exact-first",
        "multi-word",
    }


def test_relevance_does_not_regress(indexed: None, staff) -> None:
    report = evaluate(search_runner(staff))
    _, precision, recall, _ = report.groups()["all"]

    missed = {outcome.query.text for outcome in report.misses}
    assert sorted(missed - KNOWN_MISSES.keys()) == [], report.text()
    # A known miss that now passes leaves the list, so the list stays true.
    assert sorted(KNOWN_MISSES.keys() - missed) == []
    assert precision >= FLOOR_PRECISION, report.text()
    assert recall >= FLOOR_RECALL, report.text()
