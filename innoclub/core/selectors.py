from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.http import Http404

from innoclub.accounts.models import Role, User
from innoclub.core.legal_texts import DEFAULTS
from innoclub.core.models import AccessibilityFeedback, LegalPage


def pending_migrations() -> list[str]:
    """The migrations of the code not yet applied to the database, as
    ``app_label.name`` (raises ``DatabaseError`` when the database is away)."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


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
