"""The fact sheet: one A4 page as PDF for a council meeting, with what the viewer may see."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from innoclub.core.access import Visibility
from innoclub.pilots.models import AdoptionState, FundingSource, IndicatorUnit, PilotState
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory
from tests.pilots_factories import (
    AdoptionFactory,
    IndicatorFactory,
    ParticipantFactory,
    PilotFactory,
)
from tests.test_pilots_pages import rich_pilot

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def factsheet(client, pilot):
    return client.get(f"/pilotprojekte/{pilot.slug}/steckbrief.pdf")


def test_the_fact_sheet_is_one_page_with_title_indicators_budget_and_spread(anon_client, settings):
    settings.SITE_URL = "https://innoclub.example"
    pilot = PilotFactory(
        title="Digitale Bauakte",
        slug="digitale-bauakte",
        lead_municipality=MunicipalityFactory(name="Ludwigsburg"),
        state=PilotState.COMPLETED,
        summary="Bauanträge **ohne Papier** in allen Ämtern.",
        results="Die Bearbeitungszeit hat sich halbiert.",
        lessons_learned="Früh mit dem Personalrat sprechen.",
        budget=Decimal("250000"),
    )
    ParticipantFactory(pilot=pilot, municipality=MunicipalityFactory(name="Fulda"), role="Partner")
    FundingSource.objects.create(pilot=pilot, name="Förderprogramm des Landes", amount=200000)
    IndicatorFactory(
        pilot=pilot,
        name="Anteil digitaler Anträge",
        unit=IndicatorUnit.PERCENT,
        before=Decimal("12"),
        after=Decimal("58.5"),
    )
    IndicatorFactory(
        pilot=pilot,
        name="Bearbeitungsdauer",
        unit=IndicatorUnit.DAYS,
        before=Decimal(84),
        after=Decimal(41),
        higher_is_better=False,
    )
    AdoptionFactory(pilot=pilot, state=AdoptionState.IMPLEMENTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.PREPARING)
    AdoptionFactory(pilot=pilot, state=AdoptionState.GIVEN_UP)

    response = factsheet(anon_client, pilot)
    text = pdf_text(response)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="steckbrief-digitale-bauakte.pdf"'
    )
    assert "Digitale Bauakte" in text
    assert "Geleitet von Ludwigsburg" in text
    assert "abgeschlossen" in text
    assert "Anteil digitaler Anträge Prozent 12 58,50 +46,50 (besser)" in text
    assert "Bearbeitungsdauer Tage 84 41 -43 (besser)" in text
    assert "Budget: 250.000 €" in text
    assert "Förderprogramm des Landes: 200.000 €" in text
    assert "Fulda (Partner)" in text
    assert "2 Kommunen nutzen die Lösung nach" in text
    assert "Die Bearbeitungszeit hat sich halbiert." in text
    assert "Früh mit dem Personalrat sprechen." in text
    assert "https://innoclub.example/pilotprojekte/digitale-bauakte/" in text


def test_a_pilot_with_much_in_it_still_fits_one_page(anon_client):
    pilot = rich_pilot(
        20,
        summary="Ein langer Absatz über das Projekt. " * 120,
        results="- Ergebnis mit Erläuterung\n" * 60,
        lessons_learned="Wir haben viel gelernt. " * 200,
    )

    text = pdf_text(factsheet(anon_client, pilot))

    assert pilot.title in text
    assert "14 weitere Indikatoren auf der Seite des Pilotprojekts." in text


def test_contact_people_appear_as_the_viewer_may_see_them(anon_client, member_client):
    listed = ProfileFactory(
        user=MemberFactory(first_name="Lena", last_name="Listig"), public_listing=True
    ).user
    private = ProfileFactory(user=MemberFactory(first_name="Paul", last_name="Privat")).user
    pilot = PilotFactory(contacts=[listed, private])

    public = pdf_text(factsheet(anon_client, pilot))
    members = pdf_text(factsheet(member_client, pilot))

    assert "Lena Listig" in public
    assert "Privat" not in public
    assert "Lena Listig" in members
    assert "Paul Privat" in members


def test_the_fact_sheet_of_a_members_pilot_is_hidden_from_the_public(
    anon_client, guest_client, member_client
):
    pilot = PilotFactory(visibility=Visibility.MEMBERS)

    assert factsheet(anon_client, pilot).status_code == 404
    assert factsheet(guest_client, pilot).status_code == 404
    assert factsheet(member_client, pilot).status_code == 200


def test_a_list_in_the_summary_reads_as_sentences_on_the_fact_sheet():
    from innoclub.pilots.factsheet import excerpt

    text = "Eine Strecke:\n\n1. Antrag über das Portal\n2. Die Fachämter *arbeiten*\n\nMehr: [hier](https://a.de)."

    assert excerpt(text, 400) == (
        "Eine Strecke: Antrag über das Portal. Die Fachämter arbeiten. Mehr: hier."
    )
