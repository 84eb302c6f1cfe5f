"""The large dataset for performance work (issue 12), built at a tiny scale."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max, Model, Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.core.large import (
    DISCUSSION_TITLE,
    DOMAIN,
    FULL,
    MINIMUM,
    SERIES_SLUG,
    benchmark_targets,
    counts_for,
)
from innoclub.events.models import Attendance, Event, Registration, RegistrationStatus, Session
from innoclub.events.selectors import event_next
from innoclub.ideas.models import Comment, Idea, Stage, StageChange, Support
from innoclub.ideas.stages import may_follow
from innoclub.network.models import Municipality
from innoclub.news.models import Article
from innoclub.pilots.models import Adoption, AdoptionState, PilotProject, PilotState

pytestmark = pytest.mark.django_db

SCALE = 0.002
DEMO_MEMBER = "mitglied@demo.innoclub.de"
COUNTED: dict[str, type[Model]] = {
    "municipalities": Municipality,
    "members": User,
    "events": Event,
    "sessions": Session,
    "registrations": Registration,
    "ideas": Idea,
    "comments": Comment,
    "supports": Support,
    "pilots": PilotProject,
    "adoptions": Adoption,
    "articles": Article,
}


@dataclass
class Seeded:
    before: dict[str, int]  # after the demo alone
    after: dict[str, int]
    output: str


def _counts() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in COUNTED.items()}


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Seeded]:
    """The demo, then the large data on top, once for the module, rolled back at its end."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(DEMO_MODE=True, PASSWORD_HASHERS=fast),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        before = _counts()
        output = io.StringIO()
        call_command("seed_large", scale=SCALE, stdout=output)
        yield Seeded(before=before, after=_counts(), output=output.getvalue())
        transaction.set_rollback(True)


def _log_in(email: str) -> Client:
    client = Client()
    response = client.post("/konto/anmelden/", {"username": email, "password": "innoclub-demo"})
    assert response.status_code == 302
    return client


def test_every_count_scales_with_minimums_for_the_special_cases() -> None:
    assert counts_for(1.0) == FULL
    assert (counts_for(0.5).ideas, counts_for(0.5).supports) == (25_000, 150_000)
    tiny = counts_for(0.0001)
    assert (tiny.ideas, tiny.adoptions, tiny.registrations) == (
        MINIMUM.ideas,
        MINIMUM.adoptions,
        MINIMUM.registrations,
    )
    with pytest.raises(ValueError, match="positive"):
        counts_for(0)


def test_the_seed_adds_the_planned_rows_on_top_of_the_demo(seeded: Seeded) -> None:
    planned = counts_for(SCALE)
    added = {name: seeded.after[name] - seeded.before[name] for name in COUNTED}

    assert added == {
        "municipalities": planned.municipalities,
        "members": planned.members,
        "events": planned.events,
        "sessions": planned.events * 60,
        "registrations": planned.registrations,
        "ideas": planned.ideas,
        "comments": planned.comments,
        "supports": planned.supports,
        "pilots": planned.pilots,
        "adoptions": planned.adoptions,
        "articles": planned.articles,
    }
    assert User.objects.filter(email__endswith=f"@{DOMAIN}").count() == planned.members
    assert "Seconds per phase" in seeded.output
    assert "search index" in seeded.output


def test_counters_and_threads_agree_with_their_rows(seeded: Seeded) -> None:
    ideas = Idea.objects.annotate(
        supports_counted=Count("supports", distinct=True),
        comments_counted=Count("comments", filter=Q(comments__hidden_at=None), distinct=True),
    )
    assert [(i.pk, i.support_count, i.comment_count) for i in ideas] == [
        (i.pk, i.supports_counted, i.comments_counted) for i in ideas
    ]
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert not replies.exclude(parent__idea=F("idea")).exists()
    assert not replies.filter(parent__parent__isnull=False).exists()
    assert not replies.filter(created_at__lt=F("parent__created_at")).exists()
    assert not Support.objects.filter(idea__authors=F("user")).exists()


def test_histories_lead_to_the_current_state(seeded: Seeded) -> None:
    large = Idea.objects.filter(created_by__email__endswith=f"@{DOMAIN}")
    paths: dict[int, list[str]] = {}
    for idea_id, from_stage, to_stage in StageChange.objects.filter(idea__in=large).values_list(
        "idea_id", "from_stage", "to_stage"
    ):
        path = paths.setdefault(idea_id, [])
        assert from_stage == (path[-1] if path else "")
        assert not path or may_follow(path[-1], to_stage)
        path.append(to_stage)
    assert {pk: path[-1] for pk, path in paths.items()} == dict(large.values_list("pk", "stage"))
    piloted = large.filter(stage__in=[Stage.PILOT, Stage.TRANSFER])
    assert not piloted.filter(pilot=None).exists()
    assert not piloted.filter(visibility="public").exclude(pilot__visibility="public").exists()

    adoptions = Adoption.objects.filter(declared_by__email__endswith=f"@{DOMAIN}")
    assert adoptions.count() == counts_for(SCALE).adoptions
    for adoption in adoptions.prefetch_related("history"):
        steps = [(change.state, change.effective_on) for change in adoption.history.all()]
        assert steps[0] == (AdoptionState.INTERESTED, adoption.started_on)
        assert steps[-1][0] == adoption.state
        assert [day for _state, day in steps] == sorted(day for _state, day in steps)


