"""The start page names the pilots most municipalities adopt, as far as the visitor may see them."""

from __future__ import annotations

from innoclub.core.access import Visibility
from innoclub.pilots.models import AdoptionState
from tests.pilots_factories import AdoptionFactory, PilotFactory


def test_the_start_page_shows_the_most_adopted_pilots_the_visitor_may_see(
    anon_client, member_client
):
    popular = PilotFactory(title="Digitale Bauakte")
    AdoptionFactory.create_batch(3, pilot=popular)
    AdoptionFactory(pilot=popular, state=AdoptionState.GIVEN_UP)
    shared = PilotFactory(title="Rufbus im Landkreis", visibility=Visibility.MEMBERS)
    AdoptionFactory.create_batch(5, pilot=shared)
    PilotFactory(title="Noch ohne Nachnutzung")

    public = anon_client.get("/").content.decode()
    members = member_client.get("/").content.decode()

    assert "Pilotprojekte, die Schule machen" in public
    assert 'href="/pilotprojekte/' + popular.slug + '/">Digitale Bauakte</a>' in public
    assert "3 Kommunen nutzen es nach" in public
    assert "Rufbus im Landkreis" not in public
    assert "Noch ohne Nachnutzung" not in public
    assert members.index("Rufbus im Landkreis") < members.index("Digitale Bauakte")


def test_without_adopted_pilots_the_start_page_has_no_pilot_section(db, anon_client):
    PilotFactory()

    assert "Pilotprojekte, die Schule machen" not in anon_client.get("/").content.decode()
