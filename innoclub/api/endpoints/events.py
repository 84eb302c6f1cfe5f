"""Events, their program and speakers, as the pages under /foren/ show them.

Every read starts from ``events.selectors.events_visible`` / ``event_for_viewer``:
sessions, speakers and documentation files follow their event. The caller's
registrations and workshop wishes are in ``event_registrations.py``, on this
router (imported at the end of this module).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Literal, cast

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from innoclub.accounts.models import User
from innoclub.api.auth import PUBLIC
from innoclub.api.common import Page, PageParams, ordered, page_of, responses
from innoclub.api.refs import SLUG, Id, Slug
from innoclub.core.access import Visibility, is_staff
from innoclub.events import program, selectors, services
from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    EventState,
    Registration,
    RegistrationStatus,
    Session,
    SessionFile,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
)
from innoclub.network.models import Topic

router = Router(tags=["Veranstaltungen"])


class Ref(Schema):
    slug: str
    name: str


def _topics(topics: Iterable[Topic]) -> list[Ref]:
    return [Ref(slug=topic.slug, name=topic.name) for topic in topics]


# --- Events ----------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    title: str
    series: Ref | None
    number: int | None = Field(description="Number in the series, e.g. 23 for the 23rd forum")
    leitgedanke: str = Field(description="Guiding theme")
    description: str = Field(description="Markdown")
    starts_on: datetime.date
    ends_on: datetime.date
    mode: EventMode
    state: EventState
    visibility: Visibility
    venue_name: str
    venue_address: str
    city: str
    capacity: int | None = Field(description="Places on site; null: no limit")
    seats_left: int | None = Field(description="Free places on site; null: no limit")
    registration_deadline: datetime.datetime | None
    topics: list[Ref]
    url: str


class MyRegistration(Schema):
    """The caller's registration, as an event's answer shows it."""

    id: int
    status: RegistrationStatus
    attendance: Attendance
    waitlist_position: int | None = Field(description="1 for the first person waiting")


def my_registration(registration: Registration | None) -> MyRegistration | None:
    if registration is None:
        return None
    return MyRegistration(
        id=registration.pk,
        status=RegistrationStatus(registration.status),
        attendance=Attendance(registration.attendance),
        waitlist_position=services.waitlist_position(registration),
    )


class EventDetailOut(EventOut):
    online_url: str | None = Field(
        description="Stream or meeting link; only for participants and the club office"
    )
    registration: MyRegistration | None = Field(
        description="The caller's registration (also a cancelled one); null if none"
    )
    registration_refusal: str | None = Field(
        description="Why the signed-in caller cannot register now; null when they can "
        "or are registered"
    )


def _event(event: Event) -> EventOut:
    series = event.series
    return EventOut(
        slug=event.slug,
        title=event.title,
        series=Ref(slug=series.slug, name=series.name) if series else None,
        number=event.number,
        leitgedanke=event.leitgedanke,
        description=event.description,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        mode=EventMode(event.mode),
        state=EventState(event.state),
        visibility=Visibility(event.visibility),
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        city=event.city,
        capacity=event.capacity,
        seats_left=event.seats_left,
        registration_deadline=event.registration_deadline,
        topics=_topics(event.topics.all()),
        url=reverse("events:detail", args=[event.slug]),
    )


class EventFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2999, description="Year the event starts in")
    upcoming: bool | None = Field(
        None, description="true: events that have not ended; false: the archive of past ones"
    )
    topic: str = Field("", max_length=80, pattern=SLUG, description="Slug of a topic of the event")
    series: str = Field("", max_length=80, pattern=SLUG, description="Slug of the series")
    ordering: Literal["starts_on", "-starts_on", "title", "-title"] = "-starts_on"


@router.get("/events", auth=PUBLIC, response=responses(Page[EventOut]), summary="Events")
def events(
    request: HttpRequest, filters: Query[EventFilter], page: Query[PageParams]
) -> dict[str, object]:
    """The forums the caller may see, as the archive on /foren/ shows them."""
    queryset = (
        selectors.events_visible(request.user)
        .select_related("series")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )
    today = timezone.localdate()
    if filters.year is not None:
        queryset = queryset.filter(starts_on__year=filters.year)
    if filters.upcoming is True:
        queryset = queryset.filter(ends_on__gte=today)
    elif filters.upcoming is False:
        queryset = queryset.filter(ends_on__lt=today)
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.series:
        queryset = queryset.filter(series__slug=filters.series)
    fields = {"starts_on": "starts_on", "title": "title"}
    return page_of(request, ordered(queryset, filters.ordering, fields), page, _event)


@router.get("/events/{slug}", auth=PUBLIC, response=responses(EventDetailOut), summary="One event")
def event(request: HttpRequest, slug: Slug) -> EventDetailOut:
    user = request.user
    found = selectors.event_for_viewer(user=user, slug=slug)
    registration = selectors.registration_of(user=user, event=found)
    active = registration is not None and registration.is_active
    refusal = None
    if user.is_authenticated and not active:
        refusal = services.registration_refusal(event=found, user=cast(User, user))
    # The stream link stays out of the answer for everybody else, as on the page.
    shows_link = bool(found.online_url) and (active or is_staff(user))
    return EventDetailOut(
        **_event(found).model_dump(),
        online_url=found.online_url if shows_link else None,
        registration=my_registration(registration),
        registration_refusal=str(refusal) if refusal else None,
    )


# --- Program -----------------------------------------------------------------------


class SpeakerRef(Schema):
    slug: str
    name: str
    position: str
    organisation: str
    role: SpeakerRole
    url: str


class FileOut(Schema):
    title: str
    content_type: str
    size: int = Field(description="Bytes")
    url: str = Field(description="Download address")


class SessionOut(Schema):
    id: int
    event: str = Field(description="Slug of the event")
    kind: SessionKind
    title: str
    slug: str
    description: str = Field(description="Markdown")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room: str
    capacity: int | None = Field(description="Places of a workshop; null: no limit")
    repeat_of: int | None = Field(description="The first session of a repeated workshop")
    topics: list[Ref]
    speakers: list[SpeakerRef] = Field(description="Speakers and moderators")
    summary: str = Field(description="Documentation after the event, Markdown")
    results: str = Field(description="Documentation after the event, Markdown")
    files: list[FileOut] = Field(description="Documentation files")
    url: str


def _with_program(queryset: QuerySet[Session]) -> QuerySet[Session]:
    appearances = SessionSpeaker.objects.select_related("speaker").order_by(
        "role", "position", "id"
    )
    return queryset.select_related("event").prefetch_related(
        Prefetch("appearances", queryset=appearances),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch("files", queryset=SessionFile.objects.order_by("uploaded_at", "id")),
    )


def _session(session: Session) -> SessionOut:
    slug = session.event.slug
    return SessionOut(
        id=session.pk,
        event=slug,
        kind=SessionKind(session.kind),
        title=session.title,
        slug=session.slug,
        description=session.description,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room=session.room,
        capacity=session.capacity,
        repeat_of=session.repeat_of_id,
        topics=_topics(session.topics.all()),
        speakers=[
            SpeakerRef(
                slug=appearance.speaker.slug,
                name=appearance.speaker.name,
                position=appearance.speaker.position,
                organisation=appearance.speaker.organisation,
                role=SpeakerRole(appearance.role),
                url=reverse("events:speaker", args=[appearance.speaker.slug]),
            )
            for appearance in session.appearances.all()
        ],
        summary=session.summary,
        results=session.results,
        files=[
            FileOut(
                title=file.title,
                content_type=file.content_type,
                size=file.size,
                url=reverse("events:file", args=[slug, session.slug, file.pk]),
            )
            for file in session.files.all()
        ],
        url=reverse("events:session", args=[slug, session.slug]),
    )


class SessionFilter(Schema):
    kind: SessionKind | None = None
    ordering: Literal["starts_at", "-starts_at", "title", "-title"] = "starts_at"


@router.get(
    "/events/{slug}/sessions",
    auth=PUBLIC,
    response=responses(Page[SessionOut]),
    summary="The program of an event",
)
def sessions(
    request: HttpRequest, slug: Slug, filters: Query[SessionFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Sessions follow their event: whoever may see the event sees its program."""
    found = selectors.event_for_viewer(user=request.user, slug=slug)
    queryset = _with_program(Session.objects.filter(event=found))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    fields = {"starts_at": "starts_at", "title": "title"}
    return page_of(request, ordered(queryset, filters.ordering, fields), page, _session)


