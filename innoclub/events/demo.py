"""Demo events, seeded idempotently by ``seed_demo``: the 22 past Deutschlandforen,
the 23rd with open registration, online Werkstattgespräche and the
Regionaltreffen Süd.

The models are written directly (in bulk) rather than through the services:
the services e-mail every registration and invitation, and the demo must
neither send hundreds of messages nor take long. ``seats_taken`` is set to
the number of confirmed on-site registrations, as the services keep it.
Each event draws from its own random generator seeded by its slug, so a
second run skips what exists and creates nothing new.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.events.demo_forums import (
    EXTERNAL_SPEAKERS,
    FEEDBACK_COMMENTS,
    FORUMS,
    NEXT_FORUM,
    NEXT_FORUM_DAY2_WORKSHOPS,
    REGIONAL,
    WERKSTATT,
    WORKSHOP_RESULTS,
    WORKSHOP_ROOMS,
    WORKSHOP_SUMMARIES,
    ForumSpec,
    RegionalSpec,
)
from innoclub.events.models import (
    Attendance,
    Event,
    EventInvitation,
    EventMode,
    EventSeries,
    EventState,
    FeedbackResponse,
    FeedbackSubmission,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionRating,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
)
from innoclub.network.models import Topic

BERLIN = ZoneInfo("Europe/Berlin")
DEMO_MEETING_HOST = "https://meet.demo.innoclub.de"
DIETARY = ["vegetarisch", "vegan", "glutenfrei", "keine Nüsse"]


@dataclass
class _Cast:
    """Who can speak and who can attend, loaded once."""

    members: list[User]
    since: dict[int, datetime.date]
    left: dict[int, datetime.date | None]
    member_speakers: list[Speaker]
    external_speakers: list[Speaker]
    topics: dict[str, Topic]
    staff: User | None
    demo_member: User
    demo_guest: User
    partners: list[User] = field(default_factory=list)

    def speakers_on(self, day: datetime.date) -> list[Speaker]:
        """Member speakers who were members on ``day``."""
        present = {m.pk for m in self.members_on(day)}
        return [s for s in self.member_speakers if s.user_id in present]

    def members_on(self, day: datetime.date) -> list[User]:
        """Members who had joined and not yet left on ``day``."""
        return [
            m
            for m in self.members
            if self.since[m.pk] <= day and ((left := self.left[m.pk]) is None or left > day)
        ]


@dataclass
class _Item:
    kind: str
    title: str
    day: int
    start: tuple[int, int]
    end: tuple[int, int]
    room: str = ""
    capacity: int | None = None
    speakers: list[tuple[Speaker, SpeakerRole]] = field(default_factory=list)
    description: str = ""
    summary: str = ""
    results: str = ""


def seed_events(*, demo_member: User, demo_guest: User) -> int:
    """Create the demo events. Returns how many events were created.

    Side effects: creates series, speakers, events with their programs,
    invitations, registrations (with check-ins) and survey answers; existing
    events (by slug) are left alone, so a second run changes nothing.
    """
    cast = _load_cast(demo_member=demo_member, demo_guest=demo_guest)
    forum, _created = EventSeries.objects.get_or_create(
        slug="deutschlandforum",
        defaults={
            "name": "Deutschlandforum",
            "description": "Einmal im Jahr, zwei Tage: Mitglieder und eingeladene Gäste aus "
            "Wissenschaft, Wirtschaft und Zivilgesellschaft arbeiten unter einem Leitgedanken.",
        },
    )
    werkstatt, _created = EventSeries.objects.get_or_create(
        slug="werkstattgespraech",
        defaults={
            "name": "Werkstattgespräch",
            "description": "Neunzig Minuten online: Mitglieder berichten aus einem Projekt, "
            "alle fragen nach.",
        },
    )
    existing = set(Event.objects.values_list("slug", flat=True))
    created = 0
    for spec in FORUMS:
        if f"deutschlandforum-{spec['number']}" not in existing:
            _seed_past_forum(spec, forum, cast)
            created += 1
    if f"deutschlandforum-{NEXT_FORUM['number']}" not in existing:
        _seed_next_forum(NEXT_FORUM, forum, cast)
        created += 1
    for number, day, hour, title, leitgedanke, topic_slugs in WERKSTATT:
        if f"werkstattgespraech-{number}" not in existing:
            _seed_werkstatt(number, day, hour, title, leitgedanke, topic_slugs, werkstatt, cast)
            created += 1
    for regional in REGIONAL:
        if regional["slug"] not in existing:
            _seed_regional(regional, cast)
            created += 1
    return created


def _load_cast(*, demo_member: User, demo_guest: User) -> _Cast:
    members = list(
        User.objects.filter(role=Role.MEMBER, profile__isnull=False)
        .exclude(pk=demo_member.pk)
        .select_related("profile", "municipality")
        .order_by("email")
    )
    since = {m.pk: m.profile.member_since or datetime.date(2004, 1, 1) for m in members}
    left = {m.pk: m.profile.left_on for m in members}
    speakers = _seed_speakers(members, demo_guest)
    partners = list(
        User.objects.filter(email__in=["partner1@demo.innoclub.de", "partner3@demo.innoclub.de"])
    )
    return _Cast(
        members=members,
        since=since,
        left=left,
        member_speakers=[s for s in speakers if s.user_id in since],
        external_speakers=[s for s in speakers if s.user_id is None],
        topics={t.slug: t for t in Topic.objects.all()},
        staff=User.objects.filter(role=Role.STAFF).order_by("pk").first(),
        demo_member=demo_member,
        demo_guest=demo_guest,
        partners=partners,
    )


def _seed_speakers(members: Sequence[User], demo_guest: User) -> list[Speaker]:
    """External speakers without account, about thirty members, the demo guest and two partners."""
    consented = timezone.make_aware(datetime.datetime(2024, 1, 15, 10, 0), BERLIN)
    wanted: list[Speaker] = [
        Speaker(
            name=name,
            slug=slug,
            position=position,
            organisation=organisation,
            bio=bio,
            consent_given_at=consented if bio else None,
        )
        for slug, name, position, organisation, bio in EXTERNAL_SPEAKERS
    ]
    # Every third member speaks at some point, founding members among them.
    chosen = sorted(members, key=lambda m: (m.profile.member_since or datetime.date.min, m.email))
    with_accounts = [*chosen[::3], demo_guest]
    with_accounts += list(
        User.objects.filter(email__in=["partner1@demo.innoclub.de", "partner3@demo.innoclub.de"])
    )
    for index, user in enumerate(with_accounts):
        profile = getattr(user, "profile", None)
        title = profile.academic_title if profile else ""
        name = " ".join(part for part in (title, user.first_name, user.last_name) if part)
        with translation.override("de"):
            position = (profile.position or str(profile.get_function_display())) if profile else ""
        place = user.municipality.name if user.municipality else ""
        has_bio = index % 3 != 2 or user == demo_guest
        wanted.append(
            Speaker(
                user=user,
                name=name,
                slug=slugify(name),
                position=position,
                organisation=(profile.organisation if profile else "") or place,
                bio=(profile.bio if profile else "") if has_bio else "",
                consent_given_at=consented if has_bio else None,
            )
        )
    known = set(Speaker.objects.values_list("slug", flat=True))
    known_users = set(Speaker.objects.exclude(user=None).values_list("user_id", flat=True))
    Speaker.objects.bulk_create(
        [s for s in wanted if s.slug not in known and s.user_id not in known_users]
    )
    by_slug = Speaker.objects.in_bulk([s.slug for s in wanted], field_name="slug")
    return [by_slug[s.slug] for s in wanted if s.slug in by_slug]


# --- Programs ---------------------------------------------------------------


def _forum_program(spec: ForumSpec, rng: random.Random, cast: _Cast, *, past: bool) -> list[_Item]:
    online = spec["mode"] == EventMode.ONLINE
    main = "Videoraum Plenum" if online else "Großer Saal"
    rooms = [f"Videoraum {i}" for i in range(1, 5)] if online else WORKSHOP_ROOMS
    pool = cast.speakers_on(spec["starts_on"])
    members = rng.sample(pool, min(len(pool), 14))
    externals = rng.sample(cast.external_speakers, 5)
    moderator = members.pop()
    items = [
        _Item(
            SessionKind.TALK,
            "Begrüßung und Einführung in den Leitgedanken",
            0,
            (10, 0),
            (10, 30),
            main,
            speakers=[(members.pop(), SpeakerRole.SPEAKER)],
            description=f"Warum dieses Jahr „{spec['leitgedanke']}“? {spec['intro']}",
        ),
        _Item(
            SessionKind.KEYNOTE,
            spec["keynote"],
            0,
            (10, 30),
            (11, 30),
            main,
            speakers=[(externals.pop(), SpeakerRole.SPEAKER), (moderator, SpeakerRole.MODERATOR)],
            description=f"Die Keynote zum Leitgedanken „{spec['leitgedanke']}“ mit anschließender Fragerunde.",
        ),
        _Item(
            SessionKind.TALK,
            spec["talks"][0],
            0,
            (11, 30),
            (12, 15),
            main,
            speakers=[(members.pop(), SpeakerRole.SPEAKER)],
            description="Ein Bericht aus der Praxis einer Mitgliedskommune.",
        ),
        _Item(SessionKind.BREAK, "Mittagspause", 0, (12, 15), (13, 30), "" if online else "Foyer"),
    ]
    for index, title in enumerate(spec["workshops"]):
        speakers = [(members.pop(), SpeakerRole.MODERATOR)]
        if index % 2 == 0:
            speakers.insert(0, (externals.pop(), SpeakerRole.SPEAKER))
        items.append(
            _Item(SessionKind.WORKSHOP, title, 0, (13, 30), (15, 30), rooms[index],
                  capacity=rng.choice([20, 25, 30, 35]), speakers=speakers,
                  description=f"Ein Workshop in kleiner Runde: Erfahrungen teilen, gemeinsam Lösungen entwerfen. Ausgangsfrage: {title}",
                  summary=rng.choice(WORKSHOP_SUMMARIES) if past and spec["number"] >= 12 else "",
                  results=rng.choice(WORKSHOP_RESULTS) if past and spec["number"] >= 12 else "")
        )  # fmt: skip
    panelists = [(externals.pop(), SpeakerRole.SPEAKER), (members.pop(), SpeakerRole.SPEAKER),
                 (members.pop(), SpeakerRole.SPEAKER), (moderator, SpeakerRole.MODERATOR)]  # fmt: skip
    items += [
        _Item(SessionKind.BREAK, "Kaffeepause und Austausch", 0, (15, 30), (16, 0), "" if online else "Foyer"),
        _Item(SessionKind.PANEL, spec["panel"], 0, (16, 0), (17, 30), main, speakers=panelists,
              description="Podiumsdiskussion mit Fragen aus dem Publikum.",
              summary="Die Diskussion zeigte unterschiedliche Sichtweisen aus Kommune, Wissenschaft und Praxis." if past and spec["number"] >= 16 else ""),
    ]  # fmt: skip
    if not online:
        items.append(_Item(SessionKind.BREAK, "Abendessen und Gespräche", 0, (19, 0), (22, 0), "Restaurant"))  # fmt: skip
    if not past:
        for index, title in enumerate(NEXT_FORUM_DAY2_WORKSHOPS):
            items.append(
                _Item(SessionKind.WORKSHOP, title, 1, (9, 0), (10, 30), rooms[index],
                      capacity=[40, 30, 25][index], speakers=[(members.pop(), SpeakerRole.MODERATOR)],
                      description=f"Ein Workshop in kleiner Runde. Ausgangsfrage: {title}")
            )  # fmt: skip
        items.append(_Item(SessionKind.BREAK, "Kaffeepause", 1, (10, 30), (11, 0), "Foyer"))
    # Day two: a talk, the workshops' results in the plenary, the close (later when
    # the morning starts with workshops).
    t = (
        [(11, 0), (11, 45), (12, 45), (13, 15)]
        if not past
        else [(9, 0), (9, 45), (11, 0), (11, 30)]
    )
    items += [
        _Item(SessionKind.TALK, spec["talks"][1], 1, t[0], t[1], main,
              speakers=[(externals.pop(), SpeakerRole.SPEAKER)],
              description="Ein Blick von außen auf den Leitgedanken."),
        _Item(SessionKind.PANEL, "Ergebnisse aus den Workshops", 1, t[1], t[2], main,
              speakers=[(moderator, SpeakerRole.MODERATOR)],
              description="Die Workshops stellen ihre Ergebnisse vor; das Plenum ergänzt."),
        _Item(SessionKind.TALK, "Abschluss und Ausblick", 1, t[2], t[3], main,
              speakers=[(members.pop(), SpeakerRole.SPEAKER)]),
    ]  # fmt: skip
    return items


def _create_program(event: Event, items: list[_Item], topics: list[Topic]) -> list[Session]:
    sessions: list[Session] = []
    used: set[str] = set()
    for item in items:
        day = event.starts_on + datetime.timedelta(days=item.day)
        slug = slugify(item.title)[:110] or "programmpunkt"
        while slug in used:
            slug = f"{slug}-{item.day + 2}"
        used.add(slug)
        sessions.append(
            Session(
                event=event,
                kind=item.kind,
                title=item.title,
                slug=slug,
                description=item.description,
                starts_at=datetime.datetime.combine(day, datetime.time(*item.start), BERLIN),
                ends_at=datetime.datetime.combine(day, datetime.time(*item.end), BERLIN),
                room=item.room,
                capacity=item.capacity,
                summary=item.summary,
                results=item.results,
            )
        )
    Session.objects.bulk_create(sessions)
    appearances = [
        SessionSpeaker(session=session, speaker=speaker, role=role, position=position)
        for session, item in zip(sessions, items, strict=True)
        for position, (speaker, role) in enumerate(item.speakers)
    ]
    SessionSpeaker.objects.bulk_create(appearances)
    through = Session.topics.through
    through.objects.bulk_create(
        [
            through(session_id=s.pk, topic_id=t.pk)
            for s in sessions
            if s.kind != SessionKind.BREAK
            for t in topics
        ]
    )
    return sessions


def _create_event(*, topics: list[Topic], **fields: object) -> Event:
    event = Event.objects.create(**fields)
    event.topics.set(topics)
    return event


# --- Registrations and feedback -----------------------------------------------


def _register(
    event: Event,
    people: Sequence[User],
    rng: random.Random,
    *,
    online_share: float,
    checked_in: bool,
    queued_before: datetime.datetime,
    waitlisted: int = 0,
) -> list[Registration]:
    """Confirmed registrations for ``people`` (the last ``waitlisted`` wait); sets seats_taken."""
    registrations = []
    for index, person in enumerate(people):
        waiting = index >= len(people) - waitlisted
        online = not waiting and (
            event.mode == EventMode.ONLINE
            or (event.mode == EventMode.HYBRID and rng.random() < online_share)
        )
        queued = queued_before - datetime.timedelta(hours=(len(people) - index) * 7, minutes=index)
        arrived = checked_in and not online and rng.random() < 0.92
        registrations.append(
            Registration(
                event=event,
                user=person,
                status=RegistrationStatus.WAITLISTED if waiting else RegistrationStatus.CONFIRMED,
                attendance=Attendance.ONLINE if online else Attendance.ONSITE,
                dietary_needs=rng.choice(DIETARY) if rng.random() < 0.15 else "",
                list_consent=rng.random() < 0.7,
                queued_at=queued,
                checked_in_at=(
                    datetime.datetime.combine(event.starts_on, datetime.time(9, 30), BERLIN)
                    + datetime.timedelta(seconds=rng.randint(0, 3600))
                    if arrived
                    else None
                ),
            )
        )
    Registration.objects.bulk_create(registrations)
    taken = sum(
        1
        for r in registrations
        if r.status == RegistrationStatus.CONFIRMED and r.attendance == Attendance.ONSITE
    )
    Event.objects.filter(pk=event.pk).update(seats_taken=taken)
    event.seats_taken = taken
    return registrations


def _feedback(
    event: Event, registrations: list[Registration], sessions: list[Session], rng: random.Random
) -> None:
    arrived = [r for r in registrations if r.checked_in_at or r.attendance == Attendance.ONLINE]
    answering = rng.sample(arrived, len(arrived) * 2 // 5)
    FeedbackSubmission.objects.bulk_create(
        [FeedbackSubmission(event=event, user=r.user) for r in answering]
    )
    responses = [
        FeedbackResponse(
            event=event,
            overall=rng.choices([3, 4, 5], weights=[1, 4, 4])[0],
            comment=rng.choice(FEEDBACK_COMMENTS),
        )
        for _person in answering
    ]
    FeedbackResponse.objects.bulk_create(responses)
    rated = [s for s in sessions if s.kind != SessionKind.BREAK]
    SessionRating.objects.bulk_create(
        [
            SessionRating(response=response, session=session, rating=rng.choice([3, 4, 4, 5, 5]))
            for response in responses
            for session in rng.sample(rated, min(4, len(rated)))
        ]
    )


# --- The events -----------------------------------------------------------------


def _forum_fields(spec: ForumSpec, series: EventSeries) -> dict[str, object]:
    place = f" in {spec['city']}" if spec["city"] else " im Netz"
    return {
        "series": series,
        "number": spec["number"],
        "title": f"{spec['number']}. Deutschlandforum",
        "slug": f"deutschlandforum-{spec['number']}",
        "leitgedanke": spec["leitgedanke"],
        "description": f"{spec['intro']}\n\nDas {spec['number']}. Deutschlandforum{place} "
        f"stand unter dem Leitgedanken **„{spec['leitgedanke']}“**.",
        "starts_on": spec["starts_on"],
        "ends_on": spec["starts_on"] + datetime.timedelta(days=1),
        "mode": spec["mode"],
        "venue_name": spec["venue"],
        "venue_address": spec["address"],
        "city": spec["city"],
        "visibility": Visibility.PUBLIC,
    }


def _seed_past_forum(spec: ForumSpec, series: EventSeries, cast: _Cast) -> None:
    rng = random.Random(f"deutschlandforum-{spec['number']}")  # noqa: S311 - demo data
    topics = [cast.topics[slug] for slug in spec["topics"] if slug in cast.topics]
    event = _create_event(
        topics=topics,
        state=EventState.CLOSED,
        capacity=None if spec["mode"] == EventMode.ONLINE else 140,
        online_url=(
            f"{DEMO_MEETING_HOST}/deutschlandforum-{spec['number']}"
            if spec["mode"] != EventMode.ONSITE
            else ""
        ),
        **_forum_fields(spec, series),
    )
    sessions = _create_program(event, _forum_program(spec, rng, cast, past=True), topics)
    eligible = cast.members_on(spec["starts_on"])
    people = rng.sample(eligible, min(len(eligible), rng.randint(45, 95)))
    if spec["number"] >= 14:
        people.append(cast.demo_member)  # the demo member has been to the recent forums
    start = datetime.datetime.combine(spec["starts_on"], datetime.time(0, 0), BERLIN)
    registrations = _register(
        event,
        people,
        rng,
        online_share=0.25,
        checked_in=True,
        queued_before=start - datetime.timedelta(days=14),
    )
    if spec["number"] >= 16:
        _feedback(event, registrations, sessions, rng)


def _seed_next_forum(spec: ForumSpec, series: EventSeries, cast: _Cast) -> None:
    rng = random.Random(f"deutschlandforum-{spec['number']}")  # noqa: S311 - demo data
    topics = [cast.topics[slug] for slug in spec["topics"] if slug in cast.topics]
    fields = _forum_fields(spec, series)
    fields["description"] = (
        f"{spec['intro']}\n\n## Für wen\n\nFür alle Mitglieder des Innovators Club und "
        "eingeladene Gäste. Sie können vor Ort in Frankfurt am Main oder online teilnehmen.\n\n"
        "## Anreise\n\nDas Kongresshaus Kap Europa liegt wenige Gehminuten vom Bahnhof "
        "Frankfurt (Main) Messe entfernt."
    )
    event = _create_event(
        topics=topics,
        state=EventState.OPEN,
        capacity=150,
        registration_deadline=datetime.datetime(2027, 3, 1, 23, 59, tzinfo=BERLIN),
        online_url=f"{DEMO_MEETING_HOST}/deutschlandforum-23",
        **fields,
    )
    items = _forum_program(spec, rng, cast, past=False)
    # The demo guest gives the second talk; two partners with accounts run workshops.
    guest_speaker = Speaker.objects.get(user=cast.demo_guest)
    second_talk = next(i for i in items if i.title == spec["talks"][1])
    second_talk.speakers = [(guest_speaker, SpeakerRole.SPEAKER)]
    partner_speakers = list(Speaker.objects.filter(user__in=cast.partners).order_by("slug"))
    day2 = [i for i in items if i.kind == SessionKind.WORKSHOP and i.day == 1]
    for item, speaker in zip(day2, partner_speakers, strict=False):
        item.speakers.insert(0, (speaker, SpeakerRole.SPEAKER))
    _create_program(event, items, topics)
    invited = [cast.demo_member, cast.demo_guest, *cast.partners] + [
        m for m in cast.members if m.is_active
    ]
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, user=u, invited_by=cast.staff) for u in invited]
    )
    active = [m for m in cast.members if m.is_active]
    people = rng.sample(active, min(len(active), 125))
    # Sent out on 2026-10-01; people have registered since.
    _register(
        event,
        people,
        rng,
        online_share=0.15,
        checked_in=False,
        queued_before=datetime.datetime(2026, 11, 24, 18, 0, tzinfo=BERLIN),
    )


def _seed_werkstatt(
    number: int,
    day: datetime.date,
    hour: int,
    title: str,
    leitgedanke: str,
    topic_slugs: list[str],
    series: EventSeries,
    cast: _Cast,
) -> None:
    rng = random.Random(f"werkstattgespraech-{number}")  # noqa: S311 - demo data
    topics = [cast.topics[slug] for slug in topic_slugs if slug in cast.topics]
    upcoming = day >= timezone.localdate()
    event = _create_event(
        topics=topics,
        series=series,
        number=number,
        title=f"Werkstattgespräch: {title}",
        slug=f"werkstattgespraech-{number}",
        leitgedanke=leitgedanke,
        description=f"Ein Werkstattgespräch im Netz: {leitgedanke}. Kurze Impulse, viel Zeit für Fragen.",
        starts_on=day,
        ends_on=day,
        mode=EventMode.ONLINE,
        state=EventState.OPEN if upcoming else EventState.CLOSED,
        visibility=Visibility.PUBLIC,
        online_url=f"{DEMO_MEETING_HOST}/werkstattgespraech-{number}",
        registration_deadline=(
            datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(12), BERLIN)
            if upcoming
            else None
        ),
    )
    host, moderator = rng.sample(cast.speakers_on(day), 2)
    guest = rng.choice(cast.external_speakers)
    items = [
        _Item(SessionKind.TALK, f"Impuls: {title}", 0, (hour, 0), (hour, 30), "Videoraum",
              speakers=[(host, SpeakerRole.SPEAKER)], description=leitgedanke),
        _Item(SessionKind.PANEL, "Fragen und Gespräch", 0, (hour, 30), (hour + 1, 30), "Videoraum",
              speakers=[(guest, SpeakerRole.SPEAKER), (moderator, SpeakerRole.MODERATOR)],
              summary="" if upcoming else "Die Fragen drehten sich vor allem um Aufwand, Kosten und die Übertragbarkeit."),
    ]  # fmt: skip
    _create_program(event, items, topics)
    eligible = [m for m in cast.members_on(day) if m.is_active or not upcoming]
    people = rng.sample(eligible, min(len(eligible), rng.randint(12, 30) if not upcoming else 14))
    _register(
        event,
        people,
        rng,
        online_share=1.0,
        checked_in=False,
        queued_before=datetime.datetime.combine(day, datetime.time(0), BERLIN)
        - datetime.timedelta(days=3 if not upcoming else 10),
    )


def _seed_regional(spec: RegionalSpec, cast: _Cast) -> None:
    slug = spec["slug"]
    rng = random.Random(slug)  # noqa: S311 - demo data
    day = spec["starts_on"]
    topics = [cast.topics[s] for s in spec["topics"] if s in cast.topics]
    upcoming = day >= timezone.localdate()
    south = Q(municipality__ags__startswith="08") | Q(municipality__ags__startswith="09")
    southern = set(
        User.objects.filter(south, pk__in=[m.pk for m in cast.members]).values_list("pk", flat=True)
    )
    eligible = [
        m for m in cast.members_on(day) if m.pk in southern and (m.is_active or not upcoming)
    ]
    # The upcoming meeting is full with a waitlist of six; the past one had room to spare.
    capacity = min(30, len(eligible) - 6) if upcoming else 40
    people = rng.sample(eligible, capacity + 6 if upcoming else min(len(eligible), 24))
    if upcoming and cast.demo_member not in people:
        # The demo member (Heidelberg) has a place, so their allocated workshop shows.
        people[0] = cast.demo_member
    event = _create_event(
        topics=topics,
        title=f"Regionaltreffen Süd {day.year}",
        slug=slug,
        leitgedanke=spec["leitgedanke"],
        description="Ein Tag für die Mitglieder aus Baden-Württemberg und Bayern: "
        "voneinander lernen, Projekte besuchen, Kontakte knüpfen.",
        starts_on=day,
        ends_on=day,
        mode=EventMode.ONSITE,
        state=EventState.FULL if upcoming else EventState.CLOSED,
        visibility=Visibility.MEMBERS,
        venue_name=spec["venue"],
        venue_address=spec["address"],
        city=spec["city"],
        capacity=capacity,
        registration_deadline=(
            datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time(12), BERLIN)
            if upcoming
            else None
        ),
    )
    host, talk, first, second = rng.sample(cast.speakers_on(day), 4)
    items = [
        _Item(SessionKind.TALK, "Begrüßung", 0, (10, 0), (10, 30), "Saal", speakers=[(host, SpeakerRole.SPEAKER)]),
        _Item(SessionKind.TALK, f"Aus der Praxis: {spec['leitgedanke']}", 0, (10, 30), (12, 0), "Saal",
              speakers=[(talk, SpeakerRole.SPEAKER)]),
        _Item(SessionKind.BREAK, "Mittagessen", 0, (12, 0), (13, 0), "Foyer"),
        _Item(SessionKind.WORKSHOP, "Erfahrungen austauschen", 0, (13, 0), (15, 0), "Raum 1", capacity=15,
              speakers=[(first, SpeakerRole.MODERATOR)]),
        _Item(SessionKind.WORKSHOP, "Gemeinsame Vorhaben planen", 0, (13, 0), (15, 0), "Raum 2", capacity=15,
              speakers=[(second, SpeakerRole.MODERATOR)]),
        _Item(SessionKind.TALK, "Abschluss", 0, (15, 0), (15, 30), "Saal", speakers=[(host, SpeakerRole.SPEAKER)]),
    ]  # fmt: skip
    _create_program(event, items, topics)
    waiting = max(len(people) - capacity, 0) if upcoming else 0
    _register(
        event,
        people,
        rng,
        online_share=0.0,
        checked_in=not upcoming,
        queued_before=datetime.datetime.combine(day, datetime.time(0), BERLIN)
        - datetime.timedelta(days=20),
        waitlisted=waiting,
    )
