"""Writes of pilot projects: the pilot, its partners, milestones, funding,
and indicators. (Reusable documents are in ``documents.py``, the adoption
register in ``adoptions.py``.)

Every write checks all of its input before it writes anything; a refusal
raises ``ValidationError`` with German messages (keyed by the argument it
concerns where there is one) and changes nothing. The ``*_problems``
functions are the checks of one row; the forms call them too, so that a
message appears at its field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innoclub.accounts.models import Role, User
from innoclub.core import sections
from innoclub.core.access import Visibility, is_staff
from innoclub.network.models import Municipality, Topic
from innoclub.pilots.models import (
    PILOT_VISIBILITIES,
    FundingSource,
    Indicator,
    IndicatorUnit,
    Milestone,
    MilestoneState,
    PilotParticipant,
    PilotProject,
    PilotState,
)
from innoclub.pilots.values import indicator_value_problem
from innoclub.search.index import index_object

# Paths under /pilotprojekte/ that a pilot's slug must not take.
RESERVED_SLUGS = frozenset({"neu"})
# What contact people edit; the office edits everything.
EDITOR_FIELDS = frozenset(
    {"title", "summary", "starts_on", "ends_on", "budget", "results", "lessons_learned"}
)
STAFF_FIELDS = frozenset({"state", "visibility", "lead_municipality"})
# Amounts in euros have 12 digits, two of them after the comma.
MAX_AMOUNT = Decimal("9999999999.99")


# --- Checks of one value or row --------------------------------------------------


def amount_problem(amount: Decimal | None) -> str | None:
    """What is wrong with an amount in euros (budget, funding), or None."""
    if amount is None:
        return None
    if not amount.is_finite():
        return _("Please enter a number.")
    if amount < 0:
        return _("An amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return _("This amount is too large.")
    return None


@dataclass(frozen=True)
class ParticipantRow:
    municipality: Municipality
    role: str


@dataclass(frozen=True)
class MilestoneRow:
    title: str
    due_on: date
    state: str = MilestoneState.OPEN
    reached_on: date | None = None


@dataclass(frozen=True)
class FundingRow:
    name: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator; ``pk`` names an existing one, which keeps the adopters' values."""

    name: str
    unit: str
    before: Decimal | None = None
    after: Decimal | None = None
    higher_is_better: bool = True
    note: str = ""
    pk: int | None = None


