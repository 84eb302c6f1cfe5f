"""Who is calling: a personal API token (Bearer), the browser session, or nobody.

Each operation lists the callers it accepts (``PUBLIC``, ``SIGNED_IN``,
``WRITE``); django-ninja tries them in order and answers 401 when none fits.
``request.auth`` is then the user (an ``AnonymousUser`` for public reads), and
``request.user`` is set to the same, so selectors and the access policy in
``innoclub.core.access`` treat API calls exactly like page views: a token never
reaches data its owner could not see in the browser.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from innoclub.accounts.models import User
from innoclub.api.models import Scope
from innoclub.api.tokens import token_authenticate
from innoclub.core.addresses import client_address


class BearerToken(HttpBearer):
    """``Authorization: Bearer ic_…``. A token that is unknown, expired or
    revoked is refused with 401 rather than treated as anonymous, so a client
    notices at once; a read-only token on a write operation gets 403."""

    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            raise AuthenticationError(message=_("The API token is unknown, expired or revoked."))
        if self.write and found.scope != Scope.WRITE:
            raise AuthorizationError(message=_("This token may only read."))
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(APIKeyCookie):
    """The browser session, for same-origin calls; writes need the CSRF token
    (header ``X-CSRFToken``), which ``APIKeyCookie`` checks."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated else None


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Public reads accept callers without credentials."""
    return request.user if isinstance(request.user, AnonymousUser) else AnonymousUser()


def caller(request: HttpRequest) -> User:
    """The account behind a SIGNED_IN or WRITE operation (those gates let only
    a token or a signed-in session through)."""
    return cast(User, request.user)


PUBLIC = [BearerToken(write=False), Session(), anonymous]
SIGNED_IN = [BearerToken(write=False), Session()]
WRITE = [BearerToken(write=True), Session()]


class _Rate(SimpleRateThrottle):
    setting = ""

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, self.setting))

    def get_rate(self) -> str | None:
        return getattr(settings, self.setting)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read at call time, so that a changed setting applies without a restart of tests.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class PerToken(_Rate):
    """Calls per token (and per signed-in user without a token)."""

    scope = "api_user"
    setting = "API_RATE_PER_USER"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            return self.cache_format % {"scope": self.scope, "ident": f"token-{token.pk}"}
        if request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}
        return None


class PerAddress(_Rate):
    """Calls per client address, whoever calls. The address is REMOTE_ADDR
    unless TRUSTED_PROXY_COUNT says how many proxies stand in front, so a
    client cannot escape the limit with its own X-Forwarded-For header."""

    scope = "api_address"
    setting = "API_RATE_PER_ADDRESS"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
