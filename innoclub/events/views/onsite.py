"""On the day: the office's check-in at the door, name badges, the participant's QR code."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innoclub.core.access import Rule, access
from innoclub.core.pdf import pdf_download
from innoclub.events import onsite, selectors, services
from innoclub.events.badges import badges_pdf
from innoclub.events.models import Event, Registration, RegistrationStatus


def _page(
    request: HttpRequest,
    event: Event,
    registrations: list[Registration],
    *,
    query: str,
    status: int = 200,
) -> HttpResponse:
    context = {
        "event": event,
        "registrations": registrations,
        "counts": onsite.checkin_counts(event),
        "query": query,
    }
    template = "events/_checkin_results.html" if request.htmx else "events/checkin.html"  # type: ignore[attr-defined]
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(Rule.STAFF)
@require_safe
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """The door list with a search box; a typed or scanned check-in code finds its person."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    query = request.GET.get("q", "")[:200]
    return _page(request, event, onsite.checkin_list(event=event, query=query), query=query)


@access(Rule.STAFF)
@require_safe
def checkin_code(request: HttpRequest, slug: str, code: uuid.UUID) -> HttpResponse:
    """Where a scanned QR code leads: the person's row with the one-tap button."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    registration = onsite.checkin_registration(event=event, code=code)
    if registration is None:
        messages.error(request, _("This code does not belong to a registration for this event."))
        return _page(request, event, [], query=str(code), status=404)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.error(
            request,
            _("%(name)s has cancelled the registration and cannot be checked in.")
            % {"name": registration.user},
        )
        return _page(request, event, [], query=str(code))
    return _page(request, event, [registration], query=str(code))


@access(Rule.STAFF)
@require_POST
def checkin_toggle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Check a person in (or take it back). With htmx the row and the counts are swapped."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    registration = onsite.checkin_registration(event=event, pk=pk)
    if registration is None:
        raise Http404
    undo = request.POST.get("action") == "undo"
    error = ""
    try:
        registration = services.registration_check_in(registration=registration, undo=undo)
    except services.RegistrationError:
        error = _("%(name)s cannot be checked in: %(reason)s") % {
            "name": registration.user,
            "reason": _status_reason(registration),
        }
    if request.htmx:  # type: ignore[attr-defined]
        response = render(
            request,
            "events/_checkin_row.html",
            {
                "event": event,
                "registration": registration,
                "counts": onsite.checkin_counts(event),
                "query": request.POST.get("q", ""),
                "row_error": error,
                "swap_counts": True,
            },
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    elif undo:
        messages.success(
            request, _("Check-in of %(name)s taken back.") % {"name": registration.user}
        )
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.user})
    url = reverse("events_office:checkin", args=[event.slug])
    query = request.POST.get("q", "").strip()[:200]
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


def _status_reason(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("the person is on the waitlist and has no place.")
    if registration.status == RegistrationStatus.CANCELLED:
        return _("the registration has been cancelled.")
    return _("only confirmed participants can be checked in.")


@access(Rule.STAFF)
@require_safe
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Name badges of the confirmed on-site participants, sorted by last name."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    return pdf_download(badges_pdf(event), filename=f"namensschilder-{event.slug}.pdf")


@access(Rule.AUTHENTICATED)
@require_safe
def registration_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """The person's own check-in code; 404 without a confirmed on-site registration."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    registration = onsite.own_badge_registration(event=event, user=request.user)  # type: ignore[arg-type]
    if registration is None:
        raise Http404
    svg = onsite.qr_svg(
        onsite.checkin_url(registration, event),
        title=_("Check-in code for %(event)s") % {"event": event.title},
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
