"""Reads of pilot projects, filtered through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from innoclub.core.access import AnyUser, filter_visible, get_visible_or_404
from innoclub.pilots.models import PilotProject


def pilots_visible(user: AnyUser) -> QuerySet[PilotProject]:
    return filter_visible(PilotProject.objects.all(), user)


def pilot_for_viewer(user: AnyUser, *, slug: str) -> PilotProject:
    """The pilot ``user`` may see, or 404 (missing and hidden look the same)."""
    return get_visible_or_404(
        PilotProject.objects.select_related("lead_municipality"), user, slug=slug
    )
