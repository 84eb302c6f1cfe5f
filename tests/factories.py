from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from innoclub.accounts.models import Role, User
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
