"""The state machine of the idea forge: which step may follow which, the history it
leaves, the pilot project at the Pilot stage, and who hears of a step."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innoclub.ideas.models import (
    PIPELINE,
    Follow,
    Idea,
    Notification,
    NotificationKind,
    Stage,
    StageChange,
)
from innoclub.ideas.services import idea_move_to_stage
from innoclub.ideas.stages import TRANSITIONS, may_follow, next_stages
from innoclub.pilots.models import PilotProject
from tests.factories import MemberFactory, StaffFactory
from tests.ideas_factories import IdeaFactory

pytestmark = pytest.mark.django_db

READY = {"goals": "Wartezeiten halbieren.", "success_criteria": "Weniger als 7 Tage Wartezeit."}

WALK = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def history(idea: Idea) -> list[tuple[str, str]]:
    return list(
        StageChange.objects.filter(idea=idea)
        .order_by("changed_at", "id")
        .values_list("from_stage", "to_stage")
    )


# --- The transition table ----------------------------------------------------------


def test_every_stage_has_its_successors_and_transfer_ends_the_line():
    assert set(TRANSITIONS) == set(Stage.values)
    assert next_stages(Stage.TRANSFER) == ()
    assert all(stage != following for stage in Stage.values for following in TRANSITIONS[stage])
    # The main line runs forward one step at a time.
    for earlier, later in itertools.pairwise(PIPELINE):
        assert may_follow(earlier, later)
        assert not may_follow(earlier, PIPELINE[-1]) or later == PIPELINE[-1]


# --- Random walks ----------------------------------------------------------------


@WALK
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(Stage.values), st.booleans()), min_size=1, max_size=12
    ),
    ready=st.booleans(),
)
def test_random_walks_keep_the_history_consistent(db, steps, ready):
    """Allowed steps are taken, forbidden ones refused without a trace; the history
    is always a chain that ends in the idea's stage."""
    with transaction.atomic():
        staff = StaffFactory()
        idea = IdeaFactory(**(READY if ready else {}))
        for to_stage, with_reason in steps:
            before = (idea.stage, len(history(idea)), PilotProject.objects.count())
            rationale = "Weil es weitergehen soll." if with_reason else "   "
            allowed = may_follow(idea.stage, to_stage) and with_reason
            needs_concept = to_stage == Stage.PILOT and not ready
            if allowed and not needs_concept:
                change = idea_move_to_stage(
                    idea=idea, to_stage=to_stage, rationale=rationale, by=staff
                )
                assert (change.from_stage, change.to_stage) == (before[0], to_stage)
                assert change.rationale == "Weil es weitergehen soll."
            else:
                with pytest.raises(ValidationError):
                    idea_move_to_stage(idea=idea, to_stage=to_stage, rationale=rationale, by=staff)
                stored = Idea.objects.get(pk=idea.pk)
                assert (stored.stage, len(history(idea)), PilotProject.objects.count()) == before

            stored = Idea.objects.get(pk=idea.pk)
            chain = history(idea)
            assert chain[0] == ("", Stage.IDEA)
            for (_before, previous_to), (following_from, _to) in itertools.pairwise(chain):
                assert following_from == previous_to
            assert stored.stage == chain[-1][1] == idea.stage
            assert all(may_follow(a, b) for a, b in chain[1:])
            # An idea that has been in the pilot keeps its pilot project.
            assert (stored.pilot_id is not None) == any(b == Stage.PILOT for _a, b in chain)
        transaction.set_rollback(True)


# --- The step to Pilot ----------------------------------------------------------


def concept_idea(**changes):
    staff = StaffFactory()
    idea = IdeaFactory(title="Digitale Bauakte", **{**READY, **changes})
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Gut ausgearbeitet.", by=staff)
    return idea


def test_the_pilot_needs_goals_and_success_criteria(staff):
    idea = concept_idea(goals="", success_criteria="")

    with pytest.raises(ValidationError) as refusal:
        idea_move_to_stage(idea=idea, to_stage=Stage.PILOT, rationale="Los geht's.", by=staff)

    assert refusal.value.messages == [
        "Vor dem Pilot braucht das Konzept noch: Ziele, Erfolgskriterien."
    ]
    idea.refresh_from_db()
    assert idea.stage == Stage.CONCEPT
    assert idea.pilot is None
    assert PilotProject.objects.count() == 0


def test_a_forbidden_step_is_refused_in_german_and_changes_nothing(staff):
    idea = IdeaFactory()

    with pytest.raises(ValidationError) as refusal:
        idea_move_to_stage(idea=idea, to_stage=Stage.TRANSFER, rationale="Sofort!", by=staff)

    assert refusal.value.messages == [
        "Eine Idee in der Phase „Idee“ kann nicht in die Phase „Transfer“ wechseln."
    ]
    assert history(idea) == [("", Stage.IDEA)]


def test_moving_to_pilot_creates_a_pilot_project_linked_both_ways(staff):
    idea = concept_idea()

    idea_move_to_stage(
        idea=idea, to_stage=Stage.PILOT, rationale="Drei Kommunen machen mit.", by=staff
    )

    pilot = PilotProject.objects.get()
    idea.refresh_from_db()
    assert pilot.title == "Digitale Bauakte"
    assert pilot.created_by == staff
    assert idea.pilot == pilot
    assert list(pilot.ideas.all()) == [idea]


def test_moving_to_pilot_can_name_the_new_pilot_project(staff):
    idea = concept_idea()

    idea_move_to_stage(
        idea=idea,
        to_stage=Stage.PILOT,
        rationale="Start im Herbst.",
        by=staff,
        pilot_title="Bauakte digital – Pilot Nordhessen",
    )

    idea.refresh_from_db()
    assert idea.pilot.title == "Bauakte digital – Pilot Nordhessen"


def test_moving_to_pilot_can_link_an_existing_pilot_project(staff):
    running = PilotProject.objects.create(title="Bauakte digital", slug="bauakte-digital")
    idea = concept_idea()

    idea_move_to_stage(
        idea=idea, to_stage=Stage.PILOT, rationale="Passt zum Pilot.", by=staff, pilot=running
    )

    idea.refresh_from_db()
    assert PilotProject.objects.count() == 1
    assert idea.pilot == running
    assert list(running.ideas.all()) == [idea]


# --- Who hears of a step ----------------------------------------------------------


def test_authors_and_followers_are_notified_of_a_step_but_not_the_mover(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    author = MemberFactory(email="autorin@example.org")
    follower = MemberFactory(email="folgt@example.org")
    idea = IdeaFactory(authors=[author])
    Follow.objects.create(idea=idea, user=follower)
    Follow.objects.create(idea=idea, user=staff)

    with django_capture_on_commit_callbacks(execute=True):
        change = idea_move_to_stage(
            idea=idea, to_stage=Stage.CONCEPT, rationale="Bitte Ziele ergänzen.", by=staff
        )

    notified = Notification.objects.filter(kind=NotificationKind.STAGE, stage_change=change)
    assert set(notified.values_list("recipient__email", flat=True)) == {
        "autorin@example.org",
        "folgt@example.org",
    }
    assert sorted(message.to[0] for message in mailoutbox) == [
        "autorin@example.org",
        "folgt@example.org",
    ]
