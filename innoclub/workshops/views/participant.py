"""A participant's workshop wishes and, once published, their workshops: /foren/<slug>/workshops/."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.events import selectors as event_selectors
from innoclub.events.models import Attendance, Event, Registration, RegistrationStatus, Session
from innoclub.workshops import selectors, services
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.forms import RankingForm, group_label
from innoclub.workshops.layout import Workshops, choices_of, event_workshops, ranking_groups
from innoclub.workshops.models import WorkshopAllocation


@dataclass
class About:
    """What the form tells about one workshop to help people decide."""

    session: Session
    description: str
    runs: list[Session]


def _runs(workshops: Workshops) -> dict[int, list[Session]]:
    """Each repeating workshop with every session it runs in, in time order."""
    if not workshops.repeating:
        return {}
    runs: dict[int, list[Session]] = defaultdict(list)
    for session in workshops.sessions:
        runs[session.workshop_id].append(session)
    return dict(runs)


def _descriptions(workshops: Workshops) -> dict[int, str]:
    """The workshops' descriptions in one query (``event_workshops`` leaves them out)."""
    ids = [session.pk for session in workshops.rankable()]
    return dict(Session.objects.filter(pk__in=ids).values_list("pk", "description"))


def _wishes(
    allocation: WorkshopAllocation, workshops: Workshops, ranks: dict[int, int]
) -> list[tuple[str, list[Session]]]:
    """The stored wishes per ranking group in order of preference, for reading only."""
    by_id = workshops.by_id()
    order = [by_id[pk] for pk in sorted(ranks, key=ranks.__getitem__) if pk in by_id]
    rows = []
    for group in ranking_groups(allocation, workshops):
        sessions = [session for session in order if session in group.sessions]
        if sessions:
            rows.append((group_label(group), sessions))
    return rows


def _render(
    request: HttpRequest,
    *,
    event: Event,
    allocation: WorkshopAllocation,
    registration: Registration | None,
    workshops: Workshops,
    ranks: dict[int, int],
    refusal: str | None,
    form: RankingForm | None,
    status: int = 200,
) -> HttpResponse:
    takes_part = (
        allocation.is_published
        and registration is not None
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance == Attendance.ONSITE
    )
    mine = (
        selectors.my_workshops(registration, allocation=allocation, workshops=workshops)
        if takes_part and registration
        else []
    )
    placed = any(row.placement is not None for row in mine)
    runs = _runs(workshops)
    descriptions = _descriptions(workshops) if form is not None else {}
    groups = [
        (
            fields,
            [
                About(session, descriptions.get(session.pk, ""), runs.get(session.pk, []))
                for session in fields.group.sessions
            ],
        )
        for fields in (form.by_group() if form is not None else [])
    ]
    return render(
        request,
        "workshops/ranking.html",
        {
            "event": event,
            "allocation": allocation,
            "registered": registration is not None and registration.is_active,
            "refusal": refusal,
            "form": form,
            "groups": groups,
            "repeating": workshops.repeating,
            # A late registrant who has not ranked yet is not told "no seat free" before trying.
            "mine": mine if placed or ranks else [],
            "late": bool(mine) and not placed and not ranks,
            "wishes": _wishes(allocation, workshops, ranks) if form is None and not mine else [],
        },
        status=status,
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """Rank the workshops (GET shows the form, POST saves it); once the allocation
    is published, the person's workshops come first."""
    user: User = request.user  # type: ignore[assignment]
    event = event_selectors.event_for_viewer(user=user, slug=slug)
    allocation = selectors.allocation_of(event)
    if allocation is None:
        raise Http404
    registration = event_selectors.registration_of(user=user, event=event)
    if registration is not None:
        registration.event = event  # my_workshops reads it; saves a query
    refusal = services.ranking_refusal(
        allocation=allocation, registration=registration, now=timezone.now()
    )
    workshops = event_workshops(event)
    groups = ranking_groups(allocation, workshops)
    ranks = choices_of(registration) if registration is not None else {}
    show = partial(
        _render,
        request,
        event=event,
        allocation=allocation,
        registration=registration,
        workshops=workshops,
        ranks=ranks,
    )
    if refusal is not None or registration is None:
        return show(refusal=refusal, form=None, status=400 if request.method == "POST" else 200)

    runs = _runs(workshops)
    if request.method == "GET":
        return show(refusal=None, form=RankingForm(groups=groups, runs=runs, initial_ranks=ranks))

    form = RankingForm(request.POST, groups=groups, runs=runs)
    if form.is_valid():
        try:
            placed = services.choices_save(
                allocation=allocation, registration=registration, choices=form.choices()
            )
        except AllocationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if placed:
                messages.success(request, _("You have been placed in the free seats."))
            else:
                messages.success(request, _("Your wishes have been saved."))
            return redirect("workshops:ranking", slug=event.slug)
    return show(refusal=None, form=form, status=400)
