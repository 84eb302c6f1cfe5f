"""The office's registrations and invitations of one event, under /geschaeftsstelle/foren/."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.api import exports
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.access import Rule, access
from innoclub.events import selectors, services
from innoclub.events.forms import CapacityForm, InvitationForm, RegistrationFilterForm
from innoclub.events.models import (
    Attendance,
    Event,
    EventInvitation,
    Registration,
    RegistrationStatus,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _event(request: HttpRequest, slug: str) -> Event:
    return selectors.event_for_viewer(user=request.user, slug=slug)


def _registration(slug: str, pk: int) -> Registration:
    """A registration of the named event; another event's id answers 404."""
    return get_object_or_404(Registration.objects.select_related("event"), pk=pk, event__slug=slug)


@dataclass(frozen=True)
class Counts:
    onsite: int
    online: int
    waitlisted: int
    cancelled: int


def _counts(event: Event) -> Counts:
    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    figures = Registration.objects.filter(event=event).aggregate(
        onsite=Count("id", filter=confirmed & Q(attendance=Attendance.ONSITE)),
        online=Count("id", filter=confirmed & Q(attendance=Attendance.ONLINE)),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    return Counts(**figures)


def _filtered(event: Event, form: RegistrationFilterForm) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event).select_related("user")
    if not form.is_valid():
        return registrations
    query = form.cleaned_data["q"].strip()
    if query:
        for word in query.split():
            registrations = registrations.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    if form.cleaned_data["status"]:
        registrations = registrations.filter(status=form.cleaned_data["status"])
    return registrations.order_by("user__last_name", "user__first_name", "id")


def _render_registrations(
    request: HttpRequest, event: Event, capacity_form: CapacityForm, status: int = 200
) -> HttpResponse:
    filters = RegistrationFilterForm(request.GET or None)
    waitlist = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("queued_at", "id")
    )
    return render(
        request,
        "events/office_registrations.html",
        {
            "event": event,
            "counts": _counts(event),
            "filters": filters,
            "registrations": list(_filtered(event, filters)),
            "waitlist": list(enumerate(waitlist, start=1)),
            "capacity_form": capacity_form,
            "attendance_choices": Attendance.choices,
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@access(Rule.STAFF)
@require_safe
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts, the list with search and status filter, the waitlist in order, the capacity."""
    event = _event(request, slug)
    capacity_form = CapacityForm(initial={"capacity": event.capacity})
    return _render_registrations(request, event, capacity_form)


@access(Rule.STAFF)
@require_safe
def registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirmed and waiting people with their needs, for the venue and the catering."""
    event = _event(request, slug)
    table = exports.registration_table(exports.registrations_of(event))
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=event,
        object_label=_("Registrations") + f" – {event.title}",
        details={"file": f"anmeldungen-{event.slug}.csv"},
    )
    return exports.csv_response(f"anmeldungen-{event.slug}.csv", table)


def _audit_override(request: HttpRequest, registration: Registration, change: str) -> None:
    """The office changed someone else's registration: the audit log keeps it."""
    audit_record(
        action=Action.REGISTRATION_OVERRIDDEN,
        request=request,
        obj=registration,
        object_label=f"{registration.user.email} – {registration.event.title}",
        details={
            "change": change,
            "status": registration.status,
            "attendance": registration.attendance,
        },
    )


def _back(slug: str, request: HttpRequest) -> HttpResponse:
    response = redirect("events_office:registrations", slug=slug)
    query = request.POST.get("weiter", "")
    if query and not query.startswith(("/", "http")) and "\n" not in query:
        response["Location"] += "?" + query
    return response


def _promoted_note(promoted: list[Registration]) -> str:
    if not promoted:
        return ""
    return " " + ngettext(
        "%(count)s person moved up from the waitlist and has been told by e-mail.",
        "%(count)s people moved up from the waitlist and have been told by e-mail.",
        len(promoted),
    ) % {"count": len(promoted)}


@access(Rule.STAFF)
@require_POST
def registration_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    registration = _registration(slug, pk)
    try:
        with transaction.atomic():
            services.registration_confirm(registration=registration)
            registration.refresh_from_db(fields=["status", "attendance"])
            _audit_override(request, registration, "confirmed")
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is confirmed and has been told by e-mail.") % {"name": registration.user},
        )
    return _back(slug, request)


