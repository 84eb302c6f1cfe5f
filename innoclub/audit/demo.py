"""A month of audit log for the demo, so that the office's log page has
something to search: logins, a lockout, stage changes, registrations the
office changed and downloads.

The entries are written directly with their past times (``audit_record``
stamps the present). Addresses come from the ranges reserved for
documentation (RFC 5737), so no real address appears.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.audit.models import Action, AuditEvent
from innoclub.events.models import Registration
from innoclub.ideas.models import StageChange

OFFICE_ADDRESS = "192.0.2.10"
MEMBER_ADDRESS = "198.51.100.24"
ATTACKER_ADDRESS = "203.0.113.77"


def seed_audit(*, staff: User, demo_member: User) -> int:
    """Write the demo's log once; a second run writes nothing. Returns the number of entries."""
    if AuditEvent.objects.filter(ip_address=OFFICE_ADDRESS).exists():
        return 0
    now = timezone.now()
    entries: list[AuditEvent] = []

    def add(
        when: datetime,
        action: Action,
        actor: User | None,
        address: str,
        *,
        obj: tuple[str, str, str] = ("", "", ""),
        details: dict[str, object] | None = None,
    ) -> None:
        object_type, object_id, object_label = obj
        entries.append(
            AuditEvent(
                created_at=when,
                action=action,
                actor=actor,
                actor_label=actor.email if actor is not None else "",
                object_type=object_type,
                object_id=object_id,
                object_label=object_label[:300],
                ip_address=address,
                details=details or {},
            )
        )

    for days_ago in range(30, 0, -1):
        if days_ago % 7 in (5, 6):  # the office works on weekdays
            continue
        morning = timezone.localtime(now - timedelta(days=days_ago)).replace(hour=8, minute=12)
        add(morning, Action.LOGIN, staff, OFFICE_ADDRESS)
        add(morning + timedelta(hours=9), Action.LOGOUT, staff, OFFICE_ADDRESS)
        if days_ago % 4 == 0:
            add(morning + timedelta(hours=3), Action.LOGIN, demo_member, MEMBER_ADDRESS)

    # Someone guesses the demo member's password from elsewhere and is locked out.
    attack = now - timedelta(days=9, hours=3)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        add(
            attack + timedelta(seconds=20 * attempt),
            Action.LOGIN_FAILED,
            None,
            ATTACKER_ADDRESS,
            obj=("", "", demo_member.email),
            details={"email": demo_member.email},
        )
    add(
        attack + timedelta(seconds=20 * settings.AXES_FAILURE_LIMIT),
        Action.LOCKOUT,
        None,
        ATTACKER_ADDRESS,
        obj=("", "", demo_member.email),
        details={"email": demo_member.email, "failures": settings.AXES_FAILURE_LIMIT},
    )

    # The office's latest stage changes, at the moments the ideas' histories record.
    changes = (
        StageChange.objects.filter(changed_by=staff)
        .exclude(from_stage="")
        .select_related("idea")
        .order_by("-changed_at")[:8]
    )
    for change in changes:
        add(
            change.changed_at,
            Action.STAGE_CHANGED,
            staff,
            OFFICE_ADDRESS,
            obj=("ideas.Idea", str(change.idea_id), change.idea.title),
            details={"from": change.from_stage, "to": change.to_stage},
        )

    registrations = (
        Registration.objects.exclude(user=demo_member)
        .select_related("user", "event")
        .order_by("-event__starts_on", "id")[:3]
    )
    for hours, registration in zip((50, 30, 6), registrations, strict=False):
        add(
            now - timedelta(hours=hours),
            Action.REGISTRATION_OVERRIDDEN,
            staff,
            OFFICE_ADDRESS,
            obj=(
                "events.Registration",
                str(registration.pk),
                f"{registration.user.email} – {registration.event.title}",
            ),
            details={
                "change": "confirmed",
                "status": registration.status,
                "attendance": registration.attendance,
            },
        )
    if registrations:
        event = registrations[0].event
        add(
            now - timedelta(hours=5),
            Action.EXPORT,
            staff,
            OFFICE_ADDRESS,
            obj=("events.Event", str(event.pk), f"Anmeldungen – {event.title}"),
            details={"file": f"anmeldungen-{event.slug}.csv"},
        )
    add(
        now - timedelta(days=2, hours=4),
        Action.PERSONAL_DATA_EXPORTED,
        demo_member,
        MEMBER_ADDRESS,
        obj=("accounts.DataExport", "", demo_member.email),
        details={"step": "downloaded"},
    )
    AuditEvent.objects.bulk_create(entries)
    return len(entries)
