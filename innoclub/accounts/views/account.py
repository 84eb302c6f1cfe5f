from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from innoclub.accounts import services
from innoclub.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    TokenForm,
)
from innoclub.accounts.models import User
from innoclub.accounts.views import personal_data as personal_data_views
from innoclub.core.access import Rule, access
from innoclub.events import selectors as event_selectors

# How long the second step of a login may wait for the code.
PENDING_LOGIN_SECONDS = 300
_PENDING_KEY = "innoclub_pending_login"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@access(Rule.PUBLIC)
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """First step: e-mail and password. Axes counts failures (see settings)."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: User = form.get_user()
        if services.totp_device_for(user) is not None:
            request.session[_PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": _safe_next(request, next_url),
                "at": time.time(),
            }
            return redirect("accounts:login_verify")
        login(request, user)
        return redirect(_safe_next(request, next_url))
    status = 400 if form.is_bound else 200
    return render(
        request, "accounts/login.html", {"form": form, "next": next_url or ""}, status=status
    )


@access(Rule.PUBLIC)
@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Second step for accounts with an authenticator app."""
    pending = request.session.get(_PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        request.session.pop(_PENDING_KEY, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = services.totp_device_for(user) if user is not None else None
    if user is None or device is None:
        request.session.pop(_PENDING_KEY, None)
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Please wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            del request.session[_PENDING_KEY]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        else:
            form.add_error("token", _("This code is not correct. Please try again."))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


logout_view = access(Rule.PUBLIC)(LogoutView.as_view())


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/account.html",
        {
            "has_totp": services.totp_device_for(user) is not None,
            "registrations": event_selectors.registrations_upcoming(user=user),
            **personal_data_views.account_context(request, user),
        },
    )


@access(Rule.AUTHENTICATED)
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app; staff are sent here when 2FA is required."""
    user: User = request.user  # type: ignore[assignment]
    if services.totp_device_for(user) is not None and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing an authenticator needs the current one: sign in with both factors first.
        logout(request)
        return redirect_to_login(request.get_full_path())
    device = services.totp_pending_device(user=user)
    if request.method == "GET" or device is None:
        device = services.totp_enrolment_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_enrolment_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now active."))
            return redirect("accounts:account")
        form.add_error(
            "token",
            _("This code is not correct. Check the time on your phone and try the current code."),
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(
                scale=5, border=2, title=_("QR code for your authenticator app")
            ),
            "secret": _grouped_base32(device.bin_key),
            "has_totp": services.totp_device_for(user) is not None,
            "required": bool(user.is_staff and settings.INNOCLUB_REQUIRE_STAFF_2FA),
        },
        status=400 if form.is_bound else 200,
    )


def _grouped_base32(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@access(Rule.AUTHENTICATED)
@require_http_methods(["POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_staff and settings.INNOCLUB_REQUIRE_STAFF_2FA:
        messages.error(
            request,
            _("The club office must use two-factor authentication; it cannot be switched off."),
        )
        return redirect("accounts:account")
    services.totp_disable(user=user)
    messages.success(request, _("Two-factor authentication has been switched off."))
    return redirect("accounts:account")


class _BadInputIs400:
    """Django's password views answer invalid input with 200; ours say 400 like every form."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class PasswordChangeView(_BadInputIs400, auth_views.PasswordChangeView):
    pass


class PasswordResetView(_BadInputIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(_BadInputIs400, auth_views.PasswordResetConfirmView):
    pass


password_change = access(Rule.AUTHENTICATED)(
    PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = access(Rule.AUTHENTICATED)(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = access(Rule.PUBLIC)(
    PasswordResetView.as_view(
        form_class=PasswordResetForm,
        template_name="accounts/password_reset.html",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = access(Rule.PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = access(Rule.PUBLIC)(
    PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = access(Rule.PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@access(Rule.PUBLIC)
@require_http_methods(["GET", "HEAD"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin has no login of its own: it would skip the second factor."""
    if request.user.is_authenticated:
        # Signed in but not staff: the admin is none of their business.
        raise Http404
    return redirect_to_login(_safe_next(request, request.GET.get("next")))
