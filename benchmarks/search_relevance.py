"""The relevance set: German queries and the documents a person expects for them.

Hand-written gold documents (fixed titles, ``object_id`` from 900,001 on) go into
the corpus next to the noise of ``search_corpus.py``. Each query names its
expected gold documents, in *tiers* where the order matters: every document of a
tier must rank above every document of the next ("exact above stemmed above
partial", "title above body", "the newer article first"). The query groups are
the language cases of issue 8.

Measures, per query and then averaged per group and overall:

- **precision@5**: expected documents among the first five hits, divided by
  ``min(5, number expected)`` (so a query with one right answer scores 1.0 when
  that answer is in the top five);
- **recall@20**: expected documents on the first result page (20 hits) divided
  by the number expected;
- **order**: the tiers hold (only for queries with more than one tier; a
  missing document breaks the order);
- **absent**: gold documents that lack a word of a multi-word query are not
  found at all (every word must match).

A query *misses* when one of the three is not perfect.

The noise never contains the words these queries look for (``RESERVED``; see
``reserved``), so a noise document in a top five is a ranking error.

    .venv/bin/python benchmarks/search_relevance.py   # the set as text, no database
"""

from __future__ import annotations

import datetime
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser
    from innoclub.search.documents import Document

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIRST_ID = 900_001
# Anything the engine ranks in tiers: "-tier" then "-rank". One page of hits.
PAGE = 20
TOP = 5


@dataclass(frozen=True)
class Gold:
    key: str
    kind: str
    title: str
    summary: str = ""
    body: str = ""
    names: str = ""
    audience: str = "public"
    # Days before today (news get a recency bonus), or None.
    age_days: int | None = None
    topics: tuple[str, ...] = ()
    land: str = ""


@dataclass(frozen=True)
class Query:
    group: str
    text: str
    # Tiers of expected gold keys: each tier ranks above the next.
    tiers: tuple[tuple[str, ...], ...]
    note: str = ""
    # Gold documents that must not be found at all (they lack a word of the query).
    absent: tuple[str, ...] = ()

    @property
    def expected(self) -> tuple[str, ...]:
        return tuple(key for tier in self.tiers for key in tier)


_FILLER = (
    "Die Verwaltung stellt das Vorhaben im nächsten Ausschuss vor. "
    "Fragen beantwortet die Pressestelle."
)

