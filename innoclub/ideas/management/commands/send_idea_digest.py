"""E-mail everyone on the daily digest what happened in the idea forge (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from innoclub.ideas.notifications import digest_send


class Command(BaseCommand):
    help = (
        "E-mail each person who chose the daily digest one message with their new "
        "notifications about ideas; no notification is sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send()
        self.stdout.write(f"{sent} digest e-mail(s) queued.")
