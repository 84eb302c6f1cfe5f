"""The administration of the idea forge: criteria, groups, ideas and comments.

Writes that carry a workflow stay on the office's pages, never here: an
idea's stage changes through the move form (history, rationale and
notifications), comments are hidden with a reason through the moderation page
(the author is told), and the counters belong to the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innoclub.ideas.models import GROUP, Comment, Criterion, Idea, IdeaGroup


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin[Criterion]):
    list_display = ("name", "weight", "position", "is_active")
    list_editable = ("weight", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    fields = ("name", "description", "weight", "position", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Criterion | None = None) -> bool:
        # Scores keep their criterion (PROTECT): switch a criterion off instead.
        return obj is None or not obj.scores.exists()


@admin.register(IdeaGroup)
class IdeaGroupAdmin(admin.ModelAdmin[IdeaGroup]):
    list_display = ("name", "member_count")
    search_fields = ("name", "description")
    filter_horizontal = ("members",)

    @admin.display(description=_("members"))
    def member_count(self, obj: IdeaGroup) -> int:
        return obj.members.count()


STAGE_HELP = _(
    "The stage is changed only with the form on the idea's page, so that the "
    "history, the reason for the authors and the notifications stay true."
)


class IdeaAdminForm(forms.ModelForm[Idea]):
    class Meta:
        model = Idea
        fields = [
            "title",
            "problem",
            "proposal",
            "kind",
            "topics",
            "authors",
            "municipality",
            "context",
            "origin_session",
            "visibility",
            "group",
            "goals",
            "audience",
            "resources",
            "risks",
            "success_criteria",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") == GROUP and not data.get("group"):
            self.add_error("group", gettext("Please choose the group to share the idea with."))
        elif data.get("visibility") != GROUP:
            data["group"] = None
        return data


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin[Idea]):
    form = IdeaAdminForm
    list_display = ("title", "stage", "kind", "visibility", "support_count", "comment_count")
    list_filter = ("stage", "kind", "visibility", "topics")
    search_fields = ("title", "problem", "proposal")
    date_hierarchy = "created_at"
    list_select_related = ("municipality",)
    filter_horizontal = ("topics", "authors")
    autocomplete_fields = ("municipality", "origin_session")
    readonly_fields = (
        "stage_with_link",
        "stage_changed_at",
        "pilot",
        "support_count",
        "comment_count",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "problem",
                    "proposal",
                    "kind",
                    "topics",
                    "authors",
                    "municipality",
                    "context",
                    "origin_session",
                    "visibility",
                    "group",
                )
            },
        ),
        (
            _("Stage"),
            {
                "fields": ("stage_with_link", "stage_changed_at", "pilot"),
                "description": STAGE_HELP,
            },
        ),
        (_("Concept"), {"fields": ("goals", "audience", "resources", "risks", "success_criteria")}),
        (
            _("Figures"),
            {
                "fields": (
                    "support_count",
                    "comment_count",
                    "created_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("stage"))
    def stage_with_link(self, obj: Idea) -> SafeString | str:
        if obj.pk is None:
            return str(obj.get_stage_display())
        return format_html(
            '{} – <a href="{}">{}</a>',
            obj.get_stage_display(),
            reverse("ideas:move", args=[obj.pk]),
            _("change the stage"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new idea needs its first history entry and its authors: /ideen/neu/.
        return False

    def save_model(self, request: HttpRequest, obj: Idea, form: Any, change: bool) -> None:
        # Write only what the form changed: the counters and the stage belong to the
        # services, which change them while people support, comment and move.
        concrete = {f.name for f in Idea._meta.concrete_fields}
        fields = [name for name in form.changed_data if name in concrete]
        if fields:
            obj.save(update_fields=[*fields, "updated_at"])


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    """The moderation list; hiding and restoring happen on the office's page."""

    list_display = ("excerpt", "idea", "author", "created_at", "hidden_at", "moderate")
    list_filter = (("hidden_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("body", "idea__title", "author__email", "author__last_name")
    list_select_related = ("idea", "author")
    date_hierarchy = "created_at"
    fields = (
        "idea",
        "parent",
        "author",
        "body",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "moderate",
    )
    readonly_fields = fields

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("moderation"))
    def moderate(self, obj: Comment) -> SafeString:
        if obj.is_hidden:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("ideas:comment_hide", args=[obj.idea_id, obj.pk]),
                _("hidden – show again"),
            )
        return format_html(
            '<a href="{}">{}</a>',
            reverse("ideas:comment_hide", args=[obj.idea_id, obj.pk]),
            _("hide with a reason"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        # Deleting would leave the idea's comment count wrong; hide the comment instead.
        return False
