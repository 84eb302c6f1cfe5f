"""The provenance chain session → idea → pilot → adoptions, as shown on each of them."""

from __future__ import annotations

from typing import Any

from innoclub.core.access import AnyUser
from innoclub.pilots.models import Adoption, PilotProject


def chain_for_pilot(pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on the pilot page."""
    return {}


def chain_for_adoption(adoption: Adoption, user: AnyUser) -> dict[str, Any]:
    """Context for ``pilots/_chain.html`` on an adoption's page."""
    return {}
