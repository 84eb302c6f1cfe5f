"""E-mail confirmed participants a few days before their event (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innoclub.events.reminders import reminder_days, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail a reminder to confirmed participants of events that start within "
        "INNOCLUB_EVENT_REMINDER_DAYS days; nobody is reminded twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Look this many days ahead instead of the setting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else reminder_days()
        sent = reminders_send(days=days)
        self.stdout.write(f"{sent} reminder(s) sent for events within {days} day(s).")
