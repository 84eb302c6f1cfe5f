"""The declaration form of an adoption: state, dates, contact, adaptations, own values.

The form parses input; the rules (dates, units and their ranges, who may be
the contact) live in ``adoptions.declaration_check``, whose refusals come back
onto the fields through ``add_refusal`` (field names match the service's keys).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import Role, User
from innoclub.ideas.forms import GroupedRadios
from innoclub.pilots.adoption_selectors import IndicatorComparison
from innoclub.pilots.adoptions import ADAPTATIONS_MAX_LENGTH, REASON_MAX_LENGTH
from innoclub.pilots.forms import DATE_ERRORS, DATE_WIDGET, NUMBER_ERRORS
from innoclub.pilots.models import UNIT_RANGES, Adoption, AdoptionState, Indicator

# The form's fields in the order the service takes them.
SERVICE_FIELDS = (
    "state",
    "started_on",
    "implemented_on",
    "given_up_on",
    "given_up_reason",
    "contact",
    "adaptations",
)


class ContactField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


def contact_choices(municipality_id: int) -> QuerySet[User]:
    """Active members of the municipality: who may be named as its contact."""
    return User.objects.filter(
        role=Role.MEMBER, is_active=True, municipality_id=municipality_id
    ).order_by("last_name", "first_name", "pk")


def _value_field(indicator: Indicator, label: Any) -> forms.DecimalField:
    low, high = UNIT_RANGES[indicator.unit]
    attrs = {"step": "0.01", "min": str(low), "inputmode": "decimal"}
    if high is not None:
        attrs["max"] = str(high)
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.NumberInput(attrs=attrs),
        error_messages=NUMBER_ERRORS,
    )


class AdoptionForm(forms.Form):
    """A declaration for ``municipality_id``, prefilled from ``adoption`` when there is one.

    ``comparisons`` are the pilot's indicators (with the adoption's values):
    each gets a field ``indicator_<id>_before`` and ``indicator_<id>_after``.
    """

    state = forms.ChoiceField(
        label=_("How far is your municipality?"),
        choices=AdoptionState.choices,
        widget=GroupedRadios,
        error_messages={"required": _("Please choose a state.")},
    )
    started_on = forms.DateField(
        label=_("Started on"),
        help_text=_("When your municipality began to look into the solution."),
        widget=DATE_WIDGET,
        error_messages={
            **DATE_ERRORS,
            "required": _("Please enter when your municipality started."),
        },
    )
    implemented_on = forms.DateField(
        label=_("Implemented on"),
        required=False,
        help_text=_("Only for “implemented”: when the solution went into operation."),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )
    given_up_on = forms.DateField(
        label=_("Given up on"),
        required=False,
        help_text=_("Only for “given up”."),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )
    given_up_reason = forms.CharField(
        label=_("Why did your municipality give up?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Only for “given up”. Others learn from it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = ContactField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody named yet"),
        help_text=_("A member from your municipality whom others may ask about the adoption."),
        error_messages={"invalid_choice": _("Please choose a member from the list.")},
    )
    adaptations = forms.CharField(
        label=_("What did you adapt?"),
        required=False,
        max_length=ADAPTATIONS_MAX_LENGTH,
        help_text=_("What your municipality does differently from the pilot, and why."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args: Any,
        municipality_id: int,
        comparisons: list[IndicatorComparison],
        adoption: Adoption | None = None,
        **kwargs: Any,
    ) -> None:
        if adoption is not None:
            kwargs.setdefault("initial", _initial(adoption, comparisons))
        else:
            kwargs.setdefault("initial", {"state": AdoptionState.INTERESTED})
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        assert isinstance(contact, ContactField)
        contact.queryset = contact_choices(municipality_id)
        self.comparisons = comparisons
        for comparison in comparisons:
            indicator = comparison.indicator
            self.fields[f"indicator_{indicator.pk}_before"] = _value_field(indicator, _("Before"))
            self.fields[f"indicator_{indicator.pk}_after"] = _value_field(indicator, _("After"))

    def indicator_rows(
        self,
    ) -> list[tuple[IndicatorComparison, forms.BoundField, forms.BoundField]]:
        return [
            (
                comparison,
                self[f"indicator_{comparison.indicator.pk}_before"],
                self[f"indicator_{comparison.indicator.pk}_after"],
            )
            for comparison in self.comparisons
        ]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of ``adoption_declare`` / ``adoption_update``."""
        data = self.cleaned_data
        arguments: dict[str, Any] = {name: data[name] for name in SERVICE_FIELDS}
        arguments["values"] = {
            comparison.indicator: (
                data[f"indicator_{comparison.indicator.pk}_before"],
                data[f"indicator_{comparison.indicator.pk}_after"],
            )
            for comparison in self.comparisons
        }
        return arguments


def _initial(adoption: Adoption, comparisons: list[IndicatorComparison]) -> dict[str, Any]:
    initial: dict[str, date | Decimal | str | int | None] = {
        "state": adoption.state,
        "started_on": adoption.started_on,
        "implemented_on": adoption.implemented_on,
        "given_up_on": adoption.given_up_on,
        "given_up_reason": adoption.given_up_reason,
        "contact": adoption.contact_id,
        "adaptations": adoption.adaptations,
    }
    for comparison in comparisons:
        initial[f"indicator_{comparison.indicator.pk}_before"] = comparison.before
        initial[f"indicator_{comparison.indicator.pk}_after"] = comparison.after
    return initial
