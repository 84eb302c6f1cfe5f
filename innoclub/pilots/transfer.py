"""Reach and spread of pilots: the data behind the map and the diffusion curve."""

from __future__ import annotations

from typing import Any

from innoclub.core.access import AnyUser
from innoclub.pilots.models import PilotProject


def transfer_for_pilot(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_pilot_transfer.html`` (map, curve and reach of one pilot)."""
    return {}
