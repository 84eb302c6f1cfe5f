"""The permission matrix of pilot projects, as adhocracy+ writes it: every persona
against every action, on a public pilot and on one for members. "Allowed" means
the page opened or the change took effect; "refused" means nothing changed and
the answer was a 404 (or, for anonymous visitors of a page that needs a login,
the login page)."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from innoclub.core.access import Visibility
from innoclub.pilots import documents
from innoclub.pilots.models import DocumentKind, PilotProject, PilotState
from tests.conftest import login_client
from tests.factories import MemberFactory
from tests.pilots_factories import PilotFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PERSONAS = ["anonymous", "guest", "member", "contact", "staff"]
EDITORS = {"contact", "staff"}
READ_ACTIONS = ["list", "detail", "factsheet", "document", "document page"]
EDIT_PAGES = [
    "bearbeiten/",
    "bearbeiten/beteiligte/",
    "bearbeiten/meilensteine/",
    "bearbeiten/finanzierung/",
    "bearbeiten/indikatoren/",
    "dokumente/neu/",
]
# Who may do what, per visibility of the pilot.
READERS = {
    Visibility.PUBLIC: set(PERSONAS),
    Visibility.MEMBERS: {"member", "contact", "staff"},
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clients(guest, member, staff):
    contact = MemberFactory(first_name="Clara", last_name="Kontakt")
    return {
        "anonymous": Client(),
        "guest": login_client(guest),
        "member": login_client(member),
        "contact": login_client(contact),
        "staff": login_client(staff),
    }, contact


def _pilot(visibility: str, contact) -> PilotProject:
    pilot = cast(
        PilotProject,
        PilotFactory(
            title="Bürgerbus auf Abruf",
            slug="buergerbus",
            visibility=visibility,
            contacts=[contact],
        ),
    )
    documents.document_add(
        pilot=pilot,
        kind=DocumentKind.TENDER,
        title="Ausschreibung",
        upload=SimpleUploadedFile("ausschreibung.pdf", PDF),
        by=contact,
    )
    return pilot


def _refused(response) -> bool:
    if response.status_code == 302:
        return bool(response["Location"].startswith("/konto/anmelden/"))
    return bool(response.status_code == 404)


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("action", READ_ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_a_pilot_its_fact_sheet_and_documents(clients, persona, action, visibility):
    by_persona, contact = clients
    client = by_persona[persona]
    pilot = _pilot(visibility, contact)
    document = pilot.documents.get()
    base = f"/pilotprojekte/{pilot.slug}/"

    if action == "list":
        listed = client.get("/pilotprojekte/").context["page"].object_list
        assert (pilot in listed) == (persona in READERS[visibility])
        return
    response = client.get(
        {
            "detail": base,
            "factsheet": f"{base}steckbrief.pdf",
            "document": f"{base}dokumente/{document.pk}/datei/",
            "document page": f"{base}dokumente/{document.pk}/",
        }[action]
    )

    if persona in READERS[visibility]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("page", EDIT_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_and_the_contact_people_open_the_edit_pages(
    clients, persona, page, visibility
):
    by_persona, contact = clients
    pilot = _pilot(visibility, contact)

    response = by_persona[persona].get(f"/pilotprojekte/{pilot.slug}/{page}")

    if persona in EDITORS:
        assert response.status_code == 200
    else:
        assert _refused(response)


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_and_the_contact_people_change_a_pilot(clients, persona, visibility):
    by_persona, contact = clients
    pilot = _pilot(visibility, contact)
    data = {"title": "Bürgerbus auf Abruf", "results": "Doppelt so viele Fahrgäste."}
    if persona == "staff":
        data.update(state=PilotState.RUNNING, visibility=visibility)

    response = by_persona[persona].post(f"/pilotprojekte/{pilot.slug}/bearbeiten/", data)

    pilot.refresh_from_db()
    if persona in EDITORS:
        assert response.status_code == 302
        assert pilot.results == "Doppelt so viele Fahrgäste."
    else:
        assert _refused(response)
        assert pilot.results == ""


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_creates_a_pilot(clients, persona):
    by_persona, _contact = clients
    client = by_persona[persona]

    page = client.get("/pilotprojekte/neu/")
    response = client.post(
        "/pilotprojekte/neu/",
        {"title": "Leihräder", "state": PilotState.PLANNED, "visibility": Visibility.MEMBERS},
    )

    created = PilotProject.objects.filter(title="Leihräder").exists()
    if persona == "staff":
        assert page.status_code == 200
        assert response.status_code == 302
        assert created
    else:
        assert _refused(page)
        assert _refused(response)
        assert not created
