"""The adoption register's pages: "Nachnutzen" (declare or update), an adoption's page,
the correction by its municipality or the office, and the office's confirmation.

Adoptions are visible exactly when their pilot is; hidden and missing answer
404. A refused declaration shows the form again with German messages and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access, may_adopt_pilot, may_edit_adoption
from innoclub.core.forms import add_refusal
from innoclub.network.models import Municipality
from innoclub.pilots import adoptions
from innoclub.pilots.adoption_selectors import (
    adoption_for_viewer,
    adoption_page,
    indicators_with_values,
    own_adoption,
)
from innoclub.pilots.chain import chain_for_adoption, pilot_adoptions_url
from innoclub.pilots.forms_adoption import AdoptionForm
from innoclub.pilots.models import Adoption, PilotProject
from innoclub.pilots.selectors import pilot_for_viewer


def adoption_url(adoption: Adoption) -> str:
    return reverse("pilots:adoption", args=[adoption.pilot.slug, adoption.pk])


def _form_page(
    request: HttpRequest,
    *,
    pilot: PilotProject,
    adoption: Adoption | None,
    municipality: Municipality,
    save: Callable[[dict[str, Any]], Adoption],
    done_url: Callable[[Adoption], str],
) -> HttpResponse:
    comparisons = indicators_with_values(pilot, adoption)
    form = AdoptionForm(
        request.POST or None,
        municipality_id=municipality.pk,
        comparisons=comparisons,
        adoption=adoption,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_arguments())
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("The adoption by %(place)s has been saved.") % {"place": saved.municipality.name},
            )
            return HttpResponseRedirect(done_url(saved))
    return render(
        request,
        "pilots/adopt.html",
        {"pilot": pilot, "adoption": adoption, "municipality": municipality, "form": form},
        status=400 if form.errors else 200,
    )


@access(Rule.MEMBERS)
@require_http_methods(["GET", "POST"])
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Nachnutzen": a member declares (or updates) their municipality's adoption."""
    pilot = pilot_for_viewer(request.user, slug=slug)
    if not may_adopt_pilot(request.user):
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    assert user.municipality is not None  # may_adopt_pilot
    existing = own_adoption(pilot, user)

    def save(arguments: dict[str, Any]) -> Adoption:
        return adoptions.adoption_declare(pilot=pilot, by=user, **arguments)

    return _form_page(
        request,
        pilot=pilot,
        adoption=existing,
        municipality=user.municipality,
        save=save,
        done_url=lambda saved: pilot_adoptions_url(pilot),
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Its municipality's members and the office correct an adoption."""
    adoption = adoption_for_viewer(request.user, slug=slug, pk=pk)
    if not may_edit_adoption(request.user, municipality_id=adoption.municipality_id):
        raise Http404
    user: User = request.user  # type: ignore[assignment]

    def save(arguments: dict[str, Any]) -> Adoption:
        return adoptions.adoption_update(adoption=adoption, by=user, **arguments)

    return _form_page(
        request,
        pilot=adoption.pilot,
        adoption=adoption,
        municipality=adoption.municipality,
        save=save,
        done_url=adoption_url,
    )


@access(Rule.OBJECT)
@require_safe
def adoption_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An adoption's page: state and its history, dates, contact, adaptations, values."""
    adoption = adoption_for_viewer(request.user, slug=slug, pk=pk)
    context = adoption_page(adoption, request.user)
    context.update(chain_for_adoption(adoption, request.user))
    return render(request, "pilots/adoption_detail.html", context)


@access(Rule.STAFF)
@require_POST
def adoption_verify(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The office confirms an adoption, or (``aktion=zuruecknehmen``) takes that back."""
    adoption = adoption_for_viewer(request.user, slug=slug, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    if request.POST.get("aktion") == "zuruecknehmen":
        adoptions.adoption_unverify(adoption=adoption, by=user)
        messages.success(request, _("The confirmation has been taken back."))
    else:
        adoptions.adoption_verify(adoption=adoption, by=user)
        messages.success(request, _("The adoption has been confirmed."))
    return HttpResponseRedirect(adoption_url(adoption))
