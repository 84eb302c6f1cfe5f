"""Open data: the public pilot projects and their adoptions, as JSON and CSV.

Only what the public pages show. Pilots come from ``pilots_visible`` for an
anonymous visitor, adoptions only of those pilots, and of an adoption only
its municipality, state, dates and whether the office confirmed it: no
contact people, no one who declared or verified, no free texts a member
wrote about their municipality. Labels are German whatever the visitor's
language, so a file never depends on who asks.

Each dataset is described once (``Dataset.fields``): the page documents
those fields, the JSON items carry them as keys and the CSV header names
them in the same order.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from innoclub.network.models import FederalState, Topic
from innoclub.pilots.adoptions import effective_date
from innoclub.pilots.models import Adoption, AdoptionState, PilotProject, PilotState
from innoclub.pilots.selectors import pilots_visible

if TYPE_CHECKING:
    from django.utils.functional import Promise

LICENCE: dict[str, str] = {
    "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "id": "DL-DE-BY-2.0",
    "url": "https://www.govdata.de/dl-de/by-2-0",
    "attribution": "innoclub",
}

Item = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    meaning: Promise
    format: Promise


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    fields: tuple[Field, ...]
    items: Callable[[], list[Item]]

    @property
    def header(self) -> list[str]:
        return [field.name for field in self.fields]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _iso(value: datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _public() -> QuerySet[PilotProject]:
    return pilots_visible(AnonymousUser())


def with_adoption_counts(pilots: QuerySet[PilotProject]) -> QuerySet[PilotProject]:
    """Annotate ``adoptions_<state>`` for every state and ``adoptions_active`` (not given up)."""
    counts = {
        f"adoptions_{state.name.lower()}": Count("adoptions", filter=Q(adoptions__state=state))
        for state in AdoptionState
    }
    active = Count("adoptions", filter=~Q(adoptions__state=AdoptionState.GIVEN_UP))
    return pilots.annotate(**counts, adoptions_active=active)


# --- Pilot projects ------------------------------------------------------------

TEXT = _("text")
DATE = _("date (YYYY-MM-DD)")
NUMBER = _("whole number")

PILOT_FIELDS = (
    Field("slug", _("Short name of the pilot project, unique and part of its address"), TEXT),
    Field("title", _("Title"), TEXT),
    Field("url", _("Address of the pilot project's page"), _("web address")),
    Field("summary", _("Summary"), _("text in Markdown")),
    Field("state", _("State: geplant, laufend, abgeschlossen or abgebrochen"), _("code")),
    Field("state_label", _("State as shown on the page"), TEXT),
    Field("lead_municipality", _("Lead municipality"), TEXT),
    Field(
        "lead_municipality_ags",
        _("Amtlicher Gemeindeschlüssel of the lead municipality"),
        _("8 digits (5 for a Landkreis)"),
    ),
    Field("lead_municipality_federal_state", _("Federal state of the lead municipality"), TEXT),
    Field("topics", _("Topics of the club"), _("list (CSV: separated by commas)")),
    Field("starts_on", _("Start"), DATE),
    Field("ends_on", _("End"), DATE),
    Field("budget_eur", _("Budget in euros"), _("number (CSV: decimal comma)")),
    Field("adoptions_active", _("Municipalities adopting it that have not given up"), NUMBER),
    Field("adoptions_interested", _("Adoptions in the state “interested”"), NUMBER),
    Field("adoptions_preparing", _("Adoptions in the state “in preparation”"), NUMBER),
    Field("adoptions_implemented", _("Adoptions in the state “implemented”"), NUMBER),
    Field("adoptions_given_up", _("Adoptions given up"), NUMBER),
    Field("updated_at", _("Last change of the pilot project"), _("date and time (ISO 8601)")),
)


def public_pilots() -> QuerySet[PilotProject]:
    """The public pilots with their lead, topics and adoption counts (two queries)."""
    return (
        with_adoption_counts(_public())
        .select_related("lead_municipality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("title", "id")
    )


def pilot_item(pilot: PilotProject) -> Item:
    lead = pilot.lead_municipality
    counts = {
        f"adoptions_{name}": getattr(pilot, f"adoptions_{name}")
        for name in ("active", "interested", "preparing", "implemented", "given_up")
    }
    return {
        "slug": pilot.slug,
        "title": pilot.title,
        "url": _absolute(reverse("pilots:detail", args=[pilot.slug])),
        "summary": pilot.summary,
        "state": pilot.state,
        "state_label": str(PilotState(pilot.state).label),
        "lead_municipality": lead.name if lead else None,
        "lead_municipality_ags": lead.ags if lead else None,
        "lead_municipality_federal_state": str(FederalState(lead.state).label) if lead else None,
        "topics": [topic.name for topic in pilot.topics.all()],
        "starts_on": _iso(pilot.starts_on),
        "ends_on": _iso(pilot.ends_on),
        "budget_eur": pilot.budget,
        **counts,
        "updated_at": _iso(pilot.updated_at),
    }


def pilot_items() -> list[Item]:
    return [pilot_item(pilot) for pilot in public_pilots()]


# --- Adoptions -------------------------------------------------------------------

ADOPTION_FIELDS = (
    Field("pilot_slug", _("Short name of the pilot project (as in the pilot projects)"), TEXT),
    Field("pilot_title", _("Title of the pilot project"), TEXT),
    Field("url", _("Address of the adoption's page"), _("web address")),
    Field("municipality", _("Adopting municipality"), TEXT),
    Field(
        "municipality_ags", _("Its Amtlicher Gemeindeschlüssel"), _("8 digits (5 for a Landkreis)")
    ),
    Field("federal_state", _("Its federal state"), TEXT),
    Field(
        "state",
        _("State: interessiert, vorbereitung, umgesetzt or aufgegeben"),
        _("code"),
    ),
    Field("state_label", _("State as shown on the page"), TEXT),
    Field("since", _("Date the adoption entered its state"), DATE),
    Field("started_on", _("Started on"), DATE),
    Field("implemented_on", _("Implemented on"), DATE),
    Field("given_up_on", _("Given up on"), DATE),
    Field(
        "verified",
        _("Confirmed by the club office"),
        _("true or false (CSV: ja or nein)"),
    ),
)

_ADOPTION_VALUES = (
    "pk",
    "pilot__slug",
    "pilot__title",
    "municipality__name",
    "municipality__ags",
    "municipality__state",
    "state",
    "started_on",
    "implemented_on",
    "given_up_on",
    "verified_at",
)


def public_adoptions() -> QuerySet[Adoption]:
    """Adoptions of public pilots, in the order of the pilots (one query)."""
    return Adoption.objects.filter(pilot__in=_public()).order_by(
        "pilot__title", "pilot_id", "municipality__name", "id"
    )


def adoption_item(row: dict[str, Any]) -> Item:
    since = effective_date(
        row["state"],
        started_on=row["started_on"],
        implemented_on=row["implemented_on"],
        given_up_on=row["given_up_on"],
    )
    return {
        "pilot_slug": row["pilot__slug"],
        "pilot_title": row["pilot__title"],
        "url": _absolute(reverse("pilots:adoption", args=[row["pilot__slug"], row["pk"]])),
        "municipality": row["municipality__name"],
        "municipality_ags": row["municipality__ags"],
        "federal_state": str(FederalState(row["municipality__state"]).label),
        "state": row["state"],
        "state_label": str(AdoptionState(row["state"]).label),
        "since": _iso(since),
        "started_on": _iso(row["started_on"]),
        "implemented_on": _iso(row["implemented_on"]),
        "given_up_on": _iso(row["given_up_on"]),
        "verified": row["verified_at"] is not None,
    }


def adoption_items() -> list[Item]:
    # values(): only the whitelisted columns ever leave the database.
    return [adoption_item(row) for row in public_adoptions().values(*_ADOPTION_VALUES)]


DATASETS: dict[str, Dataset] = {
    "pilotprojekte": Dataset(
        slug="pilotprojekte",
        title=_("Pilot projects"),
        description=_(
            "Every public pilot project of the club: what it is, who leads it, when it runs "
            "and how many municipalities adopt it."
        ),
        fields=PILOT_FIELDS,
        items=pilot_items,
    ),
    "nachnutzungen": Dataset(
        slug="nachnutzungen",
        title=_("Adoptions"),
        description=_(
            "Every municipality that has declared that it adopts one of the public pilot "
            "projects (Nachnutzung), with the state of the adoption."
        ),
        fields=ADOPTION_FIELDS,
        items=adoption_items,
    ),
}


# --- Output ------------------------------------------------------------------------


def build(dataset: Dataset) -> list[Item]:
    """The dataset's items, with German labels whatever the request's language."""
    with translation.override("de"):
        return dataset.items()


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_document(dataset: Dataset, items: list[Item]) -> dict[str, Any]:
    return {
        "license": LICENCE,
        "documentation": _absolute(reverse("opendata:page")),
        "generated_at": _iso(timezone.now()),
        "count": len(items),
        "items": [{key: _json_value(value) for key, value in item.items()} for item in items],
    }


def json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def weak_etag(document: dict[str, Any]) -> str:
    """An ETag of everything but ``generated_at``: the same data gives the same tag."""
    stable = {key: value for key, value in document.items() if key != "generated_at"}
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def csv_value(value: object) -> object:
    """A JSON value as the CSV cell German spreadsheets read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return value


def csv_rows(dataset: Dataset, items: Iterable[Item]) -> Iterable[list[object]]:
    return ([csv_value(item[name]) for name in dataset.header] for item in items)


# --- The page --------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetSummary:
    dataset: Dataset
    count: int
    changed_at: datetime.datetime | None


def summaries() -> list[DatasetSummary]:
    """How many items each dataset has and when one last changed (two queries)."""
    pilots = _public().aggregate(count=Count("id"), changed=Max("updated_at"))
    adoptions = public_adoptions().aggregate(count=Count("id"), changed=Max("updated_at"))
    return [
        DatasetSummary(DATASETS["pilotprojekte"], pilots["count"], pilots["changed"]),
        DatasetSummary(DATASETS["nachnutzungen"], adoptions["count"], adoptions["changed"]),
    ]
