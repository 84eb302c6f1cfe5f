"""Reads for the day of the forum: the check-in list, its counts and QR codes.

The check-in list holds the on-site registrations that are confirmed or on the
waitlist (the waitlisted are shown so that the office can tell them why they
cannot be checked in). Online participants do not come to the door.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from innoclub.accounts.models import User
from innoclub.events.models import Attendance, Event, Registration, RegistrationStatus
from innoclub.network.models import Function

_UUID = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class CheckinCounts:
    checked_in: int
    expected: int


def _door_list(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(
        event=event,
        attendance=Attendance.ONSITE,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
    )


def code_in(text: str) -> uuid.UUID | None:
    """The check-in code in what was typed or scanned: the bare code or the whole QR address."""
    match = _UUID.search(text)
    return uuid.UUID(match.group(0)) if match else None


def checkin_list(*, event: Event, query: str = "") -> list[Registration]:
    """The door list, searched by name, e-mail address or check-in code; one query."""
    registrations = _door_list(event).select_related("user", "user__municipality", "user__profile")
    query = query.strip()[:200]
    code = code_in(query)
    if code is not None:
        registrations = registrations.filter(code=code)
    else:
        for term in query.split()[:5]:
            registrations = registrations.filter(
                Q(user__first_name__icontains=term)
                | Q(user__last_name__icontains=term)
                | Q(user__email__icontains=term)
            )
    return list(registrations.order_by("user__last_name", "user__first_name", "id"))


def checkin_counts(event: Event) -> CheckinCounts:
    """Checked in / expected among the confirmed on-site participants; one query."""
    confirmed = Q(status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE)
    figures = Registration.objects.filter(event=event).aggregate(
        expected=Count("id", filter=confirmed),
        checked_in=Count("id", filter=confirmed & Q(checked_in_at__isnull=False)),
    )
    return CheckinCounts(checked_in=figures["checked_in"], expected=figures["expected"])


def checkin_registration(
    *, event: Event, pk: int | None = None, code: uuid.UUID | None = None
) -> Registration | None:
    """One registration of the event by id or code, any status; None if it is not the event's."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    return (
        Registration.objects.select_related("user", "user__municipality", "user__profile")
        .filter(event=event, **lookup)
        .first()
    )


def own_badge_registration(*, event: Event, user: User) -> Registration | None:
    """The person's confirmed on-site registration, the one a QR code is made for."""
    return Registration.objects.filter(
        event=event,
        user=user,
        status=RegistrationStatus.CONFIRMED,
        attendance=Attendance.ONSITE,
    ).first()


def checkin_url(registration: Registration, event: Event) -> str:
    """What the QR code holds: the office's check-in address for this registration."""
    path = reverse("events_office:checkin_code", args=[event.slug, registration.code])
    return settings.SITE_URL + path


def qr_svg(data: str, *, title: str) -> bytes:
    """A standalone SVG QR code, black on white with its quiet zone and a title."""
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="svg", scale=8, title=title, light="#fff")
    return out.getvalue()


def qr_data_uri(data: str) -> str:
    """The same QR code as a data: address, for the badge PDF."""
    return str(segno.make(data, error="m").svg_data_uri(scale=8, light="#fff"))


def badge_line(user: User) -> str:
    """Function or position, and municipality or organisation, for a name badge."""
    profile = getattr(user, "profile", None)
    role = ""
    place = user.municipality.name if user.municipality else ""
    if profile is not None:
        role = profile.position or (
            profile.get_function_display() if profile.function not in ("", Function.OTHER) else ""
        )
        place = place or profile.organisation
    return " · ".join(part for part in (role, place) if part)
