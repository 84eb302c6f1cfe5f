"""The office's workshop allocation of one event: /geschaeftsstelle/foren/<slug>/workshops/…

One page shows the state, the rules, the figures of the last preview next to
first come, first served, and every workshop with its people. Each action posts
to its own address, calls one service and redirects back with a message. A
refusal shows the page again with the reasons (status 400); nothing has changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.events.models import Event, Registration, Session
from innoclub.workshops import services
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.forms_office import (
    ComputeForm,
    LockForm,
    MoveForm,
    SetupForm,
    default_deadline,
)
from innoclub.workshops.layout import Slot, event_workshops
from innoclub.workshops.models import Placement, WorkshopAllocation
from innoclub.workshops.selectors import Overview, SessionSeats, allocation_of, office_overview

TEMPLATE = "workshops/office.html"

REASONS = {
    "slot_full": gettext_lazy("There are fewer places in this time slot than participants."),
    "no_fitting_seat": gettext_lazy(
        "Every free place would be a workshop the person already attends."
    ),
}
METHODS = {"flow": gettext_lazy("min-cost flow"), "milp": gettext_lazy("integer program")}


# --- What the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    count: int
    percent: float


@dataclass(frozen=True)
class ComparisonRow:
    """One line of "How well does the allocation fit?": a rank, outside the wishes, or no seat."""

    label: str
    fair: Figure
    fcfs: Figure


@dataclass(frozen=True)
class Preview:
    """The stored figures of the last run, in the words of the page."""

    figures: dict[str, Any]
    rows: list[ComparisonRow]
    worst_fair: str
    worst_fcfs: str
    first_fair: float
    first_fcfs: float
    method: str
    cancelled: list[Session]
    below_minimum: list[Session]


@dataclass(frozen=True)
class SessionRow:
    """A session with the first wishes it got and the sessions its people may move to."""

    seats: SessionSeats
    first_wishes: int
    cancelled: bool
    targets: list[SessionSeats]


@dataclass(frozen=True)
class SlotRow:
    slot: Slot
    sessions: list[SessionRow]

    @property
    def places(self) -> int:
        return sum(row.seats.session.capacity or 0 for row in self.sessions if not row.cancelled)

    @property
    def taken(self) -> int:
        return sum(row.seats.taken for row in self.sessions)


@dataclass(frozen=True)
class UnplacedRow:
    registration: Registration
    slot: Slot | None
    reason: str
    targets: list[SessionSeats]

    @property
    def key(self) -> str:
        """Part of the form's element ids: unique per person and slot."""
        return f"u{self.registration.pk}-{self.slot.index if self.slot else 'x'}"


def rank_label(rank: int | None, choices: int) -> str:
    if rank is None:
        return "–"
    if rank > choices:
        return _("outside the wishes")
    return _("%(rank)s. wish") % {"rank": rank}


def _column(figures: dict[str, Any], choices: int) -> list[Figure]:
    """Placements per rank 1..K, outside the wishes, without wishes (rank 0), without a
    seat; shares of all seats needed."""
    histogram = figures.get("histogram", {})
    counts = [int(histogram.get(str(rank), 0)) for rank in [*range(1, choices + 2), 0]]
    counts.append(int(figures.get("unplaced", 0)))
    total = sum(counts)
    return [Figure(count, 100 * count / total if total else 0.0) for count in counts]


def _preview(allocation: WorkshopAllocation, sessions: dict[int, Session]) -> Preview | None:
    figures = allocation.preview
    if not figures:
        return None
    choices = int(figures["choices"])
    fair, fcfs = figures["allocation"], figures["fcfs"]
    labels = [rank_label(rank, choices) for rank in range(1, choices + 2)]
    labels += [_("no wishes given (any place suits)"), _("without a place")]
    rows = [
        ComparisonRow(label, a, b)
        for label, a, b in zip(labels, _column(fair, choices), _column(fcfs, choices), strict=True)
    ]
    return Preview(
        figures=figures,
        rows=rows,
        worst_fair=rank_label(fair.get("worst_rank"), choices),
        worst_fcfs=rank_label(fcfs.get("worst_rank"), choices),
        first_fair=100 * float(fair.get("first_share", 0)),
        first_fcfs=100 * float(fcfs.get("first_share", 0)),
        method=str(METHODS.get(figures.get("method", ""), figures.get("method", ""))),
        cancelled=[sessions[pk] for pk in figures.get("cancelled", []) if pk in sessions],
        below_minimum=[sessions[pk] for pk in figures.get("below_minimum", []) if pk in sessions],
    )


