from __future__ import annotations

import datetime

import factory
from django.db.models import F
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    EventSeries,
    EventState,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    Speaker,
)
from innoclub.network.models import (
    FederalState,
    Function,
    Municipality,
    Nomination,
    Profile,
    Topic,
)
from innoclub.news.models import Article, Publication, PublicationKind

PASSWORD = "korrekt-Pferd-Batterie-42"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    ags = factory.Sequence(lambda n: f"06{n:06d}")
    state = FederalState.HE
    population = 42000
    latitude = 50.5
    longitude = 8.7


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(UserFactory):
    role = Role.MEMBER
    municipality = factory.SubFactory(MunicipalityFactory)


class GuestFactory(UserFactory):
    role = Role.GUEST


class StaffFactory(UserFactory):
    role = Role.STAFF


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Ein Themenschwerpunkt des Clubs."


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile; ``user`` defaults to a new member."""

    class Meta:
        model = Profile

    user = factory.SubFactory(MemberFactory)
    function = Function.BUERGERMEISTER
    bio = "Seit 2015 im Amt, vorher Kämmerin."
    can_help_with = "Digitale Bürgerdienste"
    looking_for = "Erfahrungen mit Wärmeplanung"
    member_since = factory.LazyFunction(lambda: datetime.date(2019, 5, 1))
    in_directory = True


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    nominated_by = factory.SubFactory(MemberFactory)
    first_name = "Jana"
    last_name = factory.Sequence(lambda n: f"Neumann{n}")
    function = Function.BUERGERMEISTER
    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"kandidatin{n}@example.org")
    reason = "Hat in ihrer Stadt die digitale Bauakte eingeführt."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (yesterday); pass ``published_at=None`` for a draft."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Meldung {n}")
    slug = factory.Sequence(lambda n: f"meldung-{n}")
    teaser = "Ein kurzer Anreißer zur Meldung."
    body = "Ein **Text** mit [Link](https://example.org)."
    author = factory.SubFactory(StaffFactory)
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    kind = PublicationKind.CHAPTER
    title = factory.Sequence(lambda n: f"Publikation {n}")
    slug = factory.Sequence(lambda n: f"publikation-{n}")
    authors = "Alexander Handschuh"
    year = 2024
    container_title = "Kommunale Innovationen"
    abstract = "Ein Werkstattbericht."


# --- Events ----------------------------------------------------------------


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _berlin(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries
        django_get_or_create = ("slug",)

    name = "Deutschlandforum"
    slug = "deutschlandforum"


class EventFactory(factory.django.DjangoModelFactory):
    """An upcoming two-day forum on site with open registration and 100 places."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"{n + 1}. Werkstatt Zukunftskommune")
    slug = factory.Sequence(lambda n: f"werkstatt-{n + 1}")
    leitgedanke = "Mut zur Lücke: Verwaltung neu denken"
    description = "Zwei Tage Austausch unter Kommunen."
    starts_on = factory.LazyFunction(lambda: _in_days(30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=1))
    mode = EventMode.ONSITE
    state = EventState.OPEN
    visibility = Visibility.PUBLIC
    venue_name = "Kongresshaus"
    venue_address = "Am Markt 1, 69117 Heidelberg"
    city = "Heidelberg"
    capacity = 100


class SessionFactory(factory.django.DjangoModelFactory):
    """A one-hour talk at 10:00 on the event's first day."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    kind = SessionKind.TALK
    title = factory.Sequence(lambda n: f"Vortrag {n + 1}: Digitale Verwaltung")
    slug = factory.Sequence(lambda n: f"vortrag-{n + 1}")
    description = "Was in der Praxis trägt."
    starts_at = factory.LazyAttribute(lambda o: _berlin(o.event.starts_on, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    room = "Saal A"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Dr. Petra Sommer {n}")
    slug = factory.Sequence(lambda n: f"petra-sommer-{n}")
    position = "Professorin für Verwaltungswissenschaft"
    organisation = "Universität Speyer"
    bio = "Forscht zu Innovation in Kommunen."
    consent_given_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed on-site registration; keeps the event's place count true."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(MemberFactory)
    status = RegistrationStatus.CONFIRMED
    attendance = Attendance.ONSITE
    queued_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def count_seat(obj, create, extracted, **kwargs):
        if create and obj.status == RegistrationStatus.CONFIRMED and obj.attendance == "onsite":
            Event.objects.filter(pk=obj.event_id).update(seats_taken=F("seats_taken") + 1)
            obj.event.refresh_from_db(fields=["seats_taken"])
