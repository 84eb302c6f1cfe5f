"""A member takes a copy of their data (GDPR Art. 15/20): what is in it, what is
not, and who may fetch it how often."""

from __future__ import annotations

import csv
import datetime
import io
import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.test import Client
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from innoclub.accounts.models import DataExport, ExportStatus, User
from innoclub.accounts.personal_data import data_export_purge_expired, data_export_request
from innoclub.accounts.views.personal_data import SESSION_KEY
from innoclub.api.tokens import token_create
from innoclub.audit.models import Action, AuditEvent
from innoclub.audit.services import audit_record
from innoclub.events.models import AgendaItem, FeedbackSubmission
from innoclub.ideas.models import NotificationSetting, Score
from innoclub.network.models import NominationState
from innoclub.pilots.models import AdoptionState
from innoclub.workshops.models import Placement, PlacementSource, WorkshopChoice
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    MemberFactory,
    NominationFactory,
    ProfileFactory,
    RegistrationFactory,
    SpeakerFactory,
    TopicFactory,
)
from tests.ideas_factories import (
    CommentFactory,
    CriterionFactory,
    EvaluationAssignmentFactory,
    FollowFactory,
    IdeaFactory,
    IdeaGroupFactory,
    PilotInterestFactory,
    SupportFactory,
)
from tests.pilots_factories import AdoptionFactory, PilotFactory
from tests.workshops_factories import WorkshopSessionFactory

REQUEST = "/konto/datenexport/"
# Somebody else, who must appear nowhere in the member's file.
STRANGER = {"first_name": "Zacharias", "last_name": "Fremdling", "email": "fremd@example.org"}
STRANGER_TRACES = ("Zacharias", "Fremdling", "fremd@example.org", "Fremde Meinung", "Laktosefrei")


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://innoclub.example"
    return settings.MEDIA_ROOT


@pytest.fixture
def stranger(db):
    return MemberFactory(**STRANGER)


@pytest.fixture
def rich_member(member, stranger):
    """The member with something in every area, next to the stranger's own data."""
    profile = ProfileFactory(
        user=member,
        phone="+49 6151 12345",
        show_phone=False,
        academic_title="Dr.",
        bio="Seit 2015 im Amt.",
    )
    profile.topics.set([TopicFactory(name="Wärmeplanung", slug="waermeplanung")])
    profile.photo.save("foto.jpg", ContentFile(b"\xff\xd8\xff\xe0JPEGDATA"), save=True)
    SpeakerFactory(user=member, name="Dr. Thomas Berger", bio="Spricht über Wärme.")
    TOTPDevice.objects.create(user=member, name="App", confirmed=True)
    IdeaGroupFactory(name="Arbeitskreis Energie", members=[member, stranger])

    event = EventFactory(title="Deutschlandforum 23")
    registration = RegistrationFactory(
        event=event, user=member, dietary_needs="Vegetarisch", accessibility_needs="Rampe"
    )
    registration.checked_in_at = timezone.now()
    registration.save()
    RegistrationFactory(event=event, user=stranger, dietary_needs="Laktosefrei")
    workshop = WorkshopSessionFactory(event=event, title="Werkstatt Wärmenetze")
    WorkshopChoice.objects.create(registration=registration, session=workshop, rank=1)
    Placement.objects.create(
        registration=registration, session=workshop, rank=1, source=PlacementSource.SOLVER
    )
    AgendaItem.objects.create(user=member, session=workshop)
    FeedbackSubmission.objects.create(user=member, event=event)

    idea = IdeaFactory(title="Kommunale Wärmeplanung teilen", authors=[member, stranger])
    IdeaFactory(title="Fremde Idee", authors=[stranger])
    comment = CommentFactory(idea=idea, author=member, body='=HYPERLINK("http://x")')
    CommentFactory(idea=idea, author=stranger, parent=comment, body="Fremde Meinung dazu")
    other_idea = IdeaFactory(title="Offene Daten für alle", authors=[stranger])
    SupportFactory(idea=other_idea, user=member)
    SupportFactory(idea=idea, user=stranger)
    FollowFactory(idea=other_idea, user=member)
    PilotInterestFactory(idea=other_idea, user=member, note="Wir wären dabei.")
    NotificationSetting.objects.create(user=member, frequency="daily")
    assignment = EvaluationAssignmentFactory(idea=other_idea, evaluator=member, note="Gut.")
    Score.objects.create(
        assignment=assignment, criterion=CriterionFactory(name="Übertragbarkeit"), value=4
    )

    pilot = PilotFactory(title="Digitale Bauakte", contacts=[member])
    AdoptionFactory(
        pilot=pilot,
        municipality=member.municipality,
        declared_by=member,
        state=AdoptionState.IMPLEMENTED,
        adaptations="Mit eigenem Formular.",
        contact=member,
    )
    NominationFactory(
        nominated_by=member,
        first_name="Jana",
        last_name="Neumann",
        email="jana.neumann@example.org",
        reason="Hat die Bauakte eingeführt.",
        state=NominationState.ACCEPTED,
    )
    token_create(user=member, name="Auswertung", scope="read", days=30)
    token_create(user=stranger, name="Fremdes Skript", scope="read", days=30)
    audit_record(action=Action.LOGIN, actor=member)
    audit_record(action=Action.LOGIN, actor=stranger)
    return member


