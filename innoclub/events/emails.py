"""The e-mails of the events app. Each function renders one message for one
person and queues it after commit (see ``core.emails.email_send``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from innoclub.core.emails import email_send
from innoclub.events.models import EventInvitation, Registration, Session


def registration_confirmed(registration: Registration) -> None:
    from innoclub.events.calendars import program_ics

    event = registration.event
    email_send(
        to=[registration.user.email],
        subject=_("Your registration: %(event)s") % {"event": event.title},
        template="events/email/registration_confirmed",
        context={"registration": registration, "event": event, "user": registration.user},
        language=registration.user.language,
        attachments=[(f"{event.slug}.ics", program_ics(event), "text/calendar")],
    )


def registration_waitlisted(registration: Registration, *, position: int | None) -> None:
    event = registration.event
    email_send(
        to=[registration.user.email],
        subject=_("You are on the waitlist: %(event)s") % {"event": event.title},
        template="events/email/registration_waitlisted",
        context={
            "registration": registration,
            "event": event,
            "user": registration.user,
            "position": position,
        },
        language=registration.user.language,
    )


def registration_promoted(registration: Registration) -> None:
    from innoclub.events.calendars import program_ics

    event = registration.event
    email_send(
        to=[registration.user.email],
        subject=_("A place has become free for you: %(event)s") % {"event": event.title},
        template="events/email/registration_promoted",
        context={"registration": registration, "event": event, "user": registration.user},
        language=registration.user.language,
        attachments=[(f"{event.slug}.ics", program_ics(event), "text/calendar")],
    )


def invitation_sent(invitation: EventInvitation) -> None:
    event = invitation.event
    email_send(
        to=[invitation.user.email],
        subject=_("Invitation: %(event)s") % {"event": event.title},
        template="events/email/invitation",
        context={"invitation": invitation, "event": event, "user": invitation.user},
        language=invitation.user.language,
    )


def session_changed(session: Session) -> None:
    """Tell everybody who marked ``session`` in their agenda that it changed."""
    for item in session.agenda_items.select_related("user"):
        email_send(
            to=[item.user.email],
            subject=_("Changed: %(session)s") % {"session": session.title},
            template="events/email/session_changed",
            context={"session": session, "event": session.event, "user": item.user},
            language=item.user.language,
        )