GOLD: tuple[Gold, ...] = (
    # Inflections
    Gold(
        "schule-ganztag",
        "idea",
        "Eine Schule für alle: Ganztag im Dorf",
        "Das offene Ganztagsangebot soll Vereine und Eltern einbinden.",
        _FILLER,
        topics=("bildung",),
    ),
    Gold(
        "schulen-hoefe",
        "article",
        "Schulen öffnen ihre Höfe am Wochenende",
        "Drei Standorte machen von Mai an mit.",
        _FILLER,
        age_days=120,
        topics=("bildung",),
    ),
    Gold(
        "zwilling-klaeranlage",
        "pilot",
        "Ein digitaler Zwilling für die Kläranlage",
        "Sensoren melden Durchfluss und Energieverbrauch in Echtzeit.",
        _FILLER,
        topics=("digitalisierung",),
    ),
    Gold(
        "zwillinge-vergleich",
        "publication",
        "Digitale Zwillinge im kommunalen Vergleich",
        "Zwölf Städte, drei Ansätze, eine Auswertung.",
        _FILLER,
        topics=("digitalisierung",),
    ),
    Gold(
        "klaeranlage-erweitert",
        "article",
        "Die Kläranlage wird erweitert",
        "Der Ausbau dauert zwei Jahre.",
        _FILLER,
        age_days=300,
    ),
    Gold(
        "glockenturm-sanierung",
        "idea",
        "Bürgerbeteiligung zur Sanierung des Glockenturms",
        "Wie soll der Turm künftig genutzt werden?",
        _FILLER,
        topics=("beteiligung",),
    ),
    Gold(
        "glockentuerme-funk",
        "publication",
        "Glockentürme als Mobilfunkstandorte: eine Abwägung",
        "Denkmalschutz und Netzabdeckung im Vergleich.",
        _FILLER,
    ),
    Gold(
        "hochbeet-titel",
        "article",
        "Hochbeete für den Kindergarten am Anger",
        "Eltern bauen sie an einem Samstag auf.",
        _FILLER,
        age_days=500,
    ),
    Gold(
        "hochbeet-text",
        "idea",
        "Gärtnern mitten in der Stadt",
        "Gemüse und Kräuter auf ungenutzten Flächen.",
        "Auf dem Parkdeck entsteht ein Hochbeet, das Nachbarn gemeinsam pflegen. " + _FILLER,
    ),
    Gold(
        "streuobst-stern",
        "idea",
        "Bürger*innen pflegen die Streuobstwiese",
        "Schnittkurse im Frühjahr, Ernte im Herbst.",
        _FILLER,
        topics=("klimaschutz",),
    ),
    Gold(
        "streuobst-beide",
        "article",
        "Bürgerinnen und Bürger ernten auf der Streuobstwiese",
        "Der Saft wird im Dorf verkauft.",
        _FILLER,
        age_days=60,
    ),
    Gold(
        "streuobst-biotop",
        "pilot",
        "Streuobstwiesen am Ortsrand werden Biotop",
        "Die untere Naturschutzbehörde begleitet das Vorhaben.",
        _FILLER,
    ),
    # Gender forms
    Gold(
        "qm-doppelpunkt",
        "event",
        "Treffen der Quartiersmanager:innen in der Region",
        "Ein Tag Austausch über Nachbarschaften.",
        _FILLER,
    ),
    Gold(
        "qm-binnen-i",
        "article",
        "QuartiersmanagerInnen berichten aus der Praxis",
        "Fünf Stimmen aus fünf Stadtteilen.",
        _FILLER,
        age_days=200,
    ),
    Gold(
        "qm-stern",
        "publication",
        "Leitfaden für Quartiersmanager*innen in Kleinstädten",
        "Aufgaben, Finanzierung, Beispiele.",
        _FILLER,
    ),
    Gold(
        "qm-maennlich",
        "session",
        "Praxisrunde: Was ein Quartiersmanager den ganzen Tag tut",
        "Ein Erfahrungsbericht.",
        _FILLER,
    ),
    Gold(
        "qm-weiblich",
        "article",
        "Quartiersmanagerinnen gründen ein Netzwerk",
        "Erstes Treffen im Herbst.",
        _FILLER,
        age_days=90,
    ),
    # Umlauts and ß
    Gold(
        "lindenstrasse",
        "pilot",
        "Die Lindenstraße wird Fahrradstraße",
        "Autos dürfen nur noch als Anlieger hinein.",
        _FILLER,
        topics=("mobilitaet",),
    ),
    Gold(
        "fussgaengerzone",
        "idea",
        "Mehr Grün für die Fußgängerzone",
        "Bäume in Kübeln und Sitzbänke im Schatten.",
        _FILLER,
    ),
    Gold(
        "dorfbaeckerei",
        "article",
        "Dorfbäckerei bleibt dank Genossenschaft geöffnet",
        "Achtzig Mitglieder zeichnen Anteile.",
        _FILLER,
        age_days=40,
    ),
    Gold(
        "muehlbach",
        "pilot",
        "Renaturierung am Mühlbach beginnt",
        "Das Ufer wird abgeflacht und bepflanzt.",
        _FILLER,
    ),
    Gold(
        "spielstrasse",
        "article",
        "Eine Straße für Kinder: Spielstraße am Wochenende",
        "Samstags bleibt die Straße für Autos gesperrt.",
        _FILLER,
        age_days=30,
    ),
    # Compounds
    Gold(
        "freibad-pumpe",
        "pilot",
        "Wärmepumpe heizt das Freibad",
        "Das Becken ist jetzt schon im April warm.",
        _FILLER,
        topics=("energie",),
    ),
    Gold(
        "freibad-frueh",
        "article",
        "Freibad öffnet eine Woche früher",
        "Wegen des warmen Frühjahrs.",
        _FILLER,
        age_days=15,
    ),
    Gold(
        "hochmoor-exakt",
        "publication",
        "Klimaschutzkonzept für das Hochmoor",
        "Wiedervernässung bindet Kohlenstoff.",
        _FILLER,
        topics=("klimaschutz",),
    ),
    Gold(
        "hochmoor-getrennt",
        "idea",
        "Ein Konzept für den Klimaschutz im Hochmoor",
        "Freiwillige legen Gräben still.",
        _FILLER,
        topics=("klimaschutz",),
    ),
    Gold(
        "hochmoor-fuehrung",
        "article",
        "Führung durch das Hochmoor",
        "Treffpunkt ist der Parkplatz am Waldrand.",
        _FILLER,
        age_days=10,
    ),
    Gold(
        "brunnen-exakt",
        "article",
        "Der alte Brunnen am Markt wird saniert",
        "Die Arbeiten dauern bis zum Sommer.",
        _FILLER,
        age_days=400,
    ),
    Gold(
        "brunnen-trinkwasser",
        "pilot",
        "Trinkwasserbrunnen in der Innenstadt",
        "Kostenloses Wasser an heißen Tagen.",
        _FILLER,
    ),
    Gold(
        "brunnen-zier",
        "idea",
        "Zierbrunnen werden zu Trinkbrunnen umgebaut",
        "Ein Vorschlag aus dem Jugendparlament.",
        _FILLER,
    ),
    Gold(
        "zehntscheune",
        "pilot",
        "Die Zehntscheune wird Dorfgemeinschaftshaus",
        "Der Umbau beginnt im Herbst.",
        _FILLER,
    ),
    Gold(
        "bienenweide-exakt",
        "idea",
        "Bienenweide an der Umgehungsstraße",
        "Blühstreifen statt Rasen am Straßenrand.",
        _FILLER,
        topics=("klimaschutz",),
    ),
    Gold(
        "bienenweide-getrennt",
        "article",
        "Eine Weide für Bienen auf dem Friedhof",
        "Die Friedhofsverwaltung sät Wildblumen.",
        _FILLER,
        age_days=700,
    ),
    # Names of people and places
    Gold(
        "heidelberg-kommune",
        "municipality",
        "Stadt Heidelberg in Baden-Württemberg",
        "Kreisfreie Stadt am Neckar.",
        _FILLER,
        names="Heidelberg",
        land="08",
    ),
    Gold(
        "heidelberg-forum",
        "event",
        "Regionaltreffen Baden in Heidelberg",
        "Ein Tag zu Verwaltung und Wissenschaft.",
        _FILLER,
        names="Heidelberg",
        land="08",
    ),
    Gold(
        "person-schmitt",
        "member",
        "Jörg Schmitt, Kämmerer in Wernigerode",
        "Verwaltung, Schwerpunkte Haushalt und Beteiligung.",
        _FILLER,
        names="Jörg Schmitt Wernigerode",
        audience="members",
        land="15",
    ),
    Gold(
        "person-schmidt",
        "member",
        "Henrike Schmidt, Klimaschutzbeauftragte in Gelsenkirchen",
        "Verwaltung, Schwerpunkte Energie und Gebäude.",
        _FILLER,
        names="Henrike Schmidt Gelsenkirchen",
        audience="members",
        land="05",
    ),
    Gold(
        "quedlinburg",
        "pilot",
        "Welterbe digital erleben in Quedlinburg",
        "Eine App führt durch die Altstadt.",
        _FILLER,
        names="Quedlinburg",
        land="15",
    ),
    Gold(
        "gelsenkirchen-sensoren",
        "article",
        "Gelsenkirchen testet Sensoren im Stadtpark",
        "Gemessen werden Temperatur und Bodenfeuchte.",
        _FILLER,
        names="Gelsenkirchen",
        age_days=80,
        land="05",
    ),
    Gold(
        "person-wunderlich",
        "member",
        "Dr. Ottilie Wunderlich, Landrätin im Landkreis Harz",
        "Verwaltung, Schwerpunkte Tourismus und Mobilität.",
        _FILLER,
        names="Ottilie Wunderlich Harz",
        audience="public",
        land="15",
    ),
    # Field weights
    Gold(
        "kneipp-titel",
        "pilot",
        "Kneippbecken im Kurpark wird barrierefrei",
        "Mit Rampe und Handlauf.",
        _FILLER,
    ),
    Gold(
        "kneipp-zusammenfassung",
        "idea",
        "Gesund bleiben im Kurort",
        "Ein zweites Kneippbecken soll am Waldrand entstehen.",
        _FILLER,
    ),
    Gold(
        "kneipp-text",
        "article",
        "Was der Kurort im Sommer plant",
        "Konzerte, Führungen und ein Lauftreff.",
        "Außerdem wird das Kneippbecken gereinigt. " + _FILLER,
        age_days=700,
    ),
    Gold(
        "gradierwerk-titel",
        "publication",
        "Das Gradierwerk als Ort der Begegnung",
        "Eine Fallstudie aus einem Kurort.",
        _FILLER,
    ),
    Gold(
        "gradierwerk-text",
        "event",
        "Sommerfest im Kurpark",
        "Musik, Essen und Führungen.",
        "Treffpunkt für alle Führungen ist am Gradierwerk. " + _FILLER,
    ),
    # Recency of news: same wording, different dates.
    Gold(
        "wasserspiel-neu",
        "article",
        "Wasserspielplatz im Stadtpark eröffnet",
        "Kinder können ab sofort planschen.",
        _FILLER,
        age_days=20,
    ),
    Gold(
        "wasserspiel-mittel",
        "article",
        "Wasserspielplatz am Uferweg eröffnet",
        "Kinder können ab sofort planschen.",
        _FILLER,
        age_days=400,
    ),
    Gold(
        "wasserspiel-alt",
        "article",
        "Wasserspielplatz im Bürgerpark eröffnet",
        "Kinder können ab sofort planschen.",
        _FILLER,
        age_days=1500,
    ),
    Gold(
        "tafelladen-neu",
        "article",
        "Tafelladen sucht Ehrenamtliche",
        "Gebraucht werden Fahrerinnen und Fahrer.",
        _FILLER,
        age_days=10,
    ),
    Gold(
        "tafelladen-alt",
        "article",
        "Tafelladen sucht Ehrenamtliche",
        "Gebraucht werden Fahrerinnen und Fahrer.",
        _FILLER,
        age_days=900,
    ),
    Gold(
        "eisstock-neu",
        "article",
        "Eisstockbahn auf dem Marktplatz",
        "Geöffnet bis Ende Januar.",
        _FILLER,
        age_days=30,
    ),
    Gold(
        "eisstock-alt",
        "article",
        "Eisstockbahn auf dem Marktplatz",
        "Geöffnet bis Ende Januar.",
        _FILLER,
        age_days=700,
    ),
    # Exact above stemmed above partial
    Gold(
        "nistkasten-exakt",
        "idea",
        "Ein Nistkasten für jede Straßenlaterne",
        "Meisen fressen Raupen.",
        _FILLER,
    ),
    Gold(
        "nistkasten-gebeugt",
        "article",
        "Nistkästen für Mauersegler am Rathaus",
        "Die Vögel kehren jedes Jahr zurück.",
        _FILLER,
        age_days=365,
    ),
    Gold(
        "nistkasten-teil",
        "pilot",
        "Meisennistkasten aus der Jugendwerkstatt",
        "Jugendliche bauen für Grünflächen.",
        _FILLER,
    ),
    Gold(
        "dorfladen-exakt",
        "pilot",
        "Der Dorfladen als Treffpunkt",
        "Einkaufen, Post und Kaffee an einem Ort.",
        _FILLER,
    ),
    Gold(
        "dorfladen-gebeugt",
        "article",
        "Dorfläden im ländlichen Raum stärken",
        "Ein Förderaufruf des Landes.",
        _FILLER,
        age_days=365,
    ),
    Gold(
        "dorfladen-praefix",
        "idea",
        "Dorfladengenossenschaft sucht Mitglieder",
        "Anteile gibt es ab hundert Euro.",
        _FILLER,
    ),
    # Several words
    Gold(
        "schwammstadt-starkregen",
        "idea",
        "Schwammstadt gegen Starkregen",
        "Mulden und Rigolen halten Wasser zurück.",
        _FILLER,
        topics=("klimaschutz",),
    ),
    Gold(
        "schwammstadt-erklaert",
        "article",
        "Was ist eigentlich eine Schwammstadt?",
        "Ein Begriff, kurz erklärt.",
        _FILLER,
        age_days=50,
    ),
    Gold(
        "starkregen-vorsorge",
        "pilot",
        "Vorsorge gegen Starkregen mit Sensoren",
        "Pegel melden steigendes Wasser.",
        _FILLER,
    ),
    Gold(
        "hitzeaktionsplan",
        "publication",
        "Hitzeaktionsplan für Seniorinnen und Senioren",
        "Kühle Räume, Trinkpaten, Hausbesuche.",
        _FILLER,
        topics=("gesundheit",),
    ),
    Gold(
        "biberdamm",
        "article",
        "Biberdamm staut den Wiesengraben",
        "Die Gemeinde sucht eine Lösung mit dem Naturschutz.",
        _FILLER,
        age_days=100,
    ),
)

