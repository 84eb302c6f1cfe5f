"""The adoption register's pages: the declaration form (prefilled, refusals, the way back to
the pilot page) and the adoption's page, with their query budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.contrib.messages import get_messages

from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    Indicator,
)
from tests.factories import MemberFactory, StaffFactory
from tests.pilots_factories import AdoptionFactory, IndicatorFactory, PilotFactory

pytestmark = pytest.mark.django_db


def test_the_form_is_prefilled_when_the_municipality_has_declared(member_client, member):
    adoption = AdoptionFactory(municipality=member.municipality, adaptations="Ohne Terminbuchung")

    response = member_client.get(f"/pilotprojekte/{adoption.pilot.slug}/nachnutzen/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ohne Terminbuchung" in page
    assert "Nachnutzung aktualisieren</span></button>" in page


def test_a_declaration_through_the_form_returns_to_the_pilots_section(member_client, member):
    pilot = PilotFactory()
    indicator = IndicatorFactory(pilot=pilot)

    response = member_client.post(
        f"/pilotprojekte/{pilot.slug}/nachnutzen/",
        {
            "state": AdoptionState.PREPARING,
            "started_on": "2025-02-03",
            f"indicator_{indicator.pk}_before": "7.5",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/pilotprojekte/{pilot.slug}/#nachnutzung"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Die Nachnutzung durch {member.municipality.name} wurde gespeichert."
    ]
    adoption = Adoption.objects.get()
    assert adoption.values.get().before == Decimal("7.50")


def test_bad_input_on_the_form_is_explained_and_changes_nothing(member_client):
    pilot = PilotFactory()
    indicator = IndicatorFactory(pilot=pilot)

    response = member_client.post(
        f"/pilotprojekte/{pilot.slug}/nachnutzen/",
        {
            "state": AdoptionState.IMPLEMENTED,
            "started_on": "2025-02-03",
            f"indicator_{indicator.pk}_after": "150",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte geben Sie an, wann die Lösung umgesetzt wurde." in page
    assert "Ein Prozentwert liegt zwischen 0 und 100." in page
    assert Adoption.objects.count() == 0


def _crowded_adoption(items: int) -> Adoption:
    pilot = PilotFactory(contacts=[MemberFactory()])
    adoption = cast(
        Adoption,
        AdoptionFactory(pilot=pilot, contact=MemberFactory(), verified_by=StaffFactory()),
    )
    for n in range(items):
        indicator = cast(Indicator, IndicatorFactory(pilot=pilot))
        AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=indicator, before=n)
        AdoptionStateChange.objects.create(
            adoption=adoption, state=AdoptionState.PREPARING, effective_on=datetime.date(2025, 7, 1)
        )
    return adoption


@pytest.mark.parametrize("items", [1, 30])
def test_the_adoption_page_runs_a_fixed_number_of_queries(
    member_client, django_assert_num_queries, items
):
    adoption = _crowded_adoption(items)
    member_client.get("/")  # the first request of a login stores the session clock

    # session, user, pilot, adoption, history, indicators, values; the chain: idea, counts
    with django_assert_num_queries(9):
        response = member_client.get(
            f"/pilotprojekte/{adoption.pilot.slug}/nachnutzung/{adoption.pk}/"
        )

    assert response.status_code == 200
    assert len(response.context["comparisons"]) == items
    assert len(response.context["history"]) == items + 1


@pytest.mark.parametrize("items", [1, 30])
def test_the_form_runs_a_fixed_number_of_queries(
    member_client, member, django_assert_num_queries, items
):
    adoption = _crowded_adoption(items)
    Adoption.objects.filter(pk=adoption.pk).update(municipality=member.municipality)
    MemberFactory.create_batch(3, municipality=member.municipality)
    member_client.get("/")

    # session, user, pilot, own adoption, indicators, values, municipality, contacts
    with django_assert_num_queries(8):
        response = member_client.get(f"/pilotprojekte/{adoption.pilot.slug}/nachnutzen/")

    assert response.status_code == 200
    assert len(response.context["form"].comparisons) == items
