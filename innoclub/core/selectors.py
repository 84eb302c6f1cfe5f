from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from innoclub.accounts.models import Role, User
from innoclub.core.models import AccessibilityFeedback, LegalPage
from innoclub.network.models import Municipality


def legal_page_get(*, slug: str) -> LegalPage:
    try:
        return LegalPage.objects.get(slug=slug)
    except LegalPage.DoesNotExist:
        raise Http404 from None


def legal_page_list() -> QuerySet[LegalPage]:
    return LegalPage.objects.select_related("updated_by").order_by("slug")


def feedback_list() -> QuerySet[AccessibilityFeedback]:
    return AccessibilityFeedback.objects.order_by("handled", "-created_at")


def key_figures() -> dict[str, int]:
    """Figures for the start page, counted from the data."""
    return {
        "members": User.objects.filter(role=Role.MEMBER, is_active=True).count(),
        "municipalities": Municipality.objects.filter(users__isnull=False).distinct().count(),
    }
