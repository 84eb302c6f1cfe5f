"""Forms of the office's workshop allocation page: its rules, a run, a move, a lock."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innoclub.events.models import Event, Registration, Session

# Large enough for any seed the office types, small enough for the PositiveIntegerField.
SEED_MAX = 2_147_483_647


class SetupForm(forms.Form):
    """The rules of an event's allocation; creates it on the first save."""

    ranking_deadline = forms.DateTimeField(
        label=_("Wishes can be given until"),
        help_text=_("Until then confirmed participants on site rank the workshops."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"],
        error_messages={"required": _("Please enter the deadline for the wishes.")},
    )
    choices = forms.IntegerField(
        label=_("Number of wishes"),
        min_value=1,
        max_value=12,
        help_text=_(
            "How many workshops each person ranks: per time slot, or for the whole event "
            "when workshops are repeated. Between 1 and 12."
        ),
        error_messages={"required": _("Please enter how many wishes each person gives.")},
    )
    cancel_below_minimum = forms.BooleanField(
        label=_("Cancel workshops below their minimum"),
        required=False,
        help_text=_(
            "A workshop that would not reach its minimum number of participants gets nobody; "
            "its people are placed in other workshops."
        ),
    )


def default_deadline(
    event: Event, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """A week before the event, end of the day; None when that has passed already."""
    now = now or timezone.now()
    day = event.starts_on - datetime.timedelta(days=7)
    deadline = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
    return deadline if deadline > now else None


class ComputeForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Tie-breaker number"),
        min_value=0,
        max_value=SEED_MAX,
        help_text=_(
            "When several allocations are equally good, this number picks one. The same number "
            "gives the same allocation; another number may give another equally good one."
        ),
        error_messages={"required": _("Please enter a whole number, for example 0.")},
    )


class MoveForm(forms.Form):
    """Put one person into a workshop session; the service checks the event and the seats."""

    registration = forms.ModelChoiceField(
        queryset=Registration.objects.none(),
        error_messages={
            "required": _("Please choose the person to move."),
            "invalid_choice": _("This person does not take part in this event."),
        },
    )
    session = forms.ModelChoiceField(
        queryset=Session.objects.all(),
        error_messages={
            "required": _("Please choose the workshop the person moves to."),
            "invalid_choice": _("This workshop does not exist."),
        },
    )
    festlegen = forms.BooleanField(required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registration"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Registration.objects.filter(event=event).select_related("user", "event")


class LockForm(forms.Form):
    locked = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Please fix or release the place."),
            "invalid_choice": _("Please fix or release the place."),
        },
    )
