"""What the commands that seed demo data share: they run in demo mode only.

Demo data comes with the demo accounts, whose password is published in
PRODUCT.md; on a production system they would be a way in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError, CommandParser


def add_force_option(parser: CommandParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="Seed even though INNOCLUB_DEMO_MODE is off (never on a production system).",
    )


def refuse_outside_demo_mode(*, what: str, force: bool) -> None:
    """Stop the command unless demo mode is on or ``--force`` was given."""
    if not settings.DEMO_MODE and not force:
        raise CommandError(
            f"{what} is only seeded in demo mode (INNOCLUB_DEMO_MODE=true): it comes with the "
            "demo accounts, whose password is published. Use --force to seed anyway."
        )
