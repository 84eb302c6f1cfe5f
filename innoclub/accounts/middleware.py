from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

_AUTH_AT = "innoclub_auth_at"
_SEEN_AT = "innoclub_seen_at"
# Refreshing the idle clock writes the session; once a minute is precise enough.
_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """End a login after a period of inactivity and after an absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            auth_at = session.setdefault(_AUTH_AT, now)
            seen_at = session.get(_SEEN_AT, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if now - seen_at > idle or now - auth_at > absolute:
                logout(request)
                messages.info(
                    request, _("You have been signed out for your security. Please sign in again.")
                )
                return redirect_to_login(request.get_full_path())
            if now - seen_at >= _SEEN_RESOLUTION or _SEEN_AT not in session:
                session[_SEEN_AT] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """With INNOCLUB_REQUIRE_STAFF_2FA, office staff must confirm a second factor
    before they reach anything but the pages that set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.INNOCLUB_REQUIRE_STAFF_2FA
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()  # type: ignore[attr-defined]
            and not self._exempt(request.path)
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                # Signed in without the second factor it has (never through our
                # login): start again with both factors.
                logout(request)
                return redirect_to_login(request.get_full_path())
            messages.warning(
                request,
                _(
                    "The club office signs in with two factors. Please set up your authenticator app first."
                ),
            )
            return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:two_factor"),
            reverse("accounts:logout"),
            reverse("core:healthz"),
            settings.STATIC_URL,
        )
        return path.startswith(exempt)
