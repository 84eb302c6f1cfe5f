"""What each kind of content gives the search index, and who may find it.

Every source mirrors the page its documents link to: a document's audience
is exactly who may open that page (``core.access`` and the app's selectors),
and it holds only what that audience sees there. A field that only a narrower
audience sees (an optional profile field its owner does not share, a contact
person named to members only on a public pilot) stays out of the index, and
so do e-mail addresses, telephone numbers and anything only the office notes.

Per-object rules are ``Audience.RESTRICTED``: ``restricted_ids`` runs the
app's own visibility query at search time, so a registration, an invitation,
a group membership or a publish date that has passed counts at once, without
re-indexing. The office finds everything (the engine lets staff through).

Topic names stand in the text of everything that carries them (a topic page
is not a document of its own), so a renamed topic re-indexes its objects.

The facet "Stand/Phase" (``stage``) means per kind: an idea's stage, a pilot's
state, an event's registration state, a publication's kind; people,
municipalities, sessions and articles have none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.core import access
from innoclub.core.access import AnyUser, Visibility
from innoclub.core.markdown import markdown_text
from innoclub.events.models import (
    Event,
    EventSeries,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
)
from innoclub.events.selectors import events_visible
from innoclub.ideas.models import Idea
from innoclub.network.models import FederalState, Function, Municipality, Profile, Topic
from innoclub.news.models import Article, Publication
from innoclub.pilots.models import PilotParticipant, PilotProject
from innoclub.search.documents import Document, Source, register
from innoclub.search.models import Audience, Kind


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _topics(obj: Any) -> tuple[str, ...]:
    """Topic slugs of an object whose ``topics`` are prefetched."""
    return tuple(sorted(topic.slug for topic in obj.topics.all()))


def _topic_names(obj: Any) -> str:
    return ", ".join(sorted(topic.name for topic in obj.topics.all()))


def _land(municipality: Municipality | None) -> str:
    return municipality.state if municipality is not None else ""


def _place(municipality: Municipality | None) -> str:
    if municipality is None:
        return ""
    return f"{municipality.name} ({FederalState(municipality.state).label})"


# --- Members and external partners ------------------------------------------
# The profile page (network.selectors.profile_for_viewer) opens for members
# and the office, for active members and guests only. Members find people in
# the directory (``in_directory``, not left), exactly as the directory lists
# them; everybody else is found by the office only, who may open every
# profile. Optional fields count only where the owner shares them with
# members; e-mail and telephone never.


def _profiles() -> QuerySet[Profile]:
    return Profile.objects.select_related("user__municipality").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def _member_summary(profile: Profile, person: User) -> str:
    if person.is_guest:
        sector = profile.get_sector_display() if profile.sector else ""
        return ", ".join(part for part in (profile.position, profile.organisation, sector) if part)
    function = str(Function(profile.function).label) if profile.function else ""
    role = ", ".join(part for part in (function, profile.position) if part)
    return ", ".join(part for part in (role, _place(person.municipality)) if part)


def member_document(profile: Profile) -> Document | None:
    person = profile.user
    if not person.is_active or person.role not in (Role.MEMBER, Role.GUEST):
        return None
    listed = profile.in_directory and profile.left_on is None
    name = person.get_full_name()
    title = f"{profile.academic_title} {name}".strip() if profile.academic_title else name
    shared = [
        getattr(profile, field)
        for field in ("can_help_with", "looking_for", "bio")
        if profile.shows(field)
    ]
    municipality = person.municipality
    return Document(
        kind=Kind.MEMBER,
        object_id=profile.pk,
        audience=Audience.MEMBERS if listed else Audience.STAFF,
        title=title or str(person.get_role_display()),
        url=reverse("network:profile", args=[person.pk]),
        summary=_member_summary(profile, person),
        body=_join(profile.organisation, _topic_names(profile), *shared),
        names=" ".join(part for part in (name, municipality.name if municipality else "") if part),
        topics=_topics(profile),
        land=_land(municipality),
    )


register(
    Source(
        kind=Kind.MEMBER,
        model=Profile,
        queryset=_profiles,
        document=member_document,
        dependents={
            # Name, role, activity and municipality live on the account.
            User: lambda user: _profiles().filter(user=user),
            Topic: lambda topic: _profiles().filter(topics=topic),
            Municipality: lambda place: _profiles().filter(user__municipality=place),
        },
    )
)


# --- Municipalities -----------------------------------------------------------
# Every municipality has a public page (/kommunen/<ags>/); the people listed
# there are found through their own documents.


def municipality_document(municipality: Municipality) -> Document:
    return Document(
        kind=Kind.MUNICIPALITY,
        object_id=municipality.pk,
        audience=Audience.PUBLIC,
        title=municipality.name,
        url=reverse("network:municipality", args=[municipality.ags]),
        summary=f"{municipality.get_kind_display()}, {FederalState(municipality.state).label}",
        body=municipality.ags,
        names=municipality.name,
        land=municipality.state,
    )


register(
    Source(
        kind=Kind.MUNICIPALITY,
        model=Municipality,
        queryset=lambda: Municipality.objects.all(),
        document=municipality_document,
    )
)


# --- Events and their sessions ------------------------------------------------
# ``events.selectors.events_visible``: by level, and an event for members or
# for participants also for everybody invited to it or registered for it. A
# session is visible with its event.


def _event_audience(event: Event) -> Audience:
    if event.visibility == Visibility.PUBLIC:
        return Audience.PUBLIC
    if event.visibility == Visibility.STAFF:
        return Audience.STAFF
    # Members, plus invited and registered guests: decided per person at search time.
    return Audience.RESTRICTED


def _events() -> QuerySet[Event]:
    return Event.objects.select_related("series").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def event_document(event: Event) -> Document:
    numbered = f"{event.number}. {event.series.name}" if event.series and event.number else ""
    venue = (
        ", ".join(part for part in (event.venue_name, event.venue_address, event.city) if part)
        if event.has_onsite_part
        else ""
    )
    return Document(
        kind=Kind.EVENT,
        object_id=event.pk,
        audience=_event_audience(event),
        title=event.title,
        url=reverse("events:detail", args=[event.slug]),
        summary=event.leitgedanke,
        body=_join(numbered, venue, _topic_names(event), markdown_text(event.description)),
        names=event.city if event.has_onsite_part else "",
        topics=_topics(event),
        stage=event.state,
        year=event.starts_on.year,
    )


register(
    Source(
        kind=Kind.EVENT,
        model=Event,
        queryset=_events,
        document=event_document,
        restricted_ids=lambda user: events_visible(user).values("pk"),
        dependents={
            EventSeries: lambda series: _events().filter(series=series),
            Topic: lambda topic: _events().filter(topics=topic),
        },
    )
)


def _sessions() -> QuerySet[Session]:
    appearances = SessionSpeaker.objects.select_related("speaker").order_by(
        "role", "position", "id"
    )
    return Session.objects.select_related("event").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch("appearances", queryset=appearances),
    )


def session_document(session: Session) -> Document | None:
    if session.kind == SessionKind.BREAK:
        return None  # coffee and lunch are no content to find
    event = session.event
    people = [appearance.speaker for appearance in session.appearances.all()]
    speakers = [
        ", ".join(part for part in (person.name, person.position, person.organisation) if part)
        for person in people
    ]
    return Document(
        kind=Kind.SESSION,
        object_id=session.pk,
        audience=_event_audience(event),
        title=session.title,
        url=reverse("events:session", args=[event.slug, session.slug]),
        summary=_join(
            f"{session.get_kind_display()} · {event.title}", markdown_text(session.description)
        ),
        body=_join(
            *speakers,
            _topic_names(session),
            markdown_text(session.summary),
            markdown_text(session.results),
        ),
        names=" ".join(
            [person.name for person in people] + ([event.city] if event.has_onsite_part else [])
        ),
        topics=_topics(session),
        year=timezone.localtime(session.starts_at).year,
    )


register(
    Source(
        kind=Kind.SESSION,
        model=Session,
        queryset=_sessions,
        document=session_document,
        restricted_ids=lambda user: Session.objects.filter(
            event__in=events_visible(user).values("pk")
        ).values("pk"),
        dependents={
            # Visibility, title and city of the event are part of its sessions' documents.
            Event: lambda event: _sessions().filter(event=event),
            SessionSpeaker: lambda appearance: _sessions().filter(pk=appearance.session_id),
            Speaker: lambda speaker: _sessions().filter(appearances__speaker=speaker),
            Topic: lambda topic: _sessions().filter(topics=topic),
        },
    )
)


# --- Ideas --------------------------------------------------------------------
# ``access.ideas_visible_condition``: public, members, a named group, and
# always the authors and the evaluators. Anything but public is decided per
# person at search time (a guest may author or evaluate a members' idea).
# Authors are named as the idea page names them: to visitors only if they
# agreed to public listing, to everyone signed in always.


def _ideas() -> QuerySet[Idea]:
    return Idea.objects.select_related("municipality").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch(
            "authors",
            queryset=User.objects.select_related("profile").order_by("last_name", "first_name"),
        ),
    )


def _named_authors(idea: Idea, *, public: bool) -> list[str]:
    names = []
    for person in idea.authors.all():
        if person.erased_at is not None:  # "former member" is nobody to search for
            continue
        if public:
            profile = access.profile_of(person)
            if profile is None or not profile.public_listing:
                continue
        if person.get_full_name():
            names.append(person.get_full_name())
    return names


def _restricted_ideas(user: AnyUser) -> QuerySet[Any]:
    """The ideas that are not public and ``user`` may see. Only those are
    restricted documents, so only those are asked for."""
    return (
        Idea.objects.exclude(visibility=Visibility.PUBLIC)
        .filter(access.ideas_visible_condition(user))
        .values("pk")
    )


def idea_document(idea: Idea) -> Document:
    public = idea.visibility == Visibility.PUBLIC
    authors = _named_authors(idea, public=public)
    municipality = idea.municipality
    concept = [markdown_text(getattr(idea, name)) for name in Idea.CONCEPT_FIELDS]
    return Document(
        kind=Kind.IDEA,
        object_id=idea.pk,
        audience=Audience.PUBLIC if public else Audience.RESTRICTED,
        title=idea.title,
        url=reverse("ideas:detail", args=[idea.pk]),
        summary=markdown_text(idea.problem),
        body=_join(
            markdown_text(idea.proposal),
            ", ".join(authors),
            _place(municipality),
            _topic_names(idea),
            markdown_text(idea.context),
            *concept,
        ),
        names=" ".join([*authors, municipality.name if municipality else ""]),
        topics=_topics(idea),
        stage=idea.stage,
        land=_land(municipality),
        year=timezone.localtime(idea.created_at).year,
    )


register(
    Source(
        kind=Kind.IDEA,
        model=Idea,
        queryset=_ideas,
        document=idea_document,
        restricted_ids=_restricted_ideas,
        dependents={
            User: lambda user: _ideas().filter(authors=user),
            # Public listing decides whether a public idea names its author.
            Profile: lambda profile: _ideas().filter(authors=profile.user_id),
            Municipality: lambda place: _ideas().filter(municipality=place),
            Topic: lambda topic: _ideas().filter(topics=topic),
        },
    )
)


# --- Pilot projects -----------------------------------------------------------
# Public or for members (``pilots.selectors.pilots_visible``). Contact people
# are named as the pilot page names them (``access.may_see_contact``): on a
# members' pilot all active ones, on a public pilot only those who agreed to
# public listing.


def _pilots() -> QuerySet[PilotProject]:
    return PilotProject.objects.select_related("lead_municipality").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch(
            "participants",
            queryset=PilotParticipant.objects.select_related("municipality").order_by(
                "municipality__name"
            ),
        ),
        Prefetch(
            "contacts",
            queryset=User.objects.filter(is_active=True)
            .select_related("profile")
            .order_by("last_name", "first_name", "pk"),
            to_attr="active_contacts",
        ),
    )


def _contacts(pilot: PilotProject, *, public: bool) -> list[str]:
    # Prefetched by ``_pilots``; a single pilot saved elsewhere reads them here.
    people: Iterable[User] = (
        pilot.active_contacts
        if hasattr(pilot, "active_contacts")
        else pilot.contacts.filter(is_active=True).select_related("profile")
    )
    names = []
    for person in people:
        profile = access.profile_of(person)
        listed = bool(profile and profile.public_listing)
        if public and not listed:
            continue
        if person.get_full_name():  # never the e-mail address the page falls back to
            names.append(person.get_full_name())
    return names


def pilot_document(pilot: PilotProject) -> Document:
    public = pilot.visibility == Visibility.PUBLIC
    lead = pilot.lead_municipality
    participants = list(pilot.participants.all())
    contacts = _contacts(pilot, public=public)
    places = [participant.municipality.name for participant in participants]
    return Document(
        kind=Kind.PILOT,
        object_id=pilot.pk,
        audience=Audience.PUBLIC if public else Audience.MEMBERS,
        title=pilot.title,
        url=reverse("pilots:detail", kwargs={"slug": pilot.slug}),
        summary=markdown_text(pilot.summary),
        body=_join(
            _place(lead),
            *(f"{_place(p.municipality)}: {p.role}" for p in participants),
            ", ".join(contacts),
            _topic_names(pilot),
            markdown_text(pilot.results),
            markdown_text(pilot.lessons_learned),
        ),
        names=" ".join([lead.name if lead else "", *places, *contacts]),
        topics=_topics(pilot),
        stage=pilot.state,
        land=_land(lead),
        year=pilot.starts_on.year if pilot.starts_on else None,
    )


register(
    Source(
        kind=Kind.PILOT,
        model=PilotProject,
        queryset=_pilots,
        document=pilot_document,
        dependents={
            PilotParticipant: lambda participant: _pilots().filter(pk=participant.pilot_id),
            User: lambda user: _pilots().filter(contacts=user),
            Profile: lambda profile: _pilots().filter(contacts=profile.user_id),
            Municipality: lambda place: (
                _pilots()
                .filter(Q(lead_municipality=place) | Q(participants__municipality=place))
                .distinct()
            ),
            Topic: lambda topic: _pilots().filter(topics=topic),
        },
    )
)


# --- News and publications ----------------------------------------------------
# ``news.selectors``: published articles for everyone; drafts for the office,
# who may open them as a preview. A scheduled article becomes public when its
# date passes, with no write to notice it: its document is public with
# ``visible_from`` set to the publish date, which the search compares with now.


def _articles() -> QuerySet[Article]:
    return Article.objects.select_related("author").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def article_document(article: Article) -> Document:
    published = article.published_at
    audience = Audience.STAFF if published is None else Audience.PUBLIC
    author = (
        article.author.get_full_name() if article.author and not article.author.erased_at else ""
    )
    return Document(
        kind=Kind.ARTICLE,
        object_id=article.pk,
        audience=audience,
        title=article.title,
        url=reverse("news:detail", args=[article.slug]),
        summary=article.teaser,
        body=_join(author, _topic_names(article), markdown_text(article.body)),
        names=author,
        topics=_topics(article),
        year=timezone.localtime(published).year if published else None,
        dated=published,
        visible_from=published,
    )


register(
    Source(
        kind=Kind.ARTICLE,
        model=Article,
        queryset=_articles,
        document=article_document,
        dependents={
            User: lambda user: _articles().filter(author=user),
            Topic: lambda topic: _articles().filter(topics=topic),
        },
    )
)


def _publications() -> QuerySet[Publication]:
    return Publication.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def publication_document(publication: Publication) -> Document:
    return Document(
        kind=Kind.PUBLICATION,
        object_id=publication.pk,
        audience=Audience.PUBLIC,
        title=publication.title,
        url=reverse("news:publication", args=[publication.slug]),
        summary=markdown_text(publication.abstract),
        body=_join(
            publication.authors,
            publication.container_title,
            publication.publisher,
            _topic_names(publication),
        ),
        names=publication.authors,
        topics=_topics(publication),
        stage=publication.kind,
        year=publication.year,
    )


register(
    Source(
        kind=Kind.PUBLICATION,
        model=Publication,
        queryset=_publications,
        document=publication_document,
        dependents={Topic: lambda topic: _publications().filter(topics=topic)},
    )
)
