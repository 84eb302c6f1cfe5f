"""Who is calling: the one rule for the caller's address, shared by the login
lockout (``AXES_CLIENT_IP_CALLABLE``), the API's rate limit per address and the
audit log."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in
    front the address the outermost trusted proxy saw, so a client cannot
    choose its own address with an X-Forwarded-For header."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
