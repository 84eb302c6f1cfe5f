"""The members' directory: who appears, filters, search, export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache

from innoclub.network.models import Function, MunicipalityKind, Sector
from tests.factories import (
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

URL = "/mitglieder/"


def names(response) -> list[str]:
    return [p.user.last_name for p in response.context["page"].object_list]


@pytest.fixture
def people():
    heat = TopicFactory(name="Kommunale Wärmeplanung", slug="waermeplanung")
    bavaria = MunicipalityFactory(
        name="Bamberg",
        state="09",
        ags="09461000",
        kind=MunicipalityKind.KREISFREIE_STADT,
        population=79_000,
    )
    district = MunicipalityFactory(
        name="Landkreis Kassel",
        state="06",
        ags="06633",
        kind=MunicipalityKind.LANDKREIS,
        population=240_000,
    )
    a = ProfileFactory(
        user=MemberFactory(last_name="Albers", municipality=bavaria),
        function=Function.OBERBUERGERMEISTER,
    )
    a.topics.add(heat)
    b = ProfileFactory(
        user=MemberFactory(last_name="Brandt", municipality=district),
        function=Function.LANDRAT,
        can_help_with="Wärmenetze im Altbau",
    )
    c = ProfileFactory(
        user=GuestFactory(last_name="Conrad"),
        function="",
        organisation="Institut für Stadtdaten",
        sector=Sector.WISSENSCHAFT,
    )
    village = MunicipalityFactory(
        name="Husum", state="01", ags="01054056", kind=MunicipalityKind.STADT, population=4_000
    )
    hidden = ProfileFactory(
        user=MemberFactory(last_name="Dorn", municipality=village), in_directory=False
    )
    secret = ProfileFactory(
        user=MemberFactory(last_name="Engel", municipality=village),
        can_help_with="Geheimprojekt Zeppelin",
        show_can_help_with=False,
    )
    left = ProfileFactory(
        user=MemberFactory(last_name="Fuchs", is_active=False, municipality=village)
    )
    return {"a": a, "b": b, "c": c, "hidden": hidden, "secret": secret, "left": left}


def test_members_find_everyone_who_agreed_to_be_listed(member_client, people, member):
    response = member_client.get(URL)

    assert response.status_code == 200
    assert names(response) == ["Albers", "Brandt", "Conrad", "Engel"]


def test_office_also_sees_people_outside_the_directory(staff_client, people):
    response = staff_client.get(URL)

    assert names(response) == ["Albers", "Brandt", "Conrad", "Dorn", "Engel"]
    assert (
        "nicht im Verzeichnis" in response.content.decode()
        or "not in the directory" in response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?thema=waermeplanung", ["Albers"]),
        ("?land=06", ["Brandt"]),
        ("?art=landkreis", ["Brandt"]),
        ("?groesse=m", ["Albers"]),
        ("?groesse=l", ["Brandt"]),
        ("?funktion=landrat", ["Brandt"]),
        ("?sektor=wissenschaft", ["Conrad"]),
        ("?q=stadtdaten", ["Conrad"]),
        ("?q=brandt", ["Brandt"]),
        ("?q=Wärmenetze", ["Brandt"]),
        ("?q=bamberg", ["Albers"]),
        ("?q=W%C3%A4rmeplanung", ["Albers"]),
        ("?land=06&funktion=oberbuergermeister", []),
        ("?sortierung=kommune&land=09", ["Albers"]),
    ],
)
def test_filters_and_search(member_client, people, query, expected):
    assert names(member_client.get(URL + query)) == expected


def test_search_does_not_reveal_expertise_its_owner_keeps_to_themselves(
    member_client, staff_client, people
):
    assert names(member_client.get(URL + "?q=Zeppelin")) == []
    assert names(staff_client.get(URL + "?q=Zeppelin")) == ["Engel"]


@pytest.mark.parametrize(
    "query",
    [
        "?land=99",
        "?art=<script>",
        "?seite=abc",
        "?seite=999",
        "?sortierung=password",
        "?groesse=xxl",
        "?q=" + "x" * 5000,
    ],
)
def test_strange_filter_values_are_ignored_not_errors(member_client, people, query):
    response = member_client.get(URL + query)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_htmx_gets_only_the_results_and_caches_keep_them_apart(member_client, people):
    response = member_client.get(URL + "?land=06", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "Brandt" in html
    assert "HX-Request" in response["Vary"]


def test_without_javascript_the_filter_form_is_a_plain_get_form(member_client, people):
    html = member_client.get(URL).content.decode()

    assert 'method="get" action="/mitglieder/"' in html


def test_directory_pages_through_large_results(member_client):
    for n in range(30):
        ProfileFactory(user=MemberFactory(last_name=f"Person{n:02d}"))

    first = member_client.get(URL)
    second = member_client.get(URL + "?seite=2")

    assert len(first.context["page"].object_list) == 24
    assert first.context["page"].paginator.count == 30
    assert len(second.context["page"].object_list) == 6


@pytest.mark.parametrize("count", [1, 30])
def test_directory_query_budget(member_client, django_assert_max_num_queries, count):
    topic = TopicFactory()
    for n in range(count):
        profile = ProfileFactory(
            user=MemberFactory(last_name=f"P{n}", municipality=MunicipalityFactory())
        )
        profile.topics.add(topic)

    member_client.get(URL)  # the first request of a login stores the session clock
    cache.clear()  # and rendered the results: render them again

    # session, user, the version of the cached results and filter form, then
    # count, page, topics of the page; topics for the filter
    with django_assert_max_num_queries(7):
        member_client.get(URL)
    # once rendered: session, user, the version
    with django_assert_max_num_queries(3):
        again = member_client.get(URL)
    assert again.content.decode().count('class="person"') == min(count, 24)


@pytest.mark.parametrize(
    "client_name", ["anon_client", "guest_client", "member_client", "staff_client"]
)
def test_who_may_open_the_directory(request, client_name):
    client = request.getfixturevalue(client_name)

    status = client.get(URL).status_code

    assert (
        status
        == {"anon_client": 302, "guest_client": 404, "member_client": 200, "staff_client": 200}[
            client_name
        ]
    )


def test_office_exports_the_filtered_directory_as_csv(staff_client, people):
    people["a"].user.first_name = '=HYPERLINK("http://evil")'
    people["a"].user.save()

    response = staff_client.get("/mitglieder/export.csv?land=09")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == "Albers"
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


def test_members_cannot_export(member_client, people):
    assert member_client.get("/mitglieder/export.csv").status_code == 404
