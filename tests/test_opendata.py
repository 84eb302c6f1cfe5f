"""Open data under /offene-daten/: the public pilots and their adoptions as JSON and CSV,
with the licence, nothing members-only, no personal data, and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache

from innoclub.core.access import Visibility
from innoclub.pilots.models import AdoptionState, PilotState
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory, TopicFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

PAGE = "/offene-daten/"
PILOTS_JSON = "/offene-daten/pilotprojekte.json"
PILOTS_CSV = "/offene-daten/pilotprojekte.csv"
ADOPTIONS_JSON = "/offene-daten/nachnutzungen.json"
ADOPTIONS_CSV = "/offene-daten/nachnutzungen.csv"
FILES = [PILOTS_JSON, PILOTS_CSV, ADOPTIONS_JSON, ADOPTIONS_CSV]
LICENCE = {
    "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "id": "DL-DE-BY-2.0",
    "url": "https://www.govdata.de/dl-de/by-2-0",
    "attribution": "innoclub",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def read_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def read_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.fixture
def pilots(settings):
    """A public pilot with two adoptions (one implemented, one given up), a members-only
    pilot with an adoption, each adoption with a named contact person."""
    settings.SITE_URL = "https://innoclub.example.de"
    contact = MemberFactory(first_name="Gesine", last_name="Geheim", email="gesine@example.org")
    ProfileFactory(user=contact, public_listing=True)
    public = PilotFactory(
        title="Digitale Bauakte",
        slug="digitale-bauakte",
        lead_municipality=MunicipalityFactory(name="Marburg", ags="06534014"),
        state=PilotState.RUNNING,
        starts_on=datetime.date(2024, 2, 1),
        ends_on=datetime.date(2026, 1, 31),
        budget=Decimal("125000.50"),
        topics=[TopicFactory(name="Digitalisierung", slug="digitalisierung")],
        contacts=[contact],
    )
    hidden = PilotFactory(
        title="Interner Versuch", slug="interner-versuch", visibility=Visibility.MEMBERS
    )
    implemented = AdoptionFactory(
        pilot=public,
        municipality=MunicipalityFactory(name="Gießen", ags="06531005"),
        state=AdoptionState.IMPLEMENTED,
        started_on=datetime.date(2024, 5, 1),
        implemented_on=datetime.date(2025, 1, 15),
        contact=contact,
        adaptations="Mit eigener Telefonnummer 0641 12345",
    )
    implemented.verified_at = datetime.datetime(2025, 2, 1, 9, tzinfo=datetime.UTC)
    implemented.save()
    AdoptionFactory(
        pilot=public,
        municipality=MunicipalityFactory(name="Fulda", ags="06631009"),
        state=AdoptionState.GIVEN_UP,
        started_on=datetime.date(2024, 3, 1),
        given_up_on=datetime.date(2024, 9, 1),
        given_up_reason="Die Amtsleiterin Frau Geheim ist gegangen.",
        contact=contact,
    )
    AdoptionFactory(pilot=hidden, municipality=MunicipalityFactory(name="Kassel", ags="06611000"))
    return {"public": public, "hidden": hidden, "contact": contact}


# --- Pilot projects ------------------------------------------------------------------


def test_pilots_json_holds_the_public_pilots_only_with_the_licence(anon_client, pilots):
    document = read_json(anon_client, PILOTS_JSON)

    assert document["license"] == LICENCE
    assert document["documentation"] == "https://innoclub.example.de/offene-daten/"
    assert datetime.datetime.fromisoformat(document["generated_at"]).tzinfo is not None
    assert document["count"] == 1
    assert document["items"] == [
        {
            "slug": "digitale-bauakte",
            "title": "Digitale Bauakte",
            "url": "https://innoclub.example.de/pilotprojekte/digitale-bauakte/",
            "summary": "Ein Bürgerbüro, das **rund um die Uhr** erreichbar ist.",
            "state": "laufend",
            "state_label": "laufend",
            "lead_municipality": "Marburg",
            "lead_municipality_ags": "06534014",
            "lead_municipality_federal_state": "Hessen",
            "topics": ["Digitalisierung"],
            "starts_on": "2024-02-01",
            "ends_on": "2026-01-31",
            "budget_eur": 125000.5,
            "adoptions_active": 1,
            "adoptions_interested": 0,
            "adoptions_preparing": 0,
            "adoptions_implemented": 1,
            "adoptions_given_up": 1,
            "updated_at": document["items"][0]["updated_at"],
        }
    ]


def test_pilots_csv_parses_back_with_the_same_fields_and_german_cells(anon_client, pilots):
    rows = read_csv(anon_client, PILOTS_CSV)

    assert len(rows) == 1
    row = rows[0]
    assert list(row) == list(read_json(anon_client, PILOTS_JSON)["items"][0])
    assert row["slug"] == "digitale-bauakte"
    assert row["lead_municipality_ags"] == "06534014"
    assert row["budget_eur"] == "125000,50"
    assert row["topics"] == "Digitalisierung"
    assert row["ends_on"] == "2026-01-31"
    assert row["adoptions_given_up"] == "1"


def test_csv_names_its_licence_in_a_link_header(anon_client, pilots):
    for url in FILES:
        response = anon_client.get(url)

        assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'
        assert response["Access-Control-Allow-Origin"] == "*"


def test_csv_is_a_download_with_a_stable_name(anon_client, pilots):
    response = anon_client.get(ADOPTIONS_CSV)

    assert response["Content-Disposition"] == 'attachment; filename="nachnutzungen.csv"'


def test_a_pilot_without_lead_or_dates_has_empty_values(anon_client, db):
    PilotFactory(slug="offen", lead_municipality=None, starts_on=None, budget=None)

    item = read_json(anon_client, PILOTS_JSON)["items"][0]
    row = read_csv(anon_client, PILOTS_CSV)[0]

    assert [item[key] for key in ("lead_municipality", "starts_on", "budget_eur", "topics")] == [
        None,
        None,
        None,
        [],
    ]
    assert [row[key] for key in ("lead_municipality", "starts_on", "budget_eur", "topics")] == [
        "",
        "",
        "",
        "",
    ]


# --- Adoptions ------------------------------------------------------------------------


def test_adoptions_json_holds_adoptions_of_public_pilots_without_people(anon_client, pilots):
    document = read_json(anon_client, ADOPTIONS_JSON)

    assert document["license"] == LICENCE
    assert document["count"] == 2
    fulda, giessen = document["items"]
    assert giessen == {
        "pilot_slug": "digitale-bauakte",
        "pilot_title": "Digitale Bauakte",
        "url": giessen["url"],
        "municipality": "Gießen",
        "municipality_ags": "06531005",
        "federal_state": "Hessen",
        "state": "umgesetzt",
        "state_label": "umgesetzt",
        "since": "2025-01-15",
        "started_on": "2024-05-01",
        "implemented_on": "2025-01-15",
        "given_up_on": None,
        "verified": True,
    }
    assert giessen["url"].startswith(
        "https://innoclub.example.de/pilotprojekte/digitale-bauakte/nachnutzung/"
    )
    assert (fulda["municipality"], fulda["state"], fulda["since"], fulda["verified"]) == (
        "Fulda",
        "aufgegeben",
        "2024-09-01",
        False,
    )


def test_adoptions_csv_parses_back(anon_client, pilots):
    rows = read_csv(anon_client, ADOPTIONS_CSV)

    assert [(row["municipality"], row["state"], row["verified"]) for row in rows] == [
        ("Fulda", "aufgegeben", "nein"),
        ("Gießen", "umgesetzt", "ja"),
    ]
    assert rows[1]["implemented_on"] == "2025-01-15"
    assert rows[0]["implemented_on"] == ""


@pytest.mark.parametrize("url", [PAGE, *FILES])
def test_nothing_members_only_and_no_personal_data_is_published(anon_client, pilots, url):
    text = anon_client.get(url).content.decode("utf-8")

    for secret in [
        "Interner Versuch",
        "interner-versuch",
        "Kassel",
        "Gesine",
        "Geheim",
        "gesine@example.org",
        pilots["contact"].email,
        "0641 12345",
        "@example.org",
    ]:
        assert secret not in text


def test_a_pilot_made_members_only_disappears_with_its_adoptions(anon_client, pilots):
    pilots["public"].visibility = Visibility.MEMBERS
    pilots["public"].save()

    assert read_json(anon_client, PILOTS_JSON)["items"] == []
    assert read_json(anon_client, ADOPTIONS_JSON)["items"] == []
    assert read_csv(anon_client, ADOPTIONS_CSV) == []


def test_what_people_see_depends_not_on_who_asks(anon_client, member_client, staff_client, pilots):
    """Signed-in members and the office get the same public files, not their own view."""
    anonymous = read_json(anon_client, ADOPTIONS_JSON)["items"]

    assert read_json(member_client, ADOPTIONS_JSON)["items"] == anonymous
    assert read_json(staff_client, ADOPTIONS_JSON)["items"] == anonymous
    assert read_csv(staff_client, PILOTS_CSV) == read_csv(anon_client, PILOTS_CSV)


def test_labels_are_german_in_every_language(anon_client, pilots):
    anon_client.cookies["django_language"] = "en"

    item = read_json(anon_client, ADOPTIONS_JSON, HTTP_ACCEPT_LANGUAGE="en")["items"][0]

    assert (item["state_label"], item["federal_state"]) == ("aufgegeben", "Hessen")


# --- Formula cells -----------------------------------------------------------------------


def test_formula_texts_are_neutralised_in_csv_and_unchanged_in_json(anon_client, db):
    PilotFactory(slug="a", title="=cmd|' /C calc'!A0", summary="- erster Punkt")
    PilotFactory(slug="b", title="+1")
    PilotFactory(slug="c", title="@SUM(1)")

    by_slug = {row["slug"]: row for row in read_csv(anon_client, PILOTS_CSV)}
    items = {item["slug"]: item for item in read_json(anon_client, PILOTS_JSON)["items"]}

    assert [by_slug[slug]["title"] for slug in "abc"] == ["'=cmd|' /C calc'!A0", "'+1", "'@SUM(1)"]
    assert by_slug["a"]["summary"] == "'- erster Punkt"
    assert [items[slug]["title"] for slug in "abc"] == ["=cmd|' /C calc'!A0", "+1", "@SUM(1)"]


# --- Caching ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", FILES)
def test_an_unchanged_file_answers_304_to_its_etag(anon_client, pilots, url):
    first = anon_client.get(url)

    again = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "no-cache"
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("url", FILES)
def test_a_change_gives_a_new_etag(anon_client, pilots, url):
    first = anon_client.get(url)
    AdoptionFactory(pilot=pilots["public"], municipality=MunicipalityFactory(name="Hanau"))

    again = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_only_reading_is_allowed(anon_client, pilots):
    assert anon_client.post(PILOTS_JSON).status_code == 405
    assert anon_client.head(PILOTS_CSV).status_code == 200


# --- The page ----------------------------------------------------------------------------


def test_the_page_explains_datasets_fields_licence_and_delimiter(anon_client, pilots):
    response = anon_client.get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="kern-heading-large">Offene Daten</h1>' in page
    for text in [
        'href="/offene-daten/pilotprojekte.json"',
        'href="/offene-daten/pilotprojekte.csv"',
        'href="/offene-daten/nachnutzungen.json"',
        'href="/offene-daten/nachnutzungen.csv"',
        'href="https://www.govdata.de/dl-de/by-2-0"',
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "Semikolon",
        "<code>lead_municipality_ags</code>",
        "<code>verified</code>",
    ]:
        assert text in page
    assert [(item["summary"].count) for item in response.context["datasets"]] == [1, 2]


# --- Query budgets --------------------------------------------------------------------------


def many_public_pilots(count: int) -> None:
    topic = TopicFactory()
    for _ in range(count):
        pilot = PilotFactory(topics=[topic])
        AdoptionFactory.create_batch(2, pilot=pilot)


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (PILOTS_JSON, 2),  # pilots with lead and counts; topics
        (PILOTS_CSV, 2),
        (ADOPTIONS_JSON, 1),  # adoptions with pilot and municipality
        (ADOPTIONS_CSV, 1),
        (PAGE, 2),  # count and last change of each dataset
    ],
)
def test_query_budget(anon_client, django_assert_num_queries, count, url, queries):
    many_public_pilots(count)

    with django_assert_num_queries(queries):
        response = anon_client.get(url)

    assert response.status_code == 200