def _free(slot_seats: Iterable[SessionSeats], cancelled: set[int]) -> list[SessionSeats]:
    return [s for s in slot_seats if s.free > 0 and s.session.pk not in cancelled]


def _slots(overview: Overview, cancelled: set[int]) -> list[SlotRow]:
    """Each slot's sessions with the first wishes they got and where their people may move.

    When workshops repeat, people wish for the workshop (its first session), so
    every session of it shows the workshop's count.
    """
    first = {
        seats.session.workshop_id: seats.wished_first
        for slot in overview.slots
        for seats in slot.sessions
        if seats.session.repeat_of_id is None
    }
    rows = []
    for slot in overview.slots:
        free = _free(slot.sessions, cancelled)
        rows.append(
            SlotRow(
                slot.slot,
                [
                    SessionRow(
                        seats,
                        first.get(seats.session.workshop_id, 0),
                        seats.session.pk in cancelled,
                        [s for s in free if s.session.pk != seats.session.pk],
                    )
                    for seats in slot.sessions
                ],
            )
        )
    return rows


def _unplaced(overview: Overview, cancelled: set[int]) -> list[UnplacedRow]:
    slots = {slot.slot.starts_at: slot for slot in overview.slots}
    rows = []
    for item in overview.unplaced:
        slot = slots.get(item.starts_at)
        rows.append(
            UnplacedRow(
                item.registration,
                slot.slot if slot else None,
                str(REASONS.get(item.reason, item.reason)),
                _free(slot.sessions, cancelled) if slot else [],
            )
        )
    return rows


def _render(
    request: HttpRequest,
    event: Event,
    *,
    status: int = 200,
    problems: Iterable[str] = (),
    setup_form: SetupForm | None = None,
    compute_form: ComputeForm | None = None,
) -> HttpResponse:
    """The whole page; a fixed number of queries whatever the number of people and sessions."""
    allocation = allocation_of(event)
    context: dict[str, Any] = {"event": event, "allocation": allocation, "problems": list(problems)}
    if allocation is None:
        context["workshops"] = event_workshops(event)
        context["setup_form"] = setup_form or SetupForm(
            initial={"ranking_deadline": default_deadline(event), "choices": 3}
        )
        return render(request, TEMPLATE, context, status=status)
    allocation.event = event
    overview = office_overview(allocation)
    sessions = overview.workshops.by_id()
    preview = _preview(allocation, sessions)
    cancelled = {session.pk for session in preview.cancelled} if preview else set()
    slots = _slots(overview, cancelled)
    context.update(
        workshops=overview.workshops,
        overview=overview,
        preview=preview,
        slots=slots,
        places=sum(slot.places for slot in slots),
        open_sessions=_open_sessions(request),
        unplaced=_unplaced(overview, cancelled),
        deadline_passed=timezone.now() > allocation.ranking_deadline,
        setup_form=setup_form
        or SetupForm(
            initial={
                "ranking_deadline": allocation.ranking_deadline,
                "choices": allocation.choices,
                "cancel_below_minimum": allocation.cancel_below_minimum,
            }
        ),
        compute_form=compute_form or ComputeForm(initial={"seed": allocation.seed}),
    )
    return render(request, TEMPLATE, context, status=status)


def _open_sessions(request: HttpRequest) -> set[int]:
    """Workshops whose people list is shown open: those an action just changed."""
    return {int(value) for value in request.GET.getlist("offen") if value.isdigit()}


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _allocation(event: Event) -> WorkshopAllocation:
    allocation = allocation_of(event)
    if allocation is None:
        raise Http404
    allocation.event = event
    return allocation


def _back(event: Event, *sessions: int | None) -> HttpResponse:
    """To the overview, with the changed workshops open and the last of them in view."""
    response = redirect("workshops_office:overview", slug=event.slug)
    shown = [pk for pk in dict.fromkeys(sessions) if pk is not None]
    if shown:
        query = "&".join(f"offen={pk}" for pk in shown)
        response["Location"] += f"?{query}#workshop-{shown[-1]}"
    return response


