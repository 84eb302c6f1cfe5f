"""Open data for everyone (/offene-daten/) and the office's exports (/geschaeftsstelle/exporte/)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import ngettext
from django.views.decorators.http import conditional_page, require_safe

from innoclub.api import exports, opendata
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.access import Rule, access
from innoclub.core.csv import csv_download
from innoclub.events.models import Event, RegistrationStatus
from innoclub.events.selectors import event_for_viewer, events_visible

# --- Open data ---------------------------------------------------------------------


@access(Rule.PUBLIC)
@require_safe
def opendata_page(request: HttpRequest) -> HttpResponse:
    """What the datasets hold, their fields, the licence and how current they are."""
    summaries = opendata.summaries()
    changed = [summary.changed_at for summary in summaries if summary.changed_at]
    datasets = [
        {
            "summary": summary,
            "json": reverse(f"opendata:{summary.dataset.slug}_json"),
            "csv": reverse(f"opendata:{summary.dataset.slug}_csv"),
        }
        for summary in summaries
    ]
    return render(
        request,
        "api/opendata.html",
        {
            "datasets": datasets,
            "changed_at": max(changed) if changed else None,
            "licence": opendata.LICENCE,
        },
    )


def _licensed(response: HttpResponse) -> HttpResponse:
    response["Link"] = f'<{opendata.LICENCE["url"]}>; rel="license"'
    # Public data without cookies or personal content: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    # Always ask again; the ETag makes an unchanged answer a cheap 304.
    response["Cache-Control"] = "no-cache"
    return response


@access(Rule.PUBLIC)
@require_safe
@conditional_page
def opendata_file(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """One dataset as JSON or CSV, at a stable address. Fixed queries whatever its size."""
    chosen = opendata.DATASETS[dataset]
    items = opendata.build(chosen)
    if fmt == "json":
        document = opendata.json_document(chosen, items)
        response = HttpResponse(
            opendata.json_text(document),
            content_type="application/json; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{dataset}.json"'},
        )
        # Set before conditional_page looks: it leaves an ETag that is there.
        response["ETag"] = opendata.weak_etag(document)
        return _licensed(response)
    response = csv_download(f"{dataset}.csv", chosen.header, opendata.csv_rows(chosen, items))
    return _licensed(response)


# --- The office's exports --------------------------------------------------------------


@access(Rule.STAFF)
@require_safe
def exports_page(request: HttpRequest) -> HttpResponse:
    """Every export with its number of rows, and the registrations of one forum."""
    forums = (
        events_visible(request.user)
        .annotate(
            active=Count(
                "registrations",
                filter=~Q(registrations__status=RegistrationStatus.CANCELLED),
            )
        )
        .order_by("-starts_on", "-id")
        .values_list("slug", "title", "starts_on", "active")
    )
    forum_options = [
        (
            slug,
            ngettext(
                "%(title)s, %(day)s (%(count)s registration)",
                "%(title)s, %(day)s (%(count)s registrations)",
                count,
            )
            % {"title": title, "day": date_format(day), "count": count},
        )
        for slug, title, day, count in forums
    ]
    rows = [
        {
            "export": export,
            "count": export.count(request.user),
            "csv": reverse(f"exports:{export.slug}_csv"),
            "xlsx": reverse(f"exports:{export.slug}_xlsx"),
        }
        for export in exports.EXPORTS.values()
    ]
    return render(request, "api/exports.html", {"rows": rows, "forum_options": forum_options})


@access(Rule.STAFF)
@require_safe
def export_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One export as CSV or XLSX. The registrations take ``?forum=<slug>`` for one forum."""
    export = exports.EXPORTS[slug]
    event: Event | None = None
    if slug == "anmeldungen" and request.GET.get("forum"):
        event = event_for_viewer(user=request.user, slug=request.GET["forum"])
        table = exports.registrations(request.user, event)
    else:
        table = export.table(request.user)
    filename = exports.export_filename(slug, event)
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=event,
        object_label=str(export.title) + (f" – {event.title}" if event else ""),
        details={"file": f"{filename}.{fmt}"},
    )
    return exports.response(filename, fmt, table)