@access(Rule.STAFF)
@require_POST
def registration_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    registration = _registration(slug, pk)
    attendance = request.POST.get("attendance", "")
    try:
        with transaction.atomic():
            promoted = services.registration_move(registration=registration, attendance=attendance)
            registration.refresh_from_db()
            _audit_override(request, registration, "moved")
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            text = _("%(name)s now takes part on site, but all places are taken: waitlist.")
        elif registration.attendance == Attendance.ONLINE:
            text = _("%(name)s now takes part online.")
        else:
            text = _("%(name)s now takes part on site.")
        messages.success(request, text % {"name": registration.user} + _promoted_note(promoted))
    return _back(slug, request)


@access(Rule.STAFF)
@require_POST
def registration_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    registration = _registration(slug, pk)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(request, _("This registration had already been cancelled."))
        return _back(slug, request)
    with transaction.atomic():
        promoted = services.registration_cancel(registration=registration)
        registration.refresh_from_db(fields=["status", "attendance"])
        _audit_override(request, registration, "cancelled")
    messages.success(
        request,
        _("The registration of %(name)s has been cancelled.") % {"name": registration.user}
        + _promoted_note(promoted),
    )
    return _back(slug, request)


@access(Rule.STAFF)
@require_POST
def capacity_change(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            promoted = services.event_capacity_change(
                event=event, capacity=form.cleaned_data["capacity"]
            )
        except services.RegistrationError as error:
            form.add_error("capacity", str(error))
        else:
            capacity = form.cleaned_data["capacity"]
            text = (
                _("The event now has %(count)s places on site.") % {"count": capacity}
                if capacity is not None
                else _("The event now has no limit of places on site.")
            )
            messages.success(request, text + _promoted_note(promoted))
            return redirect("events_office:registrations", slug=event.slug)
    return _render_registrations(request, event, form, status=400)


# --- Invitations ----------------------------------------------------------------


def _render_invitations(
    request: HttpRequest,
    event: Event,
    form: InvitationForm,
    preview: dict[str, int] | None = None,
    status: int = 200,
) -> HttpResponse:
    registered = Registration.objects.filter(
        event=event,
        user=OuterRef("user"),
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
    )
    invitations = (
        EventInvitation.objects.filter(event=event)
        .select_related("user", "invited_by")
        .annotate(registered=Exists(registered))
        .order_by("user__last_name", "user__first_name", "id")
    )
    return render(
        request,
        "events/office_invitations.html",
        {"event": event, "form": form, "preview": preview, "invitations": list(invitations)},
        status=status,
    )


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose whom to invite, see how many are new, then send.

    The first POST (``step=preview``) only counts; the second (``step=send``)
    invites with the same choice. Nobody is invited twice (the service skips
    them and a unique constraint backs that up).
    """
    event = _event(request, slug)
    if request.method == "GET":
        return _render_invitations(request, event, InvitationForm())
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_invitations(request, event, form, status=400)
    recipients = form.recipients()
    already = EventInvitation.objects.filter(event=event, user__in=recipients)
    if request.POST.get("step") != "send":
        total = recipients.count()
        invited = already.count()
        preview = {"total": total, "already": invited, "new": total - invited}
        return _render_invitations(request, event, form, preview=preview)
    created = services.invitations_create(
        event=event,
        users=recipients.exclude(pk__in=already.values("user_id")),
        invited_by=_user(request),
    )
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation has been sent by e-mail.",
                "%(count)s invitations have been sent by e-mail.",
                len(created),
            )
            % {"count": len(created)},
        )
    else:
        messages.info(request, _("Everybody you chose had already been invited. Nothing was sent."))
    return redirect("events_office:invitations", slug=event.slug)
