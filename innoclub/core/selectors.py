from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from innoclub.accounts.models import Role, User
from innoclub.core.legal_texts import DEFAULTS
from innoclub.core.models import AccessibilityFeedback, LegalPage


def legal_page_get(*, slug: str) -> LegalPage:
    """The legal page, or its default text while nobody has stored one (never a 404
    for a page the law requires)."""
    page = LegalPage.objects.filter(slug=slug).select_related("updated_by").first()
    return page or _default_page(slug)


def _default_page(slug: str) -> LegalPage:
    if slug not in DEFAULTS:
        raise Http404
    title, body = DEFAULTS[slug]
    return LegalPage(slug=slug, title=title, body=body)


def legal_page_list() -> list[LegalPage]:
    stored = {page.slug: page for page in LegalPage.objects.select_related("updated_by")}
    return [stored.get(slug) or _default_page(slug) for slug in DEFAULTS]


def feedback_list() -> QuerySet[AccessibilityFeedback]:
    return AccessibilityFeedback.objects.order_by("handled", "-created_at")


def key_figures() -> dict[str, int]:
    """Figures for the start page, counted from the data."""
    return {
        "members": User.objects.filter(role=Role.MEMBER, is_active=True).count(),
        "municipalities": User.objects.filter(
            role=Role.MEMBER, is_active=True, municipality__isnull=False
        )
        .values("municipality")
        .distinct()
        .count(),
    }
