"""A pilot's reusable documents: uploads by editors, versions 1, 2, 3 …, checks of
type and size, and downloads only for those who see the pilot."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from innoclub.core.access import Visibility
from innoclub.pilots import documents
from innoclub.pilots.models import DocumentKind, DocumentVersion, PilotDocument
from tests.conftest import login_client
from tests.factories import MemberFactory
from tests.pilots_factories import PilotFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<w/>")
    return out.getvalue()


# Built once: a zip carries the time it was written, so two builds can differ.
XLSX = _xlsx()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contact():
    return MemberFactory(first_name="Clara", last_name="Kontakt")


@pytest.fixture
def pilot(contact):
    return PilotFactory(slug="bauakte", contacts=[contact])


def upload_new(client, pilot, name: str, content: bytes, title: str = "Mustervorlage"):
    return client.post(
        f"/pilotprojekte/{pilot.slug}/dokumente/neu/",
        {
            "kind": DocumentKind.RESOLUTION,
            "title": title,
            "description": "Für den Hauptausschuss.",
            "upload": SimpleUploadedFile(name, content),
        },
    )


def test_a_contact_person_adds_a_document_and_then_new_versions(pilot, contact):
    client = login_client(contact)

    response = upload_new(client, pilot, "Vorlage.pdf", PDF)
    document = PilotDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pilotprojekte/bauakte/dokumente/{document.pk}/"

    for note in ("Beträge 2026", "Rechtschreibung"):
        response = client.post(
            f"/pilotprojekte/bauakte/dokumente/{document.pk}/neue-version/",
            {"upload": SimpleUploadedFile("Vorlage-neu.xlsx", XLSX), "note": note},
        )
        assert response.status_code == 302

    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.note, v.uploaded_by) for v in versions] == [
        (1, "", contact),
        (2, "Beträge 2026", contact),
        (3, "Rechtschreibung", contact),
    ]
    assert versions[2].content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    page = client.get(f"/pilotprojekte/bauakte/dokumente/{document.pk}/").content.decode()
    assert "Version 3: Vorlage-neu.xlsx" in page
    assert "Rechtschreibung" in page


def test_the_newest_version_and_each_older_one_download_with_safe_headers(pilot, anon_client):
    document = documents.document_add(
        pilot=pilot,
        kind=DocumentKind.COSTS,
        title="Kosten",
        upload=SimpleUploadedFile("Kosten <2025>.pdf", PDF),
        by=MemberFactory(),
    )
    documents.document_version_add(
        document=document, upload=SimpleUploadedFile("Kosten.xlsx", XLSX), by=MemberFactory()
    )
    base = f"/pilotprojekte/bauakte/dokumente/{document.pk}"

    latest = anon_client.get(f"{base}/datei/")
    first = anon_client.get(f"{base}/v1/")

    assert b"".join(latest.streaming_content) == XLSX
    assert latest["Content-Disposition"] == 'attachment; filename="kosten-v2.xlsx"'
    assert b"".join(first.streaming_content) == PDF
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="kosten-2025-v1.pdf"'
    assert first["X-Content-Type-Options"] == "nosniff"
    assert first["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert anon_client.get(f"{base}/v3/").status_code == 404


def test_documents_of_a_members_pilot_are_hidden_from_the_public(anon_client, member_client):
    pilot = PilotFactory(visibility=Visibility.MEMBERS)
    document = documents.document_add(
        pilot=pilot,
        kind=DocumentKind.TENDER,
        title="Ausschreibung",
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=MemberFactory(),
    )
    base = f"/pilotprojekte/{pilot.slug}/dokumente/{document.pk}"

    assert anon_client.get(f"{base}/datei/").status_code == 404
    assert anon_client.get(f"{base}/v1/").status_code == 404
    assert anon_client.get(f"{base}/").status_code == 404
    assert member_client.get(f"{base}/datei/").status_code == 200


def test_a_document_cannot_be_reached_through_another_pilot(pilot, anon_client):
    other = PilotFactory()
    document = documents.document_add(
        pilot=other,
        kind=DocumentKind.OTHER,
        title="Fremd",
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=MemberFactory(),
    )

    assert (
        anon_client.get(f"/pilotprojekte/bauakte/dokumente/{document.pk}/datei/").status_code == 404
    )
    assert anon_client.get(f"/pilotprojekte/bauakte/dokumente/{document.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "Vorlage.pdf",
            PNG,
            "Der Inhalt der Datei passt nicht zur Dateiendung „.pdf“. "
            "Bitte laden Sie die Originaldatei hoch.",
        ),
        ("Vorlage.exe", b"MZ\x90\x00", "Dateien dieses Typs können nicht hochgeladen werden."),
        ("Vorlage.pdf", b"", "Die übertragene Datei ist leer."),
    ],
)
def test_disguised_or_wrong_files_are_refused_and_nothing_is_stored(
    pilot, contact, tmp_path, name, content, message
):
    response = upload_new(login_client(contact), pilot, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert PilotDocument.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_a_file_over_ten_megabytes_is_refused_with_a_message(pilot, contact, tmp_path):
    big = PDF + b"0" * (10 * 1024 * 1024)

    response = upload_new(login_client(contact), pilot, "gross.pdf", big)

    assert response.status_code == 400
    assert (
        "Die Datei ist größer als 10 MB. Bitte wählen Sie eine kleinere Datei oder "
        "verkleinern Sie sie." in response.content.decode()
    )
    assert PilotDocument.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_a_refused_new_version_keeps_the_old_ones(pilot, contact):
    document = documents.document_add(
        pilot=pilot,
        kind=DocumentKind.COSTS,
        title="Kosten",
        upload=SimpleUploadedFile("k.pdf", PDF),
        by=contact,
    )

    with pytest.raises(ValidationError):
        documents.document_version_add(
            document=document, upload=SimpleUploadedFile("k.pdf", PNG), by=contact
        )
    response = login_client(contact).post(
        f"/pilotprojekte/bauakte/dokumente/{document.pk}/neue-version/",
        {"upload": SimpleUploadedFile("k.docx", PDF)},
    )

    assert response.status_code == 400
    assert "Bitte laden Sie die Originaldatei hoch." in response.content.decode()
    assert list(document.versions.values_list("number", flat=True)) == [1]


def test_a_document_without_title_or_kind_is_refused():
    pilot = PilotFactory()

    with pytest.raises(ValidationError) as refusal:
        documents.document_add(
            pilot=pilot,
            kind="geheim",
            title=" ",
            upload=SimpleUploadedFile("k.pdf", PDF),
            by=MemberFactory(),
        )

    assert refusal.value.message_dict == {
        "kind": ["Bitte wählen Sie die Art des Dokuments."],
        "title": ["Bitte geben Sie dem Dokument einen Titel."],
    }
    assert PilotDocument.objects.count() == 0


@pytest.mark.parametrize("persona", ["anon_client", "guest_client", "member_client"])
def test_only_editors_upload(request, persona, pilot):
    client = request.getfixturevalue(persona)
    document = documents.document_add(
        pilot=pilot,
        kind=DocumentKind.COSTS,
        title="Kosten",
        upload=SimpleUploadedFile("k.pdf", PDF),
        by=MemberFactory(),
    )

    new = upload_new(client, pilot, "Vorlage.pdf", PDF)
    version = client.post(
        f"/pilotprojekte/bauakte/dokumente/{document.pk}/neue-version/",
        {"upload": SimpleUploadedFile("k.pdf", PDF)},
    )

    expected = 302 if persona == "anon_client" else 404
    assert (new.status_code, version.status_code) == (expected, expected)
    if persona == "anon_client":
        assert new["Location"].startswith("/konto/anmelden/")
    assert PilotDocument.objects.count() == 1
    assert DocumentVersion.objects.count() == 1
    page = client.get(f"/pilotprojekte/bauakte/dokumente/{document.pk}/").content.decode()
    assert "neue-version" not in page


@pytest.mark.django_db(transaction=True)
def test_simultaneous_new_versions_get_consecutive_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pilot = PilotFactory()
    editor = MemberFactory()
    document = documents.document_add(
        pilot=pilot,
        kind=DocumentKind.COSTS,
        title="Kosten",
        upload=SimpleUploadedFile("k.pdf", PDF),
        by=editor,
    )
    threads_count, per_thread = 4, 3
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                documents.document_version_add(
                    document=document, upload=SimpleUploadedFile("k.pdf", PDF), by=editor
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(document.versions.values_list("number", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 2))
