"""manage.py import_municipalities: the Destatis Gemeindeverzeichnis (GV100AD) into Municipality.

The sample file follows the published fixed-width layout (220 characters a
record, see innoclub/network/gv100.py): Baden-Württemberg with the
Regierungsbezirk Karlsruhe, the Region Rhein-Neckar, the Stadtkreis Heidelberg
and three Gemeinden of the Rhein-Neckar-Kreis in two Gemeindeverbände.
"""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from innoclub.network.gv100 import GV100Record, display_name
from innoclub.network.models import FederalState, Municipality, MunicipalityKind
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "gv100ad_sample.txt"
EBERBACH = 9  # line of the Gemeinde Eberbach, Stadt in the sample

IMPORTED = [
    ("08221000", "Heidelberg", MunicipalityKind.KREISFREIE_STADT, "08", 158_741),
    ("08226", "Rhein-Neckar-Kreis", MunicipalityKind.LANDKREIS, "08", 52_772),
    ("08226013", "Eberbach", MunicipalityKind.STADT, "08", 14_267),
    ("08226080", "Schönbrunn", MunicipalityKind.GEMEINDE, "08", 2_964),
    ("08226084", "Sinsheim", MunicipalityKind.STADT, "08", 35_541),
]


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def replace_at(line: str, position: int, text: str) -> str:
    """Overwrite ``line`` from the 1-based ``position`` of the record description."""
    start = position - 1
    return line[:start] + text + line[start + len(text) :]


def with_line(lines: list[str], number: int, text: str) -> list[str]:
    return [text if n == number else line for n, line in enumerate(lines, start=1)]


def write_gv100(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(f"{line}\r\n" for line in lines).encode(encoding))
    return path


def run_import(path: Path, **options: object) -> list[str]:
    out = StringIO()
    call_command("import_municipalities", str(path), stdout=out, **options)
    return out.getvalue().splitlines()


def rejection(path: Path, **options: object) -> list[str]:
    with pytest.raises(CommandError) as excinfo:
        call_command("import_municipalities", str(path), stdout=StringIO(), **options)
    return str(excinfo.value).splitlines()


def imported_rows() -> list[tuple[str, str, str, str, int | None]]:
    return sorted(Municipality.objects.values_list("ags", "name", "kind", "state", "population"))


def test_first_import_creates_gemeinden_and_landkreis_with_kinds_keys_states_and_population():
    output = run_import(SAMPLE)

    assert imported_rows() == IMPORTED
    assert output == [
        f"{SAMPLE}: 12 Datensätze, Gebietsstand 31.01.2022",
        "Angelegt: 5",
        "Aktualisiert: 0",
        "Unverändert: 0",
        "Übersprungen: 7",
        "  3 × Gemeindeverband (Satzart 50) – 9-stelliger Schlüssel passt nicht in den 8-stelligen AGS",
        "  1 × Kreisfreie Stadt als Kreis (Satzart 40) – übernommen über ihre Gemeinde (Satzart 60)",
        "  1 × Land (Satzart 10)",
        "  1 × Regierungsbezirk (Satzart 20)",
        "  1 × Region (Satzart 30)",
        "Nur in der Datenbank, nicht in der Datei (unverändert gelassen): 0",
        "Import abgeschlossen.",
    ]
    for municipality in Municipality.objects.all():
        municipality.full_clean()  # keys the model accepts, each in its Land


def test_second_import_of_the_same_file_changes_nothing():
    run_import(SAMPLE)

    output = run_import(SAMPLE)

    assert imported_rows() == IMPORTED
    assert output[1:4] == ["Angelegt: 0", "Aktualisiert: 0", "Unverändert: 5"]


def test_import_updates_an_existing_municipality_and_keeps_its_coordinates():
    eberbach = MunicipalityFactory(
        ags="08226013",
        name="Eberbach (alt)",
        kind=MunicipalityKind.GEMEINDE,
        state=FederalState.BW,
        population=14_000,
        latitude=49.466,
        longitude=8.988,
        geonames_id=2_934_486,
    )
    elsewhere = MunicipalityFactory(ags="06411000", name="Darmstadt")

    output = run_import(SAMPLE)

    eberbach.refresh_from_db()
    assert (eberbach.name, eberbach.kind, eberbach.population) == (
        "Eberbach",
        "stadt",
        14_267,
    )
    assert (eberbach.latitude, eberbach.longitude, eberbach.geonames_id) == (
        49.466,
        8.988,
        2_934_486,
    )
    assert Municipality.objects.get(pk=elsewhere.pk).name == "Darmstadt"
    assert output[1:4] == ["Angelegt: 4", "Aktualisiert: 1", "Unverändert: 0"]
    assert output[-2] == "Nur in der Datenbank, nicht in der Datei (unverändert gelassen): 1"