def test_places_are_valid_and_events_are_not_overbooked(seeded: Seeded) -> None:
    places = Municipality.objects.order_by("-pk")[: counts_for(SCALE).municipalities]
    for place in places:
        place.clean_fields()  # choices and lengths
        place.clean()  # the key is well-formed for its kind and lies in its Land
    assert {p.kind for p in places} >= {"gemeinde", "stadt"}

    for event in Event.objects.filter(series__slug=SERIES_SLUG):
        confirmed_on_site = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE
        ).count()
        assert event.seats_taken == confirmed_on_site
        assert event.capacity is None or event.seats_taken <= event.capacity


def test_the_special_cases_for_the_benchmark_exist(seeded: Seeded) -> None:
    discussion = Idea.objects.get(title=DISCUSSION_TITLE)
    comments = discussion.comments.all()
    assert discussion.visibility == "public"
    assert (comments.filter(hidden_at=None).count(), comments.count()) == (200, 200)
    assert comments.filter(parent__isnull=False).count() == 50
    elsewhere = Idea.objects.exclude(pk=discussion.pk).aggregate(most=Max("comment_count"))
    assert elsewhere["most"] < 200

    pilots = PilotProject.objects.annotate(adopters=Count("adoptions")).order_by("-adopters")
    top, runner_up = pilots[0], pilots[1]
    assert (top.visibility, top.state) == ("public", PilotState.COMPLETED)
    assert top.adopters >= 300
    assert top.adopters > runner_up.adopters

    forum = event_next(AnonymousUser())
    assert forum is not None
    assert forum.series is not None and forum.series.slug == SERIES_SLUG
    assert forum.starts_on > timezone.localdate()
    sessions = forum.sessions.annotate(speakers=Count("appearances"))
    assert sessions.count() == 60
    assert min(s.speakers for s in sessions) >= 1
    assert forum.registrations.count() >= 450
    assert forum.registrations.get(user__email=DEMO_MEMBER).status == RegistrationStatus.CONFIRMED


def test_the_benchmark_pages_open_for_visitors_and_the_demo_member(seeded: Seeded) -> None:
    targets = benchmark_targets()
    discussion = Idea.objects.get(title=DISCUSSION_TITLE)
    forum = Event.objects.get(slug=targets["next_forum_program"].strip("/").split("/")[-1])
    member = _log_in(DEMO_MEMBER)

    for client in (Client(), member):
        pages = {name: client.get(url) for name, url in targets.items()}
        assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(
            targets, 200
        )
        assert discussion.title in pages["idea_discussion"].content.decode()
        assert f'href="{reverse("ideas:detail", args=[discussion.pk])}"' in (
            pages["idea_list_filtered"].content.decode()
        )
        assert len(pages["next_forum_program"].context["program_days"]) == 2
    registration = member.get(targets["next_forum_program"]).context["registration"]
    assert registration.event == forum

    # Every new member signs in with the demo password too.
    someone = User.objects.filter(email__endswith=f"@{DOMAIN}", is_active=True).first()
    assert someone is not None
    assert _log_in(someone.email).get("/konto/").status_code == 200


def test_search_finds_a_large_idea_by_a_word_of_its_title(seeded: Seeded) -> None:
    invented = Municipality.objects.filter(geonames_id=None, kind="gemeinde").exclude(
        name__contains=" "
    )
    idea = (
        Idea.objects.filter(visibility="public", municipality__in=invented)
        .select_related("municipality")
        .order_by("pk")
    )
    found = next(i for i in idea if i.municipality and i.municipality.name in i.title)
    assert found.municipality is not None

    page = Client().get("/suche/", {"q": found.municipality.name})

    assert page.status_code == 200
    assert f'href="{reverse("ideas:detail", args=[found.pk])}"' in page.content.decode()


def test_a_second_run_adds_nothing(seeded: Seeded, settings: Any) -> None:
    settings.DEMO_MODE = True
    output = io.StringIO()

    call_command("seed_large", scale=SCALE, stdout=output)

    assert _counts() == seeded.after
    assert "already there" in output.getvalue()


def test_the_seed_refuses_outside_demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = False
    before = _counts()

    with pytest.raises(CommandError, match="INNOCLUB_DEMO_MODE"):
        call_command("seed_large", scale=SCALE, stdout=io.StringIO())

    assert _counts() == before
