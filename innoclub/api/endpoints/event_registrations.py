"""The caller's registrations for events and their workshop wishes (the office sees
every registration of an event), on the events router of ``events.py``.

Reads are the caller's own rows, or any for the office; writes call the services
the web forms call (``events.services``, ``workshops.services``), so the API
refuses exactly what the pages refuse, with the same German messages.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.responses import Status
from pydantic import Field

from innoclub.api.auth import SIGNED_IN, WRITE, caller
from innoclub.api.common import Input, Page, PageParams, ordered, page_of, responses
from innoclub.api.endpoints.events import router
from innoclub.api.problems import Refused
from innoclub.api.refs import ID_MAX, SLUG, TEXT, Id, Slug
from innoclub.core.access import is_staff
from innoclub.events import selectors, services
from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    Registration,
    RegistrationStatus,
    Session,
)
from innoclub.workshops import selectors as workshop_selectors
from innoclub.workshops import services as workshop_services
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.forms import group_label
from innoclub.workshops.layout import choices_of, event_workshops, ranking_groups
from innoclub.workshops.models import WorkshopAllocation

# --- Registrations ----------------------------------------------------------------------


class EventRef(Schema):
    slug: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    url: str


class Participant(Schema):
    id: int
    name: str


class RegistrationOut(Schema):
    id: int
    event: EventRef
    status: RegistrationStatus
    attendance: Attendance
    waitlist_position: int | None = Field(description="1 for the first person waiting")
    dietary_needs: str
    accessibility_needs: str
    list_consent: bool = Field(description="Appears in the list of participants")
    registered_at: datetime.datetime = Field(description="Joined; orders the waitlist")
    promoted_at: datetime.datetime | None = Field(description="Moved up from the waitlist")
    cancelled_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None
    participant: Participant | None = Field(description="Given to the club office only")


def _registration(
    registration: Registration, *, position: int | None, office: bool
) -> RegistrationOut:
    event, person = registration.event, registration.user
    return RegistrationOut(
        id=registration.pk,
        event=EventRef(
            slug=event.slug,
            title=event.title,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            url=reverse("events:detail", args=[event.slug]),
        ),
        status=RegistrationStatus(registration.status),
        attendance=Attendance(registration.attendance),
        waitlist_position=position,
        dietary_needs=registration.dietary_needs,
        accessibility_needs=registration.accessibility_needs,
        list_consent=registration.list_consent,
        registered_at=registration.queued_at,
        promoted_at=registration.promoted_at,
        cancelled_at=registration.cancelled_at,
        checked_in_at=registration.checked_in_at,
        participant=Participant(id=person.pk, name=person.get_full_name()) if office else None,
    )


def _one(request: HttpRequest, registration: Registration) -> RegistrationOut:
    return _registration(
        registration,
        position=services.waitlist_position(registration),
        office=is_staff(request.user),
    )


def _waitlist_positions(registrations: list[Registration]) -> dict[int, int]:
    """The places of the waiting ones among ``registrations`` in one query, in the
    order ``services.waitlist_position`` counts (joined, then id)."""
    events = {r.event_id for r in registrations if r.status == RegistrationStatus.WAITLISTED}
    if not events:
        return {}
    waiting = (
        Registration.objects.filter(event_id__in=events, status=RegistrationStatus.WAITLISTED)
        .order_by("event_id", "queued_at", "id")
        .values_list("id", "event_id")
    )
    counted: Counter[int] = Counter()
    positions = {}
    for pk, event_id in waiting:
        counted[event_id] += 1
        positions[pk] = counted[event_id]
    return positions


class RegistrationFilter(Schema):
    event: str = Field(
        "",
        max_length=120,
        pattern=SLUG,
        description="Slug of an event. The club office sees every registration of that "
        "event; everybody else only their own.",
    )
    status: RegistrationStatus | None = None
    upcoming: bool | None = Field(None, description="true: events that have not ended")
    ordering: Literal["starts_on", "-starts_on", "registered", "-registered"] = "-starts_on"


@router.get(
    "/registrations",
    auth=SIGNED_IN,
    response=responses(Page[RegistrationOut]),
    summary="Registrations: your own; the office's for one event",
)
def registrations(
    request: HttpRequest, filters: Query[RegistrationFilter], page: Query[PageParams]
) -> dict[str, object]:
    user = request.user
    office = is_staff(user)
    queryset = Registration.objects.select_related("event", "user")
    if filters.event:
        queryset = queryset.filter(event__slug=filters.event)
    if not (office and filters.event):
        queryset = queryset.filter(user=user.pk)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.upcoming is not None:
        key = "event__ends_on__gte" if filters.upcoming else "event__ends_on__lt"
        queryset = queryset.filter(**{key: timezone.localdate()})
    fields = {"starts_on": "event__starts_on", "registered": "queued_at"}

    def items(rows: list[Registration]) -> list[RegistrationOut]:
        positions = _waitlist_positions(rows)
        return [_registration(r, position=positions.get(r.pk), office=office) for r in rows]

    return page_of(request, ordered(queryset, filters.ordering, fields), page, items=items)


def _registration_for(request: HttpRequest, registration_id: int) -> Registration:
    """One registration: the caller's own, or any for the office; 404 otherwise."""
    queryset = Registration.objects.select_related("event", "user")
    if not is_staff(request.user):
        queryset = queryset.filter(user=request.user.pk)
    found = queryset.filter(pk=registration_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/registrations/{registration_id}",
    auth=SIGNED_IN,
    response=responses(RegistrationOut),
    summary="One registration",
)
def registration(request: HttpRequest, registration_id: Id) -> RegistrationOut:
    return _one(request, _registration_for(request, registration_id))


