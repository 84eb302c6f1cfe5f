"""News articles and publications: the public face of the club."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innoclub.network.models import Topic

ALT_TEXT_REQUIRED = _(
    "Please describe the image in an alternative text for people who cannot see it."
)


def _random_name(folder: str, filename: str) -> str:
    # Random names: an upload's own name says nothing and guesses nothing.
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def article_image_path(instance: Article, filename: str) -> str:
    return _random_name("aktuelles", filename)


def publication_cover_path(instance: Publication, filename: str) -> str:
    return _random_name("publikationen/titelbilder", filename)


def publication_file_path(instance: Publication, filename: str) -> str:
    return _random_name("publikationen/dateien", filename)


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """Articles the public sees: a publish date, and not in the future."""
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class Article(models.Model):
    """A news article (Aktuelles), written by the club office.

    No publish date: a draft. A publish date in the future: scheduled. Otherwise
    published. Only published articles are public; the office sees all of them.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=120, unique=True)
    teaser = models.TextField(
        _("teaser"), max_length=500, help_text=_("One or two sentences for lists and shared links.")
    )
    body = models.TextField(
        _("text"), help_text=_("Markdown: ## for a heading, *italic*, **bold**, [link](https://…).")
    )
    image = models.ImageField(_("image"), upload_to=article_image_path, blank=True)
    image_alt = models.CharField(_("alternative text of the image"), max_length=300, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="articles"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="news_article_image_has_alt_text",
                violation_error_message=ALT_TEXT_REQUIRED,
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="news_article_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def state_at(self, moment: datetime.datetime) -> ArticleState:
        if self.published_at is None:
            return ArticleState.DRAFT
        if self.published_at > moment:
            return ArticleState.SCHEDULED
        return ArticleState.PUBLISHED

    @property
    def state(self) -> ArticleState:
        return self.state_at(timezone.now())

    @property
    def is_published(self) -> bool:
        return self.state is ArticleState.PUBLISHED


class PublicationKind(models.TextChoices):
    BOOK = "book", _("Book")
    CHAPTER = "chapter", _("Chapter in an anthology")
    REPORT = "report", _("Report")
    DOCUMENTATION = "documentation", _("Documentation")


def http_url_validator() -> URLValidator:
    return URLValidator(
        schemes=["http", "https"],
        message=_("Please enter a web address that starts with http:// or https://."),
    )


class Publication(models.Model):
    """A book, anthology chapter, report or documentation that came out of the club."""

    kind = models.CharField(_("kind"), max_length=20, choices=PublicationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("short name in the address"), max_length=120, unique=True)
    authors = models.CharField(_("authors"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    container_title = models.CharField(
        _("published in"),
        max_length=300,
        blank=True,
        help_text=_("For a chapter: the title of the anthology."),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to=publication_cover_path, blank=True)
    cover_alt = models.CharField(_("alternative text of the cover"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True, validators=[http_url_validator()])
    file = models.FileField(
        _("file (PDF)"), upload_to=publication_file_path, blank=True, max_length=200
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="publications"
    )
    articles = models.ManyToManyField(
        Article, verbose_name=_("news articles"), blank=True, related_name="publications"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover="") | ~Q(cover_alt=""),
                name="news_publication_cover_has_alt_text",
                violation_error_message=ALT_TEXT_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(link="")
                | Q(link__startswith="http://")
                | Q(link__startswith="https://"),
                name="news_publication_link_is_http",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="news_publication_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200),
                name="news_publication_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title
