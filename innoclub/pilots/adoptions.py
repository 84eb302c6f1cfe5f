"""Writes of the adoption register (Nachnutzung): a municipality takes up a pilot.

One adoption per municipality and pilot (unique constraint
``adoption_once_per_municipality``): a second declaration updates the first.
Every change of state appends an ``AdoptionStateChange``, so the spread of a
pilot can be replayed over time. Everything is validated before anything is
written; a refusal raises ``ValidationError`` with German messages keyed by the
argument it concerns (indicator values by ``indicator_<id>_before`` /
``indicator_<id>_after``) and changes nothing.

Rules kept here:

- ``effective_on`` of a history entry is the date the state began:
  ``started_on`` for interessiert and in Vorbereitung, ``implemented_on`` for
  umgesetzt, ``given_up_on`` for aufgegeben. A declaration that keeps the state
  but corrects that date corrects the newest entry instead of adding one.
- Dates that do not belong to the state are dropped: interessiert and in
  Vorbereitung have no implementation date; only aufgegeben keeps a date and
  a reason for giving up (an implementation date stays when a municipality
  gives up what it had implemented).
- A verification by the office confirms a state. When the municipality
  changes the state, the verification is withdrawn; other corrections and
  every edit by the office keep it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from innoclub.accounts.models import Role, User
from innoclub.core.access import (
    is_staff,
    may_adopt_pilot,
    may_edit_adoption,
    may_verify_adoption,
)
from innoclub.core.emails import email_send
from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    Indicator,
    PilotProject,
)
from innoclub.pilots.values import indicator_value_problem

IndicatorValues = Mapping[Indicator, tuple[Decimal | None, Decimal | None]]

ADAPTATIONS_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Declaration:
    """A checked declaration, ready to be written."""

    state: str
    started_on: date
    implemented_on: date | None
    given_up_on: date | None
    given_up_reason: str
    contact: User | None
    adaptations: str
    values: dict[Indicator, tuple[Decimal | None, Decimal | None]]

    @property
    def effective_on(self) -> date:
        return effective_date(
            self.state,
            started_on=self.started_on,
            implemented_on=self.implemented_on,
            given_up_on=self.given_up_on,
        )


def effective_date(
    state: str, *, started_on: date, implemented_on: date | None, given_up_on: date | None
) -> date:
    """The date the adoption entered ``state``."""
    if state == AdoptionState.IMPLEMENTED and implemented_on is not None:
        return implemented_on
    if state == AdoptionState.GIVEN_UP and given_up_on is not None:
        return given_up_on
    return started_on


# --- Checks -------------------------------------------------------------------


def _check_date(errors: dict[str, str], name: str, day: date, started_on: date | None) -> None:
    if day > timezone.localdate():
        errors[name] = _("The date cannot be in the future.")
    elif started_on is not None and name != "started_on" and day < started_on:
        errors[name] = _("The date cannot be before the start.")


def _check_value(
    errors: dict[str, str], indicator: Indicator, side: str, value: Decimal | None
) -> None:
    problem = indicator_value_problem(indicator.unit, value)
    if problem:
        errors[f"indicator_{indicator.pk}_{side}"] = problem


def _check_contact(errors: dict[str, str], contact: User | None, municipality_id: int) -> None:
    if contact is None:
        return
    if not (
        contact.is_active
        and contact.role == Role.MEMBER
        and contact.municipality_id == municipality_id
    ):
        errors["contact"] = _("The contact person must be a member from the municipality.")


def declaration_check(
    *,
    pilot: PilotProject,
    municipality_id: int,
    state: str,
    started_on: date | None,
    implemented_on: date | None,
    given_up_on: date | None,
    given_up_reason: str,
    contact: User | None,
    adaptations: str,
    values: IndicatorValues,
) -> Declaration:
    """Check a declaration without writing; raises ``ValidationError`` with every problem."""
    errors: dict[str, str] = {}
    if state not in AdoptionState.values:
        errors["state"] = _("Please choose a state.")
    if started_on is None:
        errors["started_on"] = _("Please enter when your municipality started.")
    else:
        _check_date(errors, "started_on", started_on, None)
    if state not in (AdoptionState.IMPLEMENTED, AdoptionState.GIVEN_UP):
        implemented_on = None
    if state != AdoptionState.GIVEN_UP:
        given_up_on, given_up_reason = None, ""
    reason = given_up_reason.strip()
    if state == AdoptionState.IMPLEMENTED and implemented_on is None:
        errors["implemented_on"] = _("Please enter when the solution was implemented.")
    if state == AdoptionState.GIVEN_UP:
        if given_up_on is None:
            errors["given_up_on"] = _("Please enter when your municipality gave up.")
        if not reason:
            errors["given_up_reason"] = _(
                "Please tell others why: it helps them avoid the same obstacles."
            )
    if len(reason) > REASON_MAX_LENGTH:
        errors["given_up_reason"] = _("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
    if implemented_on is not None:
        _check_date(errors, "implemented_on", implemented_on, started_on)
    if given_up_on is not None:
        _check_date(errors, "given_up_on", given_up_on, started_on)
    text = adaptations.strip()
    if len(text) > ADAPTATIONS_MAX_LENGTH:
        errors["adaptations"] = _("At most %(max)d characters.") % {"max": ADAPTATIONS_MAX_LENGTH}
    _check_contact(errors, contact, municipality_id)
    for indicator, (before, after) in values.items():
        if indicator.pilot_id != pilot.pk:
            errors["values"] = _("An indicator does not belong to this pilot project.")
            continue
        _check_value(errors, indicator, "before", before)
        _check_value(errors, indicator, "after", after)
    if errors or started_on is None:
        raise ValidationError(errors)
    return Declaration(
        state=state,
        started_on=started_on,
        implemented_on=implemented_on,
        given_up_on=given_up_on,
        given_up_reason=reason,
        contact=contact,
        adaptations=text,
        values=dict(values),
    )


# --- Writes -------------------------------------------------------------------


def _write(adoption: Adoption, declaration: Declaration, *, by: User, is_new: bool) -> Adoption:
    """Apply a checked declaration to a locked (or new) adoption row."""
    previous_state = None if is_new else adoption.state
    previous_effective = (
        None
        if is_new
        else effective_date(
            adoption.state,
            started_on=adoption.started_on,
            implemented_on=adoption.implemented_on,
            given_up_on=adoption.given_up_on,
        )
    )
    adoption.state = declaration.state
    adoption.started_on = declaration.started_on
    adoption.implemented_on = declaration.implemented_on
    adoption.given_up_on = declaration.given_up_on
    adoption.given_up_reason = declaration.given_up_reason
    adoption.contact = declaration.contact
    adoption.adaptations = declaration.adaptations
    state_changed = previous_state != declaration.state
    if state_changed and not is_new and not is_staff(by):
        adoption.verified_by, adoption.verified_at = None, None
    adoption.save()
    if state_changed:
        AdoptionStateChange.objects.create(
            adoption=adoption,
            state=declaration.state,
            effective_on=declaration.effective_on,
            changed_by=by,
        )
    elif previous_effective != declaration.effective_on:
        newest = adoption.history.filter(state=declaration.state).order_by("-id").first()
        if newest is not None:
            newest.effective_on = declaration.effective_on
            newest.save(update_fields=["effective_on"])
    _write_values(adoption, declaration.values)
    return adoption


def _write_values(
    adoption: Adoption, values: dict[Indicator, tuple[Decimal | None, Decimal | None]]
) -> None:
    """Indicators not named keep their values; a pair of blanks removes them."""
    empty = [indicator.pk for indicator, pair in values.items() if pair == (None, None)]
    if empty:
        adoption.values.filter(indicator_id__in=empty).delete()
    for indicator, (before, after) in values.items():
        if (before, after) != (None, None):
            AdoptionIndicatorValue.objects.update_or_create(
                adoption=adoption, indicator=indicator, defaults={"before": before, "after": after}
            )


def adoption_declare(
    *,
    pilot: PilotProject,
    by: User,
    state: str,
    started_on: date | None,
    implemented_on: date | None = None,
    given_up_on: date | None = None,
    given_up_reason: str = "",
    contact: User | None = None,
    adaptations: str = "",
    values: IndicatorValues | None = None,
    municipality_id: int | None = None,
) -> Adoption:
    """A member declares that their municipality adopts ``pilot``, or updates that.

    The municipality is always ``by.municipality``; naming another one
    (``municipality_id``) is refused, and so is anyone ``may_adopt_pilot``
    refuses (anonymous, guests, the office, members without a municipality).
    The office corrects existing adoptions with ``adoption_update``.

    Side effects, in one transaction: inserts or updates (under
    ``SELECT … FOR UPDATE``) the one adoption of the municipality; appends an
    ``AdoptionStateChange`` when the state changes; inserts, updates or
    deletes the named indicator values; withdraws a verification when the
    state changes. A new adoption is e-mailed to the pilot's contact people
    after commit. When a simultaneous first declaration wins the insert, this
    one updates its row.
    """
    if not may_adopt_pilot(by):
        raise ValidationError(
            _("Only members whose account is linked to a municipality can declare an adoption.")
        )
    own = by.municipality_id
    assert own is not None  # may_adopt_pilot
    if municipality_id is not None and municipality_id != own:
        raise ValidationError(_("You can only declare adoptions for your own municipality."))
    declaration = declaration_check(
        pilot=pilot,
        municipality_id=own,
        state=state,
        started_on=started_on,
        implemented_on=implemented_on,
        given_up_on=given_up_on,
        given_up_reason=given_up_reason,
        contact=contact,
        adaptations=adaptations,
        values=values or {},
    )
    with transaction.atomic():
        existing = (
            Adoption.objects.select_for_update().filter(pilot=pilot, municipality_id=own).first()
        )
        if existing is not None:
            return _write(existing, declaration, by=by, is_new=False)
        try:
            with transaction.atomic():
                adoption = _write(
                    Adoption(pilot=pilot, municipality_id=own, declared_by=by),
                    declaration,
                    by=by,
                    is_new=True,
                )
        except IntegrityError:
            # Someone from the same municipality declared at the same moment.
            existing = Adoption.objects.select_for_update().get(pilot=pilot, municipality_id=own)
            return _write(existing, declaration, by=by, is_new=False)
        transaction.on_commit(partial(send_new_adoption_email.enqueue, pk=adoption.pk))
        return adoption


def adoption_update(
    *,
    adoption: Adoption,
    by: User,
    state: str,
    started_on: date | None,
    implemented_on: date | None = None,
    given_up_on: date | None = None,
    given_up_reason: str = "",
    contact: User | None = None,
    adaptations: str = "",
    values: IndicatorValues | None = None,
) -> Adoption:
    """Correct an existing adoption: its municipality's members or the office.

    Same checks and side effects as ``adoption_declare`` (row lock, history,
    values), but never creates a row and never e-mails. Edits by the office keep
    a verification.
    """
    if not may_edit_adoption(by, municipality_id=adoption.municipality_id):
        raise ValidationError(_("You cannot change this adoption."))
    declaration = declaration_check(
        pilot=adoption.pilot,
        municipality_id=adoption.municipality_id,
        state=state,
        started_on=started_on,
        implemented_on=implemented_on,
        given_up_on=given_up_on,
        given_up_reason=given_up_reason,
        contact=contact,
        adaptations=adaptations,
        values=values or {},
    )
    with transaction.atomic():
        locked = Adoption.objects.select_for_update().get(pk=adoption.pk)
        return _write(locked, declaration, by=by, is_new=False)


@transaction.atomic
def adoption_verify(*, adoption: Adoption, by: User) -> Adoption:
    """The office confirms an adoption. Side effects: sets ``verified_by`` and ``verified_at``."""
    if not may_verify_adoption(by):
        raise ValidationError(_("Only the club office can confirm an adoption."))
    locked = Adoption.objects.select_for_update().get(pk=adoption.pk)
    locked.verified_by, locked.verified_at = by, timezone.now()
    locked.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return locked


@transaction.atomic
def adoption_unverify(*, adoption: Adoption, by: User) -> Adoption:
    """The office takes a confirmation back. Side effects: clears both fields."""
    if not may_verify_adoption(by):
        raise ValidationError(_("Only the club office can confirm an adoption."))
    locked = Adoption.objects.select_for_update().get(pk=adoption.pk)
    locked.verified_by, locked.verified_at = None, None
    locked.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return locked


# --- E-mail -------------------------------------------------------------------


@task(queue_name="email")
def send_new_adoption_email(*, pk: int) -> None:
    """Tell the pilot's contact people (not the declaring person) about a new adoption.

    Rendered by the worker in each person's language; an adoption deleted
    meanwhile sends nothing.
    """
    adoption = (
        Adoption.objects.select_related("pilot", "municipality", "declared_by")
        .filter(pk=pk)
        .first()
    )
    if adoption is None:
        return
    people = adoption.pilot.contacts.filter(is_active=True)
    if adoption.declared_by_id is not None:
        people = people.exclude(pk=adoption.declared_by_id)
    for person in people:
        with translation.override(person.language):
            subject = _("%(place)s adopts “%(title)s”") % {
                "place": adoption.municipality.name,
                "title": adoption.pilot.title,
            }
        email_send(
            to=[person.email],
            subject=subject,
            template="pilots/email/adoption_new",
            context={"user": person, "adoption": adoption},
            language=person.language,
        )
