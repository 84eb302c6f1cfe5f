"""``manage.py restore PATH [--yes]``: replace the database and the uploaded files
with a backup archive, after checking every member against the manifest.

Messages are plain German strings rather than gettext: this is an operator
tool on the command line, not a text of the web interface.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innoclub.core.backup import BackupError, backup_checked, backup_restore


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung ein: ersetzt Datenbank und hochgeladene Dateien. "
        "Prüft vorher das Manifest und jede Prüfsumme."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="das Archiv von manage.py backup")
        parser.add_argument(
            "--yes", action="store_true", help="ohne Rückfrage ersetzen (für Skripte)"
        )

    def handle(self, *args: Any, path: Path, yes: bool = False, **options: Any) -> None:
        try:
            with backup_checked(path) as checked:
                manifest = checked.manifest
                self.stdout.write(
                    f"Sicherung vom {manifest['created_at']} (innoclub {manifest['app_version']}, "
                    f"{len(manifest['files']) - 1} hochgeladene Dateien): geprüft, in Ordnung."
                )
                if not yes and not self._confirmed():
                    raise CommandError(
                        "Nicht eingespielt: Bestätigen Sie mit „ja“ oder rufen Sie den Befehl "
                        "mit --yes auf. Es wurde nichts verändert."
                    )
                result = backup_restore(checked)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Eingespielt: Datenbank und {result.files} hochgeladene Dateien ersetzt."
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"Die Sicherung ist älter als der Code: {len(result.pending_migrations)} "
                    "Migrationen fehlen (z. B. "
                    f"{result.pending_migrations[0]}). Führen Sie jetzt "
                    "„manage.py migrate“ aus, bevor die Website wieder Anfragen bedient."
                )
            )

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            return False
        answer = input(
            "Datenbank und hochgeladene Dateien dieser Installation werden ersetzt. "
            "Fortfahren? [ja/nein] "
        )
        return answer.strip().lower() in {"ja", "j", "yes", "y"}
