"""API: topics and municipalities (public), the members' directory (members and staff)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from innoclub.api.tokens import token_create
from innoclub.network.models import Function, MunicipalityKind, Sector
from tests.conftest import login_client
from tests.factories import (
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    StaffFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def bearer(user, scope: str = "read") -> dict[str, str]:
    _token, plain = token_create(user=user, name="t", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def problem_fields(response) -> list[str]:
    assert response["Content-Type"] == PROBLEM
    return [error["field"] for error in response.json()["errors"]]


# --- Topics ---------------------------------------------------------------------


def test_topics_list_active_ones_first_then_by_name(anon_client):
    TopicFactory(name="Mobilität", slug="mobilitaet")
    TopicFactory(name="Archiv", slug="archiv", is_active=False)
    TopicFactory(name="Bürgerdienste", slug="buergerdienste", description="Online-Anträge")

    body = anon_client.get(f"{API}/topics").json()

    assert [(t["slug"], t["is_active"]) for t in body["items"]] == [
        ("buergerdienste", True),
        ("mobilitaet", True),
        ("archiv", False),
    ]
    assert body["items"][0] == {
        "slug": "buergerdienste",
        "name": "Bürgerdienste",
        "description": "Online-Anträge",
        "is_active": True,
        "url": "/themen/buergerdienste/",
    }
    assert body["count"] == 3


def test_topics_are_paged_with_links_to_the_next_and_previous_page(anon_client):
    for n in range(5):
        TopicFactory(name=f"Thema {n}", slug=f"t-{n}")

    body = anon_client.get(f"{API}/topics?limit=2&offset=2").json()

    assert [t["slug"] for t in body["items"]] == ["t-2", "t-3"]
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert body["next"] == "http://testserver/api/v1/topics?limit=2&offset=4"
    assert body["previous"] == "http://testserver/api/v1/topics?limit=2&offset=0"


def test_one_topic_and_an_unknown_topic(anon_client):
    TopicFactory(name="Mobilität", slug="mobilitaet")

    found = anon_client.get(f"{API}/topics/mobilitaet")
    missing = anon_client.get(f"{API}/topics/gibt-es-nicht")

    assert found.json()["name"] == "Mobilität"
    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM)


@pytest.mark.parametrize("params", ["limit=0", "limit=1000", "limit=zwei", "offset=-1"])
def test_bad_page_parameters_are_refused_with_a_problem(anon_client, params):
    response = anon_client.get(f"{API}/topics?{params}")

    assert response.status_code == 422
    assert problem_fields(response) == [params.split("=")[0]]


@pytest.mark.parametrize("topics", [1, 6])
def test_topics_query_budget(anon_client, django_assert_num_queries, topics):
    TopicFactory.create_batch(topics)

    with django_assert_num_queries(2):  # count, page
        response = anon_client.get(f"{API}/topics")

    assert len(response.json()["items"]) == topics


# --- Municipalities -------------------------------------------------------------


@pytest.fixture
def places():
    kassel = MunicipalityFactory(
        name="Kassel",
        ags="06611000",
        state="06",
        kind=MunicipalityKind.KREISFREIE_STADT,
        population=200_000,
    )
    bamberg = MunicipalityFactory(
        name="Bamberg", ags="09461000", state="09", kind="kreisfreie_stadt", population=79_000
    )
    MunicipalityFactory(name="Unbekanntdorf", ags="06000001", state="06", population=None)
    ProfileFactory(user=MemberFactory(municipality=kassel))
    MemberFactory(municipality=kassel)  # a member without a profile counts too
    MemberFactory(municipality=kassel, is_active=False)
    GuestFactory(municipality=kassel)
    StaffFactory(municipality=bamberg)
    return kassel


def test_municipalities_count_active_members_only(anon_client, places):
    body = anon_client.get(f"{API}/municipalities?ordering=ags").json()

    assert [(m["name"], m["member_count"]) for m in body["items"]] == [
        ("Unbekanntdorf", 0),
        ("Kassel", 2),
        ("Bamberg", 0),
    ]
    assert body["items"][1] == {
        "ags": "06611000",
        "name": "Kassel",
        "kind": "kreisfreie_stadt",
        "state": "06",
        "population": 200_000,
        "latitude": 50.5,
        "longitude": 8.7,
        "member_count": 2,
        "url": "/kommunen/06611000/",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=kas", ["Kassel"]),
        ("q=0946", ["Bamberg"]),
        ("state=06", ["Kassel", "Unbekanntdorf"]),
        ("kind=kreisfreie_stadt", ["Bamberg", "Kassel"]),
        ("in_network=true", ["Kassel"]),
        ("ordering=-name", ["Unbekanntdorf", "Kassel", "Bamberg"]),
        # An unknown population sorts as the smallest on SQLite and PostgreSQL alike.
        ("ordering=population", ["Unbekanntdorf", "Bamberg", "Kassel"]),
        ("ordering=-population", ["Kassel", "Bamberg", "Unbekanntdorf"]),
    ],
)
def test_municipality_filters_and_ordering(anon_client, places, query, expected):
    body = anon_client.get(f"{API}/municipalities?{query}").json()

    assert [m["name"] for m in body["items"]] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=member_count", "ordering"),
        ("ordering=name;drop", "ordering"),
        ("state=17", "state"),
        ("kind=dorf", "kind"),
        ("in_network=vielleicht", "in_network"),
        ("q=" + "x" * 101, "q"),
        # PostgreSQL cannot compare text with a NUL character: refused, never a 500.
    ],
)
def test_bad_municipality_filters_are_refused_with_a_problem(anon_client, query, field):
    response = anon_client.get(f"{API}/municipalities?{query}")

    assert response.status_code == 422
    assert problem_fields(response) == [field]


def test_one_municipality_by_its_key(anon_client, places):
    found = anon_client.get(f"{API}/municipalities/06611000")
    missing = anon_client.get(f"{API}/municipalities/99999999")

    assert (found.json()["name"], found.json()["member_count"]) == ("Kassel", 2)
    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM)


@pytest.mark.parametrize("count", [1, 6])
def test_municipalities_query_budget(anon_client, django_assert_num_queries, count):
    for place in MunicipalityFactory.create_batch(count):
        MemberFactory.create_batch(2, municipality=place)

    with django_assert_num_queries(2):  # count, page with member counts
        response = anon_client.get(f"{API}/municipalities")

    assert [m["member_count"] for m in response.json()["items"]] == [2] * count


# --- Members' directory ---------------------------------------------------------

SECRETS = ("Privates über mich", "Suche Partner für Glasfaser", "ruth@example.org", "0171 1234567")


@pytest.fixture
def heat():
    return TopicFactory(name="Kommunale Wärmeplanung", slug="waermeplanung")


@pytest.fixture
def reserved(heat):
    """A member in the directory who shares little with other members."""
    profile = ProfileFactory(
        user=MemberFactory(
            first_name="Ruth",
            last_name="Reserviert",
            email="ruth@example.org",
            municipality=MunicipalityFactory(name="Bamberg", ags="09461000", state="09"),
        ),
        academic_title="Dr.",
        function=Function.OBERBUERGERMEISTER,
        bio="Privates über mich",
        can_help_with="Hilfe bei Vergaben",
        looking_for="Suche Partner für Glasfaser",
        phone="0171 1234567",
        show_bio=False,
        show_looking_for=False,
        show_email=False,
        show_phone=False,
        photo="profile_photos/ruth.jpg",
        show_photo=False,
        member_since=datetime.date(2018, 3, 1),
    )
    profile.topics.add(heat)
    return profile


@pytest.fixture
def open_book():
    """A member who shares everything, e-mail and telephone included."""
    return ProfileFactory(
        user=MemberFactory(first_name="Olaf", last_name="Offen", email="olaf@example.org"),
        phone="0561 123",
        photo="profile_photos/olaf.jpg",
        show_email=True,
        show_phone=True,
    )


@pytest.fixture
def directory(reserved, open_book):
    """Who the directory holds, and who it never lists for members."""
    return {
        "reserved": reserved,
        "open": open_book,
        "partner": ProfileFactory(
            user=GuestFactory(first_name="Clara", last_name="Conrad"),
            function="",
            organisation="Institut für Stadtdaten",
            sector=Sector.WISSENSCHAFT,
        ),
        "unlisted": ProfileFactory(user=MemberFactory(last_name="Ungelistet"), in_directory=False),
        "left": ProfileFactory(
            user=MemberFactory(last_name="Ausgetreten"), left_on=datetime.date(2023, 6, 30)
        ),
        "inactive": ProfileFactory(user=MemberFactory(last_name="Inaktiv", is_active=False)),
        "office": ProfileFactory(user=StaffFactory(last_name="Buero")),
    }


def last_names(response) -> list[str]:
    return [person["last_name"] for person in response.json()["items"]]


@pytest.mark.parametrize("path", ["/members", "/members/1"])
def test_anonymous_callers_must_sign_in_for_the_directory(anon_client, path):
    response = anon_client.get(f"{API}{path}")

    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response["WWW-Authenticate"] == 'Bearer realm="innoclub"'


def test_guests_do_not_see_the_directory_as_on_the_site(guest, guest_client, reserved):
    token = bearer(guest)

    for client, headers in ((guest_client, {}), (Client(), token)):
        assert client.get(f"{API}/members", **headers).status_code == 404
        assert client.get(f"{API}/members/{reserved.user_id}", **headers).status_code == 404
    assert guest_client.get("/mitglieder/").status_code == 404


def test_members_list_the_same_people_as_the_web_directory(member_client, directory):
    response = member_client.get(f"{API}/members")

    assert last_names(response) == ["Conrad", "Offen", "Reserviert"]
    site = member_client.get("/mitglieder/").context["page"].object_list
    assert [profile.user.last_name for profile in site] == last_names(response)


def test_the_office_also_lists_people_outside_the_directory_but_not_former_ones(staff, directory):
    response = Client().get(f"{API}/members", **bearer(staff))

    assert last_names(response) == ["Conrad", "Offen", "Reserviert", "Ungelistet"]
    assert [p["in_directory"] for p in response.json()["items"]] == [True, True, True, False]


def test_a_directory_entry_holds_only_what_every_member_sees(member, directory):
    response = Client().get(f"{API}/members?q=Reserviert", **bearer(member))

    assert response.json()["items"] == [
        {
            "id": directory["reserved"].user_id,
            "name": "Dr. Ruth Reserviert",
            "first_name": "Ruth",
            "last_name": "Reserviert",
            "academic_title": "Dr.",
            "role": "member",
            "function": "oberbuergermeister",
            "function_label": "Oberbürgermeister:in",
            "position": "",
            "organisation": "",
            "sector": "",
            "municipality": {
                "ags": "09461000",
                "name": "Bamberg",
                "state": "09",
                "url": "/kommunen/09461000/",
            },
            "topics": [
                {
                    "slug": "waermeplanung",
                    "name": "Kommunale Wärmeplanung",
                    "url": "/themen/waermeplanung/",
                }
            ],
            "member_since_year": 2018,
            "in_directory": None,
            "url": f"/mitglieder/{directory['reserved'].user_id}/",
        }
    ]


@pytest.mark.parametrize("by", ["session", "token"])
def test_hidden_fields_never_leak_to_other_members(member, directory, by):
    client, headers = (login_client(member), {}) if by == "session" else (Client(), bearer(member))
    person = directory["reserved"].user_id
    listed = client.get(f"{API}/members", **headers).content.decode()
    detail = client.get(f"{API}/members/{person}", **headers)

    for secret in (*SECRETS, "ruth.jpg", f"/mitglieder/{person}/foto/"):
        assert secret not in listed
        assert secret not in detail.content.decode()
    body = detail.json()
    assert (body["email"], body["phone"], body["bio"], body["looking_for"]) == (None,) * 4
    assert (body["can_help_with"], body["photo_url"], body["in_directory"]) == (
        "Hilfe bei Vergaben",
        None,
        None,
    )


def test_shared_contact_details_are_shown_to_members(member_client, directory):
    body = member_client.get(f"{API}/members/{directory['open'].user_id}").json()

    assert (body["email"], body["phone"], body["photo_url"]) == (
        "olaf@example.org",
        "0561 123",
        f"/mitglieder/{directory['open'].user_id}/foto/",
    )


def test_the_owner_and_the_office_see_every_field(staff, directory):
    reserved = directory["reserved"]
    for viewer in (reserved.user, staff):
        body = Client().get(f"{API}/members/{reserved.user_id}", **bearer(viewer)).json()

        assert (body["bio"], body["looking_for"], body["email"], body["phone"]) == SECRETS
        assert body["photo_url"] == f"/mitglieder/{reserved.user_id}/foto/"
        assert body["in_directory"] is True


def test_text_search_matches_expertise_only_where_it_is_shared(member_client, staff, directory):
    ProfileFactory(
        user=MemberFactory(last_name="Engel"),
        can_help_with="Geheimprojekt Zeppelin",
        show_can_help_with=False,
    )

    assert last_names(member_client.get(f"{API}/members?q=Vergaben")) == ["Reserviert"]
    assert last_names(member_client.get(f"{API}/members?q=Zeppelin")) == []
    assert last_names(Client().get(f"{API}/members?q=Zeppelin", **bearer(staff))) == ["Engel"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=waermeplanung", ["Reserviert"]),
        ("state=09", ["Reserviert"]),
        ("function=oberbuergermeister", ["Reserviert"]),
        ("sector=wissenschaft", ["Conrad"]),
        ("q=stadtdaten", ["Conrad"]),
        ("topic=unbekannt", []),
    ],
)
def test_directory_filters_and_ordering(member_client, directory, query, expected):
    assert last_names(member_client.get(f"{API}/members?{query}")) == expected


def test_ordered_by_municipality(member_client, directory):
    names = last_names(member_client.get(f"{API}/members?ordering=municipality"))

    # Bamberg before Musterstadt; the partner without a municipality sorts first on
    # SQLite and last on PostgreSQL (the directory's own ordering, selectors.SORTS).
    assert [name for name in names if name != "Conrad"] == ["Reserviert", "Offen"]
    assert sorted(names) == ["Conrad", "Offen", "Reserviert"]


def test_newest_members_first(member_client, directory):
    directory["open"].member_since = datetime.date(2024, 1, 1)
    directory["open"].save()

    response = member_client.get(f"{API}/members?ordering=-member_since")

    assert last_names(response) == ["Offen", "Conrad", "Reserviert"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=email", "ordering"),
        ("ordering=-name", "ordering"),
        ("state=99", "state"),
        ("function=kaiser", "function"),
        ("size=riesig", "size"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("offset=eins", "offset"),
        ("topic=w%C3%A4rme", "topic"),
    ],
)
def test_bad_directory_filters_are_refused_with_a_problem(member_client, query, field):
    response = member_client.get(f"{API}/members?{query}")

    assert response.status_code == 422
    assert problem_fields(response) == [field]


@pytest.mark.parametrize("person", ["ruth", "0", "99999999999999999999"])
def test_a_profile_id_that_is_no_possible_id_is_refused(member_client, person):
    response = member_client.get(f"{API}/members/{person}")

    assert response.status_code == 422
    assert problem_fields(response) == ["person_id"]


@pytest.mark.parametrize(
    ("path", "field"),
    [("/topics/%C3%BCber", "slug"), ("/municipalities/0661", "ags")],
)
def test_malformed_keys_in_the_address_are_refused(anon_client, path, field):
    response = anon_client.get(f"{API}{path}")

    assert response.status_code == 422
    assert problem_fields(response) == [field]


@pytest.mark.parametrize("viewer", ["member", "guest", "staff", "owner"])
def test_profiles_open_for_exactly_whom_the_web_profile_opens(request, directory, viewer):
    """Whatever /mitglieder/<id>/ answers a person, the API answers the same."""
    user = directory["unlisted"].user if viewer == "owner" else request.getfixturevalue(viewer)
    site = login_client(user)
    api = Client()
    token = bearer(user)

    for profile in [*directory.values()]:
        page = site.get(f"/mitglieder/{profile.user_id}/").status_code
        answer = api.get(f"{API}/members/{profile.user_id}", **token).status_code
        assert (profile.user.last_name, answer) == (profile.user.last_name, page)
    assert api.get(f"{API}/members/999999", **token).status_code == 404


@pytest.mark.parametrize("people", [1, 6])
def test_directory_query_budget(member, django_assert_num_queries, people):
    topics = TopicFactory.create_batch(2)
    for profile in ProfileFactory.create_batch(people):
        profile.topics.add(*topics)
    client, token = Client(), bearer(member)
    client.get(f"{API}/topics", **token)  # records the token's first use

    with django_assert_num_queries(4):  # token with user, count, page, topics
        response = client.get(f"{API}/members", **token)

    assert [len(p["topics"]) for p in response.json()["items"]] == [2] * people


def test_profile_query_budget(member, reserved, django_assert_num_queries):
    client, token = Client(), bearer(member)
    client.get(f"{API}/topics", **token)

    with django_assert_num_queries(3):  # token with user, profile with municipality, topics
        client.get(f"{API}/members/{reserved.user_id}", **token)
