"""Personal API tokens: created, checked and revoked here.

A token is ``ic_`` followed by 43 random URL-safe characters (256 bits). With
that much entropy a fast digest is as safe as a slow password hash, and lets a
request find its token with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.api.models import ApiToken, Scope

TOKEN_PREFIX = "ic_"  # noqa: S105 (a marker, not a secret)
MAX_TOKENS_PER_USER = 20
MAX_LIFETIME_DAYS = 365
# Writing last_used_at on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its plain text, which is
    never stored and cannot be shown again.

    Raises ``ValidationError`` (German message) for an empty name, an unknown
    scope, a lifetime outside 1–365 days or more than 20 active tokens.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Please give the token a name."), code="name")
    if scope not in Scope.values:
        raise ValidationError(_("Please choose read or read and write."), code="scope")
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValidationError(
            _("A token is valid for 1 to %(days)s days.") % {"days": MAX_LIFETIME_DAYS},
            code="days",
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # The lock serialises two simultaneous creations by the same user.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now).count()
        if active >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                _("You already have %(count)s active tokens. Please revoke one first.")
                % {"count": active},
                code="too_many",
            )
        token = ApiToken.objects.create(
            user=user,
            name=name[:80],
            prefix=plain[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
            digest=digest_of(plain),
            scope=scope,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    return token, plain


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once; revoking twice keeps the first moment."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(plain: str) -> ApiToken | None:
    """The usable token for ``plain`` with its active user, or None.

    Side effect: records the time of use (at most once a minute per token).
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__municipality")
        .filter(digest=digest_of(plain))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
