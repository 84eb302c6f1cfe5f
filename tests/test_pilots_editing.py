"""Editing pilot projects: the office creates one, the office and its contact people
edit it and its lists (participants, milestones, funding, indicators) through the
forms; bad input comes back with a German message and changes nothing. And the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from innoclub.core.access import Visibility
from innoclub.network.models import FederalState
from innoclub.pilots.models import FundingSource, PilotProject, PilotState
from tests.conftest import login_client
from tests.factories import MemberFactory, MunicipalityFactory, TopicFactory
from tests.pilots_factories import IndicatorFactory, ParticipantFactory, PilotFactory
from tests.test_pilots_pages import rich_pilot, text_of

pytestmark = pytest.mark.django_db


# --- Editing ----------------------------------------------------------------------------------


def test_the_office_creates_a_pilot_and_lands_on_its_page(staff_client):
    MunicipalityFactory(name="Fulda", ags="06631009")
    contact = MemberFactory(first_name="Clara", last_name="Kontakt")
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")

    response = staff_client.post(
        "/pilotprojekte/neu/",
        {
            "title": "Bürgerbus auf Abruf",
            "summary": "Ein Bus, der kommt, wenn man ihn ruft.",
            "lead_municipality": "fulda",
            "state": PilotState.PLANNED,
            "starts_on": "2025-04-01",
            "ends_on": "2026-03-31",
            "budget": "80000.50",
            "visibility": Visibility.PUBLIC,
            "topics": [topic.pk],
            "contacts": [contact.pk],
        },
    )

    pilot = PilotProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/pilotprojekte/buergerbus-auf-abruf/"
    assert pilot.lead_municipality.name == "Fulda"
    assert pilot.budget == Decimal("80000.50")
    assert list(pilot.contacts.all()) == [contact]
    assert list(pilot.topics.all()) == [topic]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_on", "2025-03-01", "Das Ende liegt vor dem Beginn. Bitte prüfen Sie die Daten."),
        ("budget", "-5", "Ein Betrag kann nicht negativ sein."),
        (
            "lead_municipality",
            "Atlantis",
            "Wir kennen keine Kommune namens „Atlantis“.",
        ),
        (
            "lead_municipality",
            "Neustadt",
            "Mehrere Kommunen heißen „Neustadt“. Bitte ergänzen Sie den Amtlichen "
            "Gemeindeschlüssel (AGS), zum Beispiel „Neustadt (06000001)“.",
        ),
        ("lead_municipality", "Neustadt (99999999)", "Keine Kommune hat den Schlüssel 99999999."),
    ],
)
def test_a_pilot_with_bad_input_is_not_created_and_the_form_says_why(
    staff_client, field, value, message
):
    MunicipalityFactory(name="Neustadt", ags="06000001")
    MunicipalityFactory(name="Neustadt", ags="07000002", state=FederalState.RP)
    data = {
        "title": "Bürgerbus",
        "state": PilotState.PLANNED,
        "visibility": Visibility.MEMBERS,
        "starts_on": "2025-04-01",
        field: value,
    }

    response = staff_client.post("/pilotprojekte/neu/", data)

    assert response.status_code == 400
    assert message in text_of(response)
    assert f'id="id_{field}_fehler"' in response.content.decode()
    assert PilotProject.objects.count() == 0


def test_a_municipality_is_found_by_name_with_its_key_as_the_form_shows_it(staff_client):
    neustadt = MunicipalityFactory(name="Neustadt", ags="07000002", state=FederalState.RP)
    MunicipalityFactory(name="Neustadt", ags="06000001")
    pilot = PilotFactory(lead_municipality=neustadt)

    page = staff_client.get(f"/pilotprojekte/{pilot.slug}/bearbeiten/").content.decode()
    staff_client.post(
        f"/pilotprojekte/{pilot.slug}/bearbeiten/",
        {
            "title": pilot.title,
            "state": pilot.state,
            "visibility": pilot.visibility,
            "lead_municipality": "Neustadt (07000002)",
        },
    )

    assert 'value="Neustadt (07000002)"' in page
    pilot.refresh_from_db()
    assert pilot.lead_municipality == neustadt


def test_a_contact_person_edits_texts_and_cannot_change_the_state():
    contact = MemberFactory()
    pilot = PilotFactory(contacts=[contact], state=PilotState.RUNNING)
    client = login_client(contact)

    page = client.get(f"/pilotprojekte/{pilot.slug}/bearbeiten/").content.decode()
    response = client.post(
        f"/pilotprojekte/{pilot.slug}/bearbeiten/",
        {"title": pilot.title, "lessons_learned": "Früh beginnen.", "state": "abgebrochen"},
    )

    assert 'name="state"' not in page
    assert 'name="contacts"' not in page
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.lessons_learned, pilot.state) == ("Früh beginnen.", PilotState.RUNNING)


def rows_data(rows: list[dict[str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        "zeilen-TOTAL_FORMS": str(len(rows)),
        "zeilen-INITIAL_FORMS": str(initial),
        "zeilen-MIN_NUM_FORMS": "0",
        "zeilen-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        data.update({f"zeilen-{index}-{name}": value for name, value in row.items()})
    return data


def test_the_participants_page_adds_and_removes_municipalities(staff_client):
    pilot = PilotFactory()
    old = ParticipantFactory(pilot=pilot, municipality=MunicipalityFactory(name="Alsfeld"))
    MunicipalityFactory(name="Fulda", ags="06631009")
    MunicipalityFactory(name="Kassel", ags="06611000")
    address = f"/pilotprojekte/{pilot.slug}/bearbeiten/beteiligte/"

    page = staff_client.get(address)
    response = staff_client.post(
        address,
        rows_data(
            [
                {"municipality": f"Alsfeld ({old.municipality.ags})", "role": "x", "DELETE": "on"},
                {"municipality": "Fulda", "role": "Partnerkommune"},
                {"municipality": "06611000", "role": "Erprobung in der Großstadt"},
                {"municipality": "", "role": ""},
            ],
            initial=1,
        ),
    )

    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 3  # one existing, two empty rows
    assert response.status_code == 302
    assert response["Location"] == f"/pilotprojekte/{pilot.slug}/#beteiligte"
    assert sorted(pilot.participants.values_list("municipality__name", "role")) == [
        ("Fulda", "Partnerkommune"),
        ("Kassel", "Erprobung in der Großstadt"),
    ]


def test_a_municipality_listed_twice_is_refused_and_nothing_changes(staff_client):
    pilot = PilotFactory()
    kept = ParticipantFactory(pilot=pilot)
    MunicipalityFactory(name="Fulda")

    response = staff_client.post(
        f"/pilotprojekte/{pilot.slug}/bearbeiten/beteiligte/",
        rows_data(
            [
                {"municipality": "Fulda", "role": "Partner"},
                {"municipality": "Fulda", "role": "Nochmal"},
            ]
        ),
    )

    assert response.status_code == 400
    assert "Jede Kommune kann nur einmal genannt werden. Doppelt genannt: Fulda." in text_of(
        response
    )
    assert list(pilot.participants.all()) == [kept]


def test_a_milestone_reached_on_a_date_while_open_is_refused_at_its_field(staff_client):
    pilot = PilotFactory()

    response = staff_client.post(
        f"/pilotprojekte/{pilot.slug}/bearbeiten/meilensteine/",
        rows_data(
            [
                {
                    "title": "Start",
                    "due_on": "2025-05-01",
                    "state": "offen",
                    "reached_on": "2025-05-02",
                },
            ]
        ),
    )

    assert response.status_code == 400
    assert "Meilenstein 1 (neu)" in text_of(response)
    assert (
        "Ein Datum „erreicht am“ gibt es nur bei einem Meilenstein, der erreicht ist."
        in text_of(response)
    )
    assert 'href="#id_zeilen-0-reached_on"' in response.content.decode()
    assert pilot.milestones.count() == 0


def test_an_indicator_of_140_percent_is_refused_and_saving_more_rows_returns_to_the_page(
    staff_client,
):
    pilot = PilotFactory()
    online = IndicatorFactory(pilot=pilot, name="Anteil online", before=Decimal(10))
    address = f"/pilotprojekte/{pilot.slug}/bearbeiten/indikatoren/"
    existing = {"pk": str(online.pk), "name": "Anteil online", "unit": "prozent", "before": "10"}

    refused = staff_client.post(
        address, rows_data([{**existing, "after": "140", "higher_is_better": "on"}], initial=1)
    )
    saved = staff_client.post(
        address,
        {
            **rows_data(
                [
                    {**existing, "after": "64.5", "higher_is_better": "on"},
                    {"name": "Wartezeit", "unit": "tage", "before": "21", "after": "9"},
                ],
                initial=1,
            ),
            "weitere": "1",
        },
    )

    assert refused.status_code == 400
    assert "Ein Prozentwert liegt zwischen 0 und 100." in text_of(refused)
    assert saved.status_code == 302
    assert saved["Location"] == address
    assert sorted(pilot.indicators.values_list("pk", "name", "after", "higher_is_better")) == [
        (online.pk, "Anteil online", Decimal("64.50"), True),
        (online.pk + 1, "Wartezeit", Decimal("9.00"), False),
    ]


def test_a_tampered_list_form_is_answered_with_a_message_not_an_error(staff_client):
    pilot = PilotFactory()
    FundingSource.objects.create(pilot=pilot, name="Eigenmittel")

    response = staff_client.post(
        f"/pilotprojekte/{pilot.slug}/bearbeiten/finanzierung/", {"zeilen-TOTAL_FORMS": "x"}
    )

    assert response.status_code == 400
    assert list(pilot.funding_sources.values_list("name", flat=True)) == ["Eigenmittel"]


# --- The admin --------------------------------------------------------------------------------


def test_the_admin_shows_a_pilot_with_its_lists_and_an_adoption_with_its_history(staff_client):
    pilot = rich_pilot(2, title="Digitale Bauakte")
    adoption = pilot.adoptions.first()
    document = pilot.documents.first()

    pages = {
        "/admin/pilots/pilotproject/": "Digitale Bauakte",
        f"/admin/pilots/pilotproject/{pilot.pk}/change/": "Rolle 1",
        f"/admin/pilots/pilotdocument/{document.pk}/change/": "kosten.xlsx",
        "/admin/pilots/adoption/?verified_at__isnull=True": adoption.municipality.name,
        f"/admin/pilots/adoption/{adoption.pk}/change/": "Statuswechsel der Nachnutzung",
    }
    for address, expected in pages.items():
        response = staff_client.get(address)
        assert response.status_code == 200, address
        assert expected in response.content.decode(), address
