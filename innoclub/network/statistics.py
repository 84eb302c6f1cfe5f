"""Growth statistics for the club office: reads only, counted in the database.

Who counts (docs/architecture.md, issue "growth statistics"):

- a **member** is a user with the role ``member`` whose profile has a
  ``member_since`` date; historically, a member counts in year Y when they
  joined in or before Y and had not left by the end of Y (``left_on`` empty or
  later than Y);
- a **current member** is such a member whose account is active and who has
  not left (``left_on`` empty);
- **external partners** are active guest accounts that have not left; they
  appear only in the distribution by sector.

Every function runs one aggregate query, whatever the number of members.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import Role, User
from innoclub.network.models import (
    SIZE_CLASS_BOUNDS,
    FederalState,
    Function,
    Profile,
    Sector,
    SizeClass,
)

# The key of the category for members or partners without the detail in question.
NOT_SPECIFIED = ""


@dataclass(frozen=True)
class YearFigures:
    """One calendar year: members at its end, joins and leaves during it."""

    year: int
    members: int
    joined: int
    left: int


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    count: int

    @property
    def is_specified(self) -> bool:
        return self.key != NOT_SPECIFIED


@dataclass(frozen=True)
class Distribution:
    """Counts per category, in the order they are shown; "not specified" comes last."""

    categories: list[Category]

    @property
    def total(self) -> int:
        return sum(category.count for category in self.categories)

    @property
    def largest(self) -> list[Category]:
        """The specified categories with the highest count (several on a tie, none if empty)."""
        counts = [c.count for c in self.categories if c.is_specified]
        top = max(counts, default=0)
        if top == 0:
            return []
        return [c for c in self.categories if c.is_specified and c.count == top]


def _member_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(user__role=Role.MEMBER, member_since__isnull=False)


def _current_members() -> QuerySet[User]:
    return User.objects.filter(
        role=Role.MEMBER,
        is_active=True,
        profile__member_since__isnull=False,
        profile__left_on__isnull=True,
    )


def _current_partners() -> QuerySet[User]:
    # A guest without a profile has no sector, but is still an external partner.
    return User.objects.filter(role=Role.GUEST, is_active=True, profile__left_on__isnull=True)


def _counts(queryset: QuerySet[User], key: str) -> dict[str, int]:
    """Users per value of ``key``, grouped in the database; missing values under NOT_SPECIFIED."""
    counts: dict[str, int] = {}
    for row in queryset.order_by().values(key).annotate(n=Count("pk")):
        category = row[key] or NOT_SPECIFIED
        counts[category] = counts.get(category, 0) + row["n"]
    return counts


def _per_year(profiles: QuerySet[Profile], date_field: str) -> dict[int, int]:
    """Profiles per calendar year of ``date_field``, grouped in the database."""
    rows = (
        profiles.order_by()
        .annotate(year=ExtractYear(date_field))
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {int(row["year"]): row["n"] for row in rows}


def _distribution(
    counts: dict[str, int], labels: dict[str, str], *, by_count: bool
) -> Distribution:
    """Every known category (also those with no one), then "not specified" if anyone lacks it.

    ``by_count`` sorts the largest first (for categories without a natural
    order); otherwise the order of ``labels`` is kept.
    """
    categories = [Category(key, label, counts.get(key, 0)) for key, label in labels.items()]
    if by_count:
        categories.sort(key=lambda c: (-c.count, c.label))
    unspecified = sum(n for key, n in counts.items() if key not in labels)
    if unspecified:
        categories.append(Category(NOT_SPECIFIED, _("not specified"), unspecified))
    return Distribution(categories)


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Choice keys and their labels in the active language."""
    return {key: str(label) for key, label in choices}


def year_figures(*, today: datetime.date | None = None) -> list[YearFigures]:
    """Members at the end of each year, joins and leaves, from the first join to this year.

    Two queries: joins per year and leaves per year. Members at the end of Y
    are everyone who joined up to Y minus everyone who left up to Y (leaving
    never comes before joining: a check constraint on Profile).
    """
    profiles = _member_profiles()
    joins = _per_year(profiles, "member_since")
    leaves = _per_year(profiles.filter(left_on__isnull=False), "left_on")
    if not joins:
        return []
    first = min(joins)
    last = max((today or timezone.localdate()).year, *joins, *leaves)
    figures: list[YearFigures] = []
    members = 0
    for year in range(first, last + 1):
        joined, left = joins.get(year, 0), leaves.get(year, 0)
        members += joined - left
        figures.append(YearFigures(year=year, members=members, joined=joined, left=left))
    return figures


def members_by_state() -> Distribution:
    """Current members per federal state of their municipality, every Land listed."""
    counts = _counts(_current_members(), "municipality__state")
    return _distribution(counts, _labels(FederalState.choices), by_count=True)


def _size_class_case() -> Case:
    """The population class of the member's municipality, as SQL (see SIZE_CLASS_BOUNDS)."""
    whens = []
    for size, (low, high) in SIZE_CLASS_BOUNDS.items():
        bounds = [Q(municipality__population__gte=low)]
        if high is not None:
            bounds.append(Q(municipality__population__lt=high))
        whens.append(When(reduce(and_, bounds), then=Value(str(size))))
    return Case(*whens, default=Value(NOT_SPECIFIED), output_field=CharField())


def members_by_size_class() -> Distribution:
    """Current members per population class of their municipality, smallest first."""
    counts = _counts(_current_members().annotate(size=_size_class_case()), "size")
    return _distribution(counts, _labels(SizeClass.choices), by_count=False)


def partners_by_sector() -> Distribution:
    """Current external partners (guests) per sector."""
    counts = _counts(_current_partners(), "profile__sector")
    return _distribution(counts, _labels(Sector.choices), by_count=True)


def members_by_function() -> Distribution:
    """Current members per function in their municipality."""
    counts = _counts(_current_members(), "profile__function")
    return _distribution(counts, _labels(Function.choices), by_count=True)
