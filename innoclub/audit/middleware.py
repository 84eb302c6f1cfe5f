"""Changes made in the Django admin, copied into the audit log.

The admin writes its own ``LogEntry`` for every addition, change and deletion
(several at once through ``bulk_create``, which sends no signal). After each
POST to the admin this middleware copies the entries the request wrote into
the audit log, with the request's address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.models import DELETION, LogEntry
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from innoclub.audit.models import Action
from innoclub.audit.services import audit_record


class AdminLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.prefix = self.prefix or reverse("admin:index")
        user = getattr(request, "user", None)
        if (
            request.method != "POST"
            or not request.path.startswith(self.prefix)
            or user is None
            or not user.is_authenticated
        ):
            return self.get_response(request)
        before = LogEntry.objects.filter(user=user).aggregate(last=Max("id"))["last"] or 0
        response = self.get_response(request)
        entries = LogEntry.objects.filter(user=user, id__gt=before).select_related("content_type")
        for entry in entries.order_by("id"):
            model = entry.content_type.model_class() if entry.content_type else None
            audit_record(
                action=Action.DELETION if entry.action_flag == DELETION else Action.ADMIN_CHANGE,
                actor=user,
                request=request,
                object_type=model._meta.label if model is not None else "",
                object_id=entry.object_id or "",
                object_label=entry.object_repr,
                details={"change": entry.get_change_message() or entry.get_action_flag_display()},
            )
        return response