def test_changed_population_updates_the_gemeinde_and_its_landkreis(tmp_path):
    run_import(SAMPLE)
    lines = sample_lines()
    changed = with_line(lines, EBERBACH, replace_at(lines[EBERBACH - 1], 140, "00000014300"))

    output = run_import(write_gv100(tmp_path / "GV100AD_30062022.txt", changed))

    assert Municipality.objects.get(ags="08226013").population == 14_300
    assert Municipality.objects.get(ags="08226").population == 52_772 + 33
    assert output[1:4] == ["Angelegt: 0", "Aktualisiert: 2", "Unverändert: 3"]


def test_gemeindefreies_gebiet_is_skipped_but_counts_towards_its_landkreis(tmp_path):
    lines = sample_lines()
    schoenbrunn = with_line(lines, 10, replace_at(lines[9], 123, "65"))

    output = run_import(write_gv100(tmp_path / "GV100AD.txt", schoenbrunn))

    assert not Municipality.objects.filter(ags="08226080").exists()
    assert Municipality.objects.get(ags="08226").population == 52_772
    assert "  1 × Gemeindefreies Gebiet (Satzart 60, Textkennzeichen 65/66)" in output


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        pytest.param(
            lambda line: line[:196],
            "Die Zeile hat 196 Zeichen, erwartet werden 220.",
            id="too-short",
        ),
        pytest.param(
            lambda line: replace_at(line, 16, "O13"),
            "Schlüssel „08226O13“ (Stellen 11–18) besteht nicht nur aus Ziffern.",
            id="letter-in-key",
        ),
        pytest.param(
            lambda line: replace_at(line, 19, "5 01"),
            "Gemeindeverband „5 01“ (Stellen 19–22) besteht nicht nur aus Ziffern.",
            id="gap-in-verband",
        ),
        pytest.param(
            lambda line: replace_at(line, 1, "70"),
            "Unbekannte Satzart „70“ (erwartet: 10, 20, 30, 40, 50 oder 60).",
            id="unknown-satzart",
        ),
        pytest.param(
            lambda line: replace_at(line, 11, "17"),
            "Land „17“ (Stellen 11–12) ist kein Länderschlüssel von 01 bis 16.",
            id="land-17",
        ),
        pytest.param(
            lambda line: replace_at(line, 11, "00"),
            "Land „00“ (Stellen 11–12) ist kein Länderschlüssel von 01 bis 16.",
            id="land-00",
        ),
        pytest.param(
            lambda line: replace_at(line, 23, " " * 50),
            "Der Name (Stellen 23–72) fehlt.",
            id="missing-name",
        ),
        pytest.param(
            lambda line: replace_at(line, 123, "  "),
            "Das Textkennzeichen (Stellen 123–124) fehlt.",
            id="missing-textkennzeichen",
        ),
        pytest.param(
            lambda line: replace_at(line, 140, "0000001426x"),
            "Einwohnerzahl „0000001426x“ (Stellen 140–150) ist keine Zahl.",
            id="population-not-a-number",
        ),
        pytest.param(
            lambda line: replace_at(line, 140, " " * 11),
            f"Einwohnerzahl „{' ' * 11}“ (Stellen 140–150) ist keine Zahl.",
            id="population-missing",
        ),
        pytest.param(
            lambda line: replace_at(line, 3, "20221331"),
            "Gebietsstand „20221331“ (Stellen 3–10) ist kein Datum der Form JJJJMMTT.",
            id="impossible-gebietsstand",
        ),
        pytest.param(
            lambda line: replace_at(line, 123, "69"),
            "Unbekanntes Textkennzeichen „69“ (Stellen 123–124) für eine Gemeinde.",
            id="unknown-textkennzeichen",
        ),
    ],
)
def test_malformed_line_aborts_the_import_and_names_line_and_reason(tmp_path, breakage, reason):
    existing = MunicipalityFactory(ags="08226084", state=FederalState.BW, population=1)
    lines = sample_lines()
    broken = with_line(lines, EBERBACH, breakage(lines[EBERBACH - 1]))
    path = write_gv100(tmp_path / "GV100AD.txt", broken)

    report = rejection(path)

    assert report == [
        f"Import abgebrochen, nichts wurde geschrieben. {path}: 1 Fehler.",
        f"Zeile {EBERBACH}: {reason}",
    ]
    assert list(Municipality.objects.values_list("pk", "population")) == [(existing.pk, 1)]


