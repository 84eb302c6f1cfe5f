"""The idea forge demo: about 150 ideas in every stage, consistent as the services keep them."""

from __future__ import annotations

import datetime
import io
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Model, Q
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.core.access import ideas_visible_condition
from innoclub.events.models import SessionKind
from innoclub.ideas.models import (
    GROUP,
    Comment,
    Criterion,
    EvaluationAssignment,
    Follow,
    Idea,
    IdeaGroup,
    Kind,
    Notification,
    NotificationSetting,
    PilotInterest,
    Score,
    Stage,
    StageChange,
    Support,
)
from innoclub.ideas.stages import may_follow
from innoclub.network.models import Topic
from innoclub.pilots.models import PilotProject

pytestmark = pytest.mark.django_db

ME = "mitglied@demo.innoclub.de"


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module inside a transaction rolled back at its end.

    Each test runs in a savepoint within it (pytest-django's ``db``), as with
    Django's ``setUpTestData``; the seed takes seconds, the checks do not.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--force", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _row_counts() -> list[int]:
    models: list[type[Model]] = [Idea, StageChange, PilotProject, Comment, Support, Follow]
    models += [PilotInterest, EvaluationAssignment, Score, Notification, NotificationSetting]
    models += [IdeaGroup, Criterion]
    return [model._default_manager.count() for model in models]


def test_about_150_ideas_cover_every_stage_topic_and_kind(seeded: None) -> None:
    ideas = Idea.objects.all()
    stages = Counter(ideas.values_list("stage", flat=True))

    assert ideas.count() == 150
    assert stages == {
        Stage.IDEA: 60,
        Stage.CONCEPT: 35,
        Stage.PILOT: 20,
        Stage.TRANSFER: 10,
        Stage.DEFERRED: 15,
        Stage.REJECTED: 10,
    }
    assert set(ideas.values_list("kind", flat=True)) == set(Kind.values)
    assert set(ideas.values_list("topics__slug", flat=True)) == set(
        Topic.objects.values_list("slug", flat=True)
    )
    assert len(set(ideas.values_list("title", flat=True))) == 150
    assert not ideas.filter(municipality=None).exists()
    public = ideas.filter(visibility="public").count()
    assert 35 <= public <= 55
    assert 3 <= ideas.filter(visibility=GROUP).count() <= 6


def test_the_first_author_gives_the_municipality(seeded: None) -> None:
    for idea in Idea.objects.prefetch_related("authors").select_related("created_by"):
        authors = list(idea.authors.all())
        assert 1 <= len(authors) <= 3
        assert idea.created_by in authors
        assert idea.municipality_id == idea.created_by.municipality_id


def test_counters_equal_the_rows_they_count(seeded: None) -> None:
    ideas = Idea.objects.annotate(
        supports_counted=Count("supports", distinct=True),
        comments_counted=Count("comments", filter=Q(comments__hidden_at=None), distinct=True),
    )

    assert [(i.pk, i.support_count, i.comment_count) for i in ideas] == [
        (i.pk, i.supports_counted, i.comments_counted) for i in ideas
    ]
    assert max(i.support_count for i in ideas) <= 40
    assert max(Counter(Comment.objects.values_list("idea_id", flat=True)).values()) <= 12
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert not Comment.objects.filter(parent__parent__isnull=False).exists()


def test_every_history_is_a_path_through_the_state_machine_to_the_current_stage(
    seeded: None,
) -> None:
    histories: dict[int, list[StageChange]] = {}
    for change in StageChange.objects.order_by("changed_at", "id"):
        histories.setdefault(change.idea_id, []).append(change)
    now = timezone.now()

    for idea in Idea.objects.all():
        history = histories[idea.pk]
        assert (history[0].from_stage, history[0].to_stage) == ("", Stage.IDEA)
        assert history[0].changed_at == idea.created_at
        for before, after in itertools.pairwise(history):
            assert after.from_stage == before.to_stage
            assert may_follow(after.from_stage, after.to_stage)
            assert after.rationale != ""
            assert before.changed_at < after.changed_at < now
        assert history[-1].to_stage == idea.stage
        assert history[-1].changed_at == idea.stage_changed_at


def test_ideas_from_pilot_on_have_a_concept_and_a_pilot_project(seeded: None) -> None:
    piloted = Idea.objects.filter(stage__in=[Stage.PILOT, Stage.TRANSFER]).select_related("pilot")
    in_concept = Idea.objects.filter(stage=Stage.CONCEPT)

    assert piloted.count() == 30
    for idea in piloted:
        assert idea.pilot is not None
        assert idea.goals != "" and idea.success_criteria != ""
        expected = "public" if idea.visibility == "public" else "members"
        assert idea.pilot.visibility == expected
        assert idea.pilot.lead_municipality_id == idea.municipality_id
    assert set(piloted.filter(stage=Stage.TRANSFER).values_list("pilot__state", flat=True)) == {
        "abgeschlossen"
    }
    assert all(idea.goals != "" for idea in in_concept)
    assert in_concept.filter(risks="").exists()  # concepts still being written have gaps
    never_piloted = Idea.objects.exclude(stage_changes__to_stage=Stage.PILOT)
    assert not never_piloted.filter(pilot__isnull=False).exists()


def test_about_half_the_ideas_were_born_in_past_forum_sessions(seeded: None) -> None:
    born = Idea.objects.filter(origin_session__isnull=False).select_related("origin_session__event")

    assert 60 <= born.count() <= 90
    for idea in born:
        session = idea.origin_session
        assert session is not None
        assert session.event.series.slug == "deutschlandforum"  # type: ignore[union-attr]
        assert session.kind in (SessionKind.WORKSHOP, SessionKind.PANEL)
        assert session.starts_at < idea.created_at
        assert (idea.created_at - session.starts_at).days <= 10


def test_everyone_who_took_part_could_see_the_idea(seeded: None) -> None:
    people: dict[int, set[int]] = {}
    rows = [
        *Comment.objects.values_list("author_id", "idea_id"),
        *Support.objects.values_list("user_id", "idea_id"),
        *PilotInterest.objects.values_list("user_id", "idea_id"),
        *Follow.objects.values_list("user_id", "idea_id"),
    ]
    for user_id, idea_id in rows:
        people.setdefault(user_id, set()).add(idea_id)

    for user in User.objects.filter(pk__in=people):
        visible = set(
            Idea.objects.filter(ideas_visible_condition(user)).values_list("pk", flat=True)
        )
        assert people[user.pk] <= visible, user.email
    supporters = User.objects.filter(idea_supports__isnull=False).distinct()
    assert set(supporters.values_list("role", flat=True)) == {"member"}


def test_engagement_dates_lie_between_the_idea_and_now(seeded: None) -> None:
    now = timezone.now()
    ideas = {i.pk: i.created_at for i in Idea.objects.all()}

    for model, field in ((Comment, "created_at"), (Support, "created_at"), (Follow, "created_at")):
        for idea_id, at in model.objects.values_list("idea_id", field):
            assert ideas[idea_id] <= at < now
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.created_at > reply.parent.created_at  # type: ignore[union-attr]


def test_the_office_hid_three_comments_with_a_reason(seeded: None) -> None:
    hidden = Comment.objects.filter(hidden_at__isnull=False)

    assert hidden.count() == 3
    assert set(hidden.values_list("hidden_by__email", flat=True)) == {
        "geschaeftsstelle@demo.innoclub.de"
    }
    assert not hidden.filter(hidden_reason="").exists()
    assert not hidden.filter(replies__isnull=False).exists()


def test_evaluations_score_every_criterion_when_submitted(seeded: None) -> None:
    criteria = {c.name: c.weight for c in Criterion.objects.all()}
    evaluations = EvaluationAssignment.objects.annotate(scored=Count("scores"))
    evaluated_concepts = Idea.objects.filter(stage=Stage.CONCEPT, evaluations__isnull=False)

    assert criteria == {"Wirkung": 3, "Übertragbarkeit": 2, "Aufwand": 1}
    assert Criterion.objects.get(name="Aufwand").description == (
        "1 = hoher Aufwand, 5 = geringer Aufwand"
    )
    assert {e.scored for e in evaluations if e.submitted_at} == {3}
    assert {e.scored for e in evaluations if e.submitted_at is None} == {0}
    assert evaluations.filter(submitted_at=None).exists()
    assert evaluated_concepts.distinct().count() >= 20
    assert not EvaluationAssignment.objects.filter(idea__authors=F("evaluator")).exists()


def test_the_demo_member_writes_evaluates_and_is_notified(seeded: None) -> None:
    me = User.objects.get(email=ME)
    guest = User.objects.get(email="gast@demo.innoclub.de")
    mine = Idea.objects.filter(authors=me)
    moved = StageChange.objects.filter(idea__in=mine).exclude(from_stage="")
    notifications = Notification.objects.filter(recipient=me)

    assert mine.count() == 5
    assert {Stage.IDEA, Stage.CONCEPT, Stage.PILOT, Stage.DEFERRED} <= set(
        mine.values_list("stage", flat=True)
    )
    assert moved.filter(to_stage=Stage.DEFERRED).exclude(rationale="").exists()
    assert mine.filter(visibility=GROUP, group__members=me).exists()
    assert sorted(
        e.submitted_at is None for e in EvaluationAssignment.objects.filter(evaluator=me)
    ) == [False, True]
    assert not EvaluationAssignment.objects.filter(evaluator=me, idea__authors=me).exists()
    assert EvaluationAssignment.objects.filter(evaluator=guest, submitted_at=None).count() == 1
    assert {"comment", "stage", "evaluation"} <= set(notifications.values_list("kind", flat=True))
    assert notifications.filter(read_at=None).exists()
    assert notifications.filter(read_at__isnull=False).exists()
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert NotificationSetting.objects.filter(frequency="daily").count() >= 3
    assert mail.outbox == []


def test_seeding_again_creates_nothing_new(seeded: None) -> None:
    before = _row_counts()
    counters = list(Idea.objects.order_by("pk").values_list("support_count", "comment_count"))

    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)

    assert _row_counts() == before
    assert list(Idea.objects.order_by("pk").values_list("support_count", "comment_count")) == (
        counters
    )
    assert "Ideas: 0 created." in out.getvalue()


def test_seeding_days_later_finds_the_ideas_again(
    seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _row_counts()
    later = timezone.now() + datetime.timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)

    call_command("seed_demo", "--force", stdout=io.StringIO())

    assert _row_counts() == before
