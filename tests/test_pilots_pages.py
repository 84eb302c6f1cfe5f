"""The pilot pages for readers: the list at /pilotprojekte/ (who sees what, filters,
sorting, pages, htmx, queries) and a pilot's page (what it shows to whom, its
sections, its query budget)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.network.models import FederalState, Profile, Topic
from innoclub.pilots.models import (
    AdoptionState,
    DocumentKind,
    DocumentVersion,
    FundingSource,
    IndicatorUnit,
    MilestoneState,
    PilotDocument,
    PilotProject,
    PilotState,
)
from tests.conftest import login_client
from tests.factories import (
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    TopicFactory,
)
from tests.pilots_factories import (
    AdoptionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    PilotFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/pilotprojekte/"


def titles(response) -> list[str]:
    return [pilot.title for pilot in response.context["page"].object_list]


def url(pilot: PilotProject) -> str:
    return f"/pilotprojekte/{pilot.slug}/"


def text_of(response) -> str:
    """The page's text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- The list ---------------------------------------------------------------------------


@pytest.fixture
def shared():
    PilotFactory(title="Öffentlicher Pilot", visibility=Visibility.PUBLIC)
    PilotFactory(title="Pilot für Mitglieder", visibility=Visibility.MEMBERS)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anon_client", {"Öffentlicher Pilot"}),
        ("guest_client", {"Öffentlicher Pilot"}),
        ("member_client", {"Öffentlicher Pilot", "Pilot für Mitglieder"}),
        ("staff_client", {"Öffentlicher Pilot", "Pilot für Mitglieder"}),
    ],
)
def test_the_list_shows_each_persona_the_pilots_shared_with_them(
    request, shared, persona, expected
):
    response = request.getfixturevalue(persona).get(LIST)

    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert ("Pilot für Mitglieder" in response.content.decode()) == (len(expected) == 2)


def test_a_card_shows_lead_state_topics_period_and_the_municipalities_that_adopt_it(
    anon_client,
):
    pilot = PilotFactory(
        title="Digitale Bauakte",
        lead_municipality=MunicipalityFactory(
            name="Ludwigsburg", state=FederalState.BW, ags="08118048"
        ),
        state=PilotState.RUNNING,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2026, 2, 28),
        topics=[TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")],
    )
    AdoptionFactory(pilot=pilot, state=AdoptionState.IMPLEMENTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.INTERESTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.GIVEN_UP)

    text = text_of(anon_client.get(LIST))

    assert "Digitale Bauakte" in text
    assert "laufend Ludwigsburg (Baden-Württemberg)" in text
    assert "Digitale Verwaltung" in text
    assert "März 2024 – Februar 2026" in text
    # Municipalities that gave up no longer count.
    assert "2 Kommunen nutzen es nach" in text
    assert "1 Pilotprojekt gefunden" in text


def test_filters_narrow_by_state_topic_land_of_the_lead_and_text(anon_client):
    energy = TopicFactory(name="Energie", slug="energie")
    bavaria = MunicipalityFactory(name="Erlangen", ags="09562000", state=FederalState.BY)
    PilotFactory(title="Wärmenetz", state=PilotState.RUNNING, topics=[energy])
    PilotFactory(title="Bürgerbus", state=PilotState.COMPLETED, lead_municipality=bavaria)
    PilotFactory(title="Solardach", state=PilotState.PLANNED, summary="Photovoltaik auf Schulen")

    assert titles(anon_client.get(LIST, {"status": "abgeschlossen"})) == ["Bürgerbus"]
    assert titles(anon_client.get(LIST, {"thema": "energie"})) == ["Wärmenetz"]
    assert titles(anon_client.get(LIST, {"land": FederalState.BY})) == ["Bürgerbus"]
    assert titles(anon_client.get(LIST, {"suche": "photovoltaik"})) == ["Solardach"]
    assert titles(anon_client.get(LIST, {"suche": "Erlangen"})) == ["Bürgerbus"]
    assert titles(anon_client.get(LIST, {"status": "laufend", "thema": "energie"})) == ["Wärmenetz"]
    empty = anon_client.get(LIST, {"status": "abgebrochen"})
    assert titles(empty) == []
    assert "Kein Pilotprojekt passt zu diesen Filtern." in text_of(empty)