@router.get(
    "/sessions/{session_id}", auth=PUBLIC, response=responses(SessionOut), summary="One session"
)
def session(request: HttpRequest, session_id: Id) -> SessionOut:
    queryset = Session.objects.filter(event__in=selectors.events_visible(request.user))
    found = _with_program(queryset).filter(pk=session_id).first()
    if found is None:
        raise Http404
    return _session(found)


# --- Speakers ---------------------------------------------------------------------------
# The speaker pages show name, position and organisation of everybody in a visible
# program, bio and photo only after consent. A list of people is more than a program,
# so it names only those who consented to publication.


class SpeakerOut(Schema):
    slug: str
    name: str
    position: str
    organisation: str
    bio: str
    photo_url: str | None
    url: str


class SpeakerSession(Schema):
    id: int
    title: str
    kind: SessionKind
    role: SpeakerRole
    starts_at: datetime.datetime
    event: str = Field(description="Slug of the event")
    event_title: str
    url: str


class SpeakerDetailOut(SpeakerOut):
    sessions: list[SpeakerSession] = Field(description="In events the caller may see")


def _speaker(speaker: Speaker) -> SpeakerOut:
    return SpeakerOut(
        slug=speaker.slug,
        name=speaker.name,
        position=speaker.position,
        organisation=speaker.organisation,
        bio=speaker.bio,
        photo_url=reverse("events:speaker_photo", args=[speaker.slug]) if speaker.photo else None,
        url=reverse("events:speaker", args=[speaker.slug]),
    )


