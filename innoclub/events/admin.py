"""The administration of events: the office plans programs here.

Writes that carry a workflow go through the services: a changed session
raises its calendar revision and tells agenda holders
(``services.session_save``); more places move the waitlist up
(``services.event_capacity_change``). Registrations change their status only
on the office's registration pages, never here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innoclub.events import conflicts, services
from innoclub.events.models import (
    RESERVED_EVENT_SLUGS,
    CalendarFeed,
    Event,
    EventInvitation,
    EventSeries,
    Registration,
    Session,
    SessionFile,
    SessionSpeaker,
    Speaker,
)


def _conflict_list(found: list[conflicts.Conflict]) -> SafeString | str:
    if not found:
        return gettext("None")
    return format_html_join("\n", "<p>{}</p>", ((c.message,) for c in found))


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin[EventSeries]):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class EventAdminForm(forms.ModelForm[Event]):
    class Meta:
        model = Event
        fields = [
            "series",
            "number",
            "title",
            "slug",
            "leitgedanke",
            "description",
            "starts_on",
            "ends_on",
            "mode",
            "state",
            "visibility",
            "venue_name",
            "venue_address",
            "city",
            "online_url",
            "capacity",
            "registration_deadline",
            "topics",
        ]

    online_url = forms.URLField(
        label=Event._meta.get_field("online_url").verbose_name,
        help_text=Event._meta.get_field("online_url").help_text,
        required=False,
        assume_scheme="https",
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_EVENT_SLUGS:
            raise forms.ValidationError(
                gettext("“%(slug)s” names a fixed page under /foren/. Please choose another.")
                % {"slug": slug}
            )
        return slug

    def clean_capacity(self) -> int | None:
        capacity: int | None = self.cleaned_data.get("capacity")
        taken = self.instance.seats_taken if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                gettext("%(taken)s places are already taken; the event cannot have fewer.")
                % {"taken": taken}
            )
        return capacity


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    form = EventAdminForm
    list_display = (
        "title",
        "series",
        "number",
        "starts_on",
        "city",
        "mode",
        "state",
        "visibility",
        "conflict_count",
    )
    list_filter = ("state", "mode", "visibility", "series", "topics")
    search_fields = ("title", "leitgedanke", "city", "venue_name")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics",)
    readonly_fields = ("seats_taken", "program_conflicts", "created_at", "updated_at")

    @admin.display(description=_("Conflicts in the program"))
    def program_conflicts(self, obj: Event) -> SafeString | str:
        if obj.pk is None:
            return "–"
        return _conflict_list(conflicts.event_conflicts(obj))

    @admin.display(description=_("Conflicts"))
    def conflict_count(self, obj: Event) -> int:
        # Three queries a row; the list shows at most 100 events a page.
        return len(conflicts.event_conflicts(obj))

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        if not change:
            obj.save()
            return
        # The place count and state belong to the services, which hold the event's
        # row lock: write only what the form changed, capacity through the service.
        fields = [
            name
            for name in form.changed_data
            if name not in {"capacity", "topics"}
            and name in {f.name for f in Event._meta.concrete_fields}
        ]
        if fields:
            obj.save(update_fields=[*fields, "updated_at"])
        if "capacity" in form.changed_data:
            promoted = services.event_capacity_change(event=obj, capacity=obj.capacity)
            if promoted:
                self.message_user(
                    request,
                    gettext("%(count)s people moved up from the waitlist and were told by e-mail.")
                    % {"count": len(promoted)},
                )
        obj.refresh_from_db()


class SessionSpeakerInline(admin.TabularInline[SessionSpeaker, Session]):
    model = SessionSpeaker
    autocomplete_fields = ("speaker",)
    extra = 1


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ("title", "event", "kind", "starts_at", "room")
    list_filter = ("kind", "event")
    search_fields = ("title", "description", "event__title")
    list_select_related = ("event",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("topics",)
    autocomplete_fields = ("event", "repeat_of")
    readonly_fields = ("sequence", "session_conflicts", "created_at", "updated_at")
    inlines = [SessionSpeakerInline]

    @admin.display(description=_("Conflicts"))
    def session_conflicts(self, obj: Session) -> SafeString | str:
        return _conflict_list(conflicts.session_conflicts(obj))

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        services.session_save(session=obj, changed=form.changed_data if change else [])


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin[Speaker]):
    list_display = ("name", "organisation", "position", "consent_given_at")
    search_fields = ("name", "organisation", "position")
    list_filter = (("consent_given_at", admin.EmptyFieldListFilter),)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("user",)


@admin.register(EventInvitation)
class EventInvitationAdmin(admin.ModelAdmin[EventInvitation]):
    list_display = ("user", "event", "invited_by", "sent_at")
    list_filter = ("event",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "event__title")
    list_select_related = ("user", "event", "invited_by")
    autocomplete_fields = ("user", "event")
    readonly_fields = ("invited_by", "sent_at")

    def save_model(
        self, request: HttpRequest, obj: EventInvitation, form: Any, change: bool
    ) -> None:
        if not change:
            obj.invited_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    """For corrections of the free-text fields; status changes go through the services."""

    list_display = ("user", "event", "status", "attendance", "queued_at", "checked_in_at")
    list_filter = ("status", "attendance", "event")
    search_fields = ("user__email", "user__first_name", "user__last_name", "event__title")
    list_select_related = ("user", "event")
    readonly_fields = (
        "event",
        "user",
        "status",
        "attendance",
        "code",
        "queued_at",
        "cancelled_at",
        "promoted_at",
        "checked_in_at",
        "reminded_at",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SessionFile)
class SessionFileAdmin(admin.ModelAdmin[SessionFile]):
    list_display = ("title", "session", "content_type", "size", "uploaded_at")
    search_fields = ("title", "session__title")
    list_select_related = ("session",)
    readonly_fields = ("file", "content_type", "size", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Uploads go through the documentation pages, which check type and size.
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "token", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
