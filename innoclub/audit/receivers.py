"""Security events recorded where Django and django-axes announce them.

Logins, logouts and failed logins happen inside ``django.contrib.auth`` and
lockouts inside django-axes; their signals are the only place our code hears
of them. Connected in ``AuditConfig.ready`` (see docs/architecture.md, "Audit
log", for why this is the second use of signals besides the search index).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from innoclub.audit.models import Action, AuditEvent
from innoclub.audit.services import audit_record
from innoclub.core.addresses import client_address

# An e-mail address is at most 254 characters; anything longer is not one.
_EMAIL_MAX = 254


def _attempted_email(credentials: dict[str, Any] | None) -> str:
    """The address someone tried to log in with; never the password."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or ""
    return str(value).strip().lower()[:_EMAIL_MAX]


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.LOGIN, actor=user, request=request)


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not user.is_authenticated:
        return  # logging out without a login changes nothing
    audit_record(action=Action.LOGOUT, actor=user, request=request)


def on_login_failed(
    sender: Any,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    email = _attempted_email(credentials)
    audit_record(
        action=Action.LOGIN_FAILED,
        actor=None,
        request=_without_user(request),
        object_label=email,
        details={"email": email},
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    """One entry per lockout: axes repeats the signal for every attempt while
    the lock holds, which the failed logins already record."""
    email = _attempted_email({"username": username})
    address = client_address(request) if request is not None else None
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if AuditEvent.objects.filter(
        action=Action.LOCKOUT, object_label=email, ip_address=address, created_at__gte=since
    ).exists():
        return
    audit_record(
        action=Action.LOCKOUT,
        actor=None,
        request=_without_user(request),
        object_label=email,
        details={"email": email, "failures": settings.AXES_FAILURE_LIMIT},
    )


class _AddressOnly:
    """The request's address without its user: a failed login has no actor,
    even when someone else is logged in in the same browser."""

    def __init__(self, request: HttpRequest) -> None:
        self.META = request.META


def _without_user(request: HttpRequest | None) -> Any:
    return _AddressOnly(request) if request is not None else None
