"""The transfer pages: how far pilots have spread (/transfer/), „Wer hat das schon
gemacht?“ (/transfer/wer-hat-das-schon-gemacht/) and the office's overview
(/geschaeftsstelle/transfer/).

The query parameters are German because they are part of the addresses
people bookmark and share: ``pilot``, ``thema``, ``kommune``, ``q``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.network.models import Municipality, Topic
from innoclub.pilots import matching, transfer
from innoclub.pilots.maps import allow_map_tiles

# --- /transfer/ ---------------------------------------------------------------


@access(Rule.PUBLIC)
@allow_map_tiles
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Map, curve and reach of every pilot the viewer may see, or of one pilot or topic."""
    context = transfer.network_overview(
        request.user,
        pilot_slug=request.GET.get("pilot", "").strip()[:120],
        topic_slug=request.GET.get("thema", "").strip()[:80],
    )
    return render(request, "pilots/transfer.html", context)


# --- „Wer hat das schon gemacht?“ -------------------------------------------------


class FinderForm(forms.Form):
    kommune = forms.CharField(
        label=gettext_lazy("Your municipality"),
        max_length=200,
        error_messages={"required": gettext_lazy("Please name your municipality.")},
        help_text=gettext_lazy(
            "Its name or Amtlicher Gemeindeschlüssel, for example “Marburg” or “06534014”."
        ),
    )
    thema = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("any topic"),
        help_text=gettext_lazy("A topic, words below, or both."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "We do not know this topic. Please choose one from the list."
            )
        },
    )
    q = forms.CharField(
        label=gettext_lazy("What are you looking for?"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Words from the title or description, for example “Bürgerbüro”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates: list[Municipality] = []

    def clean_kommune(self) -> Municipality:
        text = self.cleaned_data["kommune"]
        found = matching.resolve_municipality(text)
        if not found:
            raise ValidationError(
                _(
                    "We do not know a municipality “%(name)s”. Please check the spelling or "
                    "enter its Amtlicher Gemeindeschlüssel."
                ),
                code="unknown",
                params={"name": text},
            )
        if len(found) > 1:
            self.candidates = found
            raise ValidationError(
                _("Several municipalities are called “%(name)s”. Please choose one below."),
                code="ambiguous",
                params={"name": text},
            )
        return found[0]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "thema" in self.errors:
            return data
        text = data.get("q", "")
        if data.get("thema") is None and not matching.words(text):
            message = (
                _("Please use a more specific word, or choose a topic.")
                if text.strip()
                else _("Please choose a topic or enter what you are looking for.")
            )
            self.add_error("q", message)
        return data


@access(Rule.MEMBERS)
@require_safe
def finder(request: HttpRequest) -> HttpResponse:
    """Who has done it already: matches for a municipality and a topic or words.

    The member's own municipality is the default, also for a link that names
    only a topic.
    Queries (besides the session's): the chosen topic and the topics of the
    select, the municipality, and four for the matches — fixed whatever the
    number of pilots and adoptions.
    """
    data = request.GET.copy()
    if not data.get("kommune"):
        # A link that names only a topic (from a topic page) searches from the own municipality.
        own = getattr(request.user, "municipality", None)
        if own is not None:
            data["kommune"] = matching.municipality_label(own)
    form = FinderForm(data) if request.GET else FinderForm(initial=data)
    matches: list[matching.Match] | None = None
    if form.is_bound and form.is_valid():
        matches = matching.find(
            request.user,
            municipality=form.cleaned_data["kommune"],
            topic=form.cleaned_data["thema"],
            text=form.cleaned_data["q"],
        )
    context = {
        "form": form,
        "matches": matches,
        "points": {
            "topic": matching.TOPIC_POINTS,
            "title": matching.TITLE_POINTS,
            "text": matching.TEXT_POINTS,
            "kind": matching.KIND_POINTS,
            "size": matching.SIZE_POINTS,
            "near_size": matching.NEAR_SIZE_POINTS,
            "state": matching.STATE_POINTS,
            "distance": matching.DISTANCE_POINTS,
            "far": matching.FAR_KM,
            "done": matching.DONE_POINTS,
        },
    }
    return render(request, "pilots/finder.html", context, status=400 if form.errors else 200)


# --- The office's overview ------------------------------------------------------


@access(Rule.STAFF)
@require_safe
def office_overview(request: HttpRequest) -> HttpResponse:
    """Which pilots spread and which stall, given-up adoptions and their reasons,
    adoptions still to verify. Eight queries besides the session's, one page of pilots."""
    context = {
        "overview": transfer.office_overview(page=request.GET.get("seite", "1")[:6]),
        "window_days": transfer.WINDOW.days,
        "spreading_min": transfer.SPREADING_MIN,
    }
    return render(request, "pilots/office_transfer.html", context)
