"""The workshop allocation's workflow: wishes, preview, locks, moves, publication,
late registrants, and what participants get (agenda, calendar, e-mail)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from innoclub.events import program
from innoclub.events import services as event_services
from innoclub.events.calendars import personal_ics
from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    Registration,
    RegistrationStatus,
    SessionSpeaker,
)
from innoclub.workshops import layout, selectors, services
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.models import Placement, PlacementSource, WorkshopChoice
from tests.factories import MemberFactory, RegistrationFactory, SpeakerFactory, StaffFactory
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = pytest.mark.django_db


def setup(slots=2, per_slot=3, capacity=10, people=6, repeating=False, choices=3):
    event, grid = workshop_event(
        slots=slots, per_slot=per_slot, capacity=capacity, repeating=repeating
    )
    allocation = WorkshopAllocationFactory(event=event, choices=choices)
    registrations = [RegistrationFactory(event=event) for _ in range(people)]
    return allocation, grid, registrations


def wish(allocation, registration, ranking):
    """``ranking``: group key → session list in order of preference."""
    services.choices_save(
        allocation=allocation,
        registration=registration,
        choices={key: [s.pk for s in sessions] for key, sessions in ranking.items()},
    )


def seats(registration):
    return set(
        Placement.objects.filter(registration=registration).values_list("session_id", flat=True)
    )


# --- wishes -----------------------------------------------------------------------------


def test_wishes_are_stored_per_slot_and_replace_earlier_ones():
    allocation, grid, (person, *_rest) = setup()
    wish(allocation, person, {"z1": [grid[0][2], grid[0][0]], "z2": [grid[1][1]]})
    assert layout.choices_of(person) == {grid[0][2].pk: 1, grid[0][0].pk: 2, grid[1][1].pk: 1}

    wish(allocation, person, {"z1": [grid[0][1]]})

    assert layout.choices_of(person) == {grid[0][1].pk: 1}


def test_an_empty_choice_in_between_closes_the_gap():
    allocation, grid, (person, *_rest) = setup()
    services.choices_save(
        allocation=allocation,
        registration=person,
        choices={"z1": [grid[0][1].pk, None, grid[0][0].pk]},
    )
    assert layout.choices_of(person) == {grid[0][1].pk: 1, grid[0][0].pk: 2}


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"z1": ["same", "same"]}, "mehrfach gewählt"),
        ({"z1": ["other-event"]}, "gehört nicht zu dieser Veranstaltung"),
        ({"z1": ["other-slot"]}, "gehört nicht zu dieser Veranstaltung"),
        ({"z1": ["a", "b", "c", "a"]}, "Höchstens 3 Wünsche"),
        ({"z9": ["a"]}, "passt nicht mehr"),
    ],
)
def test_bad_wishes_are_refused_and_change_nothing(choices, message):
    allocation, grid, (person, *_rest) = setup()
    _other_event, other_grid = workshop_event(slots=1, per_slot=1)
    wish(allocation, person, {"z1": [grid[0][0]]})
    ids = {
        "same": grid[0][1].pk,
        "other-event": other_grid[0][0].pk,
        "other-slot": grid[1][0].pk,
        "a": grid[0][0].pk,
        "b": grid[0][1].pk,
        "c": grid[0][2].pk,
    }
    with pytest.raises(AllocationError) as refused:
        services.choices_save(
            allocation=allocation,
            registration=person,
            choices={key: [ids[name] for name in names] for key, names in choices.items()},
        )
    assert message in " ".join(refused.value.messages)
    assert layout.choices_of(person) == {grid[0][0].pk: 1}


def test_wishes_after_the_deadline_are_refused():
    allocation, grid, (person, *_rest) = setup()
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(minutes=1)
    allocation.save()
    with pytest.raises(AllocationError, match="Frist"):
        wish(allocation, person, {"z1": [grid[0][0]]})
    assert not WorkshopChoice.objects.exists()


@pytest.mark.parametrize(
    ("status", "attendance"),
    [
        (RegistrationStatus.WAITLISTED, Attendance.ONSITE),
        (RegistrationStatus.CANCELLED, Attendance.ONSITE),
        (RegistrationStatus.CONFIRMED, Attendance.ONLINE),
    ],
)
def test_only_confirmed_on_site_participants_give_wishes(status, attendance):
    allocation, grid, _registrations = setup(people=0)
    person = RegistrationFactory(event=allocation.event, status=status, attendance=attendance)
    with pytest.raises(AllocationError):
        wish(allocation, person, {"z1": [grid[0][0]]})
    assert not WorkshopChoice.objects.exists()


def test_repeating_workshops_are_ranked_once_for_the_whole_event():
    allocation, grid, (person, *_rest) = setup(repeating=True)
    workshops = layout.event_workshops(allocation.event)
    (group,) = layout.ranking_groups(allocation, workshops)
    assert group.key == "alle"
    assert group.sessions == grid[0]  # the first sessions stand for their workshops
    with pytest.raises(AllocationError):
        wish(allocation, person, {"alle": [grid[1][0]]})  # a repeat is not ranked itself


# --- preview ----------------------------------------------------------------------------


def test_preview_places_everyone_once_per_slot_and_prefers_first_wishes():
    allocation, grid, people = setup(capacity=3, people=6)
    for person in people:
        wish(allocation, person, {"z1": [grid[0][0], grid[0][1]], "z2": [grid[1][2]]})

    run = services.allocation_preview(allocation=allocation)

    allocation.refresh_from_db()
    assert allocation.computed_at is not None
    assert not allocation.is_published
    for person in people:
        mine = seats(person)
        assert len(mine & {s.pk for s in grid[0]}) == 1
        assert len(mine & {s.pk for s in grid[1]}) == 1
    taken = {s.pk: Placement.objects.filter(session=s).count() for row in grid for s in row}
    assert all(count <= 3 for count in taken.values())
    # Six people want the same first choice of three places: three get it, three their
    # second; in slot two three get their only wish and three land outside their wishes.
    figures = allocation.preview["allocation"]
    assert figures["histogram"] == {"1": 6, "2": 3, "4": 3}
    assert figures["worst_rank"] == 4
    assert allocation.preview["fcfs"]["placed"] == 12
    assert run.figures == allocation.preview


def test_preview_reports_who_cannot_be_placed_when_seats_run_out():
    allocation, _grid, people = setup(slots=1, per_slot=2, capacity=2, people=5)
    services.allocation_preview(allocation=allocation)
    allocation.refresh_from_db()
    overview = selectors.office_overview(allocation)
    assert len(overview.unplaced) == 1
    assert overview.unplaced[0].reason == "slot_full"
    assert overview.unplaced[0].registration in people
    assert Placement.objects.count() == 4


def test_speakers_are_fixed_to_their_own_workshop():
    allocation, grid, people = setup(capacity=5, people=4)
    speaker = SpeakerFactory(user=people[0].user)
    SessionSpeaker.objects.create(session=grid[0][2], speaker=speaker, role="moderator")
    for person in people:
        wish(allocation, person, {"z1": [grid[0][0]]})

    services.allocation_preview(allocation=allocation)

    placement = Placement.objects.get(registration=people[0], session__in=grid[0])
    assert placement.session == grid[0][2]
    assert placement.source == PlacementSource.SPEAKER
    assert placement.locked


def test_a_speakers_seats_in_other_slots_are_ordinary_seats():
    allocation, grid, people = setup(capacity=5, people=2)
    speaker = SpeakerFactory(user=people[0].user)
    SessionSpeaker.objects.create(session=grid[0][1], speaker=speaker, role="speaker")

    services.allocation_preview(allocation=allocation)

    other = Placement.objects.get(registration=people[0], session__in=grid[1])
    assert other.source == PlacementSource.SOLVER
    assert not other.locked


def test_a_locked_placement_survives_a_rerun():
    allocation, grid, people = setup(capacity=5, people=3)
    for person in people:
        wish(allocation, person, {"z1": [grid[0][0]]})
    services.allocation_preview(allocation=allocation)
    services.placement_move(
        allocation=allocation, registration=people[1], session=grid[0][2], lock=True
    )

    services.allocation_preview(allocation=allocation, seed=7)

    assert grid[0][2].pk in seats(people[1])
    assert grid[0][0].pk in seats(people[0])
    allocation.refresh_from_db()
    assert allocation.seed == 7


def test_contradictory_locks_are_named_and_nothing_is_stored():
    allocation, grid, people = setup(capacity=5, people=2)
    services.allocation_preview(allocation=allocation)
    person = people[0]
    Placement.objects.filter(registration=person).delete()
    Placement.objects.create(registration=person, session=grid[0][0], source="office", locked=True)
    Placement.objects.create(registration=person, session=grid[0][1], source="office", locked=True)
    before = set(Placement.objects.values_list("registration_id", "session_id", "locked"))

    with pytest.raises(AllocationError) as refused:
        services.allocation_preview(allocation=allocation)

    assert person.user.get_full_name() in refused.value.messages[0]
    assert set(Placement.objects.values_list("registration_id", "session_id", "locked")) == before


def test_locks_beyond_the_places_are_refused():
    allocation, grid, people = setup(capacity=1, people=2)
    for person in people:
        Placement.objects.create(
            registration=person, session=grid[0][0], source="office", locked=True
        )
    with pytest.raises(AllocationError, match="nur 1 Plätze"):
        services.allocation_preview(allocation=allocation)


def test_repeating_workshops_are_never_attended_twice():
    allocation, grid, people = setup(slots=3, per_slot=3, capacity=4, people=8, repeating=True)
    for person in people:
        wish(allocation, person, {"alle": [grid[0][0], grid[0][1], grid[0][2]]})

    services.allocation_preview(allocation=allocation)

    for person in people:
        placed = Placement.objects.filter(registration=person).select_related("session")
        workshops = [p.session.workshop_id for p in placed]
        assert len(workshops) == 3
        assert len(set(workshops)) == 3


def test_a_workshop_below_its_minimum_is_cancelled_when_asked():
    allocation, grid, people = setup(slots=1, per_slot=3, capacity=6, people=6)
    allocation.cancel_below_minimum = True
    allocation.save()
    grid[0][2].minimum_participants = 3
    grid[0][2].save()
    for index, person in enumerate(people):
        first = grid[0][2] if index == 0 else grid[0][index % 2]
        wish(allocation, person, {"z1": [first]})

    services.allocation_preview(allocation=allocation)

    allocation.refresh_from_db()
    assert allocation.preview["cancelled"] == [grid[0][2].pk]
    assert not Placement.objects.filter(session=grid[0][2]).exists()
    assert Placement.objects.count() == 6


def test_no_preview_without_workshops_or_participants():
    allocation, _grid, _people = setup(people=0)
    with pytest.raises(AllocationError, match="noch keine bestätigten"):
        services.allocation_preview(allocation=allocation)
    allocation.refresh_from_db()
    assert allocation.computed_at is None


# --- moves, locks, publication --------------------------------------------------------


def test_moving_into_a_full_workshop_is_refused():
    allocation, grid, people = setup(slots=1, per_slot=2, capacity=2, people=4)
    services.allocation_preview(allocation=allocation)
    person = people[0]
    other = next(s for s in grid[0] if s.pk not in seats(person))
    before = seats(person)
    with pytest.raises(AllocationError, match="ist voll"):
        services.placement_move(allocation=allocation, registration=person, session=other)
    assert seats(person) == before


def test_moving_into_another_events_workshop_is_refused():
    allocation, _grid, people = setup()
    _other, other_grid = workshop_event(slots=1, per_slot=1)
    with pytest.raises(AllocationError, match="gehört nicht zu dieser"):
        services.placement_move(
            allocation=allocation, registration=people[0], session=other_grid[0][0]
        )
    assert not Placement.objects.exists()


def test_a_move_may_not_repeat_a_workshop_the_person_attends():
    allocation, grid, people = setup(slots=2, per_slot=2, capacity=5, repeating=True, people=2)
    services.allocation_preview(allocation=allocation)
    person = people[0]
    first_slot = Placement.objects.get(registration=person, session__in=grid[0]).session
    repeat = next(s for s in grid[1] if s.workshop_id == first_slot.workshop_id)
    with pytest.raises(AllocationError, match="bereits"):
        services.placement_move(allocation=allocation, registration=person, session=repeat)


def test_a_move_replaces_the_seat_in_the_same_slot_and_locks_it():
    allocation, grid, people = setup(capacity=5, people=2)
    services.allocation_preview(allocation=allocation)
    person = people[0]
    target = next(s for s in grid[0] if s.pk not in seats(person))
    second_slot = seats(person) & {s.pk for s in grid[1]}

    placement = services.placement_move(allocation=allocation, registration=person, session=target)

    assert placement.locked and placement.source == PlacementSource.OFFICE
    assert seats(person) == {target.pk} | second_slot
    services.placement_lock(placement=placement, locked=False)
    placement.refresh_from_db()
    assert not placement.locked


def test_publication_tells_every_participant_their_workshops(django_capture_on_commit_callbacks):
    allocation, grid, people = setup(capacity=5, people=2)
    wish(allocation, people[0], {"z1": [grid[0][1]], "z2": [grid[1][0]]})
    services.allocation_preview(allocation=allocation)
    staff = StaffFactory()

    with django_capture_on_commit_callbacks(execute=True):
        told = services.allocation_publish(allocation=allocation, user=staff)

    assert told == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)
    message = next(m for m in mail.outbox if m.to == [people[0].user.email])
    assert grid[0][1].title in message.body and grid[1][0].title in message.body
    ((_filename, content, mimetype),) = message.attachments
    assert mimetype == "text/calendar"
    assert grid[0][1].title in content
    allocation.refresh_from_db()
    assert allocation.published_by == staff


def test_publication_needs_a_preview_and_happens_once():
    allocation, _grid, _people = setup()
    staff = StaffFactory()
    with pytest.raises(AllocationError, match="zuerst eine Vorschau"):
        services.allocation_publish(allocation=allocation, user=staff)
    services.allocation_preview(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=staff)
    with pytest.raises(AllocationError, match="bereits veröffentlicht"):
        services.allocation_publish(allocation=allocation, user=staff)
    with pytest.raises(AllocationError, match="veröffentlicht"):
        services.allocation_preview(allocation=allocation)


def test_a_late_registrant_is_placed_into_free_seats_by_their_wishes(
    django_capture_on_commit_callbacks,
):
    allocation, grid, people = setup(capacity=3, people=3)
    for person in people:
        wish(allocation, person, {"z1": [grid[0][0]], "z2": [grid[1][0]]})
    services.allocation_preview(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=StaffFactory())
    late = RegistrationFactory(event=allocation.event)
    allocation.refresh_from_db()
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(days=1)
    allocation.save()

    with django_capture_on_commit_callbacks(execute=True):
        placed = services.choices_save(
            allocation=allocation,
            registration=late,
            choices={"z1": [grid[0][0].pk, grid[0][2].pk], "z2": [grid[1][1].pk]},
        )

    # Slot one's first wish is full: the second one; slot two: the first wish.
    assert {p.session_id for p in placed} == {grid[0][2].pk, grid[1][1].pk}
    assert {p.source for p in placed} == {PlacementSource.LATE}
    assert [m.to for m in mail.outbox] == [[late.user.email]]
    with pytest.raises(AllocationError, match="eingeteilt"):
        wish(allocation, late, {"z1": [grid[0][1]]})


def test_the_office_places_all_late_registrants_at_once():
    allocation, _grid, _people = setup(capacity=3, people=2)
    services.allocation_preview(allocation=allocation)
    with pytest.raises(AllocationError):
        services.place_late(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=StaffFactory())
    allocation.refresh_from_db()
    late = [RegistrationFactory(event=allocation.event) for _ in range(2)]
    assert selectors.office_overview(allocation).late == late

    placed = services.place_late(allocation=allocation)

    assert len(placed) == 4
    assert selectors.office_overview(allocation).late == []


# --- what participants see ------------------------------------------------------------


def test_allocated_workshops_reach_agenda_and_calendar_only_once_published():
    allocation, grid, people = setup(capacity=5, people=1)
    person = people[0]
    services.allocation_preview(allocation=allocation)
    placed = seats(person)
    titles = {s.title for row in grid for s in row if s.pk in placed}
    agenda = program.agenda_session_ids(user=person.user, event=allocation.event)
    assert not agenda.placed
    assert selectors.my_workshops(person) == []
    assert not any(title in personal_ics(person.user) for title in titles)

    services.allocation_publish(allocation=allocation, user=StaffFactory())

    agenda = program.agenda_session_ids(user=person.user, event=allocation.event)
    assert agenda.placed == placed
    assert all(pk in agenda for pk in placed)
    calendar = personal_ics(person.user)
    assert all(title in calendar for title in titles)
    rows = selectors.my_workshops(person)
    assert [row.placement.session_id for row in rows if row.placement] == [
        p for s in (grid[0], grid[1]) for p in [x.pk for x in s] if p in placed
    ]


def test_a_cancelled_registration_frees_its_seat():
    allocation, grid, people = setup(slots=1, per_slot=1, capacity=1, people=1)
    services.allocation_preview(allocation=allocation)
    Registration.objects.filter(pk=people[0].pk).update(status=RegistrationStatus.CANCELLED)
    newcomer = RegistrationFactory(event=allocation.event)
    placement = services.placement_move(
        allocation=allocation, registration=newcomer, session=grid[0][0]
    )
    assert placement.session == grid[0][0]


def test_office_overview_query_budget(django_assert_max_num_queries):
    for people in (4, 30):
        allocation, grid, registrations = setup(slots=2, per_slot=4, capacity=10, people=people)
        for registration in registrations:
            wish(allocation, registration, {"z1": [grid[0][0]]})
        services.allocation_preview(allocation=allocation)
        with django_assert_max_num_queries(6):
            overview = selectors.office_overview(allocation)
        assert sum(s.taken for slot in overview.slots for s in slot.sessions) == 2 * people


# --- command line ---------------------------------------------------------------------


def test_command_dry_run_prints_the_distribution_and_stores_nothing():
    allocation, grid, people = setup(capacity=5, people=4)
    for person in people:
        wish(allocation, person, {"z1": [grid[0][1]], "z2": [grid[1][2]]})
    out = StringIO()

    call_command(
        "allocate_workshops", allocation.event.slug, "--dry-run", "--seed", "3", stdout=out
    )

    text = out.getvalue()
    assert "choice 1" in text and "first come" in text and "proven optimal" in text
    assert "Dry run" in text
    assert not Placement.objects.exists()
    allocation.refresh_from_db()
    assert allocation.computed_at is None


def test_command_stores_the_preview_and_can_publish():
    allocation, _grid, _people = setup(capacity=5, people=2)
    staff = StaffFactory(email="office@example.org")
    call_command(
        "allocate_workshops", allocation.event.slug, "--publish", staff.email, stdout=StringIO()
    )
    allocation.refresh_from_db()
    assert allocation.is_published
    assert Placement.objects.count() == 4


@pytest.mark.parametrize(
    "arguments",
    [["kein-forum"], ["{slug}", "--seed", "-1"], ["{slug}", "--publish", "nobody@example.org"]],
)
def test_command_refuses_bad_input(arguments):
    allocation, _grid, _people = setup()
    MemberFactory(email="nobody@example.org")
    with pytest.raises(CommandError):
        call_command(
            "allocate_workshops",
            *[a.format(slug=allocation.event.slug) for a in arguments],
            stdout=StringIO(),
        )
    assert not Placement.objects.exists()


def test_with_repeating_workshops_a_person_wishes_at_least_one_per_slot():
    allocation, grid, (person, *_rest) = setup(slots=3, per_slot=4, repeating=True)
    with pytest.raises(AllocationError, match="mindestens 3 Wünsche"):
        wish(allocation, person, {"alle": [grid[0][0], grid[0][1]]})
    assert not WorkshopChoice.objects.exists()
    wish(allocation, person, {"alle": []})  # no wishes at all: any seats suit the person
    wish(allocation, person, {"alle": [grid[0][3], grid[0][0], grid[0][1]]})
    assert layout.choices_of(person) == {grid[0][3].pk: 1, grid[0][0].pk: 2, grid[0][1].pk: 3}


def test_a_called_off_workshop_takes_nobody_later_and_drops_its_locks():
    allocation, grid, people = setup(slots=1, per_slot=3, capacity=6, people=4)
    allocation.cancel_below_minimum = True
    allocation.save()
    called_off = grid[0][2]
    called_off.minimum_participants = 3
    called_off.save()
    Placement.objects.create(
        registration=people[0], session=called_off, source="office", locked=True
    )

    services.allocation_preview(allocation=allocation)

    assert not Placement.objects.filter(session=called_off).exists()
    assert all(len(seats(person)) == 1 for person in people)
    with pytest.raises(AllocationError, match="abgesagt"):
        services.placement_move(allocation=allocation, registration=people[1], session=called_off)
    services.allocation_publish(allocation=allocation, user=StaffFactory())
    allocation.refresh_from_db()
    late = RegistrationFactory(event=allocation.event)
    services.choices_save(allocation=allocation, registration=late, choices={"z1": [called_off.pk]})
    assert seats(late) and called_off.pk not in seats(late)


@pytest.mark.parametrize("change", ["cancel", "online"])
def test_cancelling_or_going_online_gives_up_the_workshop_seats(change):
    allocation, _grid, (person, *_rest) = setup(people=1)
    Event.objects.filter(pk=allocation.event_id).update(mode=EventMode.HYBRID)
    services.allocation_preview(allocation=allocation)
    assert seats(person)

    if change == "cancel":
        event_services.registration_cancel(registration=person)
    else:
        event_services.registration_move(registration=person, attendance=Attendance.ONLINE)

    assert not seats(person)
