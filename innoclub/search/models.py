"""The search index: one row per searchable object.

The row keeps the title, the address and the facets; ``SearchText`` beside it
the summary and a plain-text body for snippets. The full-text index itself belongs to
the database backend (``backends.py``): an FTS5 table on SQLite, the
``vector`` column with a GIN index on PostgreSQL. Both are written in the same
transaction as the row.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEMBER = "member", _("Person")
    MUNICIPALITY = "municipality", _("Municipality")
    EVENT = "event", _("Event")
    SESSION = "session", _("Forum session")
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot project")
    ARTICLE = "article", _("News")
    PUBLICATION = "publication", _("Publication")


class Audience(models.TextChoices):
    """Who finds a document. RESTRICTED: the source names the users, per object."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Club office")
    RESTRICTED = "restricted", _("Named people")


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    audience = models.CharField(_("found by"), max_length=12, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=300)
    # Facets. ``topics`` holds the topic slugs as "|a|b|", so one GROUP BY counts them.
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    stage = models.CharField(_("stage"), max_length=24, blank=True)
    land = models.CharField(_("federal state"), max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    dated = models.DateTimeField(_("date"), null=True, blank=True)
    # Hidden from everyone but the office until then (a scheduled article).
    visible_from = models.DateTimeField(_("found from"), null=True, blank=True)
    # News only: the day of ``dated`` as a number, so ranking can favour recent news.
    recency_day = models.IntegerField(null=True, blank=True, editable=False)
    # PostgreSQL only: the weighted terms with a GIN index (see migrations), and
    # those of title and summary alone, for ranking (see backends.py).
    vector = SearchVectorField(null=True, editable=False)
    head = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_row_per_object"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="search_kind_valid"),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="search_audience_valid"
            ),
        ]
        # No index on audience or the facets: a search starts from the full-text
        # matches, and such an index would tempt SQLite to scan by audience instead.

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchText(models.Model):
    """The longer texts of a document, for snippets.

    Kept apart so that the document rows stay small: counting the facets of
    thousands of matches reads only those.
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)

    def __str__(self) -> str:
        return self.summary[:80]


class NameVariant(models.Model):
    """A name with one letter deleted, pointing at the name (typo tolerance).

    A query word and a name within one edit share a deletion variant, so a
    lookup of the query word's variants finds names one typo away. Rows are
    only added; a name that no longer occurs expands to a term that matches
    nothing, and a rebuild drops it.
    """

    variant = models.CharField(max_length=64)
    term = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "term"], name="search_variant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.term}"