class RegistrationIn(Input):
    attendance: Attendance | None = Field(
        None, description="Needed for hybrid events; the other formats have one way to take part"
    )
    dietary_needs: str = Field("", max_length=300, pattern=TEXT)
    accessibility_needs: str = Field("", max_length=500, pattern=TEXT)
    list_consent: bool = Field(False, description="Appear in the list of participants")


def _attendance(event: Event, chosen: Attendance | None) -> str:
    """As the web form: hybrid events ask, the others have one way to take part.
    A choice that does not fit the format is refused by the service."""
    if chosen is not None:
        return chosen.value
    if event.mode == EventMode.HYBRID:
        raise Refused(_("Please choose how you will take part."), status=422, field="attendance")
    return Attendance.ONLINE if event.mode == EventMode.ONLINE else Attendance.ONSITE


@router.post(
    "/events/{slug}/registration",
    auth=WRITE,
    response=responses(RegistrationOut, 201),
    summary="Register for an event (or join its waitlist)",
)
def register(request: HttpRequest, slug: Slug, body: RegistrationIn) -> Status[RegistrationOut]:
    user = caller(request)
    found = selectors.event_for_viewer(user=user, slug=slug)
    try:
        created_registration, created = services.registration_create(
            event=found,
            user=user,
            attendance=_attendance(found, body.attendance),
            dietary_needs=body.dietary_needs,
            accessibility_needs=body.accessibility_needs,
            list_consent=body.list_consent,
        )
    except services.RegistrationError as error:
        if error.code == "attendance":
            raise Refused(str(error), status=422, field="attendance") from None
        raise Refused(str(error), status=409) from None
    if not created:
        # The service returns an active registration unchanged.
        raise Refused(_("You are already registered for this event."), status=409)
    return Status(201, _one(request, created_registration))


def _cancel(request: HttpRequest, registration: Registration) -> RegistrationOut:
    # Whoever moves up into the freed place is told by the service's e-mail.
    services.registration_cancel(registration=registration)
    return _one(request, _registration_for(request, registration.pk))


@router.delete(
    "/events/{slug}/registration",
    auth=WRITE,
    response=responses(RegistrationOut),
    summary="Cancel your registration for an event",
)
def cancel_mine(request: HttpRequest, slug: Slug) -> RegistrationOut:
    user = caller(request)
    found = selectors.event_for_viewer(user=user, slug=slug)
    mine = selectors.registration_of(user=user, event=found)
    if mine is None or not mine.is_active:
        raise Refused(_("You are not registered for this event."), status=409)
    return _cancel(request, mine)


@router.post(
    "/registrations/{registration_id}/cancel",
    auth=WRITE,
    response=responses(RegistrationOut),
    summary="Cancel a registration: your own; the office any",
)
def cancel(request: HttpRequest, registration_id: Id) -> RegistrationOut:
    found = _registration_for(request, registration_id)
    if not is_staff(request.user):
        # As on the page: only through an event the person still may see.
        selectors.event_for_viewer(user=request.user, slug=found.event.slug)
    if not found.is_active:
        raise Refused(_("This registration has been cancelled."), status=409)
    return _cancel(request, found)


# --- Workshop wishes --------------------------------------------------------------------


class WorkshopOut(Schema):
    id: int
    title: str
    room: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    url: str