class SpeakerFilter(Schema):
    ordering: Literal["name", "-name"] = "name"


def _speakers(sessions: QuerySet[Session], ordering: str) -> QuerySet[Speaker]:
    appearing = SessionSpeaker.objects.filter(session__in=sessions).values("speaker_id")
    speakers = Speaker.objects.filter(consent_given_at__isnull=False, pk__in=appearing)
    return ordered(speakers, ordering, {"name": "name"})


@router.get(
    "/speakers",
    auth=PUBLIC,
    response=responses(Page[SpeakerOut]),
    summary="Speakers who agreed to publication",
)
def speakers(
    request: HttpRequest, filters: Query[SpeakerFilter], page: Query[PageParams]
) -> dict[str, object]:
    visible = Session.objects.filter(event__in=selectors.events_visible(request.user))
    return page_of(request, _speakers(visible, filters.ordering), page, _speaker)


@router.get(
    "/events/{slug}/speakers",
    auth=PUBLIC,
    response=responses(Page[SpeakerOut]),
    summary="Speakers of an event who agreed to publication",
)
def event_speakers(
    request: HttpRequest, slug: Slug, filters: Query[SpeakerFilter], page: Query[PageParams]
) -> dict[str, object]:
    found = selectors.event_for_viewer(user=request.user, slug=slug)
    queryset = _speakers(Session.objects.filter(event=found), filters.ordering)
    return page_of(request, queryset, page, _speaker)


@router.get(
    "/speakers/{slug}",
    auth=PUBLIC,
    response=responses(SpeakerDetailOut),
    summary="One speaker who agreed to publication",
)
def speaker(request: HttpRequest, slug: Slug) -> SpeakerDetailOut:
    found = program.speaker_for_viewer(user=request.user, slug=slug)
    if not found.speaker.has_consented:
        raise Http404
    return SpeakerDetailOut(
        **_speaker(found.speaker).model_dump(),
        sessions=[
            SpeakerSession(
                id=item.pk,
                title=item.title,
                kind=SessionKind(item.kind),
                role=SpeakerRole(item.speaker_role),  # type: ignore[attr-defined]
                starts_at=item.starts_at,
                event=item.event.slug,
                event_title=item.event.title,
                url=reverse("events:session", args=[item.event.slug, item.slug]),
            )
            for item in found.sessions
        ],
    )


# The caller's registrations and workshop wishes: another module for its length,
# operations on this router, which api.py mounts.
from innoclub.api.endpoints import event_registrations  # noqa: E402, F401
