"""The filter of the audit log's page (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innoclub.audit.models import Action

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Please enter a date, for example 15.03.2026.")}


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Person, object or address"),
        required=False,
        max_length=100,
    )
    aktion = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("all")), *Action.choices],
        error_messages={"invalid_choice": _("Please choose one of the listed actions.")},
    )
    von = forms.DateField(
        label=_("From"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    bis = forms.DateField(
        label=_("To"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("von"), cleaned.get("bis")
        if since and until and until < since:
            self.add_error("bis", _("The end lies before the start."))
        return cleaned
