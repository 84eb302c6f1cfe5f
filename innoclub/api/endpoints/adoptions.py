"""The adoption register (Nachnutzung): which municipalities take up a pilot.

Adoptions are visible exactly when their pilot is (``adoption_selectors``);
writes go through ``adoptions.adoption_declare`` and ``adoption_update``,
which check everything before they write, for the caller's own municipality.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from innoclub.accounts.models import User
from innoclub.api.auth import PUBLIC, WRITE, caller
from innoclub.api.common import Input, Page, PageParams, ordered, page_of, responses
from innoclub.api.problems import Refused
from innoclub.api.refs import (
    Id,
    MunicipalityRef,
    PersonOut,
    PilotRef,
    Slug,
    municipality_ref,
    pilot_ref,
)
from innoclub.core.access import AnyUser, may_adopt_pilot, may_edit_adoption, may_open_profile
from innoclub.pilots import adoptions, selectors
from innoclub.pilots.adoption_selectors import (
    adoption_for_viewer,
    adoption_page,
    adoption_since,
    own_adoption,
)
from innoclub.pilots.forms_adoption import SERVICE_FIELDS, contact_choices
from innoclub.pilots.models import (
    Adoption,
    AdoptionState,
    Indicator,
    PilotProject,
)

router = Router(tags=["Nachnutzungen"])

# --- Adoptions: output --------------------------------------------------------


class AdoptionOut(Schema):
    id: int
    pilot: PilotRef
    municipality: MunicipalityRef
    state: AdoptionState
    since: date = Field(description="When the adoption entered its state")
    started_on: date
    implemented_on: date | None
    given_up_on: date | None
    verified_at: datetime | None = Field(description="When the club office confirmed it")
    url: str


class StateChangeOut(Schema):
    state: AdoptionState
    effective_on: date


class IndicatorValueOut(Schema):
    indicator: int = Field(description="Id of the pilot's indicator")
    name: str
    unit: str
    pilot_before: float | None
    pilot_after: float | None
    before: float | None = Field(description="The municipality's own value before")
    after: float | None = Field(description="The municipality's own value after")


class AdoptionDetailOut(AdoptionOut):
    given_up_reason: str
    adaptations: str = Field(description="What the municipality adapted")
    contact: PersonOut | None
    contact_hidden: bool = Field(description="A contact person is named, for members only")
    history: list[StateChangeOut]
    indicators: list[IndicatorValueOut]
    may_edit: bool
    updated_at: datetime


def _adoption_fields(adoption: Adoption) -> dict[str, Any]:
    pilot = adoption.pilot
    return {
        "id": adoption.pk,
        "pilot": pilot_ref(pilot),
        "municipality": municipality_ref(adoption.municipality),
        "state": adoption.state,
        "since": adoption_since(adoption),
        "started_on": adoption.started_on,
        "implemented_on": adoption.implemented_on,
        "given_up_on": adoption.given_up_on,
        "verified_at": adoption.verified_at,
        "url": reverse("pilots:adoption", args=[pilot.slug, adoption.pk]),
    }


def _adoption(adoption: Adoption) -> AdoptionOut:
    return AdoptionOut(**_adoption_fields(adoption))


def _person(viewer: AnyUser, person: User) -> PersonOut:
    # As the page's ``person`` tag names a visible contact.
    return PersonOut(
        name=person.get_full_name() or _("A member of the club"),
        url=reverse("network:profile", args=[person.pk])
        if may_open_profile(viewer, person)
        else "",
    )


def _adoption_for_viewer(user: AnyUser, adoption_id: int) -> Adoption:
    """The adoption if ``user`` sees its pilot; 404 otherwise, as on the page."""
    slug = Adoption.objects.filter(pk=adoption_id).values_list("pilot__slug", flat=True).first()
    if slug is None:
        raise Http404
    return adoption_for_viewer(user, slug=slug, pk=adoption_id)


def _adoption_detail(user: AnyUser, adoption_id: int) -> AdoptionDetailOut:
    adoption = _adoption_for_viewer(user, adoption_id)
    page = adoption_page(adoption, user)
    contact = adoption.contact
    return AdoptionDetailOut.model_validate(
        _adoption_fields(adoption)
        | {
            "given_up_reason": adoption.given_up_reason,
            "adaptations": adoption.adaptations,
            "contact": _person(user, contact) if contact and page["contact_visible"] else None,
            "contact_hidden": bool(contact and not page["contact_visible"]),
            "history": page["history"],
            "indicators": [
                {
                    "indicator": row.indicator.pk,
                    "name": row.indicator.name,
                    "unit": row.indicator.unit,
                    "pilot_before": row.indicator.before,
                    "pilot_after": row.indicator.after,
                    "before": row.before,
                    "after": row.after,
                }
                for row in page["comparisons"]
            ],
            "may_edit": page["may_edit"],
            "updated_at": adoption.updated_at,
        }
    )


# --- Adoptions: reads ---------------------------------------------------------

ADOPTION_ORDERING = {
    "started_on": "started_on",
    "municipality": "municipality__name",
    "pilot": "pilot__title",
    "updated": "updated_at",
}


class AdoptionFilter(Schema):
    pilot: str = Field("", max_length=120, description="Slug of the pilot project")
    municipality: str = Field("", max_length=12, description="AGS of the adopting municipality")
    state: AdoptionState | None = None
    ordering: Literal[
        "started_on",
        "-started_on",
        "municipality",
        "-municipality",
        "pilot",
        "-pilot",
        "updated",
        "-updated",
    ] = "-started_on"


@router.get("/adoptions", auth=PUBLIC, response=responses(Page[AdoptionOut]), summary="Adoptions")
def adoption_list(
    request: HttpRequest, filters: Query[AdoptionFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Adoptions of the pilot projects the caller may see."""
    queryset = Adoption.objects.filter(
        pilot__in=selectors.pilots_visible(request.user)
    ).select_related("pilot", "municipality")
    if filters.pilot:
        queryset = queryset.filter(pilot__slug=filters.pilot)
    if filters.municipality:
        queryset = queryset.filter(municipality__ags=filters.municipality)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    queryset = ordered(queryset, filters.ordering, ADOPTION_ORDERING)
    return page_of(request, queryset, page, _adoption)


