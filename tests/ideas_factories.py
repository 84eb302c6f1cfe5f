"""Factories of the idea forge. ``IdeaFactory`` builds what ``idea_create`` would:
the idea, its authors (default: one new member) and the first history entry."""

from __future__ import annotations

import factory
from django.db.models import F

from innoclub.core.access import Visibility
from innoclub.ideas.models import (
    Comment,
    Criterion,
    EvaluationAssignment,
    Idea,
    IdeaGroup,
    Kind,
    Stage,
    StageChange,
)
from tests.factories import MemberFactory


class IdeaGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Arbeitskreis {n + 1}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class IdeaFactory(factory.django.DjangoModelFactory):
    """A members' idea in the stage Idee by one new member."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Digitale Sprechstunde im Rathaus {n + 1}")
    problem = "Bürger:innen warten wochenlang auf einen Termin."
    proposal = "Eine **Videosprechstunde** mit festen Zeiten."
    kind = Kind.TECHNICAL
    visibility = Visibility.MEMBERS
    stage = Stage.IDEA

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        if not create:
            return
        people = list(extracted) if extracted else [MemberFactory()]
        obj.authors.set(people)
        if obj.created_by_id is None:
            obj.created_by = people[0]
            obj.save(update_fields=["created_by"])
        StageChange.objects.create(
            idea=obj, from_stage="", to_stage=obj.stage, changed_by=people[0]
        )

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    """A visible comment; keeps the idea's comment count true."""

    class Meta:
        model = Comment
        skip_postgeneration_save = True

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(MemberFactory)
    body = "Haben wir 2023 ähnlich gemacht, gern tauschen wir uns aus."

    @factory.post_generation
    def count(obj, create, extracted, **kwargs):
        if create and obj.hidden_at is None:
            Idea.objects.filter(pk=obj.idea_id).update(comment_count=F("comment_count") + 1)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kriterium {n + 1}")
    weight = 1


class EvaluationAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationAssignment

    idea = factory.SubFactory(IdeaFactory)
    evaluator = factory.SubFactory(MemberFactory)


class SupportFactory(factory.django.DjangoModelFactory):
    """ "Ich unterstütze" by a member; keeps the idea's support count true."""

    class Meta:
        model = "ideas.Support"
        skip_postgeneration_save = True

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(MemberFactory)

    @factory.post_generation
    def count(obj, create, extracted, **kwargs):
        if create:
            Idea.objects.filter(pk=obj.idea_id).update(support_count=F("support_count") + 1)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Follow"

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(MemberFactory)


class PilotInterestFactory(factory.django.DjangoModelFactory):
    """ "Wir würden mitmachen" from the municipality of a new member."""

    class Meta:
        model = "ideas.PilotInterest"

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(MemberFactory)
    municipality = factory.LazyAttribute(lambda o: o.user.municipality)
    note = "Unser Bürgeramt wäre dabei."
