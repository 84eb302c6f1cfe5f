"""Reads of the adoption register: the section on the pilot page and an adoption's page.

Adoptions are visible exactly when their pilot is (``pilot_for_viewer``);
hidden and missing answer the same 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from innoclub.core.access import (
    AnyUser,
    may_adopt_pilot,
    may_edit_adoption,
    may_see_contact,
    may_verify_adoption,
)
from innoclub.network.models import Profile
from innoclub.pilots.adoptions import effective_date
from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    Indicator,
    PilotProject,
)
from innoclub.pilots.selectors import pilot_for_viewer

REGISTER_PAGE_SIZE = 50

# The order of the section: what spread furthest first, given up last.
STATE_ORDER: list[str] = [
    AdoptionState.IMPLEMENTED,
    AdoptionState.PREPARING,
    AdoptionState.INTERESTED,
    AdoptionState.GIVEN_UP,
]


def adoption_since(adoption: Adoption) -> date:
    """The date the adoption entered its current state."""
    return effective_date(
        adoption.state,
        started_on=adoption.started_on,
        implemented_on=adoption.implemented_on,
        given_up_on=adoption.given_up_on,
    )


@dataclass(frozen=True)
class AdoptionRow:
    adoption: Adoption
    since: date


class AdoptionRows:
    """The rows of one page of the register, read when first iterated (the API
    uses the section's figures only)."""

    def __init__(self, adoptions: Iterable[Adoption]) -> None:
        self._adoptions = adoptions
        self._rows: list[AdoptionRow] | None = None

    def __iter__(self) -> Iterator[AdoptionRow]:
        if self._rows is None:
            self._rows = [
                AdoptionRow(adoption=adoption, since=adoption_since(adoption))
                for adoption in self._adoptions
            ]
        return iter(self._rows)

    def __getitem__(self, index: int) -> AdoptionRow:
        return list(self)[index]

    def __len__(self) -> int:
        return sum(1 for _row in self)


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


def adoption_section(pilot: PilotProject, user: AnyUser, *, page: str = "1") -> dict[str, Any]:
    """Context for ``pilots/_adoptions.html`` on the pilot page; two queries: the counts
    by state with the viewer's own adoption, and the page's rows (when iterated).

    ``pilot`` must be one ``user`` may see. Keys: ``adoption_rows`` (one page of
    ``REGISTER_PAGE_SIZE``, ordered by state, then name), ``adoption_page`` (that
    page, for the navigation), ``adoption_counts`` (every state, zero
    included), ``adoption_total``, ``own_adoption`` (the adoption of the
    user's municipality, if any), ``may_adopt``, ``adoption_needs_login``,
    ``adoption_needs_municipality`` (a member whose account has no
    municipality).
    """
    adoptions = Adoption.objects.filter(pilot=pilot)
    own_municipality = getattr(user, "municipality_id", None) if user.is_authenticated else None
    # One row per state with the state's count, and the viewer's own adoption.
    firsts = (
        adoptions.select_related("municipality")
        .annotate(
            in_state=Window(Count("pk"), partition_by=[F("state")]),
            position=Window(RowNumber(), partition_by=[F("state")], order_by=F("pk").asc()),
        )
        .filter(Q(position=1) | Q(municipality_id=own_municipality))
        .order_by()
    )
    by_state: dict[str, int] = {}
    own = None
    for adoption in firsts:
        by_state[adoption.state] = adoption.in_state
        if own_municipality is not None and adoption.municipality_id == own_municipality:
            own = adoption
    total = sum(by_state.values())
    rank = Case(
        *(When(state=state, then=Value(index)) for index, state in enumerate(STATE_ORDER)),
        default=Value(len(STATE_ORDER)),
        output_field=IntegerField(),
    )
    ordered = adoptions.select_related("municipality").order_by(rank, "municipality__name", "id")
    paginator = Paginator(ordered, REGISTER_PAGE_SIZE)
    paginator.count = total  # known already: spares the count query
    current = paginator.get_page(page) if total else None
    may_adopt = may_adopt_pilot(user)
    return {
        "pilot": pilot,
        "adoption_page": current,
        "adoption_rows": AdoptionRows(current.object_list if current is not None else []),
        "adoption_counts": [
            StateCount(
                state=state, label=str(AdoptionState(state).label), count=by_state.get(state, 0)
            )
            for state in STATE_ORDER
        ],
        "adoption_total": total,
        "own_adoption": own,
        "may_adopt": may_adopt,
        "adoption_needs_login": not user.is_authenticated,
        "adoption_needs_municipality": bool(
            user.is_authenticated and user.is_member and not may_adopt
        ),
    }


def adoption_for_viewer(user: AnyUser, *, slug: str, pk: int) -> Adoption:
    """The adoption of a pilot ``user`` may see, or 404."""
    pilot = pilot_for_viewer(user, slug=slug)
    adoption = (
        Adoption.objects.filter(pilot=pilot, pk=pk)
        .select_related("municipality", "contact__profile", "verified_by")
        .first()
    )
    if adoption is None:
        raise Http404
    adoption.pilot = pilot
    return adoption


def own_adoption(pilot: PilotProject, user: AnyUser) -> Adoption | None:
    """The adoption of the municipality ``user`` belongs to, for the declaration form."""
    municipality_id = getattr(user, "municipality_id", None)
    if not user.is_authenticated or municipality_id is None:
        return None
    return (
        Adoption.objects.filter(pilot=pilot, municipality_id=municipality_id)
        .select_related("municipality")
        .first()
    )


@dataclass(frozen=True)
class IndicatorComparison:
    """One of the pilot's indicators with the adopting municipality's own values."""

    indicator: Indicator
    before: Decimal | None
    after: Decimal | None

    @property
    def has_own_values(self) -> bool:
        return self.before is not None or self.after is not None


def indicators_with_values(
    pilot: PilotProject, adoption: Adoption | None
) -> list[IndicatorComparison]:
    """The pilot's indicators, each with the adoption's values (two queries at most)."""
    indicators = list(pilot.indicators.all())
    values: dict[int, AdoptionIndicatorValue] = {}
    if adoption is not None and indicators:
        values = {value.indicator_id: value for value in adoption.values.all()}
    return [
        IndicatorComparison(
            indicator=indicator,
            before=values[indicator.pk].before if indicator.pk in values else None,
            after=values[indicator.pk].after if indicator.pk in values else None,
        )
        for indicator in indicators
    ]


def _contact_profile(adoption: Adoption) -> Profile | None:
    contact = adoption.contact
    if contact is None:
        return None
    try:
        return contact.profile
    except Profile.DoesNotExist:
        return None


def adoption_page(adoption: Adoption, user: AnyUser) -> dict[str, Any]:
    """What the adoption's page shows ``user``; a fixed number of queries.

    ``adoption`` comes from ``adoption_for_viewer``. The contact person is
    shown to members and the office, to others only with ``public_listing``.
    """
    contact = adoption.contact
    profile = _contact_profile(adoption)
    contact_visible = (
        contact is not None
        and contact.is_active
        and may_see_contact(user, public_listing=bool(profile and profile.public_listing))
    )
    history = list(
        AdoptionStateChange.objects.filter(adoption=adoption).order_by("effective_on", "id")
    )
    return {
        "adoption": adoption,
        "pilot": adoption.pilot,
        "since": adoption_since(adoption),
        "history": history,
        "comparisons": indicators_with_values(adoption.pilot, adoption),
        "contact_visible": contact_visible,
        "may_edit": may_edit_adoption(user, municipality_id=adoption.municipality_id),
        "may_verify": may_verify_adoption(user),
    }
