"""Forms of the recruitment: nominating, deciding, and the invitee's account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import User, normalize_email
from innoclub.network.forms import MunicipalityChoiceField
from innoclub.network.models import Function, Invitation, Municipality

PLEASE_CHOOSE = _("– please choose –")


class NominationForm(forms.Form):
    """A member proposes a person. Duplicates are refused by the service, which
    also has the database constraint behind it."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    function = forms.ChoiceField(
        label=_("Function"),
        choices=[("", PLEASE_CHOOSE), *Function.choices],
        required=False,
        help_text=_("Choose a function or describe the position below."),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=160,
        required=False,
        help_text=_("For example “Leiterin Stabsstelle Digitalisierung”."),
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name", "pk"),
        required=False,
        empty_label=PLEASE_CHOOSE,
        help_text=_(
            "If the person does not work for a municipality in this list, name the organisation below."
        ),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "The invitation will be sent to this address if the club office accepts the nomination."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why should this person join the club?"),
        max_length=3000,
        help_text=_(
            "What does the person bring to the network? The club office reads this when deciding."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("function") and not data.get("position") and "function" not in self.errors:
            self.add_error(
                "function", _("Please choose a function or describe the position of the person.")
            )
        if (
            not data.get("municipality")
            and not data.get("organisation")
            and "municipality" not in self.errors
        ):
            self.add_error(
                "municipality", _("Please choose a municipality or name the organisation.")
            )
        return data


class DeclineForm(forms.Form):
    """Declining needs a reason; the nominating member sees it."""

    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The nominating member sees this reason in their list of nominations."),
        error_messages={
            "required": _("Please give a reason for declining. The nominating member will see it.")
        },
    )


class AccountForm(forms.Form):
    """The invitee's name and password. The e-mail address is the invited one and stays so."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "The invitation was sent to this address. You sign in with it; it cannot be changed here."
        ),
        widget=forms.EmailInput(attrs={"readonly": True, "autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_(
            "At least 12 characters. Please do not use a common password or one that resembles your name."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        nomination = invitation.nomination
        kwargs.setdefault(
            "initial",
            {
                "first_name": nomination.first_name,
                "last_name": nomination.last_name,
                "email": invitation.email,
            },
        )
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if email != self.invitation.email:
            raise ValidationError(
                _(
                    "The e-mail address of an invitation cannot be changed. Your account is "
                    "created for %(email)s."
                ),
                code="email_changed",
                params={"email": self.invitation.email},
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1 = data.get("password1")
        password2 = data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", _("The two passwords do not match. Please type them again.")
            )
        elif password1:
            candidate = User(
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class FormGroup:
    """Several forms on one page, seen as one by the shared error summary
    (``includes/form_errors.html``), so that it lists every error once."""

    def __init__(self, *forms: forms.BaseForm) -> None:
        self.forms = forms

    @property
    def errors(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for form in self.forms:
            merged.update(form.errors)
        return merged

    def non_field_errors(self) -> list[Any]:
        return [error for form in self.forms for error in form.non_field_errors()]

    def __iter__(self) -> Iterator[forms.BoundField]:
        for form in self.forms:
            yield from form
