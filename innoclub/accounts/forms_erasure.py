"""Forms of the account erasure: the member's own and the club office's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import User, normalize_email


class AccountEraseForm(forms.Form):
    """The member confirms with their current password and a checkbox."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your current password.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good."),
        error_messages={"required": _("Please confirm that you want to delete your account.")},
    )


class OfficeAccountEraseForm(forms.Form):
    """The office types the account's e-mail address, so the right account goes."""

    email = forms.CharField(
        label=_("E-mail address of the account"),
        max_length=254,
        help_text=_("Type the e-mail address shown above to confirm."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Please type the e-mail address of the account.")},
    )

    def __init__(self, *args: object, person: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.person = person

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if email != self.person.email:
            raise forms.ValidationError(
                _("This is not the e-mail address of the account. Nothing has been deleted.")
            )
        return email
