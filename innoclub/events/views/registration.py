"""A person's own registration: register, change, cancel, and the list of participants."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access, is_staff
from innoclub.events import selectors, services
from innoclub.events.forms import NEEDS_PRIVACY_NOTE, RegistrationForm
from innoclub.events.models import Event, Registration, RegistrationStatus


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _render_form(
    request: HttpRequest,
    *,
    event: Event,
    registration: Registration | None,
    form: RegistrationForm | None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    active = registration is not None and registration.is_active
    return render(
        request,
        "events/registration_form.html",
        {
            "event": event,
            "registration": registration if active else None,
            "position": services.waitlist_position(registration) if registration else None,
            "form": form,
            "refusal": refusal,
            "privacy_note": NEEDS_PRIVACY_NOTE,
        },
        status=status,
    )


def _registered_message(registration: Registration, created: bool) -> tuple[int, str]:
    event = registration.event
    if not created:
        return messages.INFO, _(
            "You were already registered for %(event)s. Here is your registration."
        ) % {"event": event.title}
    if registration.status == RegistrationStatus.WAITLISTED:
        return messages.WARNING, _(
            "All places are taken. You are on the waitlist, place %(position)s. "
            "When a place becomes free, you move up automatically and we tell you by e-mail."
        ) % {"position": services.waitlist_position(registration)}
    return messages.SUCCESS, _(
        "You are registered for %(event)s. We have sent you a confirmation by e-mail, "
        "with the program for your calendar."
    ) % {"event": event.title}


def _register(request: HttpRequest, *, event: Event, user: User) -> HttpResponse:
    form = RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        registration = selectors.registration_of(user=user, event=event)
        return _render_form(request, event=event, registration=registration, form=form, status=400)
    try:
        registration, created = services.registration_create(
            event=event,
            user=user,
            attendance=form.chosen_attendance,
            dietary_needs=form.cleaned_data["dietary_needs"],
            accessibility_needs=form.cleaned_data["accessibility_needs"],
            list_consent=form.cleaned_data["list_consent"],
        )
    except services.RegistrationError as error:
        existing = selectors.registration_of(user=user, event=event)
        if error.code == "attendance":
            form.add_error("attendance" if "attendance" in form.fields else None, str(error))
            return _render_form(request, event=event, registration=existing, form=form, status=400)
        return _render_form(
            request, event=event, registration=existing, form=None, refusal=str(error), status=400
        )
    level, text = _registered_message(registration, created)
    messages.add_message(request, level, text)
    return redirect("events:register", slug=event.slug)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """The registration form, or the person's registration with their needs to change."""
    user = _user(request)
    event = selectors.event_for_viewer(user=user, slug=slug)
    action = request.POST.get("action", "register")
    if request.method == "POST" and action != "update":
        # The service finds an existing registration itself, under the event's lock.
        return _register(request, event=event, user=user)
    registration = selectors.registration_of(user=user, event=event)
    active = registration is not None and registration.is_active

    if request.method == "POST":
        if registration is None or not active:
            # A form from before a cancellation: change nothing, register nobody.
            messages.error(request, _("You are not registered for this event."))
            return redirect("events:register", slug=event.slug)
        form = RegistrationForm(request.POST, event=event, with_attendance=False)
        if not form.is_valid():
            return _render_form(
                request, event=event, registration=registration, form=form, status=400
            )
        try:
            services.registration_update(
                registration=registration,
                dietary_needs=form.cleaned_data["dietary_needs"],
                accessibility_needs=form.cleaned_data["accessibility_needs"],
                list_consent=form.cleaned_data["list_consent"],
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your details have been saved."))
        return redirect("events:register", slug=event.slug)

    if active:
        assert registration is not None
        initial = {
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "list_consent": registration.list_consent,
        }
        form = RegistrationForm(initial=initial, event=event, with_attendance=False)
        return _render_form(request, event=event, registration=registration, form=form)
    reason = services.registration_refusal(event=event, user=user)
    refusal = str(reason) if reason else ""
    return _render_form(
        request,
        event=event,
        registration=registration,
        form=None if refusal else RegistrationForm(event=event),
        refusal=refusal,
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """Cancel one's own registration, after a confirmation step.

    Only the person's own registration can be cancelled here: the page takes
    no registration id, so nobody can name somebody else's.
    """
    user = _user(request)
    event = selectors.event_for_viewer(user=user, slug=slug)
    registration = selectors.registration_of(user=user, event=event)
    if registration is None or not registration.is_active:
        messages.info(request, _("You are not registered for this event."))
        return redirect("events:register", slug=event.slug)
    if request.method == "POST":
        # Whoever moves up into the freed place is told by the service's e-mail.
        services.registration_cancel(registration=registration)
        messages.success(
            request,
            _("Your registration for %(event)s has been cancelled.") % {"event": event.title},
        )
        return redirect(reverse("events:detail", args=[event.slug]))
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


@access(Rule.AUTHENTICATED)
@require_safe
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirmed participants who agreed to be listed; for participants and the office."""
    user = _user(request)
    event = selectors.event_for_viewer(user=user, slug=slug)
    if not (is_staff(user) or selectors.is_participant(user=user, event=event)):
        raise Http404
    people = (
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, list_consent=True
        )
        .select_related("user", "user__municipality")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return render(
        request,
        "events/registration_participants.html",
        {"event": event, "people": list(people)},
    )
