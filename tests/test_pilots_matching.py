"""„Wer hat das schon gemacht?“: matching, ranking, bad input, access and query budget."""

from __future__ import annotations

import pytest

from innoclub.core.access import Visibility
from innoclub.network.models import FederalState, MunicipalityKind
from innoclub.pilots import matching
from innoclub.pilots.maps import Role
from innoclub.pilots.models import AdoptionState
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory, TopicFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

PAGE = "/transfer/wer-hat-das-schon-gemacht/"


def marburg():
    return MunicipalityFactory(
        name="Marburg", ags="06534014", population=77_000, latitude=50.81, longitude=8.77
    )


def giessen():
    return MunicipalityFactory(
        name="Gießen", ags="06531005", population=90_000, latitude=50.58, longitude=8.68
    )


def rostock():
    return MunicipalityFactory(
        name="Rostock",
        ags="13003000",
        state=FederalState.MV,
        kind=MunicipalityKind.KREISFREIE_STADT,
        population=209_000,
        latitude=54.09,
        longitude=12.10,
    )


# --- Words and distances ----------------------------------------------------------


def test_search_words_are_lower_case_without_filler_words_and_match_word_beginnings():
    assert matching.words("Das digitale Bürgerbüro und die E-Akte") == [
        "digitale",
        "bürgerbüro",
        "akte",
    ]
    assert matching.matches("bürgerbüro", "Ein Bürgerbüros-Konzept")
    assert not matching.matches("bürgerbüro", "Ein Bürgerportal")


def test_search_words_match_in_any_german_form():
    assert matching.matches("schulen", "Digitale Schule")
    assert matching.matches("digitalen", "Das digitale Bürgerbüro")
    assert matching.matches("buergerbuero", "Das Bürgerbüro")
    assert matching.matches("pumpe", "Wärmepumpen für alle")  # the end of a compound
    assert matching.matches("bürger:innen", "Für Bürgerinnen und Bürger")
    assert not matching.matches("schulen", "Familie Schulz")


def test_a_pilot_is_found_by_an_inflected_word():
    PilotFactory(title="Tablets für die Grundschule", slug="schule")

    found = matching.find(MemberFactory(), municipality=marburg(), topic=None, text="Grundschulen")

    assert [m.pilot.slug for m in found] == ["schule"]
    assert found[0].reasons[0].text == "„grundschulen“ im Titel"


def test_the_distance_is_the_great_circle_distance():
    town = marburg()

    assert round(matching.distance_km(town, giessen())) == 26
    assert matching.distance_km(town, MunicipalityFactory(latitude=None)) is None


# --- Ranking ---------------------------------------------------------------------


def test_a_nearby_similar_municipality_ranks_above_a_distant_different_one():
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")
    pilot = PilotFactory(title="Rufbus", topics=[topic], lead_municipality=rostock())
    AdoptionFactory(pilot=pilot, municipality=giessen(), state=AdoptionState.PREPARING)
    mine = marburg()

    found = matching.find(MemberFactory(), municipality=mine, topic=topic, text="")

    assert [(m.municipality.name, m.role) for m in found] == [
        ("Gießen", Role.PREPARING),
        ("Rostock", Role.LEAD),
    ]
    near, far = found
    assert [r.text for r in near.reasons] == [
        "Thema „Mobilität“",
        "gleiche Art (Stadt)",
        "gleiche Größenklasse",
        "gleiches Bundesland (Hessen)",
        "26 km entfernt",
    ]
    assert near.score == 60 + 10 + 15 + 10 + 19
    assert [r.text for r in far.reasons] == [
        "Thema „Mobilität“",
        "benachbarte Größenklasse",
        "429 km entfernt",
        "hat das Pilotprojekt geleitet",
    ]
    assert far.reasons[2].points == 0


def test_a_topic_match_ranks_above_a_pilot_that_only_shares_words():
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")
    PilotFactory(title="Rufbus auf dem Land", topics=[topic], lead_municipality=rostock())
    PilotFactory(title="Rufbus in der Stadt", lead_municipality=giessen())

    found = matching.find(MemberFactory(), municipality=marburg(), topic=topic, text="Rufbus")

    assert [m.pilot.title for m in found] == ["Rufbus auf dem Land", "Rufbus in der Stadt"]
    assert found[0].score > found[1].score


def test_words_in_the_summary_count_less_than_in_the_title():
    PilotFactory(title="Digitale Akte", summary="Mit einem Bürgerportal.", slug="akte")
    PilotFactory(title="Bürgerportal", slug="portal")

    found = matching.find(MemberFactory(), municipality=marburg(), topic=None, text="bürgerportal")

    assert [m.pilot.slug for m in found] == ["portal", "akte"]
    assert found[1].reasons[0].text == "„bürgerportal“ in Zusammenfassung oder Ergebnissen"


def test_only_adopters_that_implemented_or_prepare_it_are_listed_and_never_the_asker():
    mine = marburg()
    pilot = PilotFactory(title="Rufbus", lead_municipality=mine)
    AdoptionFactory(pilot=pilot, municipality=giessen(), state=AdoptionState.IMPLEMENTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.INTERESTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.GIVEN_UP)

    found = matching.find(MemberFactory(), municipality=mine, topic=None, text="rufbus")

    assert [(m.municipality.name, m.role) for m in found] == [("Gießen", Role.IMPLEMENTED)]
    assert "hat es umgesetzt" in [r.text for r in found[0].reasons]


