"""Forms of the events app: registration, the office's registration list and invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import Role, User
from innoclub.events.models import Attendance, Event, EventMode, RegistrationStatus
from innoclub.network.models import FederalState, Topic

NEEDS_PRIVACY_NOTE = _(
    "We use this information only to organise this event and delete it afterwards."
)


class RegistrationForm(forms.Form):
    """What a person tells the office when registering, and may change later.

    The choice between on site and online appears only for hybrid events; the
    other formats have one way to take part.
    """

    attendance = forms.ChoiceField(
        label=_("How will you take part?"),
        choices=Attendance.choices,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        error_messages={
            "required": _("Please choose how you will take part."),
            "invalid_choice": _("Please choose how you will take part."),
        },
    )
    dietary_needs = forms.CharField(
        label=_("Dietary requirements"),
        required=False,
        max_length=300,
        help_text=_("For example vegetarian, vegan or allergies."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility requirements"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example step-free access, sign language interpretation or a seat near the front."
        ),
    )
    list_consent = forms.BooleanField(
        label=_("Show my name in the list of participants"),
        required=False,
        help_text=_("Only other participants and the club office see the list."),
    )

    def __init__(self, *args: Any, event: Event, with_attendance: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event = event
        if not (with_attendance and event.mode == EventMode.HYBRID):
            del self.fields["attendance"]

    def clean_dietary_needs(self) -> str:
        return str(self.cleaned_data["dietary_needs"]).strip()

    def clean_accessibility_needs(self) -> str:
        return str(self.cleaned_data["accessibility_needs"]).strip()

    @property
    def chosen_attendance(self) -> str:
        """The way of taking part: chosen for hybrid events, given by the others."""
        if "attendance" in self.fields:
            return str(self.cleaned_data["attendance"])
        return Attendance.ONLINE if self.event.mode == EventMode.ONLINE else Attendance.ONSITE


class RegistrationFilterForm(forms.Form):
    """Search and status filter of the office's registration list (GET)."""

    q = forms.CharField(label=_("Name or e-mail address"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *RegistrationStatus.choices],
    )


class AttendanceMoveForm(forms.Form):
    attendance = forms.ChoiceField(choices=Attendance.choices)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Places on site"),
        required=False,
        min_value=0,
        max_value=100_000,
        help_text=_("Empty: no limit. More places move people up from the waitlist at once."),
    )


class InviteAudience:
    PERSON = "person"
    MEMBERS = "members"
    TOPIC = "topic"
    STATE = "state"
    GUESTS = "guests"

    choices = [
        (PERSON, _("One person")),
        (MEMBERS, _("All members")),
        (TOPIC, _("Members with a topic")),
        (STATE, _("Members from a federal state")),
        (GUESTS, _("All guests")),
    ]


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.email
        kind = _("Guest") if obj.role == Role.GUEST else _("Member")
        return f"{name} ({kind}, {obj.email})"


class InvitationForm(forms.Form):
    """Whom to invite: one person or a group chosen by a filter."""

    audience = forms.ChoiceField(
        label=_("Whom do you want to invite?"),
        choices=InviteAudience.choices,
        initial=InviteAudience.PERSON,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
    )
    person = PersonChoiceField(
        label=_("Person"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Please choose"),
        help_text=_("Members and guests with an active account."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.none(),
        empty_label=_("Please choose"),
    )
    state = forms.ChoiceField(
        label=_("Federal state"),
        required=False,
        choices=[("", _("Please choose")), *FederalState.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, role__in=[Role.MEMBER, Role.GUEST]
        ).order_by("last_name", "first_name", "email")
        self.fields["topic"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == InviteAudience.PERSON and not data.get("person"):
            self.add_error("person", _("Please choose the person to invite."))
        if audience == InviteAudience.TOPIC and not data.get("topic"):
            self.add_error("topic", _("Please choose a topic."))
        if audience == InviteAudience.STATE and not data.get("state"):
            self.add_error("state", _("Please choose a federal state."))
        return data

    def recipients(self) -> QuerySet[User]:
        """The active accounts the chosen filter names. Call after ``is_valid()``."""
        data = self.cleaned_data
        audience = data["audience"]
        people = User.objects.filter(is_active=True)
        if audience == InviteAudience.PERSON:
            return people.filter(pk=data["person"].pk, role__in=[Role.MEMBER, Role.GUEST])
        if audience == InviteAudience.GUESTS:
            return people.filter(role=Role.GUEST)
        members = people.filter(role=Role.MEMBER)
        if audience == InviteAudience.TOPIC:
            return members.filter(profile__topics=data["topic"]).distinct()
        if audience == InviteAudience.STATE:
            return members.filter(municipality__state=data["state"])
        return members
