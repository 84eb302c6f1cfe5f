from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from innoclub.audit.models import Action, AuditEvent
from innoclub.core.addresses import client_address


def audit_record(
    *,
    action: Action | str,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    object_label: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one entry to the audit log.

    ``actor`` is the user who acted (None or an anonymous user for the system
    or an unknown caller; without it the request's user is taken); ``request``
    supplies the address. ``object_type`` and ``object_id`` name an object
    that is gone (a deletion) where there is no ``obj``. Side effects: one
    inserted row, inside the caller's transaction, so an action that rolls
    back leaves no entry.
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=str(action),
        actor=actor,
        actor_label=(actor.email if actor is not None else "")[:300],
        object_type=obj._meta.label if obj is not None else object_type[:100],
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else object_id[:64],
        object_label=(object_label or (str(obj) if obj is not None else ""))[:300],
        ip_address=client_address(request) if request is not None else None,
        details=details or {},
    )


def audit_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the entries older than ``INNOCLUB_AUDIT_RETENTION_DAYS``; returns how many.

    Side effects: one DELETE (the database allows it only for entries older
    than ``triggers.KEPT_AT_LEAST_DAYS``) and, when anything went, one entry
    that says how many entries before which moment were removed.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.INNOCLUB_AUDIT_RETENTION_DAYS)
    deleted, _per_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        audit_record(
            action=Action.DELETION,
            object_type=AuditEvent._meta.label,
            object_label=f"Protokolleinträge vor dem {timezone.localtime(cutoff):%d.%m.%Y}",
            details={"count": deleted, "retention_days": settings.INNOCLUB_AUDIT_RETENTION_DAYS},
        )
    return deleted