def _form_problems(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


# --- Views ----------------------------------------------------------------------------


@access(Rule.STAFF)
@require_safe
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """State, rules, the last preview and every workshop with its people."""
    return _render(request, _event(slug))


@access(Rule.STAFF)
@require_POST
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = SetupForm(request.POST)
    if not form.is_valid():
        return _render(request, event, status=400, setup_form=form)
    existed = allocation_of(event) is not None
    try:
        services.allocation_setup(event=event, **form.cleaned_data)
    except AllocationError as error:
        return _render(request, event, status=400, problems=error.messages, setup_form=form)
    if existed:
        messages.success(request, _("The rules of the workshop allocation have been saved."))
    else:
        messages.success(
            request,
            _(
                "The workshop allocation has been set up. Confirmed participants on site can "
                "now rank the workshops on the event page."
            ),
        )
    return _back(event)


@access(Rule.STAFF)
@require_POST
def compute(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    allocation = _allocation(event)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        return _render(request, event, status=400, compute_form=form)
    try:
        services.allocation_preview(allocation=allocation, seed=form.cleaned_data["seed"])
    except AllocationError as error:
        return _render(request, event, status=400, problems=error.messages, compute_form=form)
    messages.success(
        request,
        _("The preview has been computed. Participants see it only once you publish it."),
    )
    return _back(event)


@access(Rule.STAFF)
@require_POST
def move(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    allocation = _allocation(event)
    form = MoveForm(request.POST, event=event)
    if not form.is_valid():
        return _render(request, event, status=400, problems=_form_problems(form))
    registration: Registration = form.cleaned_data["registration"]
    session: Session = form.cleaned_data["session"]
    try:
        services.placement_move(
            allocation=allocation,
            registration=registration,
            session=session,
            lock=form.cleaned_data["festlegen"],
        )
    except AllocationError as error:
        return _render(request, event, status=400, problems=error.messages)
    messages.success(
        request,
        _("%(name)s now attends “%(title)s”.")
        % {"name": registration.user, "title": session.title},
    )
    origin = request.POST.get("von", "")
    return _back(event, int(origin) if origin.isdigit() else None, session.pk)


@access(Rule.STAFF)
@require_POST
def lock(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    _allocation(event)
    placement = get_object_or_404(
        Placement.objects.select_related("registration__user", "registration__event", "session"),
        pk=pk,
        registration__event=event,
    )
    form = LockForm(request.POST)
    if not form.is_valid():
        return _render(request, event, status=400, problems=_form_problems(form))
    locked: bool = form.cleaned_data["locked"]
    services.placement_lock(placement=placement, locked=locked)
    names = {"name": placement.registration.user, "title": placement.session.title}
    if locked:
        text = _("%(name)s is fixed to “%(title)s”: a new preview keeps this place.")
    else:
        text = _("The place of %(name)s in “%(title)s” is released for a new preview.")
    messages.success(request, text % names)
    return _back(event, placement.session_id)


@access(Rule.STAFF)
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    allocation = _allocation(event)
    user: User = request.user  # type: ignore[assignment]
    try:
        count = services.allocation_publish(allocation=allocation, user=user)
    except AllocationError as error:
        return _render(request, event, status=400, problems=error.messages)
    messages.success(
        request,
        ngettext(
            "The allocation has been published. %(count)s participant has been notified.",
            "The allocation has been published. %(count)s participants have been notified.",
            count,
        )
        % {"count": count},
    )
    return _back(event)


@access(Rule.STAFF)
@require_POST
def place_late(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    allocation = _allocation(event)
    try:
        placed = services.place_late(allocation=allocation)
    except AllocationError as error:
        return _render(request, event, status=400, problems=error.messages)
    if placed:
        messages.success(
            request,
            ngettext(
                "%(count)s place has been given. The person has been told by e-mail.",
                "%(count)s places have been given. The people have been told by e-mail.",
                len(placed),
            )
            % {"count": len(placed)},
        )
    else:
        messages.info(request, _("No place could be given: no free place fits anybody waiting."))
    return _back(event)
