"""E-mails of the workshop allocation: "your workshops" after publication and
after a change. Queued when the transaction commits; the worker renders them,
so a rolled-back change never sends mail."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from innoclub.core.emails import email_send
from innoclub.events.calendars import render, session_vevent
from innoclub.events.models import Registration
from innoclub.workshops.selectors import my_workshops

PUBLISHED = "published"
CHANGED = "changed"

SUBJECTS = {
    PUBLISHED: gettext_noop("Your workshops: %(event)s"),
    CHANGED: gettext_noop("Your workshops have changed: %(event)s"),
}


def placements_published(registration: Registration) -> None:
    _later(PUBLISHED, registration.pk)


def placements_changed(registration: Registration) -> None:
    _later(CHANGED, registration.pk)


def _later(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: send_workshop_email.enqueue(kind=kind, pk=pk))


@task(queue_name="email")
def send_workshop_email(*, kind: str, pk: int) -> None:
    """The person's workshops by time slot, with a calendar file of them."""
    registration = Registration.objects.select_related("event", "user").filter(pk=pk).first()
    if registration is None:
        return
    event = registration.event
    user = registration.user
    rows = my_workshops(registration)
    sessions = [row.placement.session for row in rows if row.placement is not None]
    with translation.override(user.language):
        subject = _(SUBJECTS[kind]) % {"event": event.title}
        calendar = render(
            _("My workshops – %(event)s") % {"event": event.title}, map(session_vevent, sessions)
        )
    email_send(
        to=[user.email],
        subject=subject,
        template="workshops/email/placements",
        context={"user": user, "event": event, "rows": rows, "changed": kind == CHANGED},
        language=user.language,
        attachments=[(f"workshops-{event.slug}.ics", calendar, "text/calendar")]
        if sessions
        else None,
    )
