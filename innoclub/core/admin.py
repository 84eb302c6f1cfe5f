from django.contrib import admin

from innoclub.core.models import AccessibilityFeedback, LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin[LegalPage]):
    list_display = ("title", "slug", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin[AccessibilityFeedback]):
    list_display = ("created_at", "name", "email", "page_url", "handled")
    list_filter = ("handled",)
    readonly_fields = ("created_at", "name", "email", "page_url", "message")
