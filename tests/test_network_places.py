"""Municipalities and topics: public pages that name only who agreed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from innoclub.network.models import Municipality, MunicipalityKind, validate_ags
from tests.factories import (
    EventFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kassel():
    town = MunicipalityFactory(
        name="Kassel",
        ags="06611000",
        state="06",
        kind=MunicipalityKind.KREISFREIE_STADT,
        population=200_000,
    )
    ProfileFactory(
        user=MemberFactory(first_name="Pia", last_name="Public", municipality=town),
        public_listing=True,
    )
    ProfileFactory(
        user=MemberFactory(first_name="Max", last_name="Member", municipality=town),
        public_listing=False,
    )
    ProfileFactory(
        user=MemberFactory(first_name="Otto", last_name="Offline", municipality=town),
        in_directory=False,
    )
    return town


def test_municipality_list_shows_member_counts_of_network_places(anon_client, kassel):
    MunicipalityFactory(name="Leerstadt")

    response = anon_client.get("/kommunen/")
    everything = anon_client.get("/kommunen/?alle=1")

    assert [(m.name, m.member_count) for m in response.context["page"].object_list] == [
        ("Kassel", 3)
    ]
    assert {m.name for m in everything.context["page"].object_list} >= {"Kassel", "Leerstadt"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("?land=06", ["Kassel"]), ("?land=09", []), ("?q=066", ["Kassel"]), ("?art=landkreis", [])],
)
def test_municipality_filters(anon_client, kassel, query, expected):
    assert [
        m.name for m in anon_client.get("/kommunen/" + query).context["page"].object_list
    ] == expected


def test_public_sees_only_members_who_agreed_to_be_named(anon_client, kassel):
    html = anon_client.get("/kommunen/06611000/").content.decode()

    assert "Pia Public" in html
    assert "Max Member" not in html
    assert "Otto Offline" not in html


def test_members_see_the_directory_members_of_a_municipality(member_client, staff_client, kassel):
    member_html = member_client.get("/kommunen/06611000/").content.decode()
    staff_html = staff_client.get("/kommunen/06611000/").content.decode()

    assert "Max Member" in member_html
    assert "Otto Offline" not in member_html
    assert "Otto Offline" in staff_html


def test_unknown_municipality_is_404(anon_client):
    assert anon_client.get("/kommunen/99999999/").status_code == 404


def test_topic_page_names_experts_for_members_and_only_public_ones_for_the_public(
    anon_client, member_client
):
    topic = TopicFactory(name="Energie", slug="energie")
    for first, public in (("Ada", True), ("Bea", False)):
        ProfileFactory(
            user=MemberFactory(first_name=first, last_name="Expertin"), public_listing=public
        ).topics.add(topic)

    public_html = anon_client.get("/themen/energie/").content.decode()
    member_html = member_client.get("/themen/energie/").content.decode()

    assert "Ada Expertin" in public_html
    assert "Bea Expertin" not in public_html
    assert "Bea Expertin" in member_html
    assert anon_client.get("/themen/unbekannt/").status_code == 404


def test_topic_list_marks_archived_topics(anon_client):
    TopicFactory(name="Alt", slug="alt", is_active=False)
    TopicFactory(name="Neu", slug="neu")

    topics = list(anon_client.get("/themen/").context["topics"])

    assert [(t.name, t.is_active) for t in topics] == [("Neu", True), ("Alt", False)]


@pytest.mark.parametrize("count", [1, 5])
def test_place_pages_query_budgets(anon_client, django_assert_max_num_queries, count):
    town = MunicipalityFactory(ags="06611000")
    topic = TopicFactory(slug="energie")
    for _ in range(count):
        ProfileFactory(user=MemberFactory(municipality=town), public_listing=True).topics.add(topic)

    with django_assert_max_num_queries(2):
        anon_client.get("/kommunen/")
    with django_assert_max_num_queries(5):  # + ideas and pilots of the municipality
        anon_client.get("/kommunen/06611000/")
    with django_assert_max_num_queries(1):
        anon_client.get("/themen/")
    for _ in range(count):
        EventFactory().topics.add(topic)
    with django_assert_max_num_queries(7):  # + forums, ideas and pilots on the topic
        anon_client.get("/themen/energie/")


@pytest.mark.parametrize(
    ("ags", "kind", "code"),
    [
        ("0661100", "stadt", "ags_format"),
        ("0661100A", "stadt", "ags_format"),
        ("17000000", "stadt", "ags_state"),
        ("00000000", "stadt", "ags_state"),
        ("06611", "stadt", "ags_length"),
        ("06611000", "landkreis", "ags_length"),
    ],
)
def test_invalid_keys_are_refused_with_a_reason(ags, kind, code):
    with pytest.raises(ValidationError) as refused:
        validate_ags(ags, kind)

    assert refused.value.code == code


def test_valid_keys_pass():
    validate_ags("06611000", "kreisfreie_stadt")
    validate_ags("06633", "landkreis")


def test_the_database_refuses_a_key_outside_its_state():
    with pytest.raises(IntegrityError):
        Municipality.objects.create(name="Falsch", ags="09162000", state="06", kind="stadt")


def test_topic_page_lists_published_news_on_the_topic(anon_client):
    from django.utils import timezone

    from innoclub.news.models import Article

    topic = TopicFactory(name="Energie", slug="energie")
    author = MemberFactory()
    for title, days in (("Solarpark eröffnet", -3), ("Noch geheim", 5)):
        article = Article.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-").replace("ö", "oe"),
            teaser="Kurz",
            body="Text",
            author=author,
            published_at=timezone.now() + datetime.timedelta(days=days),
        )
        article.topics.add(topic)

    html = anon_client.get("/themen/energie/").content.decode()

    assert "Solarpark eröffnet" in html
    assert "Noch geheim" not in html
