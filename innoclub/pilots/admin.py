"""The administration of pilot projects: the basic record until the pilot
projects issue brings their own pages. Ideas link their pilot when they move to
the stage Pilot (``ideas.services.idea_move_to_stage``); here the links are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from innoclub.pilots.models import PilotProject


@admin.register(PilotProject)
class PilotProjectAdmin(admin.ModelAdmin[PilotProject]):
    list_display = ("title", "lead_municipality", "state", "visibility", "created_at")
    list_filter = ("state", "visibility", "topics")
    search_fields = ("title", "summary")
    list_select_related = ("lead_municipality",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics",)
    autocomplete_fields = ("lead_municipality",)
    readonly_fields = ("linked_ideas", "created_by", "created_at", "updated_at")

    @admin.display(description=_("ideas"))
    def linked_ideas(self, obj: PilotProject) -> str:
        return ", ".join(idea.title for idea in obj.ideas.all()) or "–"

    def save_model(self, request: HttpRequest, obj: PilotProject, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