def test_unknown_filter_values_are_ignored_not_refused(anon_client):
    PilotFactory(title="Wärmenetz")

    response = anon_client.get(
        LIST, {"status": "erfunden", "land": "99", "sortierung": "'; DROP", "seite": "x"}
    )

    assert response.status_code == 200
    assert titles(response) == ["Wärmenetz"]
    assert response.context["filters"].active is False


def test_sorting_by_newest_title_and_most_adoptions(anon_client):
    beta = PilotFactory(title="Beta")
    alpha = PilotFactory(title="Alpha")
    gamma = PilotFactory(title="Gamma")
    PilotProject.objects.filter(pk=beta.pk).update(
        created_at=timezone.now() + datetime.timedelta(days=1)
    )
    for _ in range(3):
        AdoptionFactory(pilot=gamma)
    AdoptionFactory(pilot=alpha)
    AdoptionFactory(pilot=alpha, state=AdoptionState.GIVEN_UP)
    AdoptionFactory(pilot=alpha, state=AdoptionState.GIVEN_UP)

    assert titles(anon_client.get(LIST)) == ["Beta", "Gamma", "Alpha"]
    assert titles(anon_client.get(LIST, {"sortierung": "titel"})) == ["Alpha", "Beta", "Gamma"]
    assert titles(anon_client.get(LIST, {"sortierung": "nachnutzung"})) == [
        "Gamma",
        "Alpha",
        "Beta",
    ]


def test_htmx_gets_the_results_only_and_a_plain_request_the_whole_page(anon_client):
    PilotFactory(title="Wärmenetz", state=PilotState.RUNNING)

    partial = anon_client.get(LIST, {"status": "laufend"}, HTTP_HX_REQUEST="true")
    whole = anon_client.get(LIST, {"status": "laufend"})

    assert "<form" not in partial.content.decode()
    assert "Wärmenetz" in partial.content.decode()
    assert '<option value="laufend" selected>' in whole.content.decode()
    assert partial["Vary"] == whole["Vary"]
    assert "HX-Request" in whole["Vary"]


def test_the_list_is_paged_by_twenty(anon_client):
    for n in range(23):
        PilotFactory(title=f"Pilot {n:02d}")

    first = anon_client.get(LIST, {"sortierung": "titel"})
    second = anon_client.get(LIST, {"sortierung": "titel", "seite": "2"})

    assert len(titles(first)) == 20
    assert titles(second) == ["Pilot 20", "Pilot 21", "Pilot 22"]
    assert "Seite 2 von 2" in text_of(second)


def test_only_the_office_is_offered_to_create_a_pilot(anon_client, member_client, staff_client):
    assert 'href="/pilotprojekte/neu/"' in staff_client.get(LIST).content.decode()
    assert 'href="/pilotprojekte/neu/"' not in member_client.get(LIST).content.decode()
    assert 'href="/pilotprojekte/neu/"' not in anon_client.get(LIST).content.decode()


def _pilots_with_everything(count: int) -> None:
    for _ in range(count):
        pilot = PilotFactory(topics=[TopicFactory(), TopicFactory()])
        AdoptionFactory(pilot=pilot)
        ParticipantFactory(pilot=pilot)


@pytest.mark.parametrize("count", [1, 4])
def test_list_query_budget_does_not_grow_with_pilots(
    count, anon_client, member_client, django_assert_num_queries
):
    _pilots_with_everything(count)
    member_client.get(LIST)  # the first request of a login stores the session clock

    # count, page with adoptions, topics, topics of the filter form
    with django_assert_num_queries(4):
        response = anon_client.get(LIST)
    assert len(titles(response)) == count
    # + session and user
    with django_assert_num_queries(6):
        member_client.get(LIST, {"sortierung": "nachnutzung", "suche": "Bürger"})
    # htmx: without the filter form
    with django_assert_num_queries(5):
        member_client.get(LIST, {"status": "laufend"}, HTTP_HX_REQUEST="true")


