"""The e-mails of the events app.

The functions here are called inside the services' transactions, often while
the event's row lock is held. They therefore only queue a task after commit;
the worker loads the current rows, renders the message in the person's
language (with the program as .ics where it helps) and sends it. The locked
section stays a few milliseconds long, a rolled-back change sends nothing,
and a waitlist position is the one at sending time.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from innoclub.core.emails import email_send
from innoclub.events.calendars import program_ics
from innoclub.events.models import EventInvitation, Registration, Session

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
REMINDER = "reminder"


def _later(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: send_event_email.enqueue(kind=kind, pk=pk))


def registration_confirmed(registration: Registration) -> None:
    _later(CONFIRMED, registration.pk)


def registration_waitlisted(registration: Registration) -> None:
    _later(WAITLISTED, registration.pk)


def registration_promoted(registration: Registration) -> None:
    _later(PROMOTED, registration.pk)


def registration_reminder(registration: Registration) -> None:
    """A few days before the event: when, where or the stream link, and how to cancel."""
    _later(REMINDER, registration.pk)


def invitation_sent(invitation: EventInvitation) -> None:
    _later("invitation", invitation.pk)


def session_changed(session: Session) -> None:
    """Tell everybody who marked ``session`` in their agenda that it changed."""
    _later("session_changed", session.pk)


SUBJECTS = {
    CONFIRMED: ("registration_confirmed", gettext_noop("Your registration: %(event)s")),
    WAITLISTED: ("registration_waitlisted", gettext_noop("You are on the waitlist: %(event)s")),
    PROMOTED: ("registration_promoted", gettext_noop("A place has become free for you: %(event)s")),
    REMINDER: ("reminder", gettext_noop("Reminder: %(event)s")),
}


@task(queue_name="email")
def send_event_email(*, kind: str, pk: int) -> None:
    """Render and send one of the events e-mails; rows deleted meanwhile send nothing."""
    if kind == "invitation":
        invitation = EventInvitation.objects.select_related("event", "user").filter(pk=pk).first()
        if invitation is not None:
            event = invitation.event
            context = {"invitation": invitation, "event": event}
            _send(
                invitation.user,
                "invitation",
                gettext_noop("Invitation: %(event)s"),
                event.title,
                context,
            )
    elif kind == "session_changed":
        session = Session.objects.select_related("event").filter(pk=pk).first()
        if session is not None:
            context = {"session": session, "event": session.event}
            for item in session.agenda_items.select_related("user"):
                _send(
                    item.user,
                    "session_changed",
                    gettext_noop("Changed: %(session)s"),
                    session.title,
                    context,
                )
    else:
        registration = Registration.objects.select_related("event", "user").filter(pk=pk).first()
        if registration is not None:
            _registration(kind, registration)


def _send(
    user: Any,
    template: str,
    subject: str,
    name: str,
    context: dict[str, Any],
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    # The subject's msgid is translated here, in the person's language.
    with translation.override(user.language):
        subject_text = _(subject) % {"event": name, "session": name}
    email_send(
        to=[user.email],
        subject=subject_text,
        template=f"events/email/{template}",
        context={"user": user, **context},
        language=user.language,
        attachments=attachments,
    )


def _registration(kind: str, registration: Registration) -> None:
    from innoclub.events.services import waitlist_position  # services import this module

    event = registration.event
    template, subject = SUBJECTS[kind]
    context: dict[str, Any] = {"registration": registration, "event": event}
    attachments = None
    if kind == WAITLISTED:
        context["position"] = waitlist_position(registration)
    if kind in (CONFIRMED, PROMOTED):
        attachments = [(f"{event.slug}.ics", program_ics(event), "text/calendar")]
    _send(registration.user, template, subject, event.title, context, attachments)
