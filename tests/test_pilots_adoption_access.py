"""Who may do what with adoptions, as a permission matrix: every persona against
viewing an adoption, declaring one for their municipality, correcting one and
confirming one, on a public pilot and on a members' pilot. "Allowed" means the
action took effect; "refused" means nothing changed and the answer was a 404
(or, for anonymous visitors of a page that needs a login, the login page)."""

from __future__ import annotations

from typing import cast

import pytest
from django.test import Client
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.pilots.models import Adoption, AdoptionState, PilotProject
from tests.conftest import login_client
from tests.factories import MemberFactory, ProfileFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "guest", "other_member", "adopting_member", "pilot_contact", "staff"]
ACTIONS = ["view", "declare", "edit", "verify"]
MEMBERS_WITH_A_MUNICIPALITY = {"other_member", "adopting_member", "pilot_contact"}

MEMBERS_PILOT = {
    "view": MEMBERS_WITH_A_MUNICIPALITY | {"staff"},
    "declare": MEMBERS_WITH_A_MUNICIPALITY,
    "edit": {"adopting_member", "staff"},
    "verify": {"staff"},
}
PUBLIC_PILOT = {**MEMBERS_PILOT, "view": set(PERSONAS)}


@pytest.fixture
def people(guest, staff):
    adopting = MemberFactory(first_name="Ada", last_name="Adoptiv")
    contact = MemberFactory(first_name="Konrad", last_name="Kontakt")
    other = MemberFactory(first_name="Otto", last_name="Anders")
    users = {
        "guest": guest,
        "other_member": other,
        "adopting_member": adopting,
        "pilot_contact": contact,
        "staff": staff,
    }
    clients = {"anonymous": Client()} | {name: login_client(user) for name, user in users.items()}
    return users, clients


def _setting(people, visibility: str) -> tuple[PilotProject, Adoption]:
    users, _clients = people
    pilot = cast(
        PilotProject,
        PilotFactory(
            title="Digitale Bauakte", visibility=visibility, contacts=[users["pilot_contact"]]
        ),
    )
    adoption = cast(
        Adoption,
        AdoptionFactory(
            pilot=pilot, municipality=users["adopting_member"].municipality, state="interessiert"
        ),
    )
    return pilot, adoption


def _act(client: Client, action: str, pilot: PilotProject, adoption: Adoption):
    base = f"/pilotprojekte/{pilot.slug}/"
    if action == "view":
        return client.get(f"{base}nachnutzung/{adoption.pk}/")
    if action == "declare":
        return client.post(
            f"{base}nachnutzen/",
            {"state": AdoptionState.PREPARING, "started_on": "2025-06-01"},
        )
    if action == "edit":
        return client.post(
            f"{base}nachnutzung/{adoption.pk}/bearbeiten/",
            {
                "state": AdoptionState.IMPLEMENTED,
                "started_on": "2025-06-01",
                "implemented_on": "2025-07-01",
            },
        )
    return client.post(f"{base}nachnutzung/{adoption.pk}/bestaetigen/")


def _took_effect(action: str, persona: str, users, adoption: Adoption, response) -> bool:
    if action == "declare":
        person = users.get(persona)
        return Adoption.objects.filter(
            pilot=adoption.pilot,
            municipality_id=person.municipality_id if person else -1,
            state=AdoptionState.PREPARING,
        ).exists()
    if action == "edit":
        return Adoption.objects.get(pk=adoption.pk).state == AdoptionState.IMPLEMENTED
    if action == "verify":
        return Adoption.objects.get(pk=adoption.pk).verified_at is not None
    return response.status_code == 200


def _refused_properly(persona: str, response) -> bool:
    if response.status_code == 404:
        return True
    return (
        persona == "anonymous"
        and response.status_code == 302
        and response["Location"].startswith("/konto/anmelden/")
    )


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.PUBLIC])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(people, persona, action, visibility):
    users, clients = people
    pilot, adoption = _setting(people, visibility)
    allowed = (MEMBERS_PILOT if visibility == Visibility.MEMBERS else PUBLIC_PILOT)[action]
    adoptions_before = Adoption.objects.count()

    response = _act(clients[persona], action, pilot, adoption)

    if persona in allowed:
        assert _took_effect(action, persona, users, adoption, response), response.status_code
        assert response.status_code in (200, 302)
    else:
        assert not _took_effect(action, persona, users, adoption, response)
        assert Adoption.objects.count() == adoptions_before
        assert _refused_properly(persona, response), (
            response.status_code,
            response.get("Location"),
        )