# --- A pilot's page -------------------------------------------------------------------


def rich_pilot(items: int = 1, **fields: Any) -> PilotProject:
    """A pilot with ``items`` of each: participant, contact, milestone, funding, document, indicator."""
    pilot = cast(PilotProject, PilotFactory(**fields))
    pilot.topics.set([cast(Topic, TopicFactory()) for _ in range(items)])
    for n in range(items):
        ParticipantFactory(pilot=pilot, role=f"Rolle {n}")
        pilot.contacts.add(cast(Profile, ProfileFactory(public_listing=True)).user)
        MilestoneFactory(pilot=pilot)
        FundingSource.objects.create(pilot=pilot, name=f"Förderprogramm {n}", amount=1000 + n)
        IndicatorFactory(pilot=pilot)
        document = PilotDocument.objects.create(
            pilot=pilot, kind=DocumentKind.COSTS, title=f"Kostenübersicht {n}"
        )
        for number in (1, 2):
            DocumentVersion.objects.create(
                document=document,
                number=number,
                file=f"pilots/{pilot.pk}/{document.pk}/v{number}",
                name="kosten.xlsx",
                content_type="application/pdf",
                size=2048,
            )
        AdoptionFactory(pilot=pilot)
    return pilot


def test_the_page_shows_everything_the_pilot_holds(anon_client):
    lead = MunicipalityFactory(name="Ludwigsburg", ags="08118048", state=FederalState.BW)
    pilot = PilotFactory(
        title="Digitale Bauakte",
        summary="Bauanträge **ohne Papier**.",
        lead_municipality=lead,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2025, 12, 31),
        budget=Decimal("250000.00"),
        results="Bearbeitungszeit halbiert.",
        lessons_learned="Früh mit dem Personalrat sprechen.",
    )
    ParticipantFactory(
        pilot=pilot, municipality=MunicipalityFactory(name="Fulda"), role="Erprobung im Landkreis"
    )
    MilestoneFactory(
        pilot=pilot,
        title="Ausschreibung",
        due_on=datetime.date(2024, 6, 30),
        state=MilestoneState.REACHED,
        reached_on=datetime.date(2024, 6, 12),
    )
    FundingSource.objects.create(pilot=pilot, name="Modellprojekte Smart Cities", amount=200000)
    FundingSource.objects.create(pilot=pilot, name="Eigenmittel", amount=50000)
    IndicatorFactory(
        pilot=pilot,
        name="Bearbeitungsdauer",
        unit=IndicatorUnit.DAYS,
        before=Decimal(84),
        after=Decimal(41),
        higher_is_better=False,
    )
    document = PilotDocument.objects.create(
        pilot=pilot, kind=DocumentKind.RESOLUTION, title="Mustervorlage Ratsbeschluss"
    )
    DocumentVersion.objects.create(
        document=document, number=1, file="x", name="a.docx", content_type="x", size=3000
    )

    response = anon_client.get(url(pilot))
    text = text_of(response)

    assert response.status_code == 200
    assert "<strong>ohne Papier</strong>" in response.content.decode()
    assert "Geleitet von Ludwigsburg" in text
    assert "Fulda Hessen Erprobung im Landkreis" in text
    assert "Ausschreibung geplant für 30. Juni 2024 · erreicht am 12. Juni 2024" in text
    assert "Budget: 250.000 €" in text
    assert "Modellprojekte Smart Cities" in text
    assert "200.000" in text
    assert "Insgesamt 250.000" in text
    assert "Bearbeitungszeit halbiert." in text
    assert "Früh mit dem Personalrat sprechen." in text
    assert "Bearbeitungsdauer" in text
    assert "-43 (besser)" in text
    assert "Mustervorlage Ratsbeschluss" in text
    assert "Version 1, 2,9 KB" in text
    assert f'href="/pilotprojekte/{pilot.slug}/steckbrief.pdf"' in response.content.decode()


def test_each_section_has_a_stable_id(anon_client):
    html = anon_client.get(url(PilotFactory())).content.decode()

    for section in (
        "kopf",
        "ueberblick",
        "beteiligte",
        "ansprechpersonen",
        "meilensteine",
        "finanzierung",
        "ergebnisse",
        "gelernt",
        "indikatoren",
        "dokumente",
    ):
        assert f'id="{section}"' in html