def participant_problems(row: ParticipantRow, *, lead_id: int | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if row.municipality.pk == lead_id:
        problems["municipality"] = _(
            "This is the lead municipality of the pilot. Please list other municipalities here."
        )
    if not row.role.strip():
        problems["role"] = _("Please describe the municipality's role in the pilot.")
    return problems


def milestone_problems(row: MilestoneRow) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not row.title.strip():
        problems["title"] = _("Please name the milestone.")
    if row.state not in MilestoneState.values:
        problems["state"] = _("Please choose a state.")
    elif row.reached_on is not None and row.state != MilestoneState.REACHED:
        problems["reached_on"] = _(
            "A date “reached on” belongs only to a milestone that has been reached."
        )
    return problems


def funding_problems(row: FundingRow) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not row.name.strip():
        problems["name"] = _("Please name the funding source.")
    problem = amount_problem(row.amount)
    if problem:
        problems["amount"] = problem
    return problems


def indicator_problems(row: IndicatorRow) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not row.name.strip():
        problems["name"] = _("Please name the indicator.")
    if row.unit not in IndicatorUnit.values:
        problems["unit"] = _("Please choose a unit.")
        return problems
    for name in ("before", "after"):
        problem = indicator_value_problem(row.unit, getattr(row, name))
        if problem:
            problems[name] = problem
    return problems


def duplicate_municipalities(rows: Sequence[ParticipantRow]) -> list[str]:
    """Names of municipalities listed more than once."""
    seen: set[int] = set()
    twice: list[str] = []
    for row in rows:
        if row.municipality.pk in seen and row.municipality.name not in twice:
            twice.append(row.municipality.name)
        seen.add(row.municipality.pk)
    return twice


def duplicate_indicator_names(rows: Sequence[IndicatorRow]) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for row in rows:
        key = row.name.strip().casefold()
        if key in seen and row.name.strip() not in twice:
            twice.append(row.name.strip())
        seen.add(key)
    return twice


def _refuse(problems: Iterable[str]) -> None:
    messages = list(dict.fromkeys(problems))
    if messages:
        raise ValidationError(messages)


# --- The pilot ---------------------------------------------------------------------


def _check_pilot(values: Mapping[str, Any], contacts: Sequence[User] | None) -> None:
    problems: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        problems["title"] = _("Please give the pilot project a title.")
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = _("The end lies before the start. Please check the dates.")
    budget = amount_problem(values.get("budget"))
    if budget:
        problems["budget"] = budget
    if values.get("state") not in PilotState.values:
        problems["state"] = _("Please choose a state.")
    if values.get("visibility") not in dict(PILOT_VISIBILITIES):
        problems["visibility"] = _("Please choose who may see the pilot project.")
    if contacts is not None and any(
        person.role != Role.MEMBER or not person.is_active for person in contacts
    ):
        problems["contacts"] = _("Contact people must be members of the club.")
    if problems:
        raise ValidationError(problems)


def pilot_slug_for(title: str) -> str:
    """The address form of ``title``: lower case, German umlauts spelt out."""
    spelt = title.lower()
    for umlaut, spelling in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        spelt = spelt.replace(umlaut, spelling)
    base = slugify(spelt)[:100].strip("-") or "pilotprojekt"
    return f"{base}-pilot" if base in RESERVED_SLUGS else base


def _create_with_free_slug(title: str, fields: Mapping[str, Any]) -> PilotProject:
    """Insert the pilot under the first free slug of its title (``-2``, ``-3`` …).

    A simultaneous create with the same title takes a slug between the check
    and the insert; the unique constraint refuses ours and we try the next.
    """
    base = pilot_slug_for(title)
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        if not PilotProject.objects.filter(slug=slug).exists():
            try:
                with transaction.atomic():
                    return PilotProject.objects.create(slug=slug, **fields)
            except IntegrityError:
                if not PilotProject.objects.filter(slug=slug).exists():
                    raise
        number += 1


@transaction.atomic
def pilot_create(
    *,
    title: str,
    created_by: User,
    summary: str = "",
    lead_municipality: Municipality | None = None,
    state: str = PilotState.PLANNED,
    visibility: str = Visibility.MEMBERS,
    starts_on: date | None = None,
    ends_on: date | None = None,
    budget: Decimal | None = None,
    results: str = "",
    lessons_learned: str = "",
    topics: Iterable[Topic] = (),
    contacts: Iterable[User] = (),
) -> PilotProject:
    """Create a pilot project (by the office, or from an idea that reaches the stage Pilot).

    The slug comes from the title and stays when the title changes later.
    Side effects: inserts the pilot and its topic and contact links.
    """
    people = list(contacts)
    values: dict[str, Any] = {
        "title": title.strip(),
        "summary": summary.strip(),
        "lead_municipality": lead_municipality,
        "state": state,
        "visibility": visibility,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "budget": budget,
        "results": results.strip(),
        "lessons_learned": lessons_learned.strip(),
    }
    _check_pilot(values, people)
    pilot = _create_with_free_slug(values["title"], {**values, "created_by": created_by})
    pilot.topics.set(list(topics))
    pilot.contacts.set(people)
    return pilot


@transaction.atomic
def pilot_update(
    *,
    pilot: PilotProject,
    by: User,
    fields: Mapping[str, Any],
    topics: Iterable[Topic] | None = None,
    contacts: Iterable[User] | None = None,
) -> PilotProject:
    """Save the edited fields of a pilot; the slug never changes.

    Contact people change texts, dates and budget (``EDITOR_FIELDS``); state,
    visibility, lead municipality, topics and contacts only the office
    (otherwise PermissionDenied). The lead cannot also be a participant.
    Side effects: updates the pilot's row and, when given, its topic and
    contact links.
    """
    unknown = set(fields) - EDITOR_FIELDS - STAFF_FIELDS
    if unknown:
        raise ValueError(f"pilot_update cannot set {sorted(unknown)}")
    office_only = bool(set(fields) & STAFF_FIELDS) or topics is not None or contacts is not None
    if office_only and not is_staff(by):
        raise PermissionDenied
    cleaned = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    current = {
        name: getattr(pilot, name)
        for name in ("title", "starts_on", "ends_on", "budget", "state", "visibility")
    }
    people = list(contacts) if contacts is not None else None
    _check_pilot({**current, **cleaned}, people)
    lead: Municipality | None = fields.get("lead_municipality")
    if lead is not None and pilot.participants.filter(municipality=lead).exists():
        raise ValidationError(
            {
                "lead_municipality": _(
                    "This municipality is listed among the participating municipalities. "
                    "Please remove it there first."
                )
            }
        )
    for name, value in cleaned.items():
        setattr(pilot, name, value)
    pilot.save(update_fields=[*cleaned, "updated_at"])
    if topics is not None:
        pilot.topics.set(list(topics))
    if people is not None:
        pilot.contacts.set(people)
    return pilot


def _lock(pilot: PilotProject) -> None:
    """Serialise the edits of one pilot's lists on its row."""
    list(PilotProject.objects.select_for_update().filter(pk=pilot.pk).values_list("pk"))


@transaction.atomic
def pilot_participants_save(
    *, pilot: PilotProject, participants: Sequence[ParticipantRow]
) -> list[PilotParticipant]:
    """Replace the pilot's participating municipalities by ``participants``.

    Refused as a whole when a municipality appears twice or is the lead, or a
    role is missing. Side effects: locks the pilot's row, deletes its
    participants and inserts the new ones, re-indexes the pilot for search.
    """
    lead_id = pilot.lead_municipality_id
    problems = [
        problem
        for row in participants
        for problem in participant_problems(row, lead_id=lead_id).values()
    ]
    problems += [
        _("“%(name)s” is listed twice.") % {"name": name}
        for name in duplicate_municipalities(participants)
    ]
    _refuse(problems)
    _lock(pilot)
    pilot.participants.all().delete()
    created = PilotParticipant.objects.bulk_create(
        PilotParticipant(pilot=pilot, municipality=row.municipality, role=row.role.strip())
        for row in participants
    )
    # bulk_create sends no signal; the participants are named in the pilot's search entry
    # and counted in the transfer figures.
    index_object(PilotProject.objects.get(pk=pilot.pk))
    sections.changed_for(PilotParticipant)
    return created


@transaction.atomic
def pilot_milestones_save(
    *, pilot: PilotProject, milestones: Sequence[MilestoneRow]
) -> list[Milestone]:
    """Replace the pilot's milestones by ``milestones``.

    Refused as a whole when a title or state is missing or a milestone that is
    not reached has a date "reached on". Side effects: locks the pilot's row,
    deletes its milestones and inserts the new ones.
    """
    _refuse(problem for row in milestones for problem in milestone_problems(row).values())
    _lock(pilot)
    pilot.milestones.all().delete()
    sections.changed_for(Milestone)  # bulk_create sends no signal
    return Milestone.objects.bulk_create(
        Milestone(
            pilot=pilot,
            title=row.title.strip(),
            due_on=row.due_on,
            state=row.state,
            reached_on=row.reached_on,
        )
        for row in milestones
    )


@transaction.atomic
def pilot_funding_save(
    *, pilot: PilotProject, sources: Sequence[FundingRow]
) -> list[FundingSource]:
    """Replace the pilot's funding sources by ``sources``.

    Refused as a whole when a name is missing or an amount is negative or too
    large. Side effects: locks the pilot's row, deletes its funding sources
    and inserts the new ones.
    """
    _refuse(problem for row in sources for problem in funding_problems(row).values())
    _lock(pilot)
    pilot.funding_sources.all().delete()
    sections.changed_for(FundingSource)  # bulk_create sends no signal
    return FundingSource.objects.bulk_create(
        FundingSource(pilot=pilot, name=row.name.strip(), amount=row.amount) for row in sources
    )


@transaction.atomic
def pilot_indicators_save(
    *, pilot: PilotProject, indicators: Sequence[IndicatorRow]
) -> list[Indicator]:
    """Make the pilot's indicators those of ``indicators``.

    Rows with a ``pk`` update that indicator in place, so the values adopting
    municipalities entered for it stay; indicators not named are deleted with
    those values. Refused as a whole when a value lies outside its unit's
    range (``UNIT_RANGES``), a name is missing or used twice, or a ``pk`` is
    not one of the pilot's. Side effects: locks the pilot's row, deletes,
    updates and inserts indicators.
    """
    problems = [problem for row in indicators for problem in indicator_problems(row).values()]
    problems += [
        _("Two indicators are called “%(name)s”.") % {"name": name}
        for name in duplicate_indicator_names(indicators)
    ]
    _refuse(problems)
    _lock(pilot)
    existing = {indicator.pk: indicator for indicator in pilot.indicators.all()}
    named = [row.pk for row in indicators if row.pk is not None]
    if len(set(named)) != len(named) or not set(named) <= set(existing):
        raise ValidationError(
            _("The indicators were changed in the meantime. Please load the page again.")
        )
    Indicator.objects.filter(pk__in=set(existing) - set(named)).delete()
    # Names are unique per pilot: renamed rows step aside first, so two may swap names.
    renamed = [row.pk for row in indicators if row.pk and existing[row.pk].name != row.name.strip()]
    for pk in renamed:
        Indicator.objects.filter(pk=pk).update(name=f"~{pk}")
    saved: list[Indicator] = []
    for row in indicators:
        indicator = existing[row.pk] if row.pk else Indicator(pilot=pilot)
        indicator.name = row.name.strip()
        indicator.unit = row.unit
        indicator.before = row.before
        indicator.after = row.after
        indicator.higher_is_better = row.higher_is_better
        indicator.note = row.note.strip()
        indicator.save()
        saved.append(indicator)
    return saved
