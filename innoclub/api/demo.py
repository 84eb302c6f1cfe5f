"""Demo API tokens, so that the token page shows every state a token can be in.

Their plain text is never shown (as for real tokens); the demo member creates
a token of their own to try the API.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.api.models import ApiToken, Scope
from innoclub.api.tokens import token_create

# name, scope, created (days ago), lifetime (days), last used (days ago), revoked (days ago)
DEMO_TOKENS: list[tuple[str, str, int, int, int | None, int | None]] = [
    ("Ratsinformationssystem Heidelberg", Scope.READ, 40, 180, 1, None),
    ("Tabellenauswertung Nachnutzungen", Scope.WRITE, 75, 90, 20, 12),
    ("Testskript Digitalisierungsbüro", Scope.READ, 120, 30, 95, None),
]


def seed_tokens(*, demo_member: User) -> int:
    """Create the demo member's tokens once; a second run creates none."""
    if ApiToken.objects.filter(user=demo_member).exists():
        return 0
    now = timezone.now()
    for name, scope, created_ago, lifetime, used_ago, revoked_ago in DEMO_TOKENS:
        token, _plain = token_create(user=demo_member, name=name, scope=scope, days=lifetime)
        token.created_at = now - timedelta(days=created_ago)
        token.expires_at = token.created_at + timedelta(days=lifetime)
        token.last_used_at = now - timedelta(days=used_ago) if used_ago is not None else None
        token.revoked_at = now - timedelta(days=revoked_ago) if revoked_ago is not None else None
        token.save()
    return len(DEMO_TOKENS)
