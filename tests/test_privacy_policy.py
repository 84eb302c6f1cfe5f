"""The Datenschutzerklärung names every processing the platform performs.

Its text is written into the database by a migration (``core/legal_texts.py``)
and edited by the office afterwards; this test holds the default text to the
features that exist."""

from __future__ import annotations

import hashlib
import importlib

import pytest
from django.core.management import call_command

from innoclub.core.legal_texts import DEFAULTS
from innoclub.core.models import LegalPage

# Each purpose with words the paragraph about it must contain.
PURPOSES = {
    "server logs with request ids": ["Server-Protokolle", "zufällige Kennung"],
    "account and login": ["Benutzerkonto und Anmeldung", "Argon2"],
    "two-factor authentication": ["Zwei-Faktor-Anmeldung"],
    "lockouts": ["Schutz vor Angriffen und Sperren"],
    "audit log": ["Prüfprotokoll", "365 Tage"],
    "directory and profiles": ["Profil und Mitgliederverzeichnis"],
    "recruitment and invitations": ["Aufnahme neuer Mitglieder", "Einladungslinks"],
    "event registration": ["Anmeldung zu Veranstaltungen"],
    "special data and its deletion": ["Besondere Angaben", "30 Tage nach dem Ende"],
    "check-in": ["Check-in"],
    "workshop allocation": ["Workshop-Zuteilung"],
    "event feedback": ["Rückmeldung nach Veranstaltungen"],
    "idea forge": ["Ideenschmiede"],
    "pilot adoptions": ["Pilotprojekte und Nachnutzung"],
    "e-mails and notifications": ["E-Mails und Benachrichtigungen"],
    "calendar feeds": ["Kalender-Abonnement"],
    "API tokens": ["API-Schlüssel"],
    "search": ["**Suche.**"],
    "accessibility feedback": ["Rückmeldung zur Barrierefreiheit"],
    "data export": ["Auskunft und Datenexport", "Art. 15"],
    "erasure": ["Löschung Ihres Kontos", "ehemaliges Mitglied"],
    "cookies": ["nur technisch notwendige Cookies"],
    "no third-party requests": ["keine Inhalte von anderen Servern"],
}


@pytest.mark.django_db
def test_the_seeded_privacy_policy_names_each_purpose():
    body = LegalPage.objects.get(slug="datenschutz").body

    missing = [
        purpose for purpose, words in PURPOSES.items() if not all(word in body for word in words)
    ]
    assert missing == []


@pytest.mark.django_db
def test_every_purpose_names_legal_basis_retention_and_recipients():
    body = LegalPage.objects.get(slug="datenschutz").body
    section = body.split("## Welche Daten wir verarbeiten und wozu")[1].split("## Cookies")[0]
    paragraphs = [part for part in section.split("\n\n") if part.strip().startswith("**")]

    assert len(paragraphs) >= 20
    for paragraph in paragraphs:
        missing = [
            word
            for word in ("Rechtsgrundlage", "Speicherdauer", "Empfänger")
            if word not in paragraph
        ]
        assert missing == [], paragraph[:60]


@pytest.mark.django_db
def test_the_page_shows_the_policy(anon_client):
    text = anon_client.get("/datenschutz/").content.decode()
    assert "Besondere Angaben bei der Anmeldung" in text
    assert "Prüfprotokoll" in text


def _migrate_core_0004_with(body: str, monkeypatch: pytest.MonkeyPatch, *, previous: str) -> str:
    """The policy's text after core's migration 0004 ran on a page holding
    ``body``, with ``previous`` standing for the text 0002 used to write."""
    migration = importlib.import_module("innoclub.core.migrations.0004_privacy_policy_purposes")
    monkeypatch.setattr(
        migration, "PREVIOUS_DEFAULT", hashlib.sha256(previous.encode()).hexdigest()
    )
    call_command("migrate", "core", "0003", verbosity=0)
    try:
        LegalPage.objects.filter(slug="datenschutz").update(body=body)
        call_command("migrate", "core", verbosity=0)
    finally:
        call_command("migrate", "core", verbosity=0)
    return LegalPage.objects.get(slug="datenschutz").body


@pytest.mark.django_db(transaction=True)
def test_an_existing_installation_with_the_old_default_gets_the_new_policy(monkeypatch):
    body = _migrate_core_0004_with("Alte Fassung.", monkeypatch, previous="Alte Fassung.")

    assert body == DEFAULTS["datenschutz"][1]


@pytest.mark.django_db(transaction=True)
def test_a_policy_the_operator_edited_is_left_alone_by_the_update(monkeypatch):
    body = _migrate_core_0004_with("Unsere eigene Fassung.", monkeypatch, previous="Alte Fassung.")

    assert body == "Unsere eigene Fassung."