QUERIES: tuple[Query, ...] = (
    # Inflections
    Query("inflection", "Schulen", (("schule-ganztag", "schulen-hoefe"),)),
    Query("inflection", "Schule", (("schule-ganztag", "schulen-hoefe"),)),
    Query("inflection", "digitalen Zwilling", (("zwilling-klaeranlage", "zwillinge-vergleich"),)),
    Query("inflection", "Zwillingen", (("zwilling-klaeranlage", "zwillinge-vergleich"),)),
    Query("inflection", "Glockenturm", (("glockenturm-sanierung", "glockentuerme-funk"),)),
    Query("inflection", "Hochbeeten", (("hochbeet-titel", "hochbeet-text"),)),
    Query(
        "inflection",
        "Streuobstwiesen",
        (("streuobst-stern", "streuobst-beide", "streuobst-biotop"),),
    ),
    # Umlauts and ß
    Query(
        "umlaut",
        "Buergerbeteiligung Glockenturm",
        (("glockenturm-sanierung",),),
        absent=("glockentuerme-funk",),
    ),
    Query("umlaut", "Lindenstrasse", (("lindenstrasse",),)),
    Query("umlaut", "Fahrradstrasse", (("lindenstrasse",),)),
    Query("umlaut", "Fussgaengerzone", (("fussgaengerzone",),)),
    Query("umlaut", "Dorfbaeckerei", (("dorfbaeckerei",),)),
    Query("umlaut", "Muehlbach", (("muehlbach",),)),
    Query("umlaut", "Strasse Kinder", (("spielstrasse",),)),
    # Gender forms
    *(
        Query(
            "gender",
            text,
            (("qm-doppelpunkt", "qm-binnen-i", "qm-stern", "qm-maennlich", "qm-weiblich"),),
        )
        for text in (
            "Quartiersmanager:innen",
            "Quartiersmanager*innen",
            "QuartiersmanagerInnen",
            "Quartiersmanager",
            "Quartiersmanagerin",
        )
    ),
    Query(
        "gender",
        "Bürger Streuobstwiese",
        (("streuobst-stern", "streuobst-beide"),),
        absent=("streuobst-biotop",),
    ),
    Query(
        "gender",
        "BürgerInnen Streuobstwiese",
        (("streuobst-stern", "streuobst-beide"),),
        absent=("streuobst-biotop",),
    ),
    # Compounds
    Query(
        "compound",
        "Pumpe Freibad",
        (("freibad-pumpe",),),
        "part finds the compound",
        absent=("freibad-frueh",),
    ),
    Query(
        "compound",
        "Konzept Hochmoor",
        (("hochmoor-exakt", "hochmoor-getrennt"),),
        absent=("hochmoor-fuehrung",),
    ),
    Query(
        "compound",
        "Klimaschutzkonzept Hochmoor",
        (("hochmoor-exakt",), ("hochmoor-getrennt",)),
        "compound finds its parts written apart, below the exact match",
        absent=("hochmoor-fuehrung",),
    ),
    Query("compound", "Scheune", (("zehntscheune",),)),
    Query("compound", "Bienenweide", (("bienenweide-exakt",), ("bienenweide-getrennt",))),
    Query("compound", "Weide", (("bienenweide-getrennt",), ("bienenweide-exakt",))),
    # One typo in names of people and places
    Query("typo", "Heidelbreg", (("heidelberg-kommune", "heidelberg-forum"),)),
    Query("typo", "Schmitt", (("person-schmitt",), ("person-schmidt",))),
    Query("typo", "Schmidt", (("person-schmidt",), ("person-schmitt",))),
    Query("typo", "Henrike Schmitt", (("person-schmidt",),), absent=("person-schmitt",)),
    Query("typo", "Quedlinbrug", (("quedlinburg",),)),
    Query("typo", "Gelsenkichen", (("person-schmidt", "gelsenkirchen-sensoren"),)),
    Query("typo", "Ottilie Wunderlch", (("person-wunderlich",),)),
    # Field weights: title above summary above text
    Query(
        "fields",
        "Kneippbecken",
        (("kneipp-titel",), ("kneipp-zusammenfassung",), ("kneipp-text",)),
    ),
    Query("fields", "Gradierwerk", (("gradierwerk-titel",), ("gradierwerk-text",))),
    Query("fields", "Hochbeet", (("hochbeet-titel",), ("hochbeet-text",))),
    # Recency of news
    Query(
        "recency",
        "Wasserspielplatz",
        (("wasserspiel-neu",), ("wasserspiel-mittel",), ("wasserspiel-alt",)),
    ),
    Query("recency", "Tafelladen", (("tafelladen-neu",), ("tafelladen-alt",))),
    Query("recency", "Eisstockbahn Marktplatz", (("eisstock-neu",), ("eisstock-alt",))),
    # Exact above stemmed above partial
    Query(
        "exact-first",
        "Nistkasten",
        (("nistkasten-exakt",), ("nistkasten-gebeugt",), ("nistkasten-teil",)),
    ),
    Query(
        "exact-first",
        "Dorfladen",
        (("dorfladen-exakt",), ("dorfladen-gebeugt",), ("dorfladen-praefix",)),
    ),
    Query("exact-first", "Brunnen", (("brunnen-exakt",), ("brunnen-trinkwasser", "brunnen-zier"))),
    # Several words
    Query(
        "multi-word",
        "Schwammstadt Starkregen",
        (("schwammstadt-starkregen",),),
        absent=("schwammstadt-erklaert", "starkregen-vorsorge"),
    ),
    Query("multi-word", "Hitzeaktionsplan Senioren", (("hitzeaktionsplan",),)),
    Query(
        "multi-word",
        "Zwilling Kläranlage",
        (("zwilling-klaeranlage",),),
        absent=("zwillinge-vergleich", "klaeranlage-erweitert"),
    ),
    Query("multi-word", "Freibad Wärmepumpe", (("freibad-pumpe",),)),
    Query("multi-word", "Ottilie Wunderlich Landrätin", (("person-wunderlich",),)),
    Query("multi-word", "Biber Damm", (("biberdamm",),), "both parts of a compound, apart"),
)

