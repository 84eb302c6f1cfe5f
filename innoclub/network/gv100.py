"""Read the Destatis Gemeindeverzeichnis (GV100AD) and bring it into ``Municipality``.

GV100AD is the fixed-width text extract of the Gemeindeverzeichnis-
Informationssystem GV-ISys of the Statistisches Bundesamt (files
``GV100AD_<TTMMJJJJ>.txt``, older ones ``GV100AD.ASC``). Every line is one
record of 220 characters (characters, not bytes: recent files are UTF-8, older
ones ISO-8859-1). Positions below are 1-based and inclusive.

The layout as implemented
-------------------------
Source: the record description (Datensatzbeschreibung) that Destatis ships as a
PDF in each GV100AD archive. That PDF was not at hand; the positions were taken
from, and agree across, three independent open-source readers, and were checked
against the real records quoted in their tests (Gebietsstand 30.04.2021 and
31.01.2022): openpotato/gv100ad-py (``src/gv100ad/entities/*.py``), jgraef/gv100ad
(Rust, ``src/parser.rs``) and WZBSocialScienceCenter/gemeindeverzeichnis
(``gemeindeverz.py``).

Fields common to all Satzarten::

    1–2      Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (only Baden-
             Württemberg), 40 Kreis, 50 Gemeindeverband, 60 Gemeinde
    3–10     Gebietsstand, JJJJMMTT
    11–12    Land (01–16)
    13       Regierungsbezirk (Satzart 20–60)
    14       Region (Satzart 30; Satzart 40–60 use 14–15 for the Kreis)
    14–15    Kreis (Satzart 40–60)
    16–18    Gemeinde (Satzart 60)
    19–22    Gemeindeverband (Satzart 50 and 60)
    23–72    Name (amtliche Bezeichnung, e.g. "Eberbach, Stadt")
    73–122   Sitz der Landesregierung / Verwaltung (Satzart 10–50)
    123–124  Textkennzeichen (Satzart 40, 50, 60)

Satzart 60 (Gemeinde) continues::

    125–128  empty
    129–139  Fläche in ha
    140–150  Bevölkerung insgesamt
    151–161  Bevölkerung männlich
    162–165  empty
    166–170  Postleitzahl of the Verwaltungssitz
    171–175  "*****" when the Gemeinde has more than one Postleitzahl
    176–177  empty
    178–181  Finanzamtsbezirk
    182–185  Gerichtsbarkeit (Oberlandesgericht 182, Landgericht 183, Amtsgericht 184–185)
    186–190  Arbeitsagenturbezirk
    191–196  Bundestagswahlkreise (von 191–193, bis 194–196)
    197–220  empty

Textkennzeichen: Kreis 41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis,
44 Landkreis, 45 Regionalverband; Gemeindeverband 50 verbandsfreie Gemeinde,
51 Amt, 52 Samtgemeinde, 53 Verbandsgemeinde, 54 Verwaltungsgemeinschaft,
55 Kirchspielslandgemeinde, 56 Verwaltungsverband, 57 Verwaltungsgemeinschaft
(Trägermodell), 58 erfüllende Gemeinde; Gemeinde 60 Markt, 61 kreisfreie Stadt,
62 Stadtkreis, 63 Stadt, 64 kreisangehörige Gemeinde, 65 gemeindefreies Gebiet
(bewohnt), 66 gemeindefreies Gebiet (unbewohnt), 67 Große Kreisstadt.

Only the fields this import uses are read (Satzart, Gebietsstand, keys, name,
Textkennzeichen, Bevölkerung insgesamt); all of them are checked on every line.

Mapping to ``Municipality``
---------------------------
- Satzart 60 → 8-digit AGS (Land + RB + Kreis + Gemeinde). Kind: kreisfreie
  Stadt when its Textkennzeichen is 61/62 or its Kreis is a kreisfreie Stadt or
  Stadtkreis (41/42); Stadt for 63 and 67; Gemeinde for 60 (Markt) and 64.
  Gemeindefreie Gebiete (65/66) are no municipality and are skipped.
- Satzart 40 with Textkennzeichen 43/44/45 (Kreis, Landkreis, Regionalverband)
  → ``landkreis`` with the 5-digit key. GV100AD gives a Kreis no population;
  it is the sum over the Satzart-60 records of the Kreis, which is how the
  Kreis figure is defined. A kreisfreie Stadt or Stadtkreis (41/42) is
  imported once, through its Satzart-60 record with the 8-digit key.
- Satzart 50 (Gemeindeverband) is skipped and counted: its key is Kreis +
  Verband, 9 digits (the first nine of the ARS), and does not fit the 8-digit
  AGS, whose 8-digit space belongs to the Gemeinden.
- Satzart 10, 20, 30 are skipped and counted.
- Names are stored as published (with designations such as ", Stadt").
  Coordinates and GeoNames ids are not in GV100AD and are left untouched.

Messages in this module are plain German strings, not gettext: the import is
an operator tool run on the command line, not part of the web interface.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from innoclub.core import sections
from innoclub.network.models import Municipality, MunicipalityKind, validate_ags
from innoclub.search.index import index_objects

RECORD_LENGTH = 220

# Length of each Satzart's own key, starting at position 11. Satzart 50 adds
# the Gemeindeverband (19–22) to the Kreis key.
_KEY_LENGTH = {"10": 2, "20": 3, "30": 4, "40": 5, "50": 5, "60": 8}

KREISFREI_TEXTKENNZEICHEN = frozenset({"41", "42"})
KREIS_TEXTKENNZEICHEN = frozenset({"41", "42", "43", "44", "45"})

# None: a gemeindefreies Gebiet, which is no municipality.
GEMEINDE_KIND_BY_TEXTKENNZEICHEN: dict[str, MunicipalityKind | None] = {
    "60": MunicipalityKind.GEMEINDE,  # Markt
    "61": MunicipalityKind.KREISFREIE_STADT,
    "62": MunicipalityKind.KREISFREIE_STADT,  # Stadtkreis
    "63": MunicipalityKind.STADT,
    "64": MunicipalityKind.GEMEINDE,
    "65": None,
    "66": None,
    "67": MunicipalityKind.STADT,  # Große Kreisstadt
}

SKIP_LAND = "Land (Satzart 10)"
SKIP_REGIERUNGSBEZIRK = "Regierungsbezirk (Satzart 20)"
SKIP_REGION = "Region (Satzart 30)"
SKIP_KREISFREI = (
    "Kreisfreie Stadt als Kreis (Satzart 40) – übernommen über ihre Gemeinde (Satzart 60)"
)
SKIP_GEMEINDEVERBAND = (
    "Gemeindeverband (Satzart 50) – 9-stelliger Schlüssel passt nicht in den 8-stelligen AGS"
)
SKIP_GEMEINDEFREI = "Gemeindefreies Gebiet (Satzart 60, Textkennzeichen 65/66)"
_SKIP_BY_SATZART = {"10": SKIP_LAND, "20": SKIP_REGIERUNGSBEZIRK, "30": SKIP_REGION}

_UPDATED_FIELDS = ["name", "kind", "state", "population"]


@dataclass(frozen=True)
class LineError:
    """Why one line of the file cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class GV100Record:
    """One checked line of a GV100AD file."""

    line: int
    satzart: str
    gebietsstand: datetime.date
    key: str  # Land 2, RB 3, Region 4, Kreis 5, Gemeindeverband 9, Gemeinde 8 digits
    name: str
    textkennzeichen: str  # "" where the Satzart has none
    population: int | None  # Satzart 60 only