class RankingGroupOut(Schema):
    key: str = Field(description="Key of the group in the wishes you send")
    label: str
    starts_at: datetime.datetime | None = Field(description="Null: the whole event")
    choices: int = Field(description="How many workshops you may rank here")
    workshops: list[WorkshopOut]
    ranked: list[int] = Field(description="Your wishes: workshop ids, first choice first")


class SeatOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    workshop: WorkshopOut | None = Field(description="Null: no seat in this time slot")
    rank: int | None = Field(description="The rank you gave it; 0: no wishes for the slot")


class RankingOut(Schema):
    event: str
    deadline: datetime.datetime
    repeating: bool = Field(description="Workshops repeat: you rank once for the whole event")
    published: bool = Field(description="The allocation is published")
    refusal: str | None = Field(description="Why you cannot give wishes now; null if you can")
    groups: list[RankingGroupOut]
    seats: list[SeatOut] = Field(description="Your workshops once the allocation is published")


class RankingIn(Input):
    choices: dict[
        Annotated[str, Field(max_length=20)],
        Annotated[list[Annotated[int, Field(ge=1, le=ID_MAX)] | None], Field(max_length=12)],
    ] = Field(
        max_length=50,
        description="Per group key the workshop ids in order of preference (null: no "
        "answer). Replaces all your wishes.",
    )


def _workshop(session: Session, event: Event) -> WorkshopOut:
    return WorkshopOut(
        id=session.pk,
        title=session.title,
        room=session.room,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        url=reverse("events:session", args=[event.slug, session.slug]),
    )


def _ranking_of(request: HttpRequest, slug: str) -> tuple[Event, WorkshopAllocation]:
    found = selectors.event_for_viewer(user=request.user, slug=slug)
    allocation = workshop_selectors.allocation_of(found)
    if allocation is None:
        raise Http404
    return found, allocation


def _ranking(
    event: Event, allocation: WorkshopAllocation, registration: Registration | None
) -> RankingOut:
    """What the ranking page shows: the groups with the person's wishes and, once
    published, their seats."""
    workshops = event_workshops(event)
    ranks = choices_of(registration) if registration is not None else {}
    refusal = workshop_services.ranking_refusal(
        allocation=allocation, registration=registration, now=timezone.now()
    )
    seats = []
    if (
        registration is not None
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance == Attendance.ONSITE
    ):
        registration.event = event  # my_workshops reads it; saves a query
        for row in workshop_selectors.my_workshops(
            registration, allocation=allocation, workshops=workshops
        ):
            seat = row.placement
            seats.append(
                SeatOut(
                    starts_at=row.slot.starts_at,
                    ends_at=row.slot.ends_at,
                    workshop=_workshop(seat.session, event) if seat else None,
                    rank=seat.rank if seat else None,
                )
            )
    return RankingOut(
        event=event.slug,
        deadline=allocation.ranking_deadline,
        repeating=workshops.repeating,
        published=allocation.is_published,
        refusal=refusal,
        groups=[
            RankingGroupOut(
                key=group.key,
                label=group_label(group),
                starts_at=group.slot.starts_at if group.slot else None,
                choices=group.choices,
                workshops=[_workshop(session, event) for session in group.sessions],
                ranked=sorted(
                    (s.pk for s in group.sessions if s.pk in ranks), key=ranks.__getitem__
                ),
            )
            for group in ranking_groups(allocation, workshops)
        ],
        seats=seats,
    )


@router.get(
    "/events/{slug}/workshop-ranking",
    auth=SIGNED_IN,
    response=responses(RankingOut),
    summary="Your workshop wishes and, once allocated, your workshops",
)
def ranking(request: HttpRequest, slug: Slug) -> RankingOut:
    found, allocation = _ranking_of(request, slug)
    return _ranking(found, allocation, selectors.registration_of(user=request.user, event=found))


@router.put(
    "/events/{slug}/workshop-ranking",
    auth=WRITE,
    response=responses(RankingOut),
    summary="Rank the workshops of an event",
)
def ranking_save(request: HttpRequest, slug: Slug, body: RankingIn) -> RankingOut:
    found, allocation = _ranking_of(request, slug)
    mine = selectors.registration_of(user=request.user, event=found)
    refusal = workshop_services.ranking_refusal(
        allocation=allocation, registration=mine, now=timezone.now()
    )
    if refusal is not None or mine is None:
        raise Refused(refusal or "", status=409)
    try:
        # A late registrant is placed into the free seats at once (and told by e-mail).
        workshop_services.choices_save(
            allocation=allocation, registration=mine, choices=body.choices
        )
    except AllocationError as error:
        raise ValidationError({"choices": error.messages}) from None
    return _ranking(found, allocation, mine)
