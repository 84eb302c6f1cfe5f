"""The administration of pilot projects and adoptions.

A pilot's partners, milestones, funding and indicators are edited inline;
documents only in their titles, because files come in through the pilot's
pages, which check type and size (``documents.document_add``). Adoptions keep
their state history: state and dates change through the adoption pages so
that every change is recorded; the admin shows the history read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from innoclub.pilots.models import (
    Adoption,
    AdoptionStateChange,
    DocumentVersion,
    FundingSource,
    Indicator,
    Milestone,
    PilotDocument,
    PilotParticipant,
    PilotProject,
)
from innoclub.pilots.services import RESERVED_SLUGS


class ParticipantInline(admin.TabularInline[PilotParticipant, PilotProject]):
    model = PilotParticipant
    extra = 0
    autocomplete_fields = ("municipality",)


class MilestoneInline(admin.TabularInline[Milestone, PilotProject]):
    model = Milestone
    extra = 0


class FundingInline(admin.TabularInline[FundingSource, PilotProject]):
    model = FundingSource
    extra = 0


class IndicatorInline(admin.TabularInline[Indicator, PilotProject]):
    model = Indicator
    extra = 0


class DocumentInline(admin.TabularInline[PilotDocument, PilotProject]):
    model = PilotDocument
    extra = 0
    fields = ("kind", "title", "description")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PilotProjectForm(forms.ModelForm[PilotProject]):
    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is taken by the pilot pages."))
        return slug


@admin.register(PilotProject)
class PilotProjectAdmin(admin.ModelAdmin[PilotProject]):
    form = PilotProjectForm
    list_display = ("title", "lead_municipality", "state", "visibility", "created_at")
    list_filter = ("state", "visibility", "topics")
    search_fields = ("title", "summary")
    list_select_related = ("lead_municipality",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics", "contacts")
    autocomplete_fields = ("lead_municipality",)
    readonly_fields = ("linked_ideas", "created_by", "created_at", "updated_at")
    inlines = (ParticipantInline, MilestoneInline, FundingInline, IndicatorInline, DocumentInline)

    @admin.display(description=_("ideas"))
    def linked_ideas(self, obj: PilotProject) -> str:
        return ", ".join(idea.title for idea in obj.ideas.all()) or "–"

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        # The slug is the pilot's address: filled in from the title once, then left alone.
        return {} if obj else dict(self.prepopulated_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "slug") if obj else fields

    def save_model(self, request: HttpRequest, obj: PilotProject, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class VersionInline(admin.TabularInline[DocumentVersion, PilotDocument]):
    model = DocumentVersion
    extra = 0
    fields = ("number", "name", "content_type", "size", "note", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PilotDocument)
class PilotDocumentAdmin(admin.ModelAdmin[PilotDocument]):
    list_display = ("title", "kind", "pilot", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "pilot__title")
    list_select_related = ("pilot",)
    fields = ("pilot", "kind", "title", "description")
    readonly_fields = ("pilot",)
    inlines = (VersionInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class HistoryInline(admin.TabularInline[AdoptionStateChange, Adoption]):
    model = AdoptionStateChange
    extra = 0
    fields = ("state", "effective_on", "changed_by", "changed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin[Adoption]):
    list_display = ("municipality", "pilot", "state", "started_on", "verified_at")
    list_filter = ("state", ("verified_at", admin.EmptyFieldListFilter), "pilot")
    search_fields = ("municipality__name", "municipality__ags", "pilot__title")
    list_select_related = ("municipality", "pilot")
    date_hierarchy = "started_on"
    fields = (
        "pilot",
        "municipality",
        "state",
        "started_on",
        "implemented_on",
        "given_up_on",
        "given_up_reason",
        "contact",
        "adaptations",
        "declared_by",
        "verified_by",
        "verified_at",
        "created_at",
        "updated_at",
    )
    # The register's rows change through the adoption pages, which record each state.
    readonly_fields = (
        "pilot",
        "municipality",
        "state",
        "started_on",
        "implemented_on",
        "given_up_on",
        "declared_by",
        "verified_by",
        "verified_at",
        "created_at",
        "updated_at",
    )
    autocomplete_fields = ("contact",)
    inlines = (HistoryInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
