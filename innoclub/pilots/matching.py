"""„Wer hat das schon gemacht?“: pilots and adopters that fit a municipality and a question.

Each candidate is a municipality that has done it — the lead municipality of a
pilot, or one that implemented the pilot or is preparing to — and gets points
from two sides, each explained on the page:

- relevance of the pilot: its topic matches (``TOPIC_POINTS``), a search word
  occurs in its title (``TITLE_POINTS`` each) or in its summary or results
  (``TEXT_POINTS`` each). Only relevant pilots are listed.
- similarity of the municipality to the asker's: same kind, same or
  neighbouring size class, same Bundesland, and nearness (full points next
  door, none from ``FAR_KM`` on; great-circle distance from the coordinates).

Relevance weighs more than similarity, so a pilot on the topic comes before a
neighbour's pilot on something else. Words are compared with the search's
German analysis (``search.analysis``): in any inflection ("Schulen" finds
"Schule"), with umlauts spelled out or not, as the beginning of a longer word,
or as the end of a compound ("Pumpe" finds "Wärmepumpe").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.core.access import AnyUser
from innoclub.network.models import FederalState, Municipality, SizeClass, Topic
from innoclub.pilots.maps import Role
from innoclub.pilots.models import Adoption, AdoptionState, PilotProject
from innoclub.pilots.selectors import pilots_visible
from innoclub.pilots.transfer import ADOPTION_ROLES
from innoclub.search import analysis

TOPIC_POINTS = 60  # more than all similarity points together (55)
TITLE_POINTS = 20
TEXT_POINTS = 10
KIND_POINTS = 10
SIZE_POINTS = 15
NEAR_SIZE_POINTS = 5
STATE_POINTS = 10
DISTANCE_POINTS = 20
FAR_KM = 400
DONE_POINTS = 5  # the lead and those who implemented it have done it all
LIMIT = 25

SIZE_ORDER = list(SizeClass.values)
# Words that say nothing about a pilot; they would match almost every text.
STOPWORDS = frozenset(
    (
        *("und", "oder", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer"),
        *("eines", "für", "mit", "von", "im", "in", "zu", "zur", "zum", "auf", "wie", "bei"),
        *("aus", "an", "am", "als", "ist", "sind", "wir", "uns", "the", "and", "for"),
    )
)
EARTH_RADIUS_KM = 6371.0


# A word, with a gender form kept together ("bürger:innen", "bürger*innen").
_WORD = re.compile(r"\w+(?:[:*_/·]\w+)*")


def words(text: str) -> list[str]:
    """The search words of ``text`` as the page repeats them: lower case, at
    least two letters, no filler words."""
    found = _WORD.findall(text.casefold())
    return list(dict.fromkeys(w for w in found if len(w) >= 2 and w not in STOPWORDS))


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[tuple[str, str], ...]:
    """The folded words of ``text`` with their stems."""
    return tuple((word, analysis.stem(word)) for word in analysis.words(text))


def _found(word: str, terms: tuple[tuple[str, str], ...]) -> bool:
    word_stem = analysis.stem(word)
    for token, token_stem in terms:
        if token_stem == word_stem or token.startswith(word):
            return True
        # The end of a compound, as the search finds it ("pumpe" in "waermepumpe").
        if len(word_stem) >= 3 and analysis.ends_in(token, token_stem, word_stem):
            return True
    return False


def matches(word: str, text: str) -> bool:
    """Whether ``text`` contains ``word`` in a German form: inflected (“schulen”
    finds “Schule”), as the beginning of a longer word (“bürgerbüro” finds
    “Bürgerbüros”) or as the end of a compound (“pumpe” finds “Wärmepumpe”)."""
    wanted = analysis.words(word)
    terms = _terms(text)
    return bool(wanted) and all(_found(part, terms) for part in wanted)


def distance_km(a: Municipality, b: Municipality) -> float | None:
    """Great-circle distance (haversine) between two municipalities with coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1)
        * math.cos(lat2)
        * math.sin(math.radians(b.longitude - a.longitude) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Reason:
    text: str
    points: int


def relevance(pilot: PilotProject, topic: Topic | None, query: list[str]) -> list[Reason]:
    reasons = []
    if topic is not None and any(t.pk == topic.pk for t in pilot.topics.all()):
        reasons.append(Reason(_("topic “%(topic)s”") % {"topic": topic.name}, TOPIC_POINTS))
    body = f"{pilot.summary}\n{pilot.results}"
    for word in query:
        if matches(word, pilot.title):
            reasons.append(Reason(_("“%(word)s” in the title") % {"word": word}, TITLE_POINTS))
        elif matches(word, body):
            reasons.append(
                Reason(_("“%(word)s” in summary or results") % {"word": word}, TEXT_POINTS)
            )
    return reasons


def similarity(mine: Municipality, theirs: Municipality) -> tuple[list[Reason], float | None]:
    """Reasons why ``theirs`` is like ``mine``, and the distance between them."""
    reasons = []
    if mine.kind == theirs.kind:
        reasons.append(
            Reason(_("same kind (%(kind)s)") % {"kind": theirs.get_kind_display()}, KIND_POINTS)
        )
    my_size, their_size = mine.size_class, theirs.size_class
    if my_size and their_size:
        gap = abs(SIZE_ORDER.index(my_size) - SIZE_ORDER.index(their_size))
        if gap == 0:
            reasons.append(Reason(_("same size class"), SIZE_POINTS))
        elif gap == 1:
            reasons.append(Reason(_("neighbouring size class"), NEAR_SIZE_POINTS))
    if mine.state == theirs.state:
        state = FederalState(theirs.state).label
        reasons.append(Reason(_("same federal state (%(state)s)") % {"state": state}, STATE_POINTS))
    km = distance_km(mine, theirs)
    if km is not None:
        points = round(DISTANCE_POINTS * max(0.0, 1 - km / FAR_KM))
        reasons.append(
            Reason(
                _("%(km)s km away") % {"km": number_format(round(km), force_grouping=True)}, points
            )
        )
    return reasons, km


@dataclass
class Match:
    """A municipality that has done what the asker looks for, with its score."""

    pilot: PilotProject
    municipality: Municipality
    role: Role
    contacts: list[User]
    reasons: list[Reason] = field(default_factory=list)
    distance: float | None = None

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _with_profiles() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("profile")


def find(
    user: AnyUser,
    *,
    municipality: Municipality,
    topic: Topic | None,
    text: str,
    limit: int = LIMIT,
) -> list[Match]:
    """Pilots the viewer may see that fit ``topic`` or ``text``, as their lead
    municipalities and adopters (umgesetzt or in Vorbereitung), ranked by points.

    Four queries: the pilots with their topics and contacts, and the adoptions.
    The asker's own municipality is left out: it knows what it did.
    """
    query = words(text)
    candidates = pilots_visible(user).select_related("lead_municipality")
    if topic is not None and not query:
        candidates = candidates.filter(topics=topic)
    pilots = list(
        candidates.prefetch_related(
            "topics", Prefetch("contacts", queryset=_with_profiles().order_by("last_name"))
        )
    )
    relevant = {}
    for pilot in pilots:
        reasons = relevance(pilot, topic, query)
        if reasons:
            relevant[pilot.pk] = (pilot, reasons)
    adoptions: dict[int, list[Adoption]] = defaultdict(list)
    if relevant:
        done = Adoption.objects.filter(
            state__in=(AdoptionState.IMPLEMENTED, AdoptionState.PREPARING),
            pilot_id__in=list(relevant),
        ).select_related("municipality", "contact__profile")
        for adoption in done:
            adoptions[adoption.pilot_id].append(adoption)
    found = []
    for pilot, reasons in relevant.values():
        if pilot.lead_municipality is not None:
            contacts = list(pilot.contacts.all())
            found.append(Match(pilot, pilot.lead_municipality, Role.LEAD, contacts, list(reasons)))
        for adoption in adoptions[pilot.pk]:
            role = ADOPTION_ROLES[AdoptionState(adoption.state)]
            contact = adoption.contact
            contacts = [contact] if contact is not None and contact.is_active else []
            found.append(Match(pilot, adoption.municipality, role, contacts, list(reasons)))
    result = []
    for match in found:
        if match.municipality.pk == municipality.pk:
            continue
        alike, match.distance = similarity(municipality, match.municipality)
        match.reasons.extend(alike)
        if match.role is Role.LEAD:
            match.reasons.append(Reason(_("led the pilot"), DONE_POINTS))
        elif match.role is Role.IMPLEMENTED:
            match.reasons.append(Reason(_("has implemented it"), DONE_POINTS))
        result.append(match)
    result.sort(
        key=lambda m: (
            -m.score,
            m.distance if m.distance is not None else math.inf,
            m.municipality.name,
        )
    )
    return result[:limit]


# --- The asker's municipality -----------------------------------------------------

_WITH_KEY = re.compile(r"^(?P<name>.*?)\s*\((?P<ags>\d{5}|\d{8})\)\s*$")


def municipality_label(municipality: Municipality) -> str:
    """How the form shows a municipality, so that it is found again unambiguously."""
    return f"{municipality.name} ({municipality.ags})"


def resolve_municipality(text: str) -> list[Municipality]:
    """Municipalities ``text`` may mean: its key (AGS), “Name (AGS)”, or its exact name.

    One query; at most six results (more than one means the name is ambiguous).
    """
    text = text.strip()
    keyed = _WITH_KEY.match(text)
    if keyed:
        condition = Q(ags=keyed["ags"])
    elif text.isdigit():
        condition = Q(ags=text)
    else:
        condition = Q(name__iexact=text)
    return list(Municipality.objects.filter(condition).order_by("name", "ags")[:6])
