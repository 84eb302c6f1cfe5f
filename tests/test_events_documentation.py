"""Documentation of a session: texts, uploads checked by content and size, safe downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from innoclub.core.access import Visibility
from innoclub.events.documentation import MAX_BYTES
from innoclub.events.models import SessionFile
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def session():
    return SessionFactory(
        event=EventFactory(slug="forum"), slug="waermeplanung", title="Workshop Wärmeplanung"
    )


def office_url(session) -> str:
    return f"/geschaeftsstelle/foren/{session.event.slug}/programm/{session.slug}/dokumentation/"


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(out, format="PNG")
    return out.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
PPTX = zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
ODP = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<x/>"}
)
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def upload(staff_client, session, name: str, content: bytes, title: str = "Folien"):
    return staff_client.post(
        office_url(session),
        {"part": "file", "title": title, "upload": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("folien.pdf", PDF, "application/pdf"),
        ("bild.png", png(), "image/png"),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 100, "image/jpeg"),
        (
            "bericht.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "folien.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("zahlen.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("folien.odp", ODP, "application/vnd.oasis.opendocument.presentation"),
        ("bericht.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_office_uploads_an_allowed_file(staff_client, session, name, content, content_type):
    response = upload(staff_client, session, name, content)

    assert response.status_code == 302
    (stored,) = SessionFile.objects.filter(session=session)
    assert stored.content_type == content_type
    assert stored.size == len(content)
    assert stored.title == "Folien"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("folien.pdf", b"MZ\x90\x00" + b"\0" * 100),  # a Windows program named .pdf
        ("folien.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("bericht.docx", zipped({"evil.html": b"<html/>"})),  # a ZIP, but no Word document
        ("bericht.docx", PPTX),  # a presentation named as Word document
        ("folien.pdf", png()),
        ("programm.exe", b"MZ\x90\x00"),
        ("seite.html", b"<html></html>"),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("leer.pdf", b""),
    ],
)
def test_disguised_or_wrong_files_are_refused_and_nothing_is_stored(
    staff_client, session, tmp_path, name, content
):
    response = upload(staff_client, session, name, content)

    assert response.status_code == 400
    assert len(response.context["upload"].errors["upload"]) == 1
    assert SessionFile.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_oversized_file_is_refused_with_a_message(staff_client, session, tmp_path):
    response = upload(staff_client, session, "gross.pdf", PDF + b"0" * MAX_BYTES)

    assert response.status_code == 400
    assert "25 MB" in response.context["upload"].errors["upload"][0]
    assert SessionFile.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_office_saves_summary_and_results(staff_client, session):
    response = staff_client.post(
        office_url(session), {"part": "texts", "summary": "Drei **Ideen**.", "results": "- Pilot"}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.summary, session.results, session.sequence) == ("Drei **Ideen**.", "- Pilot", 0)


@pytest.mark.parametrize("persona", ["member_client", "guest_client"])
def test_documentation_page_is_for_the_office_only(request, persona, session):
    client = request.getfixturevalue(persona)

    assert client.get(office_url(session)).status_code == 404
    assert client.post(office_url(session), {"part": "texts", "summary": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.summary == ""


def test_office_deletes_a_file(staff_client, session, tmp_path):
    upload(staff_client, session, "folien.pdf", PDF)
    stored = SessionFile.objects.get()

    response = staff_client.post(f"{office_url(session)}dateien/{stored.pk}/loeschen/")

    assert response.status_code == 302
    assert SessionFile.objects.count() == 0


def test_file_of_another_session_cannot_be_deleted_here(staff_client, session):
    other = SessionFactory(event=session.event)
    upload(staff_client, other, "folien.pdf", PDF)
    stored = SessionFile.objects.get()

    response = staff_client.post(f"{office_url(session)}dateien/{stored.pk}/loeschen/")

    assert response.status_code == 404
    assert SessionFile.objects.count() == 1


# --- Downloads ------------------------------------------------------------------


def test_download_is_an_attachment_with_safe_headers(staff_client, anon_client, session):
    upload(staff_client, session, "Präsentation <script>.pdf", PDF, title="Folien: Wärme & Netze")
    stored = SessionFile.objects.get()

    response = anon_client.get(f"/foren/forum/programm/waermeplanung/dateien/{stored.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="folien-warme-netze.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF


def test_download_through_another_session_answers_404(staff_client, anon_client, session):
    other = SessionFactory(event=session.event, slug="andere")
    upload(staff_client, other, "folien.pdf", PDF)
    stored = SessionFile.objects.get()

    response = anon_client.get(f"/foren/forum/programm/waermeplanung/dateien/{stored.pk}/")

    assert response.status_code == 404


def test_download_of_a_hidden_event_answers_404(staff_client, anon_client, member_client):
    session = SessionFactory(
        event=EventFactory(slug="intern", visibility=Visibility.MEMBERS), slug="s"
    )
    upload(staff_client, session, "folien.pdf", PDF)
    stored = SessionFile.objects.get()
    url = f"/foren/intern/programm/s/dateien/{stored.pk}/"

    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200


def test_session_page_shows_the_documentation(staff_client, anon_client, session):
    staff_client.post(
        office_url(session), {"part": "texts", "summary": "Drei **Ideen**.", "results": ""}
    )
    upload(staff_client, session, "folien.pdf", PDF, title="Folien des Workshops")
    stored = SessionFile.objects.get()

    content = anon_client.get("/foren/forum/programm/waermeplanung/").content.decode()

    assert "Drei <strong>Ideen</strong>." in content
    assert f'href="/foren/forum/programm/waermeplanung/dateien/{stored.pk}/"' in content
    assert "Folien des Workshops" in content