@dataclass(frozen=True)
class ImportResult:
    """What ``municipalities_import`` did; ``skipped`` counts records per reason."""

    created: int
    updated: int
    unchanged: int
    not_in_file: int
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Target:
    ags: str
    name: str
    kind: str  # a plain MunicipalityKind value, ready for the database driver
    state: str
    population: int


def decode_gv100(data: bytes, *, encoding: str) -> tuple[list[str], list[LineError]]:
    """Split the raw file into lines of text.

    Returns the lines without line terminators (a leading byte-order mark is
    dropped) and, when the bytes are not valid in ``encoding``, one error
    naming the first line that fails. Raises LookupError for an unknown
    encoding. No side effects.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        number = data.count(b"\n", 0, exc.start) + 1
        reason = (
            f"Byte 0x{data[exc.start]:02x} an Byte-Stelle {exc.start - line_start + 1} ist kein "
            f"gültiges {encoding}. Ältere Ausgaben sind ISO-8859-1-kodiert: "
            "dann --encoding iso-8859-1 angeben."
        )
        return [], [LineError(number, reason)]
    # Split on "\n" only: str.splitlines() would also break at U+0085, which
    # ISO-8859-1 decodes from an ordinary byte.
    return [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")], []


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _date(value: str) -> datetime.date | None:
    if not _is_digits(value):
        return None
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _parse_line(number: int, line: str) -> GV100Record | str:
    """The record on one line, or the reason why it is malformed."""
    if len(line) != RECORD_LENGTH:
        hint = " Falsche Zeichenkodierung (--encoding)?" if len(line) > RECORD_LENGTH else ""
        return f"Die Zeile hat {len(line)} Zeichen, erwartet werden {RECORD_LENGTH}.{hint}"
    satzart = line[0:2]
    if satzart not in _KEY_LENGTH:
        return f"Unbekannte Satzart „{satzart}“ (erwartet: 10, 20, 30, 40, 50 oder 60)."
    raw_date = line[2:10]
    gebietsstand = _date(raw_date)
    if gebietsstand is None:
        return f"Gebietsstand „{raw_date}“ (Stellen 3–10) ist kein Datum der Form JJJJMMTT."
    land = line[10:12]
    if not (_is_digits(land) and 1 <= int(land) <= 16):
        return f"Land „{land}“ (Stellen 11–12) ist kein Länderschlüssel von 01 bis 16."
    key_end = 10 + _KEY_LENGTH[satzart]
    key = line[10:key_end]
    if not _is_digits(key):
        return f"Schlüssel „{key}“ (Stellen 11–{key_end}) besteht nicht nur aus Ziffern."
    if satzart in ("50", "60"):
        verband = line[18:22]
        if not _is_digits(verband):
            return f"Gemeindeverband „{verband}“ (Stellen 19–22) besteht nicht nur aus Ziffern."
        if satzart == "50":
            key += verband
    name = line[22:72].strip()
    if not name:
        return "Der Name (Stellen 23–72) fehlt."
    textkennzeichen = line[122:124].strip()
    population = None
    if satzart in ("40", "60") and not textkennzeichen:
        return "Das Textkennzeichen (Stellen 123–124) fehlt."
    if satzart == "40" and textkennzeichen not in KREIS_TEXTKENNZEICHEN:
        return f"Unbekanntes Textkennzeichen „{textkennzeichen}“ (Stellen 123–124) für einen Kreis."
    if satzart == "60":
        if textkennzeichen not in GEMEINDE_KIND_BY_TEXTKENNZEICHEN:
            return (
                f"Unbekanntes Textkennzeichen „{textkennzeichen}“ (Stellen 123–124) "
                "für eine Gemeinde."
            )
        raw_population = line[139:150]
        if not _is_digits(raw_population):
            return f"Einwohnerzahl „{raw_population}“ (Stellen 140–150) ist keine Zahl."
        population = int(raw_population)
    if satzart in ("40", "60"):
        # The project's own definition of a key has the last word.
        kind = MunicipalityKind.LANDKREIS if satzart == "40" else MunicipalityKind.GEMEINDE
        try:
            with translation.override("de"):
                validate_ags(key, kind)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return GV100Record(number, satzart, gebietsstand, key, name, textkennzeichen, population)


def parse_gv100(lines: Iterable[str]) -> tuple[list[GV100Record], list[LineError]]:
    """Check every line and return the records and the errors, sorted by line.

    Besides the format of each line it checks that no key occurs twice and
    that every Landkreis has at least one Gemeinde (its population is their
    sum). Blank lines are ignored. No side effects.
    """
    records: list[GV100Record] = []
    errors: list[LineError] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parsed = _parse_line(number, line)
        if isinstance(parsed, str):
            errors.append(LineError(number, parsed))
            continue
        earlier = first_seen.setdefault((parsed.satzart, parsed.key), number)
        if earlier != number:
            errors.append(
                LineError(number, f"Der Schlüssel {parsed.key} steht schon in Zeile {earlier}.")
            )
            continue
        records.append(parsed)
    kreise_with_gemeinden = {r.key[:5] for r in records if r.satzart == "60"}
    for record in records:
        if (
            record.satzart == "40"
            and record.textkennzeichen not in KREISFREI_TEXTKENNZEICHEN
            and record.key not in kreise_with_gemeinden
        ):
            reason = (
                f"Zum Kreis {record.key} steht keine Gemeinde (Satzart 60) in der Datei; "
                "seine Einwohnerzahl lässt sich nicht bestimmen."
            )
            errors.append(LineError(record.line, reason))
    errors.sort(key=lambda error: error.line)
    return records, errors


_KREIS_PREFIX = {"43": "Kreis", "44": "Landkreis", "45": "Regionalverband"}


def display_name(record: GV100Record) -> str:
    """The name people use: Destatis appends the designation ("Eberbach, Stadt",
    "Kiel, Landeshauptstadt"), which ``kind`` already carries; a Kreis gets its
    designation in front ("Landkreis Kassel") unless its name already says it."""
    base = record.name.split(", ", 1)[0]
    if record.satzart != "40":
        return base
    prefix = _KREIS_PREFIX.get(record.textkennzeichen, "")
    if not prefix or "kreis" in base.lower() or base.startswith(("Region", "Regionalverband")):
        return base
    return f"{prefix} {base}"


def _targets(records: Sequence[GV100Record]) -> tuple[dict[str, _Target], Counter[str]]:
    """The rows the records stand for, keyed by AGS, and the skipped records per reason."""
    skipped: Counter[str] = Counter()
    kreisfrei = {
        r.key
        for r in records
        if r.satzart == "40" and r.textkennzeichen in KREISFREI_TEXTKENNZEICHEN
    }
    kreis_population: Counter[str] = Counter()
    targets: dict[str, _Target] = {}
    for record in records:
        if record.satzart != "60":
            continue
        assert record.population is not None  # parse_gv100 checks every Gemeinde's figure
        kreis_population[record.key[:5]] += record.population
        kind = GEMEINDE_KIND_BY_TEXTKENNZEICHEN[record.textkennzeichen]
        if kind is None:
            skipped[SKIP_GEMEINDEFREI] += 1
            continue
        if record.key[:5] in kreisfrei:
            kind = MunicipalityKind.KREISFREIE_STADT
        targets[record.key] = _Target(
            record.key, display_name(record), kind.value, record.key[:2], record.population
        )
    for record in records:
        if record.satzart in _SKIP_BY_SATZART:
            skipped[_SKIP_BY_SATZART[record.satzart]] += 1
        elif record.satzart == "50":
            skipped[SKIP_GEMEINDEVERBAND] += 1
        elif record.satzart == "40" and record.key in kreisfrei:
            skipped[SKIP_KREISFREI] += 1
        elif record.satzart == "40":
            targets[record.key] = _Target(
                record.key,
                display_name(record),
                MunicipalityKind.LANDKREIS.value,
                record.key[:2],
                kreis_population[record.key],
            )
    return targets, skipped


def _update_all(municipalities: Sequence[Municipality]) -> None:
    """Write the import's fields of ``municipalities`` back, one UPDATE per row.

    Not ``bulk_update``: every new release changes the population of nearly
    all ~12,000 rows, and its CASE WHEN statements took 9 seconds for that on
    SQLite (Python building the expressions, SQLite evaluating them per row);
    ``executemany`` with one plain statement takes well under one.
    """
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in Municipality._meta.concrete_fields if f.column}
    assignments = ", ".join(f"{column[f]} = %s" for f in _UPDATED_FIELDS)
    table = quote(Municipality._meta.db_table)
    # Identifiers come from the model, values are parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE {column['id']} = %s"  # noqa: S608
    params = [[getattr(m, f) for f in _UPDATED_FIELDS] + [m.pk] for m in municipalities]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def municipalities_import(*, records: Sequence[GV100Record]) -> ImportResult:
    """Create or update one ``Municipality`` per Gemeinde and Landkreis in ``records``.

    ``records`` must come from ``parse_gv100`` without errors. Rows are matched
    by AGS; name, kind, state and population are set from the file,
    coordinates and GeoNames ids stay as they are, and rows missing from the
    file are kept (they are only counted).

    Side effects: one transaction; one query reads all municipalities, then
    bulk inserts and one UPDATE per changed row (``executemany``); the new and
    changed municipalities (and what shows their names) are re-indexed for search. No locks: two imports running at once
    either both succeed with the same data or one fails on the unique AGS and
    leaves nothing behind.
    """
    targets, skipped = _targets(records)
    existing = {m.ags: m for m in Municipality.objects.only("pk", "ags", *_UPDATED_FIELDS)}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    for ags, target in targets.items():
        current = existing.get(ags)
        if current is None:
            to_create.append(
                Municipality(
                    ags=ags,
                    name=target.name,
                    kind=target.kind,
                    state=target.state,
                    population=target.population,
                )
            )
            continue
        if any(getattr(current, f) != getattr(target, f) for f in _UPDATED_FIELDS):
            for f in _UPDATED_FIELDS:
                setattr(current, f, getattr(target, f))
            to_update.append(current)
    Municipality.objects.bulk_create(to_create, batch_size=1000)
    _update_all(to_update)
    # Both bypass the model signals that keep the search index in step.
    index_objects(Municipality.objects.filter(ags__in=[m.ags for m in to_create]), dependents=False)
    index_objects(to_update)
    # Names, places and populations are shown in cached sections (core/sections.py).
    sections.changed_for(Municipality)
    return ImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(targets) - len(to_create) - len(to_update),
        not_in_file=len(existing.keys() - targets.keys()),
        skipped=dict(skipped),
    )
