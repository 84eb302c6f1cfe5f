"""Writes of news articles and publications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from innoclub.accounts.models import User
from innoclub.network.models import Topic
from innoclub.news.models import Article, Publication, PublicationKind

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def _unique_slug(model: type[Article] | type[Publication], title: str, fallback: str) -> str:
    """An address from the title, German umlauts spelled out (Wärme → waerme)."""
    base = slugify(title.translate(_GERMAN))[:100].strip("-") or fallback
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_create(
    *,
    author: User | None,
    title: str,
    teaser: str,
    body: str,
    topics: Iterable[Topic] = (),
    image: ContentFile[bytes] | None = None,
    image_alt: str = "",
) -> Article:
    """Create a draft article. Its address (slug) comes from the title and never changes.

    Side effects: one article row, its topic links, the image file (already
    re-encoded by ``files.article_image_reencode``) in MEDIA_ROOT.
    """
    article = Article(
        author=author,
        title=title.strip(),
        slug=_unique_slug(Article, title, "artikel"),
        teaser=teaser.strip(),
        body=body,
        image_alt=image_alt.strip(),
    )
    if image is not None:
        article.image.save(image.name or "bild.jpg", image, save=False)
    article.save()
    article.topics.set(topics)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    title: str,
    teaser: str,
    body: str,
    topics: Iterable[Topic],
    image: ContentFile[bytes] | None = None,
    remove_image: bool = False,
    image_alt: str = "",
) -> Article:
    """Change an article's text, topics and image; its state and address stay.

    Side effects: saves the row and its topic links; a new or removed image
    deletes the old file once the transaction commits.
    """
    old_image = article.image.name if (image is not None or remove_image) else ""
    article.title = title.strip()
    article.teaser = teaser.strip()
    article.body = body
    article.image_alt = image_alt.strip()
    if image is not None:
        article.image.save(image.name or "bild.jpg", image, save=False)
    elif remove_image:
        article.image = ""
        article.image_alt = ""
    article.save()
    article.topics.set(topics)
    if old_image:
        storage = article.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    return article


def article_publish(*, article: Article, at: datetime.datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` (an article dated in the future stays hidden).

    Side effects: sets ``published_at``.
    """
    article.published_at = at or timezone.now()
    article.save(update_fields=["published_at", "updated_at"])
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take an article back to a draft. Side effects: clears ``published_at``."""
    article.published_at = None
    article.save(update_fields=["published_at", "updated_at"])
    return article


@transaction.atomic
def publication_create(
    *,
    kind: PublicationKind,
    title: str,
    authors: str,
    year: int,
    publisher: str = "",
    container_title: str = "",
    abstract: str = "",
    link: str = "",
    file: File[bytes] | None = None,
    topics: Iterable[Topic] = (),
    articles: Iterable[Article] = (),
) -> Publication:
    """Create a publication (the office usually works in the admin; the demo data uses this).

    Validates like the admin form (link http(s) only); side effects: one row,
    its topic and article links, the file in MEDIA_ROOT.
    """
    publication = Publication(
        kind=kind,
        title=title.strip(),
        slug=_unique_slug(Publication, title, "publikation"),
        authors=authors.strip(),
        year=year,
        publisher=publisher.strip(),
        container_title=container_title.strip(),
        abstract=abstract,
        link=link.strip(),
    )
    if file is not None:
        publication.file.save(file.name or "publikation.pdf", file, save=False)
    publication.full_clean()
    publication.save()
    publication.topics.set(topics)
    publication.articles.set(articles)
    return publication
