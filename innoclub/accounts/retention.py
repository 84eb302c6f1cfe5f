"""Retention: personal data the platform needs only for a while is deleted
when that while is over (``manage.py purge_personal_data``, once a day).

- Dietary and accessibility needs of registrations (special data, used for one
  event) ``INNOCLUB_RETENTION_DAYS`` days after the event's last day.
- Invitation links that can no longer be used (accepted, withdrawn or
  expired) the same number of days later, except the last one of each
  nomination: the recruitment pages show it as the nomination's history.
- Personal data exports past their expiry, through
  ``personal_data.data_export_purge_expired``.
- Audit log entries older than ``INNOCLUB_AUDIT_RETENTION_DAYS``, through
  ``audit.services.audit_purge_expired``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from innoclub.audit.services import audit_purge_expired
from innoclub.events.models import Registration
from innoclub.network.models import Invitation


@dataclass(frozen=True)
class PurgeResult:
    special_data: int
    invitations: int
    exports: int
    audit_entries: int


def retention_days() -> int:
    return int(settings.INNOCLUB_RETENTION_DAYS)


def registrations_with_expired_special_data(*, now: datetime.datetime) -> QuerySet[Registration]:
    """Registrations that still hold special data of an event that ended more
    than ``retention_days()`` days ago (counted in Europe/Berlin dates)."""
    last_day = timezone.localdate(now) - datetime.timedelta(days=retention_days())
    return Registration.objects.filter(event__ends_on__lt=last_day).exclude(
        dietary_needs="", accessibility_needs=""
    )


def invitations_expired(*, now: datetime.datetime) -> QuerySet[Invitation]:
    """Unusable invitations older than the retention period that a newer
    invitation of the same nomination has superseded."""
    cutoff = now - datetime.timedelta(days=retention_days())
    latest = (
        Invitation.objects.filter(nomination=OuterRef("nomination"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return Invitation.objects.filter(
        Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    ).exclude(pk=Subquery(latest))


def personal_data_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Delete what has outlived its purpose; returns how much went (with
    ``dry_run``: how much would go, changing nothing).

    Side effects: empties ``dietary_needs`` and ``accessibility_needs`` of
    registrations whose event ended long enough ago, deletes superseded
    unusable invitations, deletes expired data exports with their files
    (after commit) and audit log entries past their retention (recording
    that in the log). One transaction; a dry run does the same work and rolls
    it back, so its figures are exactly those of a real run. Running it
    twice deletes nothing the second time.
    """
    # Imported here: the export module builds on this app's models and views.
    from innoclub.accounts.personal_data import data_export_purge_expired

    now = now or timezone.now()
    with transaction.atomic():
        special = registrations_with_expired_special_data(now=now).update(
            dietary_needs="", accessibility_needs=""
        )
        _total, per_model = invitations_expired(now=now).delete()
        exports = data_export_purge_expired(now=now)
        audit_entries = audit_purge_expired(now=now)
        if dry_run:
            # Discards the rows changed and the file deletions queued for commit.
            transaction.set_rollback(True)
    return PurgeResult(
        special_data=special,
        invitations=per_model.get(Invitation._meta.label, 0),
        exports=exports,
        audit_entries=audit_entries,
    )