def test_every_malformed_line_is_reported(tmp_path):
    lines = sample_lines()
    lines = with_line(lines, 2, replace_at(lines[1], 1, "25"))
    lines = with_line(lines, 12, replace_at(lines[11], 140, "viele      "))

    report = rejection(write_gv100(tmp_path / "GV100AD.txt", lines))

    assert report[1:] == [
        "Zeile 2: Unbekannte Satzart „25“ (erwartet: 10, 20, 30, 40, 50 oder 60).",
        "Zeile 12: Einwohnerzahl „viele      “ (Stellen 140–150) ist keine Zahl.",
    ]
    assert Municipality.objects.count() == 0


def test_key_given_twice_is_rejected(tmp_path):
    lines = sample_lines()

    report = rejection(write_gv100(tmp_path / "GV100AD.txt", [*lines, lines[EBERBACH - 1]]))

    assert report[1:] == ["Zeile 13: Der Schlüssel 08226013 steht schon in Zeile 9."]
    assert Municipality.objects.count() == 0


def test_landkreis_without_gemeinden_is_rejected_because_its_population_is_unknown(tmp_path):
    lines = [line for n, line in enumerate(sample_lines(), start=1) if n not in (9, 10, 12)]

    report = rejection(write_gv100(tmp_path / "GV100AD.txt", lines))

    assert report[1:] == [
        "Zeile 7: Zum Kreis 08226 steht keine Gemeinde (Satzart 60) in der Datei; "
        "seine Einwohnerzahl lässt sich nicht bestimmen."
    ]


def test_undecodable_bytes_abort_the_import_with_line_and_a_hint_on_the_encoding(tmp_path):
    lines = sample_lines()
    data = b"".join(
        line.encode("iso-8859-1" if n == 10 else "utf-8") + b"\r\n"
        for n, line in enumerate(lines, start=1)
    )
    path = tmp_path / "GV100AD.txt"
    path.write_bytes(data)

    report = rejection(path)

    assert report[1:] == [
        "Zeile 10: Byte 0xf6 an Byte-Stelle 26 ist kein gültiges utf-8. Ältere Ausgaben sind "
        "ISO-8859-1-kodiert: dann --encoding iso-8859-1 angeben."
    ]
    assert Municipality.objects.count() == 0


def test_older_iso_8859_1_file_imports_with_the_encoding_option(tmp_path):
    path = write_gv100(tmp_path / "GV100AD.ASC", sample_lines(), encoding="iso-8859-1")

    run_import(path, encoding="iso-8859-1")

    assert imported_rows() == IMPORTED


def test_utf8_file_read_as_iso_8859_1_is_rejected_with_a_hint_on_the_encoding():
    report = rejection(SAMPLE, encoding="iso-8859-1")

    hint = "Die Zeile hat 221 Zeichen, erwartet werden 220. Falsche Zeichenkodierung (--encoding)?"
    assert report[1:] == [f"Zeile 1: {hint}", f"Zeile 10: {hint}"]


def test_missing_file_gives_a_clear_error(tmp_path):
    missing = tmp_path / "GV100AD_31122024.txt"

    assert rejection(missing) == [f"Die Datei {missing} gibt es nicht."]


def test_unknown_encoding_gives_a_clear_error():
    assert rejection(SAMPLE, encoding="klingonisch") == [
        "Unbekannte Zeichenkodierung „klingonisch“."
    ]


def test_file_without_records_is_rejected(tmp_path):
    empty = tmp_path / "GV100AD.txt"
    empty.write_bytes(b"\r\n")

    assert rejection(empty) == [f"Die Datei {empty} enthält keine Datensätze."]


@pytest.mark.parametrize(
    ("satzart", "name", "textkennzeichen", "shown"),
    [
        ("60", "Kiel, Landeshauptstadt", "61", "Kiel"),
        ("60", "Schönbrunn", "64", "Schönbrunn"),
        ("40", "Kassel", "44", "Landkreis Kassel"),
        ("40", "Nordfriesland", "43", "Kreis Nordfriesland"),
        ("40", "Rhein-Neckar-Kreis", "44", "Rhein-Neckar-Kreis"),
        ("40", "Region Hannover", "44", "Region Hannover"),
    ],
)
def test_names_drop_the_designation_that_the_kind_already_says(
    satzart, name, textkennzeichen, shown
):
    record = GV100Record(
        1, satzart, datetime.date(2022, 1, 31), "01001000", name, textkennzeichen, 1
    )

    assert display_name(record) == shown
