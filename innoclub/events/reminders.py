"""Reminders a few days before an event, sent by ``manage.py send_event_reminders``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from innoclub.events import emails
from innoclub.events.models import EventState, Registration, RegistrationStatus


def reminder_days() -> int:
    return settings.INNOCLUB_EVENT_REMINDER_DAYS


def reminders_send(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """E-mail every confirmed participant of an event that starts within ``days``
    days (today included) and has not been reminded yet; returns how many.

    Each registration is claimed with a conditional UPDATE of ``reminded_at``
    before its e-mail is queued in the same transaction, so two runs at the
    same time never remind a person twice. Side effects: sets
    ``Registration.reminded_at``; e-mails after commit.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_day = today + datetime.timedelta(days=reminder_days() if days is None else days)
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__starts_on__gte=today,
            event__starts_on__lte=last_day,
        )
        .exclude(event__state=EventState.CLOSED)
        .select_related("event", "user")
        .order_by("event_id", "id")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk,
                status=RegistrationStatus.CONFIRMED,
                reminded_at__isnull=True,
            ).update(reminded_at=now)
            if not claimed:
                continue
            emails.registration_reminder(registration)
            sent += 1
    return sent
