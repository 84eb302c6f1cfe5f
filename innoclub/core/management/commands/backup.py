"""``manage.py backup [--output PATH]``: the database and the uploaded files in one archive.

Messages are plain German strings rather than gettext: this is an operator
tool on the command line, not a text of the web interface.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innoclub.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sichert die Datenbank und die hochgeladenen Dateien in ein Archiv (tar.gz) "
        "mit Manifest und Prüfsummen; Standard: VAR_DIR/backups/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Pfad des Archivs")

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(result.path))
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung erstellt: {_size(result.size)}, Datenbank und "
                f"{result.files} hochgeladene Dateien."
            )
        )


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