def request_export(client: Client, capture: Any) -> str:
    """Ask for the export (its task runs at once) and return the download link."""
    with capture(execute=True):
        response = client.post(REQUEST)
    assert response.status_code == 302
    assert response["Location"] == "/konto/#meine-daten"
    return f"/konto/datenexport/{client.session[SESSION_KEY]['token']}/"


def download(client: Client, link: str) -> zipfile.ZipFile:
    response = client.get(link)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def section(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    rows = json.loads(archive.read(f"json/{name}.json"))
    csv_rows = list(
        csv.DictReader(
            io.StringIO(archive.read(f"csv/{name}.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(csv_rows) == len(rows)
    return rows


def test_the_file_holds_every_area_of_the_members_data(
    rich_member, member_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    archive = download(member_client, link)

    [account] = section(archive, "konto")
    assert account["e_mail"] == "mitglied@example.org"
    assert (account["vorname"], account["nachname"]) == ("Thomas", "Berger")
    assert account["rolle"] == "Mitglied"
    assert account["kommune"] == rich_member.municipality.name
    assert account["zwei_faktor_aktiv"] is True
    assert account["ideengruppen"] == "Arbeitskreis Energie"
    [profile] = section(archive, "profil")
    # Fields the member hides from others are theirs to see.
    assert (profile["telefon"], profile["zeigt_telefon"]) == ("+49 6151 12345", False)
    assert profile["themen"] == "Wärmeplanung"
    assert profile["foto"] == "dateien/profilfoto.jpg"
    assert archive.read("dateien/profilfoto.jpg") == b"\xff\xd8\xff\xe0JPEGDATA"
    assert section(archive, "referentenprofil")[0]["kurzbiografie"] == "Spricht über Wärme."
    [registration] = section(archive, "anmeldungen")
    assert registration["veranstaltung"] == "Deutschlandforum 23"
    assert (registration["ernaehrung"], registration["barrierefreiheit"]) == (
        "Vegetarisch",
        "Rampe",
    )
    assert registration["status"] == "Bestätigt"
    assert registration["eingecheckt_am"] is not None
    assert section(archive, "workshop_wuensche")[0]["workshop"] == "Werkstatt Wärmenetze"
    assert section(archive, "workshop_zuteilungen")[0]["rang_ihres_wunsches"] == 1
    assert section(archive, "agenda")[0]["programmpunkt"] == "Werkstatt Wärmenetze"
    assert section(archive, "umfragen") == [{"veranstaltung": "Deutschlandforum 23"}]
    [idea] = section(archive, "ideen")
    assert (idea["titel"], idea["phase"]) == ("Kommunale Wärmeplanung teilen", "Idee")
    assert idea["problem"] == "Bürger:innen warten wochenlang auf einen Termin."
    [comment] = section(archive, "kommentare")
    assert comment["kommentar"] == '=HYPERLINK("http://x")'
    assert section(archive, "unterstuetzungen")[0]["idee"] == "Offene Daten für alle"
    assert section(archive, "gefolgte_ideen")[0]["idee"] == "Offene Daten für alle"
    assert section(archive, "pilotinteresse")[0]["notiz"] == "Wir wären dabei."
    assert section(archive, "benachrichtigungen")[0]["selbst_eingestellt"] is True
    [evaluation] = section(archive, "bewertungen")
    assert (evaluation["punkte"], evaluation["notiz"]) == ("Übertragbarkeit: 4", "Gut.")
    [adoption] = section(archive, "nachnutzungen")
    assert (adoption["pilotprojekt"], adoption["anpassungen"]) == (
        "Digitale Bauakte",
        "Mit eigenem Formular.",
    )
    assert [row["rolle"] for row in section(archive, "ansprechperson")] == [
        "Ansprechperson des Pilotprojekts",
        "Ansprechperson der Nachnutzung",
    ]
    [nomination] = section(archive, "vorschlaege")
    assert nomination["vorgeschlagene_person"] == "Jana Neumann"
    assert nomination["ihre_begruendung"] == "Hat die Bauakte eingeführt."
    assert "jana.neumann@example.org" not in json.dumps(nomination)
    [token] = section(archive, "api_tokens")
    assert token["name"] == "Auswertung"
    assert token["beginnt_mit"].startswith("ic_")
    events = section(archive, "sicherheitsprotokoll")
    with translation.override("de"):
        login, exported = str(Action.LOGIN.label), str(Action.PERSONAL_DATA_EXPORTED.label)
    assert {row["ereignis"] for row in events} == {login, exported}
    assert len(events) == AuditEvent.objects.filter(actor=rich_member).count() - 1

    readme = archive.read("README.txt").decode()
    assert "Ihre Daten aus innoclub" in readme
    assert "mitglied@example.org" in readme
    assert "kommentare:" in readme


def test_the_file_holds_nothing_about_anyone_else(
    rich_member, member_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    archive = download(member_client, link)

    everything = "\n".join(
        archive.read(name).decode("utf-8-sig")
        for name in archive.namelist()
        if "." in name and not name.endswith(".jpg")
    )
    for trace in STRANGER_TRACES:
        assert trace not in everything
    assert "Fremde Idee" not in everything
    assert "Fremdes Skript" not in everything
    assert "jana.neumann@example.org" not in everything
    # No credential of the member either: neither token digests nor the check-in code.
    digest = rich_member.api_tokens.get().digest
    assert digest not in everything
    assert str(rich_member.registrations.get().code) not in everything


def test_spreadsheet_formulas_in_the_members_text_are_neutralised(
    rich_member, member_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    archive = download(member_client, link)

    text = archive.read("csv/kommentare.csv").decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["kommentar"] == '\'=HYPERLINK("http://x")'
    assert row["antwort_auf_einen_kommentar"] == "nein"


def test_a_member_without_any_data_gets_empty_sections(
    member, member_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    archive = download(member_client, link)

    assert json.loads(archive.read("json/ideen.json")) == []
    assert archive.read("csv/ideen.csv") == b""
    assert json.loads(archive.read("json/profil.json")) == []
    assert "dateien/profilfoto.jpg" not in archive.namelist()


def test_only_the_owner_in_their_session_can_download(
    member, member_client, stranger, anon_client, staff_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)

    assert login_client(stranger).get(link).status_code == 404
    assert staff_client.get(link).status_code == 404
    answer = anon_client.get(link)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/konto/anmelden/?next=")
    assert member_client.get("/konto/datenexport/" + "x" * 43 + "/").status_code == 404
    assert member_client.get("/konto/datenexport/" + "x" * 500 + "/").status_code == 404
    # None of this used the link up.
    response = member_client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="innoclub-meine-daten-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_the_link_works_once_and_the_file_is_then_deleted(
    member, member_client, media, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=member)
    stored = media / export.file_name
    assert stored.is_file()

    download(member_client, link)
    assert not stored.exists()
    second = login_client(member).get(link)  # also from a fresh session

    assert second.status_code == 410
    assert "Sie haben diese Datei bereits am" in second.content.decode()
    export.refresh_from_db()
    assert (export.file_name, export.downloaded_at is not None) == ("", True)


def test_an_expired_link_answers_gone_and_deletes_the_file(
    member, member_client, media, settings, django_capture_on_commit_callbacks
):
    settings.INNOCLUB_EXPORT_DAYS = 3
    link = request_export(member_client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=member)
    assert export.expires_at - export.finished_at == datetime.timedelta(days=3)
    stored = media / export.file_name
    past = timezone.now() - datetime.timedelta(days=3, seconds=1)
    DataExport.objects.filter(pk=export.pk).update(
        created_at=past - datetime.timedelta(minutes=1),
        finished_at=past,
        expires_at=past + datetime.timedelta(days=3),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.get(link)

    assert response.status_code == 410
    assert "Dieser Link ist abgelaufen" in response.content.decode()
    assert not stored.exists()
    page = member_client.get("/konto/").content.decode()
    assert "Ihre letzte Datei ist abgelaufen" in page


@pytest.mark.django_db(transaction=True)
def test_simultaneous_downloads_hand_the_file_out_once(member, media):
    link = f"/konto/datenexport/{data_export_request(user=member)[1]}/"
    clients = [login_client(member) for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def fetch(client: Client) -> None:
        try:
            barrier.wait()
            response = client.get(link)
            if response.status_code == 200:
                response.getvalue()
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 410, 410, 410]
    assert AuditEvent.objects.filter(details__step="downloaded").count() == 1


def test_a_second_request_while_one_is_being_built_is_refused(member, member_client):
    data_export_request(user=member)  # its task has not run: the export is pending

    response = member_client.post(REQUEST, follow=True)

    assert "Ihre Daten werden bereits zusammengestellt." in response.content.decode()
    assert DataExport.objects.filter(user=member).count() == 1


def test_one_request_an_hour(member, member_client, django_capture_on_commit_callbacks):
    request_export(member_client, django_capture_on_commit_callbacks)
    first = DataExport.objects.get(user=member)

    response = member_client.post(REQUEST, follow=True)
    assert "Sie können Ihre Daten einmal pro Stunde anfordern." in response.content.decode()
    assert list(DataExport.objects.filter(user=member)) == [first]

    DataExport.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    request_export(member_client, django_capture_on_commit_callbacks)
    # The new export replaces the earlier one, file and all.
    assert DataExport.objects.filter(user=member).exclude(pk=first.pk).count() == 1
    assert not DataExport.objects.filter(pk=first.pk).exists()


def test_a_request_needs_a_post(member_client):
    assert member_client.get(REQUEST).status_code == 405
    assert DataExport.objects.count() == 0


def test_a_build_that_fails_is_shown_and_may_be_requested_again(
    member, member_client, media, django_capture_on_commit_callbacks
):
    media.mkdir(parents=True)
    (media / "datenexporte").write_text("ein Hindernis, kein Ordner")

    request_export(member_client, django_capture_on_commit_callbacks)

    assert DataExport.objects.get(user=member).status == ExportStatus.FAILED
    page = member_client.get("/konto/").content.decode()
    assert "Ihre Daten konnten nicht zusammengestellt werden." in page
    assert mail.outbox == []
    (media / "datenexporte").unlink()
    request_export(member_client, django_capture_on_commit_callbacks)
    assert DataExport.objects.get(user=member).status == ExportStatus.READY


def test_the_owner_gets_an_email_with_the_link_from_the_site_address(
    member, member_client, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]  # even a forged Host header must not reach the link
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(REQUEST, HTTP_HOST="evil.example")
    token = member_client.session[SESSION_KEY]["token"]

    [message] = mail.outbox
    assert message.to == ["mitglied@example.org"]
    assert message.subject == "Ihre Daten stehen zum Herunterladen bereit"
    assert f"https://innoclub.example/konto/datenexport/{token}/" in message.body
    assert "evil.example" not in message.body
    assert "nur einmal" in message.body


def test_request_and_download_are_audited(
    member, member_client, django_capture_on_commit_callbacks
):
    link = request_export(member_client, django_capture_on_commit_callbacks)
    download(member_client, link)

    entries = AuditEvent.objects.filter(action=Action.PERSONAL_DATA_EXPORTED).order_by("id")
    assert [entry.details["step"] for entry in entries] == ["requested", "downloaded"]
    assert {entry.actor for entry in entries} == {member}
    assert entries[0].ip_address == "127.0.0.1"


def test_the_account_page_shows_each_state(
    member, member_client, django_capture_on_commit_callbacks
):
    page = member_client.get("/konto/").content.decode()
    assert "Meine Daten herunterladen" in page
    assert 'action="/konto/datenexport/"' in page

    link = request_export(member_client, django_capture_on_commit_callbacks)
    page = member_client.get("/konto/").content.decode()
    assert "Ihre Datei ist bereit." in page
    assert f'href="{link}"' in page
    assert 'action="/konto/datenexport/"' not in page
    # In another session the link is only in the e-mail.
    elsewhere = login_client(member).get("/konto/").content.decode()
    assert link not in elsewhere
    assert "Den Link finden Sie in der E-Mail" in elsewhere

    download(member_client, link)
    page = member_client.get("/konto/").content.decode()
    assert "Sie haben Ihre Daten am" in page
    assert 'action="/konto/datenexport/"' in page


# The account page's queries, of which the export section asks one (the latest
# export), whatever its state.
QUERIES_ON_ACCOUNT_PAGE = 7


def test_the_account_page_has_a_fixed_query_budget(
    member, member_client, django_assert_num_queries
):
    member_client.get("/konto/")
    with django_assert_num_queries(QUERIES_ON_ACCOUNT_PAGE):
        member_client.get("/konto/")
    data_export_request(user=member)
    with django_assert_num_queries(QUERIES_ON_ACCOUNT_PAGE):
        response = member_client.get("/konto/")
    assert "Ihre Daten werden zusammengestellt." in response.content.decode()


def test_purge_deletes_expired_and_used_exports(
    member, stranger, media, django_capture_on_commit_callbacks
):
    now = timezone.now()
    ready = _ready_export(member, now)
    expired = _ready_export(stranger, now - datetime.timedelta(days=8))
    used = _ready_export(MemberFactory(), now)
    DataExport.objects.filter(pk=used.pk).update(downloaded_at=now)
    failed = DataExport.objects.create(
        user=MemberFactory(),
        status=ExportStatus.FAILED,
        created_at=now - datetime.timedelta(days=8),
        token_digest="f" * 64,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert data_export_purge_expired(now=now) == 1 + 1

    assert set(DataExport.objects.values_list("pk", flat=True)) == {ready.pk, used.pk}
    assert not DataExport.objects.filter(pk__in=[expired.pk, failed.pk]).exists()
    assert (media / ready.file_name).is_file()
    assert not (media / expired.file_name).exists()
    assert not (media / used.file_name).exists()
    assert DataExport.objects.get(pk=used.pk).file_name == ""
    # Once the used export's time is over, its row goes too.
    with django_capture_on_commit_callbacks(execute=True):
        assert data_export_purge_expired(now=now + datetime.timedelta(days=8)) == 2
    assert not (media / ready.file_name).exists()


def _ready_export(user: User, at: datetime.datetime) -> DataExport:
    name = f"datenexporte/{user.pk}.zip"
    default_storage.save(name, ContentFile(b"PK"))
    return DataExport.objects.create(
        user=user,
        status=ExportStatus.READY,
        created_at=at,
        finished_at=at,
        expires_at=at + datetime.timedelta(days=7),
        file_name=name,
        size=2,
        token_digest=f"{user.pk:064d}",
    )
