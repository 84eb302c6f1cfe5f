"""Reads of the adoption register for the pilot page (filled by the adoption work)."""

from __future__ import annotations

from typing import Any

from innoclub.core.access import AnyUser
from innoclub.pilots.models import PilotProject


def adoption_section(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_adoptions.html`` on the pilot page."""
    return {}
