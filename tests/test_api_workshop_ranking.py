"""The events API's workshop wishes: a participant ranks an event's workshops with
the same checks as /foren/<slug>/workshops/ and, once published, reads their seats."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.events.models import Session
from innoclub.workshops.models import Placement, PlacementSource, WorkshopChoice
from tests.factories import EventFactory, RegistrationFactory
from tests.test_api_event_registrations import API, bearer, problem, send
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def forum():
    """Two time slots of three workshops each, two choices per slot, wishes open."""
    event, grid = workshop_event(slots=2, per_slot=3)
    allocation = WorkshopAllocationFactory(event=event, choices=2)
    return event, grid, allocation


def ranking_url(event) -> str:
    return f"/events/{event.slug}/workshop-ranking"


def wishes(registration) -> list[tuple[int, int]]:
    return list(
        WorkshopChoice.objects.filter(registration=registration)
        .order_by("session__starts_at", "rank")
        .values_list("session_id", "rank")
    )


def test_a_participant_ranks_workshops_per_time_slot(member, forum):
    event, grid, _allocation = forum
    registration = RegistrationFactory(event=event, user=member)
    (a1, b1, _c1), (a2, _b2, c2) = grid
    choices = {"z1": [b1.pk, a1.pk], "z2": [c2.pk, None]}

    saved = send("put", ranking_url(event), {"choices": choices}, **bearer(member, "write"))
    read = send("get", ranking_url(event), **bearer(member, "read"))

    assert saved.status_code == 200
    assert wishes(registration) == [(b1.pk, 1), (a1.pk, 2), (c2.pk, 1)]
    body = read.json()
    assert [(g["key"], g["choices"], g["ranked"]) for g in body["groups"]] == [
        ("z1", 2, [b1.pk, a1.pk]),
        ("z2", 2, [c2.pk]),
    ]
    assert [w["id"] for w in body["groups"][1]["workshops"]] == [s.pk for s in grid[1]]
    assert (body["refusal"], body["published"], body["seats"]) == (None, False, [])
    assert a2.pk not in body["groups"][0]["ranked"]


@pytest.mark.parametrize(
    "choices",
    [
        {"z1": ["other-event"]},
        {"z1": [999999]},
        {"z1": [0]},
        {"z9": [None]},
        {"z1": [None, None, None]},
    ],
)
def test_invalid_wishes_are_refused_and_the_old_ones_stay(member, forum, choices):
    event, grid, _allocation = forum
    registration = RegistrationFactory(event=event, user=member)
    WorkshopChoice.objects.create(registration=registration, session=grid[0][0], rank=1)
    if choices.get("z1") == ["other-event"]:
        _other, other_grid = workshop_event()
        choices = {"z1": [other_grid[0][0].pk]}

    response = send("put", ranking_url(event), {"choices": choices}, **bearer(member, "write"))

    assert problem(response, 422)["status"] == 422
    assert wishes(registration) == [(grid[0][0].pk, 1)]


def test_a_workshop_chosen_twice_is_refused_with_its_name(member, forum):
    event, grid, _allocation = forum
    RegistrationFactory(event=event, user=member)
    twice = grid[0][1]

    response = send(
        "put",
        ranking_url(event),
        {"choices": {"z1": [twice.pk, twice.pk]}},
        **bearer(member, "write"),
    )

    errors = problem(response, 422)["errors"]
    assert errors == [
        {"field": "choices", "message": f"Sie haben „{twice.title}“ mehrfach gewählt."}
    ]


def test_unknown_fields_in_the_wishes_are_refused(member, forum):
    event, grid, _allocation = forum
    RegistrationFactory(event=event, user=member)

    body = {"choices": {"z1": [grid[0][0].pk]}, "priority": "high"}
    response = send("put", ranking_url(event), body, **bearer(member, "write"))

    assert problem(response, 422)["errors"][0]["field"] == "priority"
    assert WorkshopChoice.objects.count() == 0


def test_only_confirmed_participants_on_site_may_rank(member, forum):
    event, grid, _allocation = forum
    body = {"choices": {"z1": [grid[0][0].pk]}}

    response = send("put", ranking_url(event), body, **bearer(member, "write"))
    read = send("get", ranking_url(event), **bearer(member, "read")).json()

    assert problem(response, 409)["detail"] == (
        "Nur bestätigte Teilnehmende können Workshop-Wünsche abgeben."
    )
    assert read["refusal"] == response.json()["detail"]
    assert WorkshopChoice.objects.count() == 0


def test_wishes_close_at_the_deadline(member, forum):
    event, grid, allocation = forum
    RegistrationFactory(event=event, user=member)
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(hours=1)
    allocation.save()

    response = send(
        "put", ranking_url(event), {"choices": {"z1": [grid[0][0].pk]}}, **bearer(member, "write")
    )

    assert problem(response, 409)["detail"].startswith("Die Frist für Workshop-Wünsche")
    assert WorkshopChoice.objects.count() == 0


def test_a_read_token_cannot_rank(member, forum):
    event, grid, _allocation = forum
    RegistrationFactory(event=event, user=member)

    response = send(
        "put", ranking_url(event), {"choices": {"z1": [grid[0][0].pk]}}, **bearer(member, "read")
    )

    assert problem(response, 403)
    assert WorkshopChoice.objects.count() == 0


def test_events_without_allocation_or_hidden_have_no_ranking(member, forum):
    event, _grid, _allocation = forum
    plain = EventFactory(slug="ohne-workshops")
    headers = bearer(member, "read")

    assert problem(send("get", ranking_url(plain), **headers), 404)
    event.visibility = Visibility.STAFF
    event.save()
    assert problem(send("get", ranking_url(event), **headers), 404)
    assert problem(Client().get(f"{API}{ranking_url(plain)}"), 401)


def test_a_late_registrant_is_placed_at_once_after_publication(member, forum):
    event, grid, allocation = forum
    Session.objects.filter(pk__in=[s.pk for s in grid[0]]).update(capacity=1)
    early = RegistrationFactory(event=event)
    Placement.objects.create(
        registration=early, session=grid[0][0], rank=1, source=PlacementSource.SOLVER
    )
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(days=1)
    allocation.published_at = timezone.now()
    allocation.save()
    RegistrationFactory(event=event, user=member)
    (a1, _b1, c1), (_a2, b2, _c2) = grid

    response = send(
        "put",
        ranking_url(event),
        {"choices": {"z1": [a1.pk, c1.pk], "z2": [b2.pk]}},
        **bearer(member, "write"),
    )

    body = response.json()
    assert (response.status_code, body["published"]) == (200, True)
    # The first choice is full: the second one it is.
    assert [(seat["workshop"]["id"], seat["rank"]) for seat in body["seats"]] == [
        (c1.pk, 2),
        (b2.pk, 1),
    ]
    assert body["refusal"] == "Die Workshops sind eingeteilt; Ihre Plätze sehen Sie unten."
