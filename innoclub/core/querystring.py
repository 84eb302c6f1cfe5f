"""Reading list filters from a query string: a wrong value is ignored, never an error."""

from __future__ import annotations

from collections.abc import Collection, Mapping


def query_value(query: Mapping[str, str], name: str, allowed: Collection[str] | None = None) -> str:
    """The stripped value of ``name``, or "" if it is missing or not one of ``allowed``."""
    value = (query.get(name) or "").strip()
    return value if allowed is None or value in allowed else ""
