""" "Ich unterstütze" clicked many times at once counts once.

Runs on the configured database (SQLite in one CI pass, PostgreSQL in the
other), with one connection per thread, so the unique constraint on
(idea, user) is what keeps the count right — not a check in Python.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from innoclub.ideas import engagement
from innoclub.ideas.models import Idea, Support
from tests.concurrency import at_once
from tests.conftest import login_client
from tests.factories import MemberFactory
from tests.ideas_factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _at_once(work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    return at_once(work, threads=THREADS)


def test_simultaneous_supports_of_one_member_count_once():
    idea = IdeaFactory()
    member = MemberFactory()

    results, errors = _at_once(lambda _n: engagement.support_add(idea=idea, user=member))

    assert errors == []
    assert sorted(results, key=bool) == [False] * (THREADS - 1) + [True]
    assert Support.objects.filter(idea=idea, user=member).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_simultaneous_clicks_on_the_button_count_once():
    idea = IdeaFactory()
    member = MemberFactory()
    clients: list[Client] = [login_client(member) for _ in range(THREADS)]

    results, errors = _at_once(
        lambda n: (
            clients[n]
            .post(f"/ideen/{idea.pk}/unterstuetzen/", {"aktion": "hinzufuegen"})
            .status_code
        )
    )

    assert errors == []
    assert results == [302] * THREADS
    assert Support.objects.filter(idea=idea, user=member).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_many_members_supporting_at_once_are_all_counted():
    idea = IdeaFactory()
    members = [MemberFactory() for _ in range(THREADS)]

    results, errors = _at_once(lambda n: engagement.support_add(idea=idea, user=members[n]))

    assert errors == []
    assert results == [True] * THREADS
    assert Idea.objects.get(pk=idea.pk).support_count == THREADS
