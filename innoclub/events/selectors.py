"""Reads of the events app, filtered for the person who asks.

An event is visible by its level (``core.access``); an event for members or
for participants is also visible to everybody invited to it or registered for
it, so an invited guest can open the forum they were invited to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from innoclub.core import access
from innoclub.core.access import Visibility
from innoclub.events.models import (
    Event,
    EventInvitation,
    EventState,
    Registration,
    RegistrationStatus,
)

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
    """One event by its slug; 404 whether it is missing or hidden from ``user``.

    The same rule as ``events_visible``, checked on the fetched row: one plain
    query for the common case (a level the person sees), because every
    registration request starts here.
    """
    event = Event.objects.select_related("series").filter(slug=slug).first()
    if event is None:
        raise Http404
    if event.visibility in access.visible_levels(user):
        return event
    if (
        user.is_authenticated
        and event.visibility in (Visibility.MEMBERS, Visibility.PARTICIPANTS)
        and (
            EventInvitation.objects.filter(event=event, user=user).exists()
            or Registration.objects.filter(event=event, user=user).exists()
        )
    ):
        return event
    raise Http404


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


def event_next(user: AnyUser) -> Event | None:
    """The forum the start page features: of the events ``user`` may see that
    have not ended, the one with the highest number in its series (the
    Deutschlandforum, 23 editions, before the 8th Werkstattgespräch), then the
    earliest. One query."""
    today = timezone.localdate()
    return (
        events_visible(user)
        .filter(ends_on__gte=today)
        .exclude(state=EventState.PLANNING)
        .order_by(F("number").desc(nulls_last=True), "starts_on", "pk")
        .first()
    )


def events_for_topic(*, user: AnyUser, topic_id: int, limit: int = 6) -> list[Event]:
    """Forums on a topic, newest first: the event itself or one of its sessions
    carries the topic. One query."""
    on_topic = Q(topics=topic_id) | Q(sessions__topics=topic_id)
    matching = Event.objects.filter(on_topic).values("pk")
    return list(events_visible(user).filter(pk__in=matching).order_by("-starts_on", "pk")[:limit])


def registrations_upcoming(*, user: AnyUser) -> list[Registration]:
    """The person's registrations (not cancelled) for events that have not ended,
    soonest first. One query."""
    if not user.is_authenticated:
        return []
    return list(
        Registration.objects.filter(user=user, event__ends_on__gte=timezone.localdate())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_on", "event_id")
    )
