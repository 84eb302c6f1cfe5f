"""Delete personal data whose retention period is over (run daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from innoclub.accounts.retention import personal_data_purge, retention_days


class Command(BaseCommand):
    help = (
        "Delete dietary and accessibility needs INNOCLUB_RETENTION_DAYS days after their "
        "event, superseded unusable invitation links, expired personal data exports and "
        "audit log entries older than INNOCLUB_AUDIT_RETENTION_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        result = personal_data_purge(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"Special data of {result.special_data} registration(s) {verb} "
            f"(events ended more than {retention_days()} days ago)."
        )
        self.stdout.write(f"{result.invitations} unusable invitation link(s) {verb}.")
        self.stdout.write(f"{result.exports} expired personal data export(s) {verb}.")
        self.stdout.write(
            f"Audit log entries older than {settings.INNOCLUB_AUDIT_RETENTION_DAYS} days "
            f"{verb}: {result.audit_entries}."
        )
