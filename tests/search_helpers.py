"""What the search tests share: who searches, and what they find."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from innoclub.accounts.models import User
from innoclub.search.query import Filters, search

ANONYMOUS = AnonymousUser()


def found(query: str, user: User | AnonymousUser, **filters: object) -> list[tuple[str, int]]:
    """(kind, object id) of each hit on the first page, in ranked order."""
    results = search(query, user=user, filters=Filters(**filters))  # type: ignore[arg-type]
    return [(hit.kind, hit.object_id) for hit in results.hits]
