"""What a search found, its results and facet counts, is kept until the index
changes: for visitors and the office, and for each signed-in person until
also the data of their own rules changes (their forums, ideas shared with
them).

What a kept count must never do: show a number the index no longer has, or
count a scheduled article before its moment.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.ideas.models import GROUP
from innoclub.search import query
from innoclub.search.index import remove
from innoclub.search.models import Audience, Kind
from innoclub.search.query import Filters, search
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, StaffFactory
from tests.ideas_factories import IdeaFactory, IdeaGroupFactory
from tests.test_search_pages import put

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_every_count(monkeypatch):
    """Only counts that took a while are kept (KEEP_COUNTS_AFTER); here every one."""
    monkeypatch.setattr(query, "KEEP_COUNTS_AFTER", 0)


def _kinds(results) -> dict[str, int]:
    return {value.value: value.count for value in results.facets["kind"]}


def test_a_repeated_search_reads_what_the_first_found(django_assert_num_queries):
    put("Wärmepumpe im Rathaus")
    put("Wärmepumpe in der Schule", kind=Kind.PILOT)
    visitor = AnonymousUser()
    first = search("Wärmepumpe", user=visitor, per_page=1)

    # the index version
    with django_assert_num_queries(1):
        again = search("Wärmepumpe", user=visitor, per_page=1)
    # another page of it is searched, but its counts are those kept from the first
    with mock.patch.object(query, "_count", wraps=query._count) as counting:
        second = search("Wärmepumpe", user=visitor, per_page=1, page=2)
    assert counting.call_count == 0

    assert again == first
    assert second.total == first.total == 2
    assert _kinds(second) == _kinds(first) == {"idea": 1, "pilot": 1}
    assert {hit.title for hit in first.hits + second.hits} == {
        "<mark>Wärmepumpe</mark> im Rathaus",
        "<mark>Wärmepumpe</mark> in der Schule",
    }


@pytest.mark.parametrize("change", ["add", "remove"])
def test_a_change_of_the_index_is_counted_at_once(change):
    put("Wärmepumpe im Rathaus")
    kept = put("Wärmepumpe in der Schule", kind=Kind.PILOT)
    office = StaffFactory()
    assert search("Wärmepumpe", user=office).total == 2

    if change == "add":
        put("Wärmepumpe im Freibad", kind=Kind.ARTICLE)
    else:
        remove(Kind.PILOT, [kept])

    results = search("Wärmepumpe", user=office)
    assert results.total == (3 if change == "add" else 1)
    assert _kinds(results) == (
        {"idea": 1, "pilot": 1, "article": 1} if change == "add" else {"idea": 1}
    )


def test_each_filter_and_audience_has_counts_of_its_own():
    put("Wärmepumpe im Rathaus")
    put("Wärmepumpe für Mitglieder", audience=Audience.MEMBERS)
    put("Wärmepumpe der Geschäftsstelle", audience=Audience.STAFF, kind=Kind.PILOT)

    assert search("Wärmepumpe", user=AnonymousUser()).total == 1
    assert search("Wärmepumpe", user=MemberFactory()).total == 2
    assert search("Wärmepumpe", user=StaffFactory()).total == 3
    assert search("Wärmepumpe", user=StaffFactory(), filters=Filters(kind="pilot")).total == 1
    # and the first again, after the others were kept
    assert search("Wärmepumpe", user=AnonymousUser()).total == 1


def test_a_scheduled_article_counts_for_visitors_from_its_moment_on():
    now = timezone.now()
    put("Wärmepumpe im Rathaus")
    put(
        "Wärmepumpe: die neue Förderung",
        kind=Kind.ARTICLE,
        visible_from=now + datetime.timedelta(hours=1),
    )
    visitor = AnonymousUser()
    before = search("Wärmepumpe", user=visitor)
    assert before.total == 1
    assert [hit.title for hit in before.hits] == ["<mark>Wärmepumpe</mark> im Rathaus"]

    later = now + datetime.timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = search("Wärmepumpe", user=visitor)

    assert after.total == 2
    assert _kinds(after) == {"idea": 1, "article": 1}


def test_a_members_kept_search_follows_a_registration():
    """A participants' forum is found once the person registered: a write that
    does not touch the index, but the data of the person's own rules."""
    event = EventFactory(title="Werkstatt Wärmepumpe", visibility=Visibility.PARTICIPANTS)
    member = MemberFactory()
    assert search("Wärmepumpe", user=member).total == 0
    assert search("Wärmepumpe", user=member).total == 0  # kept

    RegistrationFactory(event=event, user=member)

    assert search("Wärmepumpe", user=member).total == 1
    assert search("Wärmepumpe", user=MemberFactory()).total == 0


def test_a_members_kept_search_follows_an_idea_shared_with_them():
    member = MemberFactory()
    group = IdeaGroupFactory()
    IdeaFactory(title="Wärmepumpe im Arbeitskreis", visibility=GROUP, group=group)
    search("Wärmepumpe", user=member)

    group.members.add(member)

    with mock.patch.object(query, "_count", wraps=query._count) as counting:
        assert search("Wärmepumpe", user=member).total == 1
    assert counting.call_count == 1


def test_a_members_search_is_kept_for_them_alone(django_assert_num_queries):
    put("Wärmepumpe im Rathaus")
    member = MemberFactory()
    first = search("Wärmepumpe", user=member)

    # the index version with the versions of the person's own data
    with django_assert_num_queries(1):
        again = search("Wärmepumpe", user=member)
    with mock.patch.object(query, "_count", wraps=query._count) as counting:
        search("Wärmepumpe", user=MemberFactory())

    assert again == first
    assert counting.call_count == 1


def test_a_quick_count_is_counted_every_time(monkeypatch):
    """A quick count is not kept: keeping it would only fill the cache."""
    monkeypatch.setattr(query, "KEEP_COUNTS_AFTER", 60)  # seconds: no count here is that slow
    put("Wärmepumpe im Rathaus")
    search("Wärmepumpe", user=AnonymousUser())

    with mock.patch.object(query, "_count", wraps=query._count) as counting:
        assert search("Wärmepumpe", user=AnonymousUser()).total == 1

    assert counting.call_count == 1
