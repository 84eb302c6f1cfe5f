"""The form of the token page (/konto/api-tokens/)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innoclub.api.models import Scope
from innoclub.api.tokens import MAX_LIFETIME_DAYS

DEFAULT_LIFETIME_DAYS = 90


class TokenCreateForm(forms.Form):
    """Name, scope and lifetime of a new token. ``token_create`` checks them
    again with the same messages and also counts the active tokens. (The texts
    name 365 days literally: MAX_LIFETIME_DAYS, checked by a test.)"""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("So that you can tell your tokens apart, for example “Evaluation script”."),
        error_messages={
            "required": _("Please give the token a name."),
            "max_length": _("The name can have at most 80 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Permissions"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        error_messages={
            "required": _("Please choose read or read and write."),
            "invalid_choice": _("Please choose read or read and write."),
        },
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
        help_text=_("1 to 365 days. After that the token stops working by itself."),
        error_messages={
            "required": _("Please give a number of days from 1 to 365."),
            "invalid": _("Please give a number of days from 1 to 365."),
            "min_value": _("Please give a number of days from 1 to 365."),
            "max_value": _("Please give a number of days from 1 to 365."),
        },
    )