GROUPS = tuple(dict.fromkeys(query.group for query in QUERIES))

# Folded fragments the noise must not contain (towns and names are filtered,
# the hand-written word lists are checked by the test).
RESERVED = (
    "schul",
    "zwilling",
    "klaeranlag",
    "glockent",
    "hochbeet",
    "streuobst",
    "quartier",
    "manag",
    "linden",
    "fahrradstr",
    "fussgaeng",
    "baeckerei",
    "muehlbach",
    "freibad",
    "moor",
    "brunn",
    "scheune",
    "zehnt",
    "bien",
    "weid",
    "heidelb",
    "schmitt",
    "schmidt",
    "schmid",
    "schmitz",
    "henrik",
    "quedlin",
    "gelsenk",
    "wunderl",
    "ottili",
    "kneipp",
    "gradier",
    "wasserspiel",
    "tafel",
    "eisstock",
    "nistk",
    "dorflad",
    "schwamm",
    "starkreg",
    "hitzeakt",
    "biber",
    "damm",
    "kurort",
    "kurpark",
    "spielstr",
    "wernigerode",
)
# Names the typo queries search for: no noise name may be one edit away.
_TYPO_WORDS = (
    "heidelbreg",
    "schmitt",
    "schmidt",
    "henrike",
    "quedlinbrug",
    "gelsenkichen",
    "ottilie",
    "wunderlch",
    "wunderlich",
)


