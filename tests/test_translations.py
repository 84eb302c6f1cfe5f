"""Every text of the interface has a German translation that is not fuzzy."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "innoclub" / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_german_catalogue_is_complete_and_not_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_german_catalogue_covers_every_text_in_the_code(tmp_path, monkeypatch):
    """Extract the texts afresh from a copy of the code into a copy of the catalogue."""
    copy = tmp_path / "locale" / "de" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy / "django.po")
    source = tmp_path / "src" / "innoclub"
    shutil.copytree(
        ROOT / "innoclub", source, ignore=shutil.ignore_patterns("locale", "static", "__pycache__")
    )
    monkeypatch.chdir(source.parent)

    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["de"], verbosity=0, no_obsolete=True)

    fresh = polib.pofile(str(copy / "django.po"))
    missing = [entry.msgid for entry in fresh.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
