"""What the registration box on an event page says to the person looking at it."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from innoclub.events import services
from innoclub.events.models import Event, Registration

register = template.Library()


@dataclass(frozen=True)
class RegistrationBox:
    """``refusal`` is the German reason why the person cannot register now (or "");
    ``full`` says that a new on-site registration joins the waitlist."""

    refusal: str
    refusal_code: str
    full: bool
    position: int | None


@register.simple_tag(takes_context=True)
def registration_box(
    context: template.Context, event: Event, registration: Registration | None
) -> RegistrationBox:
    user = context["request"].user
    position = services.waitlist_position(registration) if registration else None
    refusal, code = "", ""
    if user.is_authenticated and not (registration and registration.is_active):
        error = services.registration_refusal(event=event, user=user)
        if error is not None:
            refusal, code = str(error), error.code
    full = bool(event.has_onsite_part and event.seats_left == 0)
    return RegistrationBox(refusal=refusal, refusal_code=code, full=full, position=position)
