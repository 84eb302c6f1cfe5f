"""The workshop allocation in the Django admin: its rules, and read access to
wishes and placements. The office works on /geschaeftsstelle/foren/<slug>/workshops/."""

from __future__ import annotations

from django.contrib import admin

from innoclub.workshops.models import Placement, WorkshopAllocation, WorkshopChoice


@admin.register(WorkshopAllocation)
class WorkshopAllocationAdmin(admin.ModelAdmin[WorkshopAllocation]):
    list_display = ("event", "ranking_deadline", "choices", "computed_at", "published_at")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    readonly_fields = ("preview", "computed_at", "published_at", "published_by")


@admin.register(WorkshopChoice)
class WorkshopChoiceAdmin(admin.ModelAdmin[WorkshopChoice]):
    list_display = ("registration", "session", "rank")
    list_select_related = ("registration__user", "registration__event", "session")
    list_filter = ("registration__event",)
    search_fields = ("registration__user__last_name", "session__title")
    raw_id_fields = ("registration", "session")


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin[Placement]):
    """Read-only here: moves go through the office page, which checks places and slots."""

    list_display = ("registration", "session", "rank", "source", "locked")
    list_select_related = ("registration__user", "registration__event", "session")
    list_filter = ("source", "locked", "registration__event")
    search_fields = ("registration__user__last_name", "session__title")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