def reserved(text: str) -> bool:
    """Whether ``text`` uses a word the relevance set is about (noise must not)."""
    from innoclub.search.analysis import within_one_edit, words

    for word in words(text):
        if any(fragment in word for fragment in RESERVED):
            return True
        if any(within_one_edit(word, typo) for typo in _TYPO_WORDS):
            return True
    return False


def gold_key(kind: str, object_id: int) -> str | None:
    return _KEYS.get((kind, object_id))


_KEYS = {(gold.kind, FIRST_ID + number): gold.key for number, gold in enumerate(GOLD)}


def gold_documents(today: datetime.date | None = None) -> list[Document]:
    """The gold documents as ``Document`` objects (news dated relative to ``today``)."""
    from innoclub.search.documents import Document
    from innoclub.search.models import Audience, Kind

    today = today or datetime.date.today()
    documents = []
    for number, gold in enumerate(GOLD):
        dated = None
        if gold.age_days is not None:
            day = today - datetime.timedelta(days=gold.age_days)
            dated = datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)
        documents.append(
            Document(
                kind=Kind(gold.kind),
                object_id=FIRST_ID + number,
                audience=Audience(gold.audience),
                title=gold.title,
                url=f"/gold/{gold.key}/",
                summary=gold.summary,
                body=gold.body,
                names=gold.names,
                topics=gold.topics,
                land=gold.land,
                year=dated.year if dated else None,
                dated=dated,
            )
        )
    return documents


