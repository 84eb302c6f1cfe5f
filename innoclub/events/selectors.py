"""Reads of the events app, filtered for the person who asks.

An event is visible by its level (``core.access``); an event for members or
for participants is also visible to everybody invited to it or registered for
it, so an invited guest can open the forum they were invited to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from innoclub.core import access
from innoclub.core.access import Visibility
from innoclub.events.models import Event, EventInvitation, Registration, RegistrationStatus

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser


def events_visible(user: AnyUser) -> QuerySet[Event]:
    """Every event ``user`` may see."""
    condition = Q(visibility__in=access.visible_levels(user))
    if user.is_authenticated and not access.is_staff(user):
        invited = EventInvitation.objects.filter(event=OuterRef("pk"), user=user)
        registered = Registration.objects.filter(event=OuterRef("pk"), user=user)
        condition |= Q(visibility__in=[Visibility.MEMBERS, Visibility.PARTICIPANTS]) & (
            Q(Exists(invited)) | Q(Exists(registered))
        )
    return Event.objects.filter(condition)


def event_for_viewer(*, user: AnyUser, slug: str) -> Event:
    """One event by its slug; 404 whether it is missing or hidden from ``user``."""
    try:
        return events_visible(user).select_related("series").get(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None


def registration_of(*, user: AnyUser, event: Event) -> Registration | None:
    """The person's registration for the event, active or cancelled, or None."""
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def is_participant(*, user: AnyUser, event: Event) -> bool:
    """Registered and not cancelled (confirmed or on the waitlist)."""
    if not user.is_authenticated:
        return False
    return (
        Registration.objects.filter(event=event, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    )