@router.get(
    "/adoptions/{adoption_id}",
    auth=PUBLIC,
    response=responses(AdoptionDetailOut),
    summary="One adoption",
)
def adoption(request: HttpRequest, adoption_id: Id) -> AdoptionDetailOut:
    return _adoption_detail(request.user, adoption_id)


# --- Adoptions: writes --------------------------------------------------------


def _date_as_text(value: object) -> object:
    # Pydantic would read a number as seconds since 1970; a date is written out.
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Give the date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_as_text)]


class IndicatorValueIn(Input):
    indicator: int = Field(description="Id of one of the pilot's indicators")
    before: Decimal | None = Field(None, description="Own value before; null for none")
    after: Decimal | None = Field(None, description="Own value after; null for none")


class AdoptionIn(Input):
    state: AdoptionState
    started_on: IsoDate = Field(description="When the municipality began; not in the future")
    implemented_on: IsoDate | None = Field(None, description="Needed for “umgesetzt”")
    given_up_on: IsoDate | None = Field(None, description="Needed for “aufgegeben”")
    given_up_reason: str = Field(
        "", max_length=adoptions.REASON_MAX_LENGTH, description="Needed for “aufgegeben”"
    )
    contact: int | None = Field(
        None, description="Id of an active member of the municipality whom others may ask"
    )
    adaptations: str = Field(
        "", max_length=adoptions.ADAPTATIONS_MAX_LENGTH, description="What the municipality adapted"
    )
    values: list[IndicatorValueIn] = Field(
        [],
        max_length=100,
        description=(
            "Own values of the pilot's indicators, checked against the unit's range; "
            "a refused value names the field indicator_<id>_before or indicator_<id>_after"
        ),
    )


class AdoptionPatch(Input):
    """Only the fields given change; named indicator values change, others stay."""

    state: AdoptionState | None = None
    started_on: IsoDate | None = None
    implemented_on: IsoDate | None = None
    given_up_on: IsoDate | None = None
    given_up_reason: str = Field("", max_length=adoptions.REASON_MAX_LENGTH)
    contact: int | None = None
    adaptations: str = Field("", max_length=adoptions.ADAPTATIONS_MAX_LENGTH)
    values: list[IndicatorValueIn] = Field([], max_length=100)


def _contact(user_id: int | None, municipality_id: int) -> User | None:
    """The contact person, chosen from the same members as in the form."""
    if user_id is None:
        return None
    contact = contact_choices(municipality_id).filter(pk=user_id).first()
    if contact is None:
        raise Refused(
            _("The contact person must be a member from the municipality."),
            status=422,
            field="contact",
        )
    return contact


