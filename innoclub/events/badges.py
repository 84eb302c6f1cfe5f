"""Name badges as a PDF: eight per A4 sheet (2 × 4, 105 × 74 mm each), for cutting.

WeasyPrint renders an HTML template (``core.pdf``, which fetches nothing: the
QR codes are ``data:`` addresses).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from innoclub.core.pdf import html_to_pdf
from innoclub.events.models import Attendance, Event, Registration, RegistrationStatus
from innoclub.events.onsite import badge_line, checkin_url, qr_data_uri

PER_SHEET = 8
STYLESHEET = Path(__file__).parent / "static" / "events" / "badges.css"


@dataclass(frozen=True)
class Badge:
    name: str
    line: str
    qr: str


def badge_registrations(event: Event) -> list[Registration]:
    """Confirmed on-site participants by last name; one query."""
    return list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ONSITE
        )
        .select_related("user", "user__municipality", "user__profile")
        .order_by("user__last_name", "user__first_name", "id")
    )


def badges_pdf(event: Event) -> bytes:
    """The event's badges as PDF bytes: name, function and place, event title, QR code."""
    badges = []
    for registration in badge_registrations(event):
        user = registration.user
        badges.append(
            Badge(
                name=user.get_full_name() or user.email,
                line=badge_line(user),
                qr=qr_data_uri(checkin_url(registration, event)),
            )
        )
    sheets = [badges[start : start + PER_SHEET] for start in range(0, len(badges), PER_SHEET)]
    html = render_to_string("events/badges.html", {"event": event, "sheets": sheets})
    return html_to_pdf(html, stylesheet=STYLESHEET)
