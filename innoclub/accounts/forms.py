from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import User, normalize_email
from innoclub.core.emails import email_send


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        # The same message whether the address exists or not: no user enumeration.
        "invalid_login": _("E-mail address or password is not correct. Please try again."),
        "inactive": _("E-mail address or password is not correct. Please try again."),
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Please enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset link built from SITE_URL, in the background."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user: User = context["user"]
        email_send(
            to=[to_email],
            subject=_("Reset your innoclub password"),
            template="accounts/email/password_reset",
            context={"user": user, "uid": context["uid"], "token": context["token"]},
            language=user.language,
        )
