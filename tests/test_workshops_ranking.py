"""A participant ranks the workshops of a forum and, once published, sees their workshops."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.translation import gettext

from innoclub.core.access import Visibility
from innoclub.events.models import Attendance, Event, RegistrationStatus, Session
from innoclub.workshops import services
from innoclub.workshops.models import Placement, PlacementSource, WorkshopChoice
from tests.conftest import login_client
from tests.factories import MemberFactory, RegistrationFactory
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = pytest.mark.django_db


def url(event: Event) -> str:
    return f"/foren/{event.slug}/workshops/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def wishes(registration) -> list[tuple[str, int]]:
    return list(
        WorkshopChoice.objects.filter(registration=registration)
        .order_by("session__starts_at", "rank")
        .values_list("session__title", "rank")
    )


@pytest.fixture
def forum():
    """Two time slots of three workshops each, wishes open for a week."""
    event, grid = workshop_event(slots=2, per_slot=3)
    allocation = WorkshopAllocationFactory(event=event, choices=2)
    return event, grid, allocation


@pytest.fixture
def participant(member, forum):
    event, _grid, _allocation = forum
    return RegistrationFactory(event=event, user=member)


# --- Who may rank -------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login(anon_client, forum):
    event, _grid, _allocation = forum

    response = anon_client.get(url(event))

    assert response.status_code == 302
    assert response.url.startswith("/konto/anmelden/?next=")


def test_an_event_without_allocation_has_no_ranking_page(member_client):
    event, _grid = workshop_event()

    assert member_client.get(url(event)).status_code == 404


def test_a_hidden_event_answers_404(member_client, forum):
    event, _grid, _allocation = forum
    Event.objects.filter(pk=event.pk).update(visibility=Visibility.STAFF)

    assert member_client.get(url(event)).status_code == 404


def test_a_member_who_is_not_registered_sees_why_and_how_to_register(member_client, forum):
    event, _grid, _allocation = forum

    response = member_client.get(url(event))

    assert response.status_code == 200
    assert response.context["form"] is None
    assert response.context["refusal"] == gettext(
        "Only confirmed participants can rank the workshops."
    )
    page = response.content.decode()
    assert f'action="{url(event)}"' not in page
    assert f'href="/foren/{event.slug}/anmeldung/"' in page


def test_a_waitlisted_person_cannot_rank(member, member_client, forum):
    event, grid, _allocation = forum
    registration = RegistrationFactory(
        event=event, user=member, status=RegistrationStatus.WAITLISTED
    )

    response = member_client.post(url(event), {"z1-1": grid[0][0].pk})

    assert response.status_code == 400
    assert response.context["form"] is None
    assert wishes(registration) == []


def test_an_online_participant_is_not_allocated(member, member_client, forum):
    event, _grid, _allocation = forum
    RegistrationFactory(event=event, user=member, attendance=Attendance.ONLINE)

    response = member_client.get(url(event))

    assert response.context["form"] is None
    assert response.context["refusal"] == gettext(
        "The workshops take place on site; online participants are not allocated."
    )


# --- Ranking ------------------------------------------------------------------------


def test_participant_sees_one_fieldset_per_time_slot(member_client, participant, forum):
    event, grid, _allocation = forum

    response = member_client.get(url(event))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["z1-1", "z1-2", "z2-1", "z2-2"]
    page = response.content.decode()
    assert page.count("<fieldset") == 2
    assert page.count("<select") == 4
    for session in grid[0] + grid[1]:
        assert f'<option value="{session.pk}">{session.title} – {session.room}</option>' in page
        assert f'href="/foren/{event.slug}/programm/{session.slug}/"' in page
    options = response.context["form"].fields["z2-1"].choices
    assert [value for value, _label in options] == ["", *[s.pk for s in grid[1]]]


def test_participant_ranks_and_sees_their_wishes_again(member_client, participant, forum):
    event, grid, _allocation = forum

    response = member_client.post(
        url(event),
        {"z1-1": grid[0][2].pk, "z1-2": grid[0][0].pk, "z2-1": grid[1][1].pk, "z2-2": ""},
    )

    assert response.status_code == 302
    assert response.url == url(event)
    assert messages_of(response) == [gettext("Your wishes have been saved.")]
    assert wishes(participant) == [
        (grid[0][2].title, 1),
        (grid[0][0].title, 2),
        (grid[1][1].title, 1),
    ]
    form = member_client.get(url(event)).context["form"]
    assert [form[name].value() for name in form.fields] == [
        grid[0][2].pk,
        grid[0][0].pk,
        grid[1][1].pk,
        None,
    ]


def test_saving_again_replaces_the_wishes(member_client, participant, forum):
    event, grid, _allocation = forum
    member_client.post(url(event), {"z1-1": grid[0][0].pk, "z2-1": grid[1][0].pk})

    member_client.post(url(event), {"z1-1": grid[0][1].pk})

    assert wishes(participant) == [(grid[0][1].title, 1)]


def test_a_workshop_of_another_event_is_refused_and_nothing_changes(
    member_client, participant, forum
):
    event, grid, _allocation = forum
    services.choices_save(
        allocation=event.workshop_allocation,
        registration=participant,
        choices={"z1": [grid[0][0].pk]},
    )
    _other, foreign = workshop_event()

    response = member_client.post(url(event), {"z1-1": foreign[0][0].pk, "z2-1": grid[1][0].pk})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["z1-1"]
    assert wishes(participant) == [(grid[0][0].title, 1)]
    page = response.content.decode()
    assert 'href="#id_z1-1"' in page
    assert 'aria-describedby="id_z1-1_fehler"' in page
    assert 'aria-invalid="true"' in page


def test_a_workshop_of_another_time_slot_is_refused(member_client, participant, forum):
    event, grid, _allocation = forum

    response = member_client.post(url(event), {"z1-1": grid[1][0].pk})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["z1-1"]
    assert wishes(participant) == []


def test_a_workshop_chosen_twice_is_named_and_nothing_is_saved(member_client, participant, forum):
    event, grid, _allocation = forum

    response = member_client.post(
        url(event), {"z1-1": grid[0][1].pk, "z1-2": grid[0][1].pk, "z2-1": grid[1][0].pk}
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["z1-2"]
    assert grid[0][1].title in errors["z1-2"][0]
    assert wishes(participant) == []


def test_after_the_deadline_wishes_are_refused_and_kept(member_client, participant, forum):
    event, grid, allocation = forum
    services.choices_save(
        allocation=allocation, registration=participant, choices={"z1": [grid[0][0].pk]}
    )
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(hours=1)
    allocation.save()

    response = member_client.post(url(event), {"z1-1": grid[0][2].pk})

    assert response.status_code == 400
    assert response.context["form"] is None
    assert response.context["refusal"].startswith(
        gettext("The deadline for workshop wishes passed on %(date)s.").split("%")[0]
    )
    assert wishes(participant) == [(grid[0][0].title, 1)]
    # The wishes given in time are still shown, for reading.
    assert [
        (label, [s.title for s in sessions]) for label, sessions in response.context["wishes"]
    ] == [(response.context["wishes"][0][0], [grid[0][0].title])]


def test_repeating_workshops_are_ranked_once_with_their_times(member_client, member):
    event, grid = workshop_event(slots=2, per_slot=3, repeating=True)
    WorkshopAllocationFactory(event=event, choices=3)
    registration = RegistrationFactory(event=event, user=member)

    response = member_client.get(url(event))

    form = response.context["form"]
    assert list(form.fields) == ["alle-1", "alle-2", "alle-3"]
    labels = dict(form.fields["alle-1"].choices)
    first = grid[0][0]
    assert labels[first.pk].startswith(first.title + " (")
    assert grid[0][0].room in labels[first.pk] and grid[1][0].room in labels[first.pk]
    assert grid[1][0].pk not in labels  # the repeat is not ranked on its own

    member_client.post(url(event), {"alle-1": grid[0][1].pk, "alle-2": grid[0][0].pk})

    assert wishes(registration) == [(grid[0][1].title, 1), (grid[0][0].title, 2)]


# --- After publication --------------------------------------------------------------


def test_published_allocation_shows_your_workshops_first(member, member_client, forum):
    event, grid, allocation = forum
    registration = RegistrationFactory(event=event, user=member)
    services.choices_save(
        allocation=allocation, registration=registration, choices={"z1": [grid[0][1].pk]}
    )
    Placement.objects.create(
        registration=registration, session=grid[0][1], rank=1, source=PlacementSource.SOLVER
    )
    allocation.published_at = timezone.now()
    allocation.save()

    response = member_client.get(url(event))

    assert response.status_code == 200
    assert response.context["form"] is None
    rows = response.context["mine"]
    assert [(row.placement.session if row.placement else None) for row in rows] == [
        grid[0][1],
        None,
    ]
    page = response.content.decode()
    assert page.index('id="mine-title"') < page.index('id="intro-title"')
    assert f'href="/foren/{event.slug}/programm/{grid[0][1].slug}/"' in page
    assert 'href="/foren/kalender/"' in page


@pytest.mark.parametrize(
    ("rank", "source", "label"),
    [
        (1, PlacementSource.SOLVER, "Your wish no. %(rank)s"),
        (None, PlacementSource.SOLVER, "outside your wishes"),
        (0, PlacementSource.SOLVER, "you gave no wishes for this time"),
        (None, PlacementSource.SPEAKER, "as speaker"),
    ],
)
def test_each_seat_says_what_it_was(member, member_client, forum, rank, source, label):
    event, grid, allocation = forum
    registration = RegistrationFactory(event=event, user=member)
    Placement.objects.create(
        registration=registration, session=grid[0][0], rank=rank, source=source
    )
    allocation.published_at = timezone.now()
    allocation.save()

    page = member_client.get(url(event)).content.decode()

    assert gettext(label) % {"rank": rank} in page


def test_the_computed_and_published_allocation_is_shown(member, member_client, forum, staff):
    event, grid, allocation = forum
    registration = RegistrationFactory(event=event, user=member)
    # Wishes for the first slot only: any seat in the second suits the person.
    services.choices_save(
        allocation=allocation, registration=registration, choices={"z1": [grid[0][2].pk]}
    )
    services.allocation_preview(allocation=allocation)
    services.allocation_publish(allocation=allocation, user=staff)

    response = member_client.get(url(event))

    first, second = response.context["mine"]
    assert (first.placement.session, first.placement.rank) == (grid[0][2], 1)
    assert second.placement.session in grid[1]
    assert second.placement.rank == 0
    assert gettext("you gave no wishes for this time") in response.content.decode()


def test_a_late_registrant_is_placed_into_the_free_seats(forum):
    event, grid, allocation = forum
    Session.objects.filter(pk__in=[s.pk for s in grid[0]]).update(capacity=1)
    early = RegistrationFactory(event=event)
    Placement.objects.create(
        registration=early, session=grid[0][0], rank=1, source=PlacementSource.SOLVER
    )
    allocation.ranking_deadline = timezone.now() - datetime.timedelta(days=1)
    allocation.published_at = timezone.now()
    allocation.save()
    late = RegistrationFactory(event=event, user=MemberFactory())
    client = login_client(late.user)

    before = client.get(url(event))
    assert before.context["late"] is True
    assert before.context["mine"] == []
    response = client.post(
        url(event), {"z1-1": grid[0][0].pk, "z1-2": grid[0][2].pk, "z2-1": grid[1][1].pk}
    )

    assert response.status_code == 302
    assert messages_of(response) == [gettext("You have been placed in the free seats.")]
    assert list(
        Placement.objects.filter(registration=late)
        .order_by("session__starts_at")
        .values_list("session__title", "rank", "source")
    ) == [(grid[0][2].title, 2, "late"), (grid[1][1].title, 1, "late")]
    after = client.get(url(event))
    assert after.context["form"] is None
    assert [row.placement.session for row in after.context["mine"]] == [grid[0][2], grid[1][1]]


# --- The event page and the query budget -------------------------------------------


def test_the_event_page_links_to_the_wishes_and_later_to_my_workshops(
    member_client, participant, forum
):
    event, _grid, allocation = forum
    link = f'href="{url(event)}"'

    assert link in member_client.get(f"/foren/{event.slug}/").content.decode()
    allocation.published_at = timezone.now()
    allocation.save()
    page = member_client.get(f"/foren/{event.slug}/").content.decode()
    assert link in page
    assert gettext("My workshops") in page


def test_the_event_page_has_no_workshop_link_without_allocation(member, member_client):
    event, _grid = workshop_event()
    RegistrationFactory(event=event, user=member)

    assert url(event) not in member_client.get(f"/foren/{event.slug}/").content.decode()


# Session, user, event, allocation, registration, workshops, wishes, descriptions.
QUERIES_RANKING = 8
# Without the descriptions; with the check for a seat and the person's seats.
QUERIES_PUBLISHED = 9


@pytest.mark.parametrize(("slots", "per_slot"), [(2, 3), (4, 8)])
def test_ranking_page_query_budget(
    member, member_client, django_assert_max_num_queries, slots, per_slot
):
    event, grid = workshop_event(slots=slots, per_slot=per_slot)
    allocation = WorkshopAllocationFactory(event=event, choices=3)
    registration = RegistrationFactory(event=event, user=member)
    services.choices_save(
        allocation=allocation,
        registration=registration,
        choices={f"z{n + 1}": [row[0].pk, row[1].pk] for n, row in enumerate(grid)},
    )

    member_client.get(url(event))  # the first request after the login saves the session
    with django_assert_max_num_queries(QUERIES_RANKING):
        response = member_client.get(url(event))
    assert response.content.decode().count("<select") == slots * 3

    for row in grid:
        Placement.objects.create(
            registration=registration, session=row[0], rank=1, source=PlacementSource.SOLVER
        )
    allocation.published_at = timezone.now()
    allocation.save()
    with django_assert_max_num_queries(QUERIES_PUBLISHED):
        response = member_client.get(url(event))
    assert len(response.context["mine"]) == slots


def test_without_workshops_yet_there_is_nothing_to_choose(member, member_client):
    event, _grid = workshop_event(slots=0)
    WorkshopAllocationFactory(event=event)
    RegistrationFactory(event=event, user=member)

    response = member_client.get(url(event))

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "<select" not in response.content.decode()
