"""Name badges as a PDF: confirmed on-site participants by last name, eight per page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from innoclub.events.models import Attendance, RegistrationStatus
from tests.factories import (
    EventFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(slug="forum", title="23. Deutschlandforum")


def test_badges_pdf_has_the_confirmed_on_site_participants_by_last_name(staff_client, event):
    town = MunicipalityFactory(name="Heidelberg")
    for last_name in ["Zander", "Albers", "Meier"]:
        ProfileFactory(
            user=RegistrationFactory(
                event=event,
                user=MemberFactory(first_name="Eva", last_name=last_name, municipality=town),
            ).user
        )
    RegistrationFactory(
        event=event, user=MemberFactory(last_name="Wartend"), status=RegistrationStatus.WAITLISTED
    )
    RegistrationFactory(
        event=event, user=MemberFactory(last_name="Digital"), attendance=Attendance.ONLINE
    )

    response = staff_client.get("/geschaeftsstelle/foren/forum/namensschilder.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.index("Eva Albers") < text.index("Eva Meier") < text.index("Eva Zander")
    assert "Bürgermeister:in · Heidelberg" in text
    assert "23. DEUTSCHLANDFORUM" in text  # printed in capitals
    assert "Wartend" not in text
    assert "Digital" not in text


def test_badges_fill_eight_per_page(staff_client, event):
    for _ in range(9):
        RegistrationFactory(event=event)

    response = staff_client.get("/geschaeftsstelle/foren/forum/namensschilder.pdf")

    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_badges_are_for_the_office_only(member_client, event):
    assert member_client.get("/geschaeftsstelle/foren/forum/namensschilder.pdf").status_code == 404
