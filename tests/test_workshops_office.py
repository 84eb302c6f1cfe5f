"""The club office allocates a forum's workshops: rules, preview, moves, locks, publication,
late registrants. Only the office may; every refusal explains itself and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innoclub.events.models import Event, Registration, Session
from innoclub.workshops import services
from innoclub.workshops.compute import allocation_compute
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.models import (
    Placement,
    PlacementSource,
    WorkshopAllocation,
    WorkshopChoice,
)
from tests.factories import EventFactory, MemberFactory, RegistrationFactory
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = pytest.mark.django_db

NAMES = ["Anna Adler", "Bernd Bauer", "Clara Conrad", "David Dietz", "Eva Engel", "Frank Fuchs"]


def office(event: Event, page: str = "") -> str:
    return f"/geschaeftsstelle/foren/{event.slug}/workshops/{page}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def participant(event: Event, name: str):
    first, last = name.split(" ", 1)
    return RegistrationFactory(event=event, user=MemberFactory(first_name=first, last_name=last))


def rank_all(registrations: list[Registration], grid: list[list[Session]], choices: int) -> None:
    """Each person ranks the workshops of every slot, the favourites shifting person by person."""
    rows = []
    for index, registration in enumerate(registrations):
        for slot in grid:
            turned = slot[index % len(slot) :] + slot[: index % len(slot)]
            rows += [
                WorkshopChoice(registration=registration, session=session, rank=rank)
                for rank, session in enumerate(turned[:choices], start=1)
            ]
    WorkshopChoice.objects.bulk_create(rows)


def forum(
    *, people: int = 6, slots: int = 2, per_slot: int = 3, capacity: int = 3, choices: int = 2
):
    """A forum whose deadline for wishes has passed: everybody has ranked."""
    event, grid = workshop_event(slots=slots, per_slot=per_slot, capacity=capacity)
    Event.objects.filter(pk=event.pk).update(capacity=None)  # room for any number of people
    allocation = WorkshopAllocationFactory(
        event=event,
        choices=choices,
        ranking_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    names = NAMES if people <= len(NAMES) else [f"Person{n} Muster{n}" for n in range(people)]
    registrations = [participant(event, name) for name in names[:people]]
    rank_all(registrations, grid, choices)
    return event, grid, allocation, registrations


def placements(event: Event) -> set[tuple[int, int, bool]]:
    return set(
        Placement.objects.filter(registration__event=event).values_list(
            "registration_id", "session_id", "locked"
        )
    )


def snapshot(event: Event) -> tuple[Any, ...]:
    """Everything an office action could change."""
    allocation = dict(WorkshopAllocation.objects.filter(event=event).values().first() or {})
    allocation.pop("updated_at", None)
    return allocation, placements(event), len(mail.outbox)


# --- Access ----------------------------------------------------------------------------


ACTIONS = [
    "einstellungen/",
    "berechnen/",
    "umsetzen/",
    "festlegen/{pk}/",
    "veroeffentlichen/",
    "nachruecken/",
]


@pytest.mark.parametrize("page", ["", *ACTIONS])
def test_only_the_office_may_open_or_use_the_allocation(
    anon_client, member_client, guest_client, page
):
    event, grid, allocation, people = forum()
    services.allocation_preview(allocation=allocation)
    placement = Placement.objects.filter(registration=people[0]).first()
    assert placement is not None
    url = office(event, page.format(pk=placement.pk))
    data = {
        "ranking_deadline": "2030-01-01T12:00",
        "choices": "5",
        "seed": "7",
        "registration": people[0].pk,
        "session": grid[0][2].pk,
        "festlegen": "1",
        "locked": "1",
    }
    before = snapshot(event)

    assert anon_client.get(url).status_code == 302
    assert anon_client.post(url, data).status_code == 302
    for client in (member_client, guest_client):
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert snapshot(event) == before


def test_the_office_pages_answer_404_for_an_unknown_event(staff_client):
    assert staff_client.get("/geschaeftsstelle/foren/gibt-es-nicht/workshops/").status_code == 404
    response = staff_client.post("/geschaeftsstelle/foren/gibt-es-nicht/workshops/berechnen/")
    assert response.status_code == 404


def test_actions_wait_for_the_allocation_to_be_set_up(staff_client):
    event, _grid = workshop_event()

    for page in ACTIONS[1:]:
        assert staff_client.post(office(event, page.format(pk=1))).status_code == 404
    assert not WorkshopAllocation.objects.exists()


def test_pages_only_answer_the_methods_they_serve(staff_client):
    event, _grid, _allocation, _people = forum()

    assert staff_client.post(office(event)).status_code == 405
    assert staff_client.get(office(event, "berechnen/")).status_code == 405


# --- Setting up ---------------------------------------------------------------------------


def test_without_workshops_the_page_says_so_and_links_the_administration(staff_client):
    event = EventFactory()

    response = staff_client.get(office(event))

    assert response.status_code == 200
    assert f"/admin/events/session/add/?event={event.pk}" in response.content.decode()
    assert "setup_form" in response.context
    assert 'name="choices"' not in response.content.decode()


def test_the_office_sets_up_the_allocation(staff_client):
    event, _grid = workshop_event()

    page = staff_client.get(office(event))
    assert 'name="ranking_deadline"' in page.content.decode()
    response = staff_client.post(
        office(event, "einstellungen/"),
        {"ranking_deadline": "2030-03-01T18:00", "choices": "4", "cancel_below_minimum": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == office(event)
    allocation = WorkshopAllocation.objects.get(event=event)
    assert timezone.localtime(allocation.ranking_deadline).strftime("%d.%m.%Y %H:%M") == (
        "01.03.2030 18:00"
    )
    assert (allocation.choices, allocation.cancel_below_minimum) == (4, True)
    assert len(messages_of(response)) == 1


def test_the_office_changes_the_rules_before_publication(staff_client):
    event, _grid, allocation, _people = forum()

    response = staff_client.post(
        office(event, "einstellungen/"), {"ranking_deadline": "2030-03-01T18:00", "choices": "1"}
    )

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.choices, allocation.cancel_below_minimum) == (1, False)
    assert WorkshopAllocation.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"ranking_deadline": "2030-03-01T18:00", "choices": "0"},
        {"ranking_deadline": "2030-03-01T18:00", "choices": "13"},
        {"ranking_deadline": "2030-03-01T18:00", "choices": "drei"},
        {"ranking_deadline": "", "choices": "3"},
        {"ranking_deadline": "morgen", "choices": "3"},
        {"choices": "3"},
    ],
)
def test_bad_rules_are_explained_and_nothing_is_set_up(staff_client, data):
    event, _grid = workshop_event()

    response = staff_client.post(office(event, "einstellungen/"), data)

    assert response.status_code == 400
    assert response.context["setup_form"].errors
    assert 'id="fehler"' in response.content.decode()
    assert not WorkshopAllocation.objects.exists()


def test_bad_rules_leave_an_existing_allocation_unchanged(staff_client):
    event, _grid, _allocation, _people = forum()
    before = snapshot(event)

    response = staff_client.post(
        office(event, "einstellungen/"), {"ranking_deadline": "2030-03-01T18:00", "choices": "13"}
    )

    assert response.status_code == 400
    assert snapshot(event) == before


# --- The preview ---------------------------------------------------------------------------


def test_computing_stores_placements_and_the_figures(staff_client):
    event, _grid, allocation, _people = forum()

    response = staff_client.post(office(event, "berechnen/"), {"seed": "7"})

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.computed_at is not None
    assert allocation.seed == 7
    figures = allocation.preview
    assert (figures["people"], figures["slots"], figures["seed"]) == (6, 2, 7)
    # Six people, three workshops of three places per slot: everybody gets a seat in each.
    assert figures["allocation"]["placed"] == 12
    assert figures["allocation"]["unplaced"] == 0
    assert Placement.objects.filter(registration__event=event).count() == 12
    per_person_and_slot = {
        (registration, session)
        for registration, session in Placement.objects.values_list(
            "registration_id", "session__starts_at"
        )
    }
    assert len(per_person_and_slot) == 12

    page = staff_client.get(office(event))
    preview = page.context["preview"]
    fair = [row.fair.count for row in preview.rows]
    fcfs = [row.fcfs.count for row in preview.rows]
    # Rows: 1st wish, 2nd wish, outside the wishes, no wishes given, without a place.
    assert len(preview.rows) == 5
    assert sum(fair) == sum(fcfs) == 12
    assert fair[0] == figures["allocation"]["histogram"]["1"]
    assert fcfs[0] == figures["fcfs"]["histogram"].get("1", 0)
    content = page.content.decode()
    assert "Anna Adler" in content and "Frank Fuchs" in content


def test_a_bad_seed_is_explained_and_nothing_is_computed(staff_client):
    event, _grid, _allocation, _people = forum()
    before = snapshot(event)

    for seed in ["", "-1", "zwei", "99999999999"]:
        response = staff_client.post(office(event, "berechnen/"), {"seed": seed})
        assert response.status_code == 400
        assert response.context["compute_form"].errors
    assert snapshot(event) == before


def test_computing_again_keeps_the_fixed_places(staff_client):
    event, grid, allocation, people = forum()
    services.allocation_preview(allocation=allocation)
    services.placement_move(allocation=allocation, registration=people[0], session=grid[0][2])
    fixed = (people[0].pk, grid[0][2].pk, True)
    assert fixed in placements(event)

    for seed in ["1", "2", "3"]:
        staff_client.post(office(event, "berechnen/"), {"seed": seed})
        assert fixed in placements(event)


def test_contradictory_fixed_places_are_explained_and_nothing_is_stored(staff_client):
    event, grid, allocation, people = forum()
    anna = people[0]
    Placement.objects.bulk_create(
        [
            Placement(
                registration=anna, session=grid[0][0], source=PlacementSource.OFFICE, locked=True
            ),
            Placement(
                registration=anna, session=grid[0][1], source=PlacementSource.OFFICE, locked=True
            ),
        ]
    )
    with pytest.raises(AllocationError) as refusal:
        allocation_compute(allocation=allocation)
    before = snapshot(event)

    response = staff_client.post(office(event, "berechnen/"), {"seed": "0"})

    assert response.status_code == 400
    assert response.context["problems"] == refusal.value.messages
    assert "Anna Adler" in refusal.value.messages[0]
    assert refusal.value.messages[0] in response.content.decode()
    assert snapshot(event) == before
    assert WorkshopAllocation.objects.get().computed_at is None


# --- Moves and locks ---------------------------------------------------------------------------


def seat_of(registration: Registration, slot: list[Session]) -> Placement:
    return Placement.objects.get(registration=registration, session__in=slot)


def test_the_office_moves_a_person_and_fixes_the_place(staff_client):
    event, grid, allocation, people = forum(capacity=4)
    services.allocation_preview(allocation=allocation)
    anna = people[0]
    current = seat_of(anna, grid[0])
    target = next(s for s in grid[0] if s != current.session)

    response = staff_client.post(
        office(event, "umsetzen/"),
        {
            "registration": anna.pk,
            "session": target.pk,
            "festlegen": "1",
            "von": current.session_id,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == (
        office(event) + f"?offen={current.session_id}&offen={target.pk}#workshop-{target.pk}"
    )
    moved = seat_of(anna, grid[0])
    assert (moved.session, moved.locked, moved.source) == (target, True, PlacementSource.OFFICE)
    page = staff_client.get(response["Location"])
    assert page.context["open_sessions"] == {current.session_id, target.pk}
    assert f'id="workshop-{target.pk}" open' in page.content.decode()


def test_a_move_without_fixing_leaves_the_place_free_for_the_next_run(staff_client):
    event, grid, allocation, people = forum(capacity=4)
    services.allocation_preview(allocation=allocation)
    anna = people[0]
    target = next(s for s in grid[1] if s != seat_of(anna, grid[1]).session)

    staff_client.post(office(event, "umsetzen/"), {"registration": anna.pk, "session": target.pk})

    assert (seat_of(anna, grid[1]).session, seat_of(anna, grid[1]).locked) == (target, False)


def test_a_move_into_a_full_workshop_is_refused(staff_client):
    event, grid, allocation, people = forum(capacity=2)
    services.allocation_preview(allocation=allocation)
    anna = people[0]
    full = next(s for s in grid[0] if s != seat_of(anna, grid[0]).session)
    assert Placement.objects.filter(session=full).count() == 2
    before = snapshot(event)

    response = staff_client.post(
        office(event, "umsetzen/"), {"registration": anna.pk, "session": full.pk, "festlegen": "1"}
    )

    assert response.status_code == 400
    assert len(response.context["problems"]) == 1
    assert full.title in response.context["problems"][0]
    assert snapshot(event) == before


def test_a_move_into_another_events_workshop_is_refused(staff_client):
    event, _grid, allocation, people = forum(capacity=4)
    services.allocation_preview(allocation=allocation)
    other_event, other_grid = workshop_event()
    before = snapshot(event)

    response = staff_client.post(
        office(event, "umsetzen/"),
        {"registration": people[0].pk, "session": other_grid[0][0].pk, "festlegen": "1"},
    )

    assert response.status_code == 400
    assert response.context["problems"]
    assert snapshot(event) == before
    assert not Placement.objects.filter(session__event=other_event).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"session": "1"},
        {"registration": "x", "session": "1"},
        {"registration": "999999", "session": "1"},
        {"registration": "{person}"},
        {"registration": "{person}", "session": "999999"},
        {"registration": "{stranger}", "session": "{session}"},
    ],
)
def test_bad_move_input_is_explained_and_changes_nothing(staff_client, data):
    event, grid, allocation, people = forum(capacity=4)
    services.allocation_preview(allocation=allocation)
    stranger = RegistrationFactory()
    values = {"person": people[0].pk, "stranger": stranger.pk, "session": grid[0][0].pk}
    before = snapshot(event)

    response = staff_client.post(
        office(event, "umsetzen/"), {key: value.format(**values) for key, value in data.items()}
    )

    assert response.status_code == 400
    assert response.context["problems"]
    assert snapshot(event) == before


def test_the_office_fixes_and_releases_a_place(staff_client):
    event, grid, allocation, people = forum()
    services.allocation_preview(allocation=allocation)
    placement = seat_of(people[0], grid[0])
    assert not placement.locked

    response = staff_client.post(office(event, f"festlegen/{placement.pk}/"), {"locked": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"?offen={placement.session_id}#workshop-{placement.session_id}"
    )
    placement.refresh_from_db()
    assert placement.locked

    staff_client.post(office(event, f"festlegen/{placement.pk}/"), {"locked": "0"})
    placement.refresh_from_db()
    assert not placement.locked


def test_bad_lock_input_changes_nothing(staff_client):
    event, grid, allocation, people = forum()
    services.allocation_preview(allocation=allocation)
    placement = seat_of(people[0], grid[0])
    other, other_grid, other_allocation, other_people = forum()
    services.allocation_preview(allocation=other_allocation)
    foreign = seat_of(other_people[0], other_grid[0])
    before = snapshot(event), snapshot(other)

    assert (
        staff_client.post(office(event, f"festlegen/{placement.pk}/"), {"locked": "ja"}).status_code
        == 400
    )
    assert staff_client.post(office(event, f"festlegen/{placement.pk}/"), {}).status_code == 400
    assert (
        staff_client.post(office(event, f"festlegen/{foreign.pk}/"), {"locked": "1"}).status_code
        == 404
    )
    assert (snapshot(event), snapshot(other)) == before


# --- Publication and late registrants ------------------------------------------------------------


def test_the_office_publishes_once_and_everybody_is_told(
    staff_client, staff, django_capture_on_commit_callbacks
):
    event, _grid, allocation, people = forum()
    services.allocation_preview(allocation=allocation)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(office(event, "veroeffentlichen/"))

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.is_published
    assert allocation.published_by == staff
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.user.email for p in people)
    [told] = messages_of(response)
    assert " 6 " in told
    before = snapshot(event)

    again = staff_client.post(office(event, "veroeffentlichen/"))

    assert again.status_code == 400
    assert again.context["problems"]
    assert snapshot(event) == before


def test_publishing_needs_a_preview(staff_client):
    event, _grid, allocation, _people = forum()

    response = staff_client.post(office(event, "veroeffentlichen/"))

    assert response.status_code == 400
    allocation.refresh_from_db()
    assert not allocation.is_published
    assert mail.outbox == []


def test_after_publication_neither_computing_nor_the_rules_can_change(staff_client):
    event, _grid, allocation, _people = forum()
    services.allocation_preview(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=MemberFactory())
    before = snapshot(event)

    computed = staff_client.post(office(event, "berechnen/"), {"seed": "3"})
    rules = staff_client.post(
        office(event, "einstellungen/"), {"ranking_deadline": "2030-03-01T18:00", "choices": "1"}
    )

    assert (computed.status_code, rules.status_code) == (400, 400)
    assert computed.context["problems"] and rules.context["problems"]
    assert snapshot(event) == before
    page = staff_client.get(office(event)).content.decode()
    assert office(event, "berechnen/") not in page
    assert office(event, "einstellungen/") not in page
    assert office(event, "veroeffentlichen/") not in page


def test_late_registrants_are_listed_and_placed_after_publication(
    staff_client, django_capture_on_commit_callbacks
):
    event, _grid, allocation, _people = forum(capacity=4)
    services.allocation_preview(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=MemberFactory())
    mail.outbox.clear()
    late = participant(event, "Greta Graf")

    page = staff_client.get(office(event))
    assert [registration.pk for registration in page.context["overview"].late] == [late.pk]
    assert "Greta Graf" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(office(event, "nachruecken/"))

    assert response.status_code == 302
    assert Placement.objects.filter(registration=late).count() == 2
    assert [message.to for message in mail.outbox] == [[late.user.email]]
    assert staff_client.get(office(event)).context["overview"].late == []


def test_late_registrants_wait_for_the_publication(staff_client):
    event, _grid, allocation, _people = forum()
    services.allocation_preview(allocation=allocation)
    before = snapshot(event)

    response = staff_client.post(office(event, "nachruecken/"))

    assert response.status_code == 400
    assert snapshot(event) == before


# --- The page ----------------------------------------------------------------------------------


def test_the_state_line_follows_the_allocation(staff_client):
    event, _grid, allocation, people = forum()
    WorkshopChoice.objects.filter(registration=people[0]).delete()

    first = staff_client.get(office(event))
    assert first.context["deadline_passed"] is True
    assert (first.context["overview"].participants, first.context["overview"].ranked) == (6, 5)
    assert first.context["preview"] is None
    assert office(event, "veroeffentlichen/") not in first.content.decode()

    services.allocation_preview(allocation=allocation)
    computed = staff_client.get(office(event))
    assert computed.context["preview"].figures["people"] == 6
    assert office(event, "veroeffentlichen/") in computed.content.decode()

    publisher = MemberFactory(first_name="Olga", last_name="Oberländer")
    services.allocation_publish(allocation=allocation, user=publisher)
    published = staff_client.get(office(event)).content.decode()
    assert "Olga Oberländer" in published


def test_the_first_wishes_of_a_repeated_workshop_count_for_all_its_sessions(staff_client):
    event, grid = workshop_event(slots=2, per_slot=2, repeating=True)
    WorkshopAllocationFactory(event=event, choices=2)
    people = [participant(event, name) for name in NAMES[:3]]
    for registration in people:
        WorkshopChoice.objects.create(registration=registration, session=grid[0][1], rank=1)

    page = staff_client.get(office(event))

    counts = {
        row.seats.session: row.first_wishes
        for slot in page.context["slots"]
        for row in slot.sessions
    }
    assert counts == {grid[0][0]: 0, grid[0][1]: 3, grid[1][0]: 0, grid[1][1]: 3}


def test_the_program_planning_links_the_workshop_allocation(staff_client):
    event, _grid = workshop_event()

    page = staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/programm/")

    assert office(event) in page.content.decode()


def queries_for_overview(client, event: Event) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(office(event))
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("published", [False, True])
def test_the_overview_runs_a_fixed_number_of_queries(staff_client, published):
    small, _small_grid, small_allocation, _ = forum(people=20, per_slot=4, capacity=10)
    large, _large_grid, large_allocation, _ = forum(people=120, slots=3, per_slot=8, capacity=20)
    for allocation in (small_allocation, large_allocation):
        services.allocation_preview(allocation=allocation)
        if published:
            services.allocation_publish(allocation=allocation, user=MemberFactory())
    queries_for_overview(staff_client, small)  # the session and the user are cached after this

    counted = queries_for_overview(staff_client, small)

    assert counted == queries_for_overview(staff_client, large)
    assert counted <= 13
