"""Factories of pilot projects and the adoption register. ``AdoptionFactory``
builds what ``adoption_declare`` would: the adoption and its first history entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from innoclub.core.access import Visibility
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    AdoptionStateChange,
    Indicator,
    IndicatorUnit,
    Milestone,
    PilotParticipant,
    PilotProject,
    PilotState,
)
from tests.factories import MemberFactory, MunicipalityFactory


class PilotFactory(factory.django.DjangoModelFactory):
    """A running public pilot led by a new municipality."""

    class Meta:
        model = PilotProject
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Digitales Bürgerbüro {n + 1}")
    slug = factory.Sequence(lambda n: f"digitales-buergerbuero-{n + 1}")
    summary = "Ein Bürgerbüro, das **rund um die Uhr** erreichbar ist."
    lead_municipality = factory.SubFactory(MunicipalityFactory)
    state = PilotState.RUNNING
    visibility = Visibility.PUBLIC
    starts_on = datetime.date(2025, 3, 1)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotParticipant

    pilot = factory.SubFactory(PilotFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "Partnerkommune"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    pilot = factory.SubFactory(PilotFactory)
    title = factory.Sequence(lambda n: f"Meilenstein {n + 1}")
    due_on = datetime.date(2025, 9, 30)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    pilot = factory.SubFactory(PilotFactory)
    name = factory.Sequence(lambda n: f"Anteil online erledigter Anträge {n + 1}")
    unit = IndicatorUnit.PERCENT
    before = Decimal("12.00")
    after = Decimal("58.00")


class AdoptionFactory(factory.django.DjangoModelFactory):
    """An adoption in the state ``state`` declared by a member of the municipality."""

    class Meta:
        model = Adoption
        skip_postgeneration_save = True

    pilot = factory.SubFactory(PilotFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    state = AdoptionState.INTERESTED
    started_on = datetime.date(2025, 6, 1)
    declared_by = factory.SubFactory(
        MemberFactory, municipality=factory.SelfAttribute("..municipality")
    )

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            AdoptionStateChange.objects.create(
                adoption=obj,
                state=obj.state,
                effective_on=obj.implemented_on or obj.given_up_on or obj.started_on,
                changed_by=obj.declared_by,
            )
