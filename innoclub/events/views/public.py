"""Event pages for everyone: the list and archive, a forum with its program, a
session, a speaker and their photo, and the participant's agenda button."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core import sections
from innoclub.core.access import Rule, access, is_staff
from innoclub.core.images import image_response
from innoclub.events import program, selectors, services
from innoclub.events.models import Event, Registration
from innoclub.events.program import EventFilters
from innoclub.ideas import selectors as ideas_selectors
from innoclub.pilots.chain import chain_for_session


@access(Rule.PUBLIC)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilters.from_query(request.GET.dict())
    overview = program.event_overview(user=request.user, filters=filters)
    return render(request, "events/event_list.html", {"overview": overview})


def _participation(request: HttpRequest, event: Event) -> tuple[Registration | None, bool]:
    registration = selectors.registration_of(user=request.user, event=event)
    return registration, registration is not None and registration.is_active


@access(Rule.OBJECT)
@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    registration, is_participant = _participation(request, event)
    agenda = (
        program.agenda_session_ids(user=request.user, event=event)
        if is_participant
        else program.Agenda()
    )
    context: dict[str, object] = {
        "event": event,
        "topics": list(event.topics.order_by("name")),
        "registration": registration,
        "is_participant": is_participant,
        # The stream link stays out of the HTML for everybody else.
        "show_online_url": bool(event.online_url) and (is_participant or is_staff(request.user)),
        "agenda": agenda,
    }
    if is_participant:
        # With agenda buttons the program is the same for every participant
        # with the same agenda, on the same address (the buttons lead back to
        # it); the buttons' forms get this request's CSRF token.
        kept = (sorted(agenda.marked), sorted(agenda.placed), request.get_full_path())
        program_html, context["program_days"] = sections.cached(
            "program",
            ("event-program-agenda", event.pk, sections.digest(repr(kept))),
            lambda: _program_with_agenda(request, event, agenda),
        )
        context["program_html"] = sections.with_token(request, program_html)
    else:
        # Without agenda buttons the program is the same for everyone: rendered
        # once, then read from the cache until a session, speaker or topic
        # changes (core/sections.py).
        context["program_html"], context["program_days"] = sections.cached(
            "program", ("event-program", event.pk), lambda: _program_for_all(event)
        )
    return render(request, "events/event_detail.html", context)


def _program_for_all(event: Event) -> tuple[str, bool]:
    days = program.event_program(event)
    context = {"event": event, "program_days": days, "agenda": program.Agenda()}
    return render_to_string("events/_program.html", context), bool(days)


def _program_with_agenda(
    request: HttpRequest, event: Event, agenda: program.Agenda
) -> tuple[str, bool]:
    days = program.event_program(event)
    context = {"event": event, "program_days": days, "agenda": agenda, "is_participant": True}
    return sections.render_kept("events/_program.html", context, request), bool(days)


@access(Rule.OBJECT)
@require_safe
def session_detail(request: HttpRequest, slug: str, session_slug: str) -> HttpResponse:
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    session = program.session_for_viewer(user=request.user, event=event, slug=session_slug)
    registration, is_participant = _participation(request, event)
    speakers, moderators = program.speakers_by_role(session)
    agenda = (
        program.agenda_session_ids(user=request.user, event=event)
        if is_participant
        else program.Agenda()
    )
    session_ideas = ideas_selectors.ideas_of_session(user=request.user, session_id=session.pk)
    return render(
        request,
        "events/session_detail.html",
        {
            "event": event,
            "session": session,
            "speakers": speakers,
            "moderators": moderators,
            "registration": registration,
            "is_participant": is_participant,
            "agenda": agenda,
            "session_ideas": session_ideas,
            **chain_for_session(session, request.user, event=event, ideas=session_ideas),
        },
    )


def _back_to(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("weiter", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@access(Rule.AUTHENTICATED)
@require_POST
def agenda_toggle(request: HttpRequest, slug: str, session_slug: str) -> HttpResponse:
    """Put a session into the participant's agenda or take it out.

    Without JavaScript: redirect back with a message. With htmx: the new button.
    """
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    session = program.session_for_viewer(user=request.user, event=event, slug=session_slug)
    user: User = request.user  # type: ignore[assignment]
    error = ""
    in_agenda = False
    try:
        in_agenda = services.agenda_toggle(user=user, session=session)
    except services.RegistrationError as refusal:
        error = str(refusal)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "events/_program_agenda.html",
            {
                "event": event,
                "session": session,
                "is_participant": not error,
                "agenda": program.Agenda(marked=frozenset({session.pk} if in_agenda else ())),
                "agenda_error": error,
                "agenda_next": _back_to(request, ""),
            },
        )
    if error:
        messages.error(request, error)
    elif in_agenda:
        messages.success(
            request, _("“%(title)s” is now in your agenda.") % {"title": session.title}
        )
    else:
        messages.success(
            request, _("“%(title)s” has been taken out of your agenda.") % {"title": session.title}
        )
    fallback = reverse("events:session", args=[event.slug, session.slug])
    return HttpResponseRedirect(_back_to(request, fallback))


@access(Rule.PUBLIC)
@require_safe
def speaker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = program.speaker_for_viewer(user=request.user, slug=slug)
    return render(
        request,
        "events/speaker_detail.html",
        {"speaker": page.speaker, "sessions": page.sessions},
    )


@access(Rule.OBJECT)
@require_safe
def speaker_photo(request: HttpRequest, slug: str) -> FileResponse:
    """The photo only after consent and only where the speaker page itself may be seen."""
    page = program.speaker_for_viewer(user=request.user, slug=slug)
    if not (page.speaker.has_consented and page.speaker.photo):
        raise Http404
    return image_response(page.speaker.photo, public=False)
