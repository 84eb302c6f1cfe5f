from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from innoclub.core import access


def site(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "demo_mode": settings.DEMO_MODE,
        "site_url": settings.SITE_URL,
        "user_is_member": access.is_member(user),
        "user_is_staff": access.is_staff(user),
    }
