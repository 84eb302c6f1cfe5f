"""Import Gemeinden and Landkreise from the Destatis Gemeindeverzeichnis (GV100AD).

Messages are plain German strings rather than gettext: this is an operator
tool on the command line, not a text of the web interface.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innoclub.network.gv100 import decode_gv100, municipalities_import, parse_gv100

# Enough to see what is wrong with a file; the count says how many more there are.
MAX_REPORTED_ERRORS = 100


class Command(BaseCommand):
    help = (
        "Gemeinden und Landkreise aus dem Gemeindeverzeichnis von Destatis (GV100AD, "
        "Festbreitenformat) anlegen oder aktualisieren. Eine fehlerhafte Zeile bricht den "
        "ganzen Import ab; dann wird nichts geschrieben."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="die Datei GV100AD_<TTMMJJJJ>.txt")
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="Zeichenkodierung der Datei (Standard utf-8; ältere Ausgaben: iso-8859-1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        encoding: str = options["encoding"]
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CommandError(f"Unbekannte Zeichenkodierung „{encoding}“.") from None
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"Die Datei {path} gibt es nicht.") from None
        except OSError as exc:
            raise CommandError(
                f"Die Datei {path} lässt sich nicht lesen: {exc.strerror}."
            ) from None

        lines, errors = decode_gv100(data, encoding=encoding)
        records, parse_errors = parse_gv100(lines)
        errors += parse_errors
        if errors:
            report = [
                f"Import abgebrochen, nichts wurde geschrieben. {path}: {len(errors)} Fehler.",
                *(str(error) for error in errors[:MAX_REPORTED_ERRORS]),
            ]
            if len(errors) > MAX_REPORTED_ERRORS:
                report.append(f"… und {len(errors) - MAX_REPORTED_ERRORS} weitere Fehler.")
            raise CommandError("\n".join(report))

        if not records:
            raise CommandError(f"Die Datei {path} enthält keine Datensätze.")
        result = municipalities_import(records=records)

        dates = sorted({record.gebietsstand for record in records})
        self.stdout.write(
            f"{path}: {len(records)} Datensätze, Gebietsstand "
            + ", ".join(date.strftime("%d.%m.%Y") for date in dates)
        )
        self.stdout.write(f"Angelegt: {result.created}")
        self.stdout.write(f"Aktualisiert: {result.updated}")
        self.stdout.write(f"Unverändert: {result.unchanged}")
        self.stdout.write(f"Übersprungen: {sum(result.skipped.values())}")
        for reason, count in sorted(result.skipped.items()):
            self.stdout.write(f"  {count} × {reason}")
        self.stdout.write(
            f"Nur in der Datenbank, nicht in der Datei (unverändert gelassen): {result.not_in_file}"
        )
        self.stdout.write(self.style.SUCCESS("Import abgeschlossen."))
