"""The audit log in the admin: to read, never to add, change or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from innoclub.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor_label", "object_label", "ip_address")
    list_filter = ("action", "created_at")
    search_fields = ("actor_label", "object_label", "ip_address", "object_type", "object_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "action",
        "actor_id",
        "actor_label",
        "object_type",
        "object_id",
        "object_label",
        "ip_address",
        "details",
    )
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
