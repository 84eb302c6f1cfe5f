"""Calendars: an event's program as .ics, the personal feed and the page that manages it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.events import calendars, selectors


def _ics_response(text: str, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response


@access(Rule.OBJECT)
@require_safe
def program_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole program of a visible event; the stream link is never part of it."""
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    return _ics_response(calendars.program_ics(event), f"{event.slug}.ics", private=False)


@access(Rule.PUBLIC)
@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar programs cannot log in); the token is the key."""
    owner = calendars.calendar_feed_owner(token=token)
    return _ics_response(calendars.personal_ics(owner), "innoclub.ics", private=True)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        calendars.calendar_feed_revoke(user=user)
        messages.success(
            request,
            _("You have a new calendar address. The old one no longer works; subscribe again."),
        )
        return redirect("events:calendar")
    feed = calendars.calendar_feed_ensure(user=user)
    feed_url = settings.SITE_URL + reverse("events:feed", kwargs={"token": feed.token})
    response = render(
        request,
        "events/calendar_page.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )
    # The page shows a secret: no shared caches, no back-button copies.
    patch_cache_control(response, private=True, no_store=True)
    return response
