from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from innoclub.core import access


def site(request: HttpRequest) -> dict[str, Any]:
    # Error pages for requests refused before AuthenticationMiddleware (a bad
    # Host header, say) have no user yet; they must still render, not fail.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "demo_mode": settings.DEMO_MODE,
        "site_url": settings.SITE_URL,
        "user_is_member": access.is_member(user),
        "user_is_staff": access.is_staff(user),
    }