def test_pilots_the_asker_may_not_see_are_not_found(guest):
    PilotFactory(title="Rufbus intern", visibility=Visibility.MEMBERS)

    assert matching.find(guest, municipality=marburg(), topic=None, text="rufbus") == []


def test_a_municipality_is_found_by_name_key_or_the_label_the_form_shows():
    town = marburg()

    assert matching.resolve_municipality("marburg") == [town]
    assert matching.resolve_municipality("06534014") == [town]
    assert matching.resolve_municipality(matching.municipality_label(town)) == [town]
    assert matching.resolve_municipality("Atlantis") == []


# --- The page ------------------------------------------------------------------


def test_the_finder_is_for_members(anon_client, guest_client, member_client):
    assert anon_client.get(PAGE).status_code == 302
    assert guest_client.get(PAGE).status_code == 404
    assert member_client.get(PAGE).status_code == 200


def test_the_form_starts_with_the_members_own_municipality(client):
    member = MemberFactory(municipality=marburg())
    client.force_login(member)

    response = client.get(PAGE)

    assert response.context["form"]["kommune"].value() == "Marburg (06534014)"
    assert response.context["matches"] is None


def test_a_link_naming_only_a_topic_searches_from_the_members_own_municipality(client):
    member = MemberFactory(municipality=marburg())
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")
    pilot = PilotFactory(title="Rufbus", topics=[topic])
    AdoptionFactory(pilot=pilot, municipality=giessen(), state=AdoptionState.IMPLEMENTED)
    client.force_login(member)

    response = client.get(PAGE, {"thema": "mobilitaet"})

    assert response.status_code == 200
    assert response.context["form"]["kommune"].value() == "Marburg (06534014)"
    assert response.context["matches"][0].municipality.name == "Gießen"


def test_a_member_finds_who_did_it_with_contact_people(client):
    member = MemberFactory(municipality=marburg())
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")
    contact = ProfileFactory(user=MemberFactory(first_name="Jana", last_name="Kühn")).user
    pilot = PilotFactory(title="Rufbus", topics=[topic], contacts=[contact])
    adopter = MemberFactory(first_name="Ole", last_name="Brandt")
    AdoptionFactory(
        pilot=pilot, municipality=giessen(), state=AdoptionState.IMPLEMENTED, contact=adopter
    )
    client.force_login(member)

    response = client.get(PAGE, {"kommune": "Marburg (06534014)", "thema": "mobilitaet"})

    html = response.content.decode()
    assert response.status_code == 200
    assert [m.municipality.name for m in response.context["matches"]] == [
        "Gießen",
        pilot.lead_municipality.name,
    ]
    assert "Jana Kühn" in html and "Ole Brandt" in html
    assert "26 km entfernt" in html
    assert "2 Kommunen haben es schon gemacht" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"kommune": "Atlantis", "q": "rufbus"},
            "Eine Kommune „Atlantis“ kennen wir nicht. Bitte prüfen Sie die Schreibweise "
            "oder geben Sie den Amtlichen Gemeindeschlüssel ein.",
        ),
        (
            {"kommune": "Marburg", "thema": "gibt-es-nicht"},
            "Dieses Thema kennen wir nicht. Bitte wählen Sie eines aus der Liste.",
        ),
        (
            {"kommune": "Marburg"},
            "Bitte wählen Sie ein Thema oder geben Sie ein, wonach Sie suchen.",
        ),
        (
            {"kommune": "Marburg", "q": "und die"},
            "Bitte verwenden Sie ein genaueres Wort oder wählen Sie ein Thema.",
        ),
        ({"kommune": " ", "q": "rufbus"}, "Bitte nennen Sie Ihre Kommune."),
    ],
)
def test_bad_input_gets_a_german_message(member_client, query, message):
    marburg()
    PilotFactory(title="Rufbus")

    response = member_client.get(PAGE, query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["matches"] is None


def test_an_ambiguous_name_offers_the_municipalities_it_may_mean(member_client):
    MunicipalityFactory(name="Neustadt", ags="07337066", state=FederalState.RP)
    MunicipalityFactory(name="Neustadt", ags="09571184", state=FederalState.BY)

    response = member_client.get(PAGE, {"kommune": "Neustadt", "q": "rufbus"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Mehrere Kommunen heißen „Neustadt“." in html
    assert "?kommune=07337066&amp;q=rufbus" in html
    assert "?kommune=09571184&amp;q=rufbus" in html


@pytest.mark.parametrize("pilots", [1, 4])
def test_the_finder_runs_a_fixed_number_of_queries(
    member_client, django_assert_num_queries, pilots
):
    marburg()
    topic = TopicFactory(slug="mobilitaet")
    for pilot in PilotFactory.create_batch(
        pilots, topics=[topic], contacts=[ProfileFactory().user]
    ):
        for _ in range(pilots):
            AdoptionFactory(
                pilot=pilot,
                state=AdoptionState.IMPLEMENTED,
                contact=ProfileFactory().user,
            )
    member_client.get(PAGE)

    # session, user; the topic chosen, the municipality; pilots, their topics and
    # contacts, adoptions; the topics of the select
    with django_assert_num_queries(9):
        response = member_client.get(PAGE, {"kommune": "Marburg", "thema": "mobilitaet"})

    assert len(response.context["matches"]) == pilots * (1 + pilots)
