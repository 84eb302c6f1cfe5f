"""Writing pilots: the office creates one; the office and its contact people edit
it, and its lists (participants, milestones, funding, indicators) each on a
small page of their own that saves all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.core.forms import add_refusal
from innoclub.pilots import selectors, services
from innoclub.pilots.forms import (
    FundingForm,
    IndicatorForm,
    IndicatorFormSet,
    MilestoneForm,
    ParticipantForm,
    ParticipantFormSet,
    PilotForm,
    row_formset,
)
from innoclub.pilots.models import PilotProject

# The button that saves a list and comes back to it for more rows.
MORE = "weitere"


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def pilot_create(request: HttpRequest) -> HttpResponse:
    """The office enters a pilot project (ideas create theirs when they reach the Pilot stage)."""
    user: User = request.user  # type: ignore[assignment]
    form = PilotForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.pilot_create(created_by=user, **form.pilot_fields(), **form.links())
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("The pilot project “%(title)s” has been created.") % {"title": pilot.title},
            )
            return redirect("pilots:detail", pilot.slug)
    return render(
        request,
        "pilots/form.html",
        {"form": form, "pilot": None},
        status=400 if form.is_bound else 200,
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def pilot_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Contact people edit texts, dates and budget; the office everything else too."""
    user: User = request.user  # type: ignore[assignment]
    pilot = selectors.pilot_for_editor(user, slug=slug)
    form = PilotForm(request.POST or None, user=user, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_update(pilot=pilot, by=user, fields=form.pilot_fields(), **form.links())
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("pilots:detail", pilot.slug)
    return render(
        request,
        "pilots/form.html",
        {"form": form, "pilot": pilot},
        status=400 if form.is_bound else 200,
    )


# --- The lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListPage:
    """One of the pilot's lists: how its rows are read, edited and saved."""

    title: Promise
    intro: Promise
    row_label: Promise
    anchor: str
    formset: Any
    initial: Callable[[PilotProject], list[dict[str, Any]]]
    save: Callable[[PilotProject, Sequence[Any]], object]
    form_kwargs: Callable[[PilotProject], dict[str, Any]] = lambda pilot: {}


PARTICIPANTS = ListPage(
    title=gettext_lazy("Participating municipalities"),
    intro=gettext_lazy(
        "Municipalities that take part in the pilot besides the lead municipality, "
        "each with its role."
    ),
    row_label=gettext_lazy("Municipality"),
    anchor="beteiligte",
    formset=row_formset(ParticipantForm, ParticipantFormSet),
    initial=lambda pilot: [
        {"municipality": row.municipality, "role": row.role}
        for row in pilot.participants.select_related("municipality").order_by("municipality__name")
    ],
    save=lambda pilot, rows: services.pilot_participants_save(pilot=pilot, participants=rows),
    form_kwargs=lambda pilot: {"lead_id": pilot.lead_municipality_id},
)
MILESTONES = ListPage(
    title=gettext_lazy("Milestones"),
    intro=gettext_lazy("The steps of the pilot with their planned dates and how far they are."),
    row_label=gettext_lazy("Milestone"),
    anchor="meilensteine",
    formset=row_formset(MilestoneForm),
    initial=lambda pilot: [
        {"title": m.title, "due_on": m.due_on, "state": m.state, "reached_on": m.reached_on}
        for m in pilot.milestones.all()
    ],
    save=lambda pilot, rows: services.pilot_milestones_save(pilot=pilot, milestones=rows),
)
FUNDING = ListPage(
    title=gettext_lazy("Funding sources"),
    intro=gettext_lazy(
        "Where the money for the pilot comes from, for example a funding programme."
    ),
    row_label=gettext_lazy("Funding source"),
    anchor="finanzierung",
    formset=row_formset(FundingForm),
    initial=lambda pilot: [
        {"name": source.name, "amount": source.amount} for source in pilot.funding_sources.all()
    ],
    save=lambda pilot, rows: services.pilot_funding_save(pilot=pilot, sources=rows),
)
INDICATORS = ListPage(
    title=gettext_lazy("Indicators"),
    intro=gettext_lazy(
        "Measurable outcomes with their values before and after the pilot, so that other "
        "municipalities can compare theirs. Removing an indicator also removes the values "
        "adopting municipalities entered for it."
    ),
    row_label=gettext_lazy("Indicator"),
    anchor="indikatoren",
    formset=row_formset(IndicatorForm, IndicatorFormSet),
    initial=lambda pilot: [
        {
            "pk": i.pk,
            "name": i.name,
            "unit": i.unit,
            "before": i.before,
            "after": i.after,
            "higher_is_better": i.higher_is_better,
            "note": i.note,
        }
        for i in pilot.indicators.all()
    ],
    save=lambda pilot, rows: services.pilot_indicators_save(pilot=pilot, indicators=rows),
)


def _edit_list(request: HttpRequest, slug: str, spec: ListPage) -> HttpResponse:
    pilot = selectors.pilot_for_editor(request.user, slug=slug)
    formset = spec.formset(
        request.POST or None,
        initial=spec.initial(pilot),
        prefix="zeilen",
        form_kwargs=spec.form_kwargs(pilot),
    )
    refusals: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            spec.save(pilot, formset.rows())
        except ValidationError as refusal:
            refusals = refusal.messages
        else:
            messages.success(request, _("Your changes have been saved."))
            if MORE in request.POST:
                return redirect(request.path)
            return redirect(reverse("pilots:detail", args=[pilot.slug]) + f"#{spec.anchor}")
    return render(
        request,
        "pilots/rows.html",
        {"pilot": pilot, "spec": spec, "formset": formset, "refusals": refusals},
        status=400 if formset.is_bound else 200,
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def participants_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit_list(request, slug, PARTICIPANTS)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def milestones_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit_list(request, slug, MILESTONES)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def funding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit_list(request, slug, FUNDING)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def indicators_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit_list(request, slug, INDICATORS)
