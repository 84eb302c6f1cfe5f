from django.contrib import admin

from innoclub.network.models import Invitation, Municipality, Nomination, Profile, Topic


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ("name", "kind", "ags", "state", "population")
    list_filter = ("state", "kind")
    search_fields = ("name", "ags")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    """The office curates the Themenschwerpunkte here."""

    list_display = ("name", "slug", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ("user", "function", "organisation", "member_since", "left_on", "in_directory")
    list_filter = ("function", "sector", "in_directory", "public_listing")
    search_fields = ("user__first_name", "user__last_name", "user__email", "organisation")
    autocomplete_fields = ("user",)
    filter_horizontal = ("topics",)
    readonly_fields = ("updated_at",)


class InvitationInline(admin.TabularInline[Invitation, Nomination]):
    model = Invitation
    extra = 0
    can_delete = False
    # Invitations are sent and withdrawn on the admission pages, which keep
    # the token secret and the states consistent.
    fields = ("email", "created_at", "created_by", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin[Nomination]):
    list_display = ("__str__", "email", "state", "nominated_by", "created_at")
    list_filter = ("state",)
    search_fields = ("first_name", "last_name", "email")
    readonly_fields = (
        "state",
        "created_at",
        "state_changed_at",
        "decided_by",
        "decided_at",
        "joined_user",
    )
    autocomplete_fields = ("nominated_by", "municipality")
    inlines = (InvitationInline,)