def _values(
    pilot: PilotProject, rows: list[IndicatorValueIn], *, complete: bool
) -> dict[Indicator, tuple[Decimal | None, Decimal | None]]:
    """Indicator values for the service; ``complete`` removes the values of indicators
    not named (a full replacement, like the form), otherwise they stay."""
    indicators = {indicator.pk: indicator for indicator in pilot.indicators.all()}
    named = [row.indicator for row in rows]
    if len(set(named)) != len(named):
        raise Refused(_("Please name each indicator only once."), status=422, field="values")
    if any(pk not in indicators for pk in named):
        raise Refused(
            _("An indicator does not belong to this pilot project."), status=422, field="values"
        )
    values = {indicators[row.indicator]: (row.before, row.after) for row in rows}
    if complete:
        for indicator in indicators.values():
            values.setdefault(indicator, (None, None))
    return values


def _arguments(
    body: AdoptionIn, pilot: PilotProject, municipality_id: int, *, complete: bool
) -> dict[str, Any]:
    return {
        "state": body.state,
        "started_on": body.started_on,
        "implemented_on": body.implemented_on,
        "given_up_on": body.given_up_on,
        "given_up_reason": body.given_up_reason,
        "contact": _contact(body.contact, municipality_id),
        "adaptations": body.adaptations,
        "values": _values(pilot, body.values, complete=complete),
    }


@router.post(
    "/pilots/{slug}/adoption",
    auth=WRITE,
    response={**responses(AdoptionDetailOut, 201), 200: AdoptionDetailOut},
    summary="Declare the adoption by your municipality",
)
def adoption_declare(
    request: HttpRequest, slug: Slug, body: AdoptionIn
) -> Status[AdoptionDetailOut]:
    """Declare that your municipality adopts the pilot (201), or update that declaration
    (200): the same checks as the form on the page. Indicators not named keep their
    values. Only members whose account is linked to a municipality may declare."""
    pilot = selectors.pilot_for_viewer(request.user, slug=slug)
    if not may_adopt_pilot(request.user):
        raise Http404  # as the page does for guests, the office and members without a place
    user = caller(request)
    assert user.municipality_id is not None  # may_adopt_pilot
    is_new = own_adoption(pilot, user) is None
    saved = adoptions.adoption_declare(
        pilot=pilot, by=user, **_arguments(body, pilot, user.municipality_id, complete=False)
    )
    return Status(201 if is_new else 200, _adoption_detail(user, saved.pk))


def _editable(request: HttpRequest, adoption_id: int) -> Adoption:
    """The adoption if the caller may correct it; 404 otherwise, as the page does."""
    adoption = _adoption_for_viewer(request.user, adoption_id)
    if not may_edit_adoption(request.user, municipality_id=adoption.municipality_id):
        raise Http404
    return adoption


@router.put(
    "/adoptions/{adoption_id}",
    auth=WRITE,
    response=responses(AdoptionDetailOut),
    summary="Replace an adoption",
)
def adoption_replace(request: HttpRequest, adoption_id: Id, body: AdoptionIn) -> AdoptionDetailOut:
    """Correct every field of an adoption (its municipality's members and the office).
    Indicators not named lose their values."""
    adoption = _editable(request, adoption_id)
    user = caller(request)
    arguments = _arguments(body, adoption.pilot, adoption.municipality_id, complete=True)
    adoptions.adoption_update(adoption=adoption, by=user, **arguments)
    return _adoption_detail(user, adoption_id)


@router.patch(
    "/adoptions/{adoption_id}",
    auth=WRITE,
    response=responses(AdoptionDetailOut),
    summary="Change an adoption",
)
def adoption_change(
    request: HttpRequest, adoption_id: Id, body: AdoptionPatch
) -> AdoptionDetailOut:
    """Change the fields given (its municipality's members and the office); the others
    and the values of indicators not named stay as they are."""
    adoption = _editable(request, adoption_id)
    user = caller(request)
    given = body.model_dump(exclude_unset=True, exclude={"contact", "values"})
    arguments = {name: getattr(adoption, name) for name in SERVICE_FIELDS} | given
    if "contact" in body.model_fields_set:
        arguments["contact"] = _contact(body.contact, adoption.municipality_id)
    arguments["values"] = _values(adoption.pilot, body.values, complete=False)
    adoptions.adoption_update(adoption=adoption, by=user, **arguments)
    return _adoption_detail(user, adoption_id)