@pytest.mark.parametrize("persona", ["anonymous", "guest"])
def test_a_members_pilots_adoption_answers_404_to_the_public_and_guests(people, persona):
    _users, clients = people
    pilot, adoption = _setting(people, Visibility.MEMBERS)

    response = clients[persona].get(f"/pilotprojekte/{pilot.slug}/nachnutzung/{adoption.pk}/")

    assert response.status_code == 404


def test_an_adoption_is_only_found_under_its_own_pilot(member_client):
    adoption = AdoptionFactory()
    other = PilotFactory()

    response = member_client.get(f"/pilotprojekte/{other.slug}/nachnutzung/{adoption.pk}/")

    assert response.status_code == 404


def test_a_declaration_never_reaches_another_municipality(people):
    users, clients = people
    pilot, adoption = _setting(people, Visibility.PUBLIC)

    clients["other_member"].post(
        f"/pilotprojekte/{pilot.slug}/nachnutzen/",
        {
            "state": AdoptionState.GIVEN_UP,
            "started_on": "2025-06-01",
            "given_up_on": "2025-06-02",
            "given_up_reason": "Zu teuer",
            "municipality": users["adopting_member"].municipality_id,
        },
    )

    adoption.refresh_from_db()
    assert adoption.state == AdoptionState.INTERESTED
    assert Adoption.objects.get(municipality=users["other_member"].municipality).state == (
        AdoptionState.GIVEN_UP
    )


def test_a_member_without_a_municipality_gets_no_form():
    pilot = PilotFactory()
    client = login_client(MemberFactory(municipality=None))

    response = client.get(f"/pilotprojekte/{pilot.slug}/nachnutzen/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "public_listing", "shown"),
    [
        ("anonymous", False, False),
        ("anonymous", True, True),
        ("guest", False, False),
        ("other_member", False, True),
        ("staff", False, True),
    ],
)
def test_the_contact_person_is_named_as_the_policy_allows(people, persona, public_listing, shown):
    _users, clients = people
    pilot, adoption = _setting(people, Visibility.PUBLIC)
    contact = MemberFactory(
        municipality=adoption.municipality, first_name="Clara", last_name="Kontaktperson"
    )
    ProfileFactory(user=contact, public_listing=public_listing)
    adoption.contact = contact
    adoption.save()

    response = clients[persona].get(f"/pilotprojekte/{pilot.slug}/nachnutzung/{adoption.pk}/")

    assert response.status_code == 200
    assert ("Clara Kontaktperson" in response.content.decode()) is shown


def test_the_office_takes_a_confirmation_back(people):
    _users, clients = people
    pilot, adoption = _setting(people, Visibility.PUBLIC)
    url = f"/pilotprojekte/{pilot.slug}/nachnutzung/{adoption.pk}/"
    clients["staff"].post(f"{url}bestaetigen/", {"aktion": "bestaetigen"})
    assert "Von der Geschäftsstelle bestätigt am" in clients["anonymous"].get(url).content.decode()

    response = clients["staff"].post(f"{url}bestaetigen/", {"aktion": "zuruecknehmen"})

    assert response.status_code == 302
    assert Adoption.objects.get(pk=adoption.pk).verified_at is None
    page = clients["staff"].get(url).content.decode()
    assert "Bestätigen" in page
    assert "Noch nicht von der Geschäftsstelle bestätigt" in page


def test_the_verification_needs_a_post(people):
    _users, clients = people
    pilot, adoption = _setting(people, Visibility.PUBLIC)

    response = clients["staff"].get(
        f"/pilotprojekte/{pilot.slug}/nachnutzung/{adoption.pk}/bestaetigen/"
    )

    assert response.status_code == 405
    assert Adoption.objects.get(pk=adoption.pk).verified_at is None


def test_dates_today_are_accepted(member_client, member):
    pilot = PilotFactory()
    today = timezone.localdate().isoformat()

    response = member_client.post(
        f"/pilotprojekte/{pilot.slug}/nachnutzen/",
        {"state": AdoptionState.IMPLEMENTED, "started_on": today, "implemented_on": today},
    )

    assert response.status_code == 302
    assert Adoption.objects.get(municipality=member.municipality).implemented_on.isoformat() == (
        today
    )
