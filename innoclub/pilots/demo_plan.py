"""The plan of the demo pilots: dates, partners, contacts, milestones, money,
indicators, results and documents of each pilot the idea demo created.

Drawn from a generator seeded by the pilot's slug, so the same pilot always
gets the same plan; ``demo.py`` writes it, ``demo_adoptions.py`` plans who
adopted it.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from innoclub.accounts.models import User
from innoclub.network.models import FederalState, Municipality
from innoclub.pilots import demo_files
from innoclub.pilots.demo_texts import (
    ABORT_LESSONS,
    ABORT_REASONS,
    DOCUMENT_DESCRIPTIONS,
    DOCUMENTS,
    INDICATORS,
    INTERIM,
    LESSONS,
    MILESTONES,
    OWN_FUNDS,
    PARTNER_FUNDS,
    PROGRAMS,
    RESULTS_CLOSING,
    RESULTS_OPENING,
    REVISION_NOTES,
    ROLES,
    IndicatorSeed,
)
from innoclub.pilots.models import IndicatorUnit, MilestoneState, PilotProject, PilotState

BERLIN = ZoneInfo("Europe/Berlin")
DAY = datetime.timedelta(days=1)
UNIT_WORDS: dict[str, str] = {
    IndicatorUnit.PERCENT: "%",
    IndicatorUnit.COUNT: "",
    IndicatorUnit.EURO: "Euro",
    IndicatorUnit.DAYS: "Tage",
    IndicatorUnit.MINUTES: "Minuten",
    IndicatorUnit.TONNES_CO2: "t CO₂",
    IndicatorUnit.MWH: "MWh",
}
# The documents a pilot offers by its state: a report only once it is completed.
DOCUMENT_KINDS: dict[str, tuple[str, ...]] = {
    PilotState.PLANNED: ("ratsbeschluss", "kosten"),
    PilotState.RUNNING: ("ratsbeschluss", "ausschreibung", "kosten"),
    PilotState.COMPLETED: ("ratsbeschluss", "ausschreibung", "kosten", "bericht"),
    PilotState.ABORTED: ("ratsbeschluss", "ausschreibung", "kosten"),
}
# Units whose values are whole numbers.
WHOLE: set[str] = {
    IndicatorUnit.COUNT,
    IndicatorUnit.EURO,
    IndicatorUnit.DAYS,
    IndicatorUnit.MINUTES,
}


@dataclass
class Source:
    """What the plan starts from: the pilot and what the idea demo knows about it."""

    pilot: PilotProject
    lead: Municipality
    topics: list[str]
    created: datetime.date
    left_pilot_stage: datetime.date | None  # when its idea moved to Transfer or aside
    own: bool  # the demo member wrote one of its ideas


@dataclass
class IndicatorPlan:
    seed: IndicatorSeed
    before: Decimal | None
    after: Decimal | None


@dataclass
class VersionPlan:
    number: int
    name: str
    content: bytes
    note: str
    at: datetime.datetime


@dataclass
class DocumentPlan:
    kind: str
    title: str
    description: str
    versions: list[VersionPlan]


@dataclass
class PilotPlan:
    source: Source
    starts_on: datetime.date
    ends_on: datetime.date
    budget: Decimal
    participants: list[tuple[Municipality, str]] = field(default_factory=list)
    contacts: list[User] = field(default_factory=list)
    milestones: list[tuple[str, datetime.date, str, datetime.date | None]] = field(
        default_factory=list
    )
    funding: list[tuple[str, Decimal]] = field(default_factory=list)
    indicators: list[IndicatorPlan] = field(default_factory=list)
    results: str = ""
    lessons: str = ""
    documents: list[DocumentPlan] = field(default_factory=list)

    @property
    def pilot(self) -> PilotProject:
        return self.source.pilot

    @property
    def partner_ids(self) -> set[int]:
        return {self.source.lead.pk, *(m.pk for m, _role in self.participants)}


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def berlin(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BERLIN)


def thousands(amount: Decimal) -> Decimal:
    return (amount / 1000).quantize(Decimal(1)) * 1000


def number(value: Decimal, unit: str) -> str:
    """German notation: 1.234 or 12,5."""
    if unit in WHOLE or value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


def measured(value: float, unit: str) -> Decimal:
    if unit == IndicatorUnit.PERCENT:
        value = min(value, 98.0)
    places = Decimal(1) if unit in WHOLE else Decimal("0.1")
    return Decimal(str(max(value, 0.0))).quantize(places).quantize(Decimal("0.01"))


def changed(seed: IndicatorSeed, before: float, rng: random.Random, share: float = 1.0) -> float:
    """The value after the pilot (``share`` of the way, for a pilot still running)."""
    step = rng.uniform(*seed.change)
    if seed.absolute:
        return before + step * share
    return before * (1 + (step - 1) * share)


class Planner:
    """What the pilot and adoption plans draw from: places, people and today."""

    def __init__(
        self,
        *,
        places: list[Municipality],
        members: dict[int, list[User]],
        demo_member: User,
        staff: User,
        today: datetime.date,
    ) -> None:
        self.places = places
        self.members = members
        self.demo_member = demo_member
        self.staff = staff
        self.today = today
        self.home = demo_member.municipality_id


class PilotPlanner(Planner):
    def plan(self, source: Source) -> PilotPlan:
        rng = random.Random(f"pilot-demo-{source.pilot.slug}")  # noqa: S311 - demo data
        starts, ends = self._span(rng, source)
        plan = PilotPlan(source=source, starts_on=starts, ends_on=ends, budget=self._budget(rng))
        plan.participants = self._participants(rng, source)
        plan.contacts = self._contacts(rng, plan)
        plan.milestones = self._milestones(rng, plan)
        plan.funding = self._funding(rng, plan)
        plan.indicators = self._indicators(rng, source)
        plan.results, plan.lessons = self._texts(rng, plan)
        plan.documents = self._documents(rng, plan)
        return plan

    def _span(self, rng: random.Random, source: Source) -> tuple[datetime.date, datetime.date]:
        state, today = source.pilot.state, self.today
        if state == PilotState.PLANNED:
            starts = add_months(today, rng.randint(1, 4))
            return starts, add_months(starts, rng.choice((12, 18, 24)))
        starts = first_of_month(source.created + rng.randint(20, 70) * DAY)
        if state == PilotState.RUNNING:
            starts = min(starts, first_of_month(today - 90 * DAY))
            ends = add_months(starts, rng.choice((18, 24, 30, 36)))
            if ends <= today + 60 * DAY:
                ends = add_months(today, rng.choice((3, 6, 9)))
            return starts, ends - DAY
        left = source.left_pilot_stage or today
        if state == PilotState.COMPLETED:
            ends = max(left - rng.randint(10, 60) * DAY, starts + 240 * DAY)
            ends = min(ends, add_months(starts, 36) - DAY)
        else:
            ends = max(left, starts + 60 * DAY)
        ends = min(ends, today - 7 * DAY)
        return min(starts, ends - 60 * DAY), ends

    def _budget(self, rng: random.Random) -> Decimal:
        return Decimal(rng.randint(8, 240) * 5000)

    def _near(
        self, rng: random.Random, lead: Municipality, exclude: set[int | None]
    ) -> Municipality:
        candidates = [p for p in self.places if p.pk not in exclude]
        weights = [
            (3 if p.state == lead.state else 1) * (2 if p.kind == lead.kind else 1)
            for p in candidates
        ]
        return rng.choices(candidates, weights)[0]

    def _participants(self, rng: random.Random, source: Source) -> list[tuple[Municipality, str]]:
        count = rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        exclude = {source.lead.pk, self.home}
        chosen = []
        roles = rng.sample(ROLES, count)
        for role in roles:
            place = self._near(rng, source.lead, exclude)
            exclude.add(place.pk)
            chosen.append((place, role))
        return sorted(chosen, key=lambda pair: pair[0].name)

    def _contacts(self, rng: random.Random, plan: PilotPlan) -> list[User]:
        lead = [m for m in self.members.get(plan.source.lead.pk, []) if m != self.demo_member]
        people = rng.sample(lead, min(len(lead), rng.choice((1, 1, 2))))
        if plan.source.own:
            people = [self.demo_member, *people[:1]]
        partners = [m for place, _r in plan.participants for m in self.members.get(place.pk, [])]
        if partners and rng.random() < 0.4:
            people.append(rng.choice(partners))
        return people

    def _milestones(
        self, rng: random.Random, plan: PilotPlan
    ) -> list[tuple[str, datetime.date, str, datetime.date | None]]:
        state, today = plan.pilot.state, self.today
        middle = MILESTONES[1:-1]
        picked = sorted(rng.sample(range(len(middle)), rng.randint(2, 4)))
        chosen = [MILESTONES[0], *(middle[i] for i in picked), MILESTONES[-1]]
        span = (plan.ends_on - plan.starts_on).days
        rows: list[tuple[str, datetime.date, str, datetime.date | None]] = []
        for index, (title, share) in enumerate(chosen):
            due = plan.starts_on + round(span * share) * DAY
            reached = min(due + rng.randint(-10, 30) * DAY, today)
            if state == PilotState.COMPLETED:
                dropped = 0 < index < len(chosen) - 1 and rng.random() < 0.15
                reached = min(reached, plan.ends_on)
                rows.append(
                    (title, due, MilestoneState.DROPPED, None)
                    if dropped
                    else (title, due, MilestoneState.REACHED, reached)
                )
            elif state == PilotState.ABORTED and due > plan.ends_on:
                rows.append((title, due, MilestoneState.DROPPED, None))
            elif due > today:
                rows.append((title, due, MilestoneState.OPEN, None))
            elif state == PilotState.RUNNING and (today - due).days < 150 and rng.random() < 0.3:
                rows.append((title, due, MilestoneState.DELAYED, None))
            else:
                rows.append((title, due, MilestoneState.REACHED, reached))
        return rows

    def _funding(self, rng: random.Random, plan: PilotPlan) -> list[tuple[str, Decimal]]:
        land = FederalState(plan.source.lead.state).label
        programs = [p for topic in plan.source.topics for p in PROGRAMS.get(topic, [])]
        sources: list[tuple[str, Decimal]] = []
        rest = plan.budget
        if programs and rng.random() < 0.85:
            amount = thousands(plan.budget * Decimal(rng.randint(50, 90)) / 100)
            sources.append((rng.choice(programs).format(land=land), amount))
            rest -= amount
        if len(plan.participants) >= 2 and rng.random() < 0.4:
            amount = thousands(rest * Decimal(rng.randint(20, 50)) / 100)
            sources.append((PARTNER_FUNDS, amount))
            rest -= amount
        sources.append((OWN_FUNDS, rest))
        return sources

    def _indicators(self, rng: random.Random, source: Source) -> list[IndicatorPlan]:
        seeds: list[IndicatorSeed] = []
        for position, topic in enumerate(source.topics[:2]):
            pool = INDICATORS.get(topic, [])
            wanted = 2 if position == 0 else int(rng.random() < 0.6)
            for seed in rng.sample(pool, min(wanted, len(pool))):
                if all(seed.name != known.name for known in seeds):
                    seeds.append(seed)
        state = source.pilot.state
        plans = []
        for seed in seeds:
            before = rng.uniform(*seed.before)
            after: float | None = None
            if state == PilotState.COMPLETED:
                after = changed(seed, before, rng)
            elif state == PilotState.RUNNING and rng.random() < 0.5:
                after = changed(seed, before, rng, share=0.5)
            known = state != PilotState.PLANNED or rng.random() < 0.7
            plans.append(
                IndicatorPlan(
                    seed=seed,
                    before=measured(before, seed.unit) if known else None,
                    after=measured(after, seed.unit) if after is not None else None,
                )
            )
        return plans

    def _texts(self, rng: random.Random, plan: PilotPlan) -> tuple[str, str]:
        state = plan.pilot.state
        if state == PilotState.COMPLETED:
            lines = [
                f"- {i.seed.name}: von {number(i.before, i.seed.unit)} auf "
                f"{number(i.after, i.seed.unit)} {UNIT_WORDS[i.seed.unit]}".rstrip()
                for i in plan.indicators
                if i.before is not None and i.after is not None
            ]
            results = "\n\n".join(
                [rng.choice(RESULTS_OPENING), "\n".join(lines), rng.choice(RESULTS_CLOSING)]
            )
            lessons = "\n".join(f"- {text}" for text in rng.sample(LESSONS, 3))
            return results, lessons
        if state == PilotState.ABORTED:
            when = plan.ends_on.strftime("%d.%m.%Y")
            results = f"Das Pilotprojekt wurde am {when} abgebrochen. {rng.choice(ABORT_REASONS)}"
            return results, "\n".join(f"- {text}" for text in rng.sample(ABORT_LESSONS, 2))
        if state == PilotState.RUNNING and rng.random() < 0.4:
            lessons = "\n".join(f"- {text}" for text in rng.sample(LESSONS, 2))
            return INTERIM, lessons if rng.random() < 0.5 else ""
        return "", ""

    def _documents(self, rng: random.Random, plan: PilotPlan) -> list[DocumentPlan]:
        state = plan.pilot.state
        kinds = DOCUMENT_KINDS[state]
        earliest = {
            "ratsbeschluss": plan.starts_on - 60 * DAY,
            "ausschreibung": plan.starts_on - 20 * DAY,
            "kosten": plan.starts_on - 45 * DAY,
            "bericht": plan.ends_on + 10 * DAY,
        }
        documents = []
        for kind, title, stem, extension in DOCUMENTS:
            if kind not in kinds:
                continue
            first = min(earliest[kind], self.today - DAY)
            versions = [VersionPlan(1, "", b"", "", berlin(first, 10))]
            later = first + rng.randint(60, 400) * DAY
            if rng.random() < 0.4 and later < self.today:
                versions.append(
                    VersionPlan(2, "", b"", rng.choice(REVISION_NOTES), berlin(later, 14))
                )
            for version in versions:
                version.name = f"{stem}_{plan.pilot.slug[:60]}{extension}"
                version.content = self._content(kind, title, plan, version)
            documents.append(DocumentPlan(kind, title, DOCUMENT_DESCRIPTIONS[kind], versions))
        return documents

    def _content(self, kind: str, title: str, plan: PilotPlan, version: VersionPlan) -> bytes:
        pilot, lead = plan.pilot, plan.source.lead.name
        stand = f"Fassung {version.number} vom {version.at:%d.%m.%Y}" + (
            f" – {version.note}" if version.note else ""
        )
        if kind == "kosten":
            rows: list[list[str | float]] = [
                [f"Kostenübersicht: {pilot.title}"],
                [stand],
                [],
                ["Finanzierung", "Betrag in Euro"],
            ]
            rows += [[name, float(amount)] for name, amount in plan.funding]
            rows.append(["Summe", float(plan.budget)])
            return demo_files.xlsx("Kosten", rows)
        if kind == "bericht":
            lines = [f"Abschlussbericht: {pilot.title}", f"Federführung: {lead}", stand, ""]
            lines += plan.results.replace("**", "").splitlines()
            lines += ["", "Was wir gelernt haben:", *plan.lessons.splitlines()]
            return demo_files.pdf([line for line in lines if len(line) < 110])
        if kind == "ratsbeschluss":
            paragraphs = [
                stand,
                "Sachverhalt: " + pilot.summary.replace("**", "")[:600],
                f"Beschlussvorschlag: Der Rat beschließt, sich am Pilotprojekt „{pilot.title}“ "
                "zu beteiligen, und beauftragt die Verwaltung mit der Umsetzung.",
                f"Finanzielle Auswirkungen: Gesamtkosten {number(plan.budget, 'euro')} Euro; "
                "Finanzierung siehe Kostenübersicht.",
            ]
            return demo_files.docx(f"Beschlussvorlage: {pilot.title}", paragraphs)
        paragraphs = [
            stand,
            f"Gegenstand der Leistung: Aufbau und Betrieb der Lösung „{pilot.title}“ "
            f"für die Stadt oder den Kreis {lead} und die Partnerkommunen.",
            "Eignungskriterien: Referenzen aus mindestens zwei Kommunen, Betrieb in Deutschland.",
            "Zuschlagskriterien: Preis 40 %, Qualität des Konzepts 40 %, Barrierefreiheit 20 %.",
        ]
        return demo_files.docx(f"{title}: {pilot.title}", paragraphs)
