"""The club office's events: all of them with their registration counts, and
the program of one with its planning conflicts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.events import conflicts, program
from innoclub.events.models import Event, RegistrationStatus


@access(Rule.STAFF)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.select_related("series")
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )
        .order_by("-starts_on", "title")
    )
    return render(request, "events/office_program_list.html", {"events": events})


@access(Rule.STAFF)
@require_safe
def event_program(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("series"), slug=slug)
    program_days = program.event_program(event)
    sessions = [s for day in program_days for slot in day.slots for s in slot.sessions]
    found = [
        *conflicts.date_conflicts(event, sessions),
        *conflicts.room_conflicts(sessions),
        *conflicts.speaker_conflicts(sessions),
    ]
    by_session = conflicts.conflicts_by_session(found)
    return render(
        request,
        "events/office_program.html",
        {
            "event": event,
            "conflicts": found,
            # Each day with its sessions, each next to the conflicts it is part of.
            "planning": [
                (
                    day.day,
                    [(s, by_session.get(s.pk, [])) for slot in day.slots for s in slot.sessions],
                )
                for day in program_days
            ],
        },
    )
