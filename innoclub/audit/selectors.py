"""Reads of the audit log, for staff only (the page checks ``Rule.STAFF``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innoclub.accounts.models import Role
from innoclub.audit.models import Action, AuditEvent
from innoclub.events.models import Attendance, RegistrationStatus
from innoclub.ideas.models import Stage

PAGE_SIZE = 50


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(
    *,
    query: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Entries newest first: every word of ``query`` in the person, the object
    or the address; ``since`` and ``until`` are whole days, both included."""
    events = AuditEvent.objects.all()
    for word in query.split():
        events = events.filter(
            Q(actor_label__icontains=word)
            | Q(object_label__icontains=word)
            | Q(ip_address__icontains=word)
        )
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__gte=_start_of(since))
    if until:
        events = events.filter(created_at__lt=_start_of(until + datetime.timedelta(days=1)))
    return events.order_by("-created_at", "-id")


def object_kind(event: AuditEvent) -> str:
    """The object's kind in words ("Idee", "Benutzer"), if its model still exists."""
    if not event.object_type:
        return ""
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return event.object_type
    return str(model._meta.verbose_name).capitalize()


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


_REGISTRATION_CHANGES = {
    "confirmed": gettext_lazy("confirmed out of turn"),
    "moved": gettext_lazy("attendance changed"),
    "cancelled": gettext_lazy("cancelled"),
}


_EXPORT_STEPS = {
    "requested": gettext_lazy("requested"),
    "downloaded": gettext_lazy("downloaded"),
}


def details_summary(event: AuditEvent) -> str:
    """The entry's details in one line of German."""
    details = event.details if isinstance(event.details, dict) else {}
    if event.action in (Action.ROLE_CHANGED, Action.STAGE_CHANGED) and "to" in details:
        choices = Role if event.action == Action.ROLE_CHANGED else Stage
        return f"{_label(choices, details.get('from', ''))} → {_label(choices, details['to'])}"
    if event.action == Action.REGISTRATION_OVERRIDDEN and "change" in details:
        change = str(_REGISTRATION_CHANGES.get(details["change"], details["change"]))
        if details["change"] == "cancelled":
            return change
        status = _label(RegistrationStatus, details.get("status", ""))
        attendance = _label(Attendance, details.get("attendance", ""))
        return f"{change}: {status}, {attendance}"
    if event.action == Action.LOCKOUT and "failures" in details:
        return _("after %(count)s failed attempts") % {"count": details["failures"]}
    if event.action == Action.PERSONAL_DATA_EXPORTED and "step" in details:
        return str(_EXPORT_STEPS.get(details["step"], details["step"]))
    if event.action == Action.DELETION and "count" in details:
        return _("%(count)s entries older than %(days)s days") % {
            "count": details["count"],
            "days": details.get("retention_days", "?"),
        }
    if event.action == Action.LOGIN_FAILED:
        return ""  # the attempted address is the object
    if "file" in details:
        return _("File: %(name)s") % {"name": details["file"]}
    if "change" in details:
        return str(details["change"])
    return "; ".join(f"{key}: {value}" for key, value in details.items())
