from django.contrib import admin

from innoclub.news.forms import PublicationAdminForm
from innoclub.news.models import Article, Publication


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    """For corrections; the office writes and publishes on /geschaeftsstelle/aktuelles/,
    where images are checked and re-encoded (hence read-only here)."""

    list_display = ("title", "published_at", "author")
    search_fields = ("title", "teaser")
    list_filter = ("topics",)
    readonly_fields = ("slug", "image", "created_at", "updated_at")
    filter_horizontal = ("topics",)
    date_hierarchy = "published_at"


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
    form = PublicationAdminForm
    list_display = ("title", "kind", "year", "authors")
    list_filter = ("kind", "year")
    search_fields = ("title", "authors", "container_title")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics", "articles")