# --- Scoring ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    query: Query
    found: tuple[str, ...]  # the first PAGE hits: a gold key, or "kind:id" for noise
    precision: float
    recall: float
    order: bool | None  # None: the query has one tier
    intruders: tuple[str, ...]  # of query.absent, the ones found

    @property
    def miss(self) -> bool:
        return self.precision < 1 or self.recall < 1 or self.order is False or bool(self.intruders)


def score(query: Query, found: Sequence[str]) -> Outcome:
    """``found``: every hit (absent documents are looked for in all of them)."""
    expected = set(query.expected)
    top = set(found[:TOP]) & expected
    page = set(found[:PAGE]) & expected
    order = None
    if len(query.tiers) > 1:
        position = {key: index for index, key in enumerate(found[:PAGE])}
        order = expected <= position.keys() and all(
            max(position[key] for key in upper) < min(position[key] for key in lower)
            for upper, lower in zip(query.tiers, query.tiers[1:], strict=False)
        )
    return Outcome(
        query=query,
        found=tuple(found[:PAGE]),
        precision=len(top) / min(TOP, len(expected)),
        recall=len(page) / len(expected),
        order=order,
        intruders=tuple(key for key in query.absent if key in found),
    )


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def groups(self) -> dict[str, tuple[int, float, float, str]]:
        """Per group and "all": queries, mean precision@5, mean recall@20, order held."""
        table = {}
        for group in (*GROUPS, "all"):
            chosen = [o for o in self.outcomes if group in ("all", o.query.group)]
            ordered = [o for o in chosen if o.order is not None]
            table[group] = (
                len(chosen),
                statistics.fmean(o.precision for o in chosen),
                statistics.fmean(o.recall for o in chosen),
                f"{sum(bool(o.order) for o in ordered)}/{len(ordered)}" if ordered else "–",
            )
        return table

    @property
    def misses(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.miss]

    def text(self) -> str:
        lines = [f"{'group':<12} {'queries':>7} {'P@5':>6} {'R@20':>6} {'order':>6}"]
        for group, (count, precision, recall, order) in self.groups().items():
            lines.append(f"{group:<12} {count:>7} {precision:>6.2f} {recall:>6.2f} {order:>6}")
        for outcome in self.misses:
            shown = ", ".join(outcome.found[:6]) or "nothing"
            lines.append(
                f"  miss [{outcome.query.group}] {outcome.query.text!r}: P@5 "
                f"{outcome.precision:.2f}, R@20 {outcome.recall:.2f}, order {outcome.order}, "
                f"wrongly found {list(outcome.intruders)}; "
                f"expected {' > '.join('+'.join(tier) for tier in outcome.query.tiers)}; "
                f"got {shown}"
            )
        return "\n".join(lines)


# Queries with absent documents look through this many hits for them.
ALL = 1000


def evaluate(run: Callable[[str, int], Sequence[tuple[str, int]]]) -> Report:
    """Run every query; ``run(text, n)`` returns the first ``n`` hits as (kind, object_id)."""
    report = Report()
    for query in QUERIES:
        hits = run(query.text, ALL if query.absent else PAGE)
        report.outcomes.append(
            score(query, [gold_key(kind, pk) or f"{kind}:{pk}" for kind, pk in hits])
        )
    return report


def search_runner(user: AnyUser) -> Callable[[str, int], list[tuple[str, int]]]:
    """``evaluate``'s ``run`` on top of the engine's ``search`` as ``user``."""
    from innoclub.search.query import search

    def run(text: str, size: int) -> list[tuple[str, int]]:
        results = search(text, user=user, per_page=size)
        return [(hit.kind, hit.object_id) for hit in results.hits]

    return run


if __name__ == "__main__":
    for query in QUERIES:
        print(f"[{query.group}] {query.text!r} -> {' > '.join('+'.join(t) for t in query.tiers)}")
    print(f"{len(QUERIES)} queries, {len(GOLD)} gold documents")