def test_a_members_pilot_answers_404_to_the_public_and_guests_like_a_missing_one(
    anon_client, guest_client, member_client
):
    pilot = PilotFactory(visibility=Visibility.MEMBERS)

    assert anon_client.get(url(pilot)).status_code == 404
    assert guest_client.get(url(pilot)).status_code == 404
    assert anon_client.get("/pilotprojekte/gibt-es-nicht/").status_code == 404
    assert member_client.get(url(pilot)).status_code == 200


def test_contact_people_are_named_to_the_public_only_when_they_agreed(
    anon_client, guest_client, member_client
):
    listed = ProfileFactory(
        user=MemberFactory(first_name="Lena", last_name="Listig"),
        public_listing=True,
        in_directory=True,
        position="Leiterin Bauamt",
    ).user
    private = ProfileFactory(
        user=MemberFactory(first_name="Paul", last_name="Privat"), in_directory=False
    ).user
    pilot = PilotFactory(contacts=[listed, private])

    public = text_of(anon_client.get(url(pilot)))
    guest = text_of(guest_client.get(url(pilot)))
    member = text_of(member_client.get(url(pilot)))
    member_html = member_client.get(url(pilot)).content.decode()
    guest_html = guest_client.get(url(pilot)).content.decode()

    for text in (public, guest):
        assert "Lena Listig, Leiterin Bauamt" in text
        assert "Privat" not in text
        assert "Eine weitere Ansprechperson wird nur Mitgliedern genannt." in text
    assert "Lena Listig" in member
    assert "Paul Privat" in member
    assert f'href="/mitglieder/{listed.pk}/"' in member_html
    assert f'href="/mitglieder/{listed.pk}/"' not in guest_html
    # Not in the directory: named to members, but no link to a profile that would not open.
    assert f'href="/mitglieder/{private.pk}/"' not in member_html


def test_the_edit_links_appear_for_the_office_and_the_contact_people_only(
    anon_client, member_client, staff_client
):
    contact = MemberFactory()
    pilot = PilotFactory(contacts=[contact])
    edit = f'href="/pilotprojekte/{pilot.slug}/bearbeiten/"'

    assert edit in staff_client.get(url(pilot)).content.decode()
    assert edit in login_client(contact).get(url(pilot)).content.decode()
    assert edit not in member_client.get(url(pilot)).content.decode()
    assert edit not in anon_client.get(url(pilot)).content.decode()


# The pilot, the version of the page's rendered content (core/sections.py).
PAGE_QUERIES = 2
# The content, when it is not in the cache for the viewer: topics, participants,
# contacts, milestones, funding, documents, versions, indicators; the chain (ideas,
# adoptions); the versions of the rendered adoption register and of the rendered
# spread.
CONTENT_QUERIES = 8 + 2 + 1 + 1
# The adoption register, when it is not in the cache for the viewer: the counts by
# state, one page of rows.
REGISTER_QUERIES = 2
# The spread, when it is not in the cache: the version of its data; reach; entries by
# state from leads, participants, adoptions; the largest places and their roles from
# the three; the curve; the map cells from the three.
SPREAD_QUERIES = 1 + 1 + 3 + 4 + 1 + 3


@pytest.mark.parametrize("items", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    items, anon_client, member_client, member, django_assert_num_queries
):
    pilot = rich_pilot(items)
    member_client.get("/")  # the first request of a login stores the session clock

    first = PAGE_QUERIES + CONTENT_QUERIES + REGISTER_QUERIES
    with django_assert_num_queries(first + SPREAD_QUERIES):
        response = anon_client.get(url(pilot))
    assert len(response.context["pilot_page"].indicators) == items
    with django_assert_num_queries(PAGE_QUERIES):
        again = anon_client.get(url(pilot))
    assert again.content == response.content

    # + session and user; the content and the register as this member sees them
    with django_assert_num_queries(first + 2):
        member_client.get(url(pilot))
