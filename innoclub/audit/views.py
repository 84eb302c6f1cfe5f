"""The audit log for the club office: /geschaeftsstelle/protokoll/."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innoclub.audit import selectors
from innoclub.audit.forms import AuditFilterForm
from innoclub.audit.models import Action, AuditEvent
from innoclub.audit.services import audit_record
from innoclub.core.access import Rule, access
from innoclub.core.csv import csv_download


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    kind: str
    summary: str


def _filtered(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The entries the form's valid fields choose; an invalid field filters nothing."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return selectors.audit_events(
        query=data.get("q") or "",
        action=data.get("aktion") or "",
        since=data.get("von"),
        until=data.get("bis"),
    )


def _chosen_filters(request: HttpRequest) -> str:
    """The query string of the filters in use, without empty ones and the page."""
    query = request.GET.copy()
    query.pop("seite", None)
    for name in [name for name, value in query.items() if not value]:
        del query[name]
    return str(query.urlencode())[:500]


@access(Rule.STAFF)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search by person, object and address; filter by action and days; 50 a page."""
    form = AuditFilterForm(request.GET or None)
    page = Paginator(_filtered(form), selectors.PAGE_SIZE).get_page(request.GET.get("seite"))
    rows = [
        Row(event, selectors.object_kind(event), selectors.details_summary(event))
        for event in page.object_list
    ]
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": rows, "csv_query": _chosen_filters(request)},
        status=400 if form.errors else 200,
    )


@access(Rule.STAFF)
@require_safe
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The entries of the current filter as CSV; the download is itself recorded."""
    form = AuditFilterForm(request.GET or None)
    events = _filtered(form)
    if form.errors:
        return audit_log(request)
    filename = f"innoclub-protokoll-{timezone.localdate().isoformat()}.csv"
    header = [_("Time"), _("Action"), _("By"), _("Object"), _("IP address"), _("Details")]
    rows = (
        [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.get_action_display(),
            event.actor_label,
            event.object_label,
            event.ip_address or "",
            selectors.details_summary(event),
        ]
        for event in events.iterator(chunk_size=2000)
    )
    response = csv_download(filename, header, rows)
    audit_record(
        action=Action.EXPORT,
        request=request,
        object_label=_("Audit log"),
        details={"file": filename, "filters": _chosen_filters(request)},
    )
    return response
