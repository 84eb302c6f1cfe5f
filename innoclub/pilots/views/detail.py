"""The pilot's page at /pilotprojekte/<slug>/ and its fact sheet as PDF.

The page has sections of its own and three filled in elsewhere: the
provenance chain (``chain.py``), the adoption register (``adoption_selectors``)
and the map and curve of its spread (``transfer.py``); their context is merged
in before this page's own keys, which therefore always win.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from innoclub.core import sections
from innoclub.core.access import Rule, access
from innoclub.core.pdf import pdf_download
from innoclub.pilots import selectors
from innoclub.pilots.adoption_selectors import adoption_section
from innoclub.pilots.chain import chain_for_pilot
from innoclub.pilots.factsheet import factsheet_pdf
from innoclub.pilots.maps import allow_map_tiles
from innoclub.pilots.models import PilotProject
from innoclub.pilots.transfer import transfer_for_pilot

# The page's data: the pilot and its parts (``pilots``, ``pilot-pages``), the ideas
# of its chain (``ideas``), the people it names (``pilot-pages``).
PAGE_DATA = ("pilots", "pilot-pages", "ideas")


@access(Rule.OBJECT)
@require_safe
@allow_map_tiles
def pilot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The pilot's page. Its content is rendered once per viewer (visitors
    share one) and page of the adoption register, then read from the cache
    until the pilot, its parts, its adoptions, the ideas of its chain or the
    people it names change (core/sections.py); on a day's change too, as
    milestones and the spread count days."""
    user = request.user
    pilot = selectors.pilot_for_viewer(user, slug=slug)
    page = request.GET.get("seite", "1")[:6]
    today = timezone.localdate()
    content_html = sections.cached(
        PAGE_DATA,
        ("pilot-page", pilot.pk, sections.audience(user), page, today),
        lambda: _content_html(request, pilot, page, today),
    )
    return render(request, "pilots/detail.html", {"pilot": pilot, "content_html": content_html})


def _content_html(
    request: HttpRequest, pilot: PilotProject, page: str, today: datetime.date
) -> str:
    user = request.user
    context: dict[str, Any] = {}
    context.update(chain_for_pilot(pilot, user))
    # The register as this viewer sees it (their own municipality's row is
    # marked): rendered once per viewer and page of the register, read from
    # the cache until the pilots' data changes.
    context["adoptions_html"] = sections.cached(
        "pilots",
        ("pilot-adoptions-html", pilot.pk, sections.audience(user), page),
        lambda: render_to_string(
            "pilots/_adoptions.html",
            {**adoption_section(pilot, user, page=page), "pilot": pilot},
            request=request,
        ),
    )
    # The spread looks the same to everyone who may see the pilot: rendered once,
    # read from the cache until the pilot or its adoptions change.
    context["transfer_html"] = sections.cached(
        "pilots",
        ("pilot-transfer-html", pilot.pk, today),
        lambda: render_to_string(
            "pilots/_pilot_transfer.html", {**transfer_for_pilot(pilot, user), "pilot": pilot}
        ),
    )
    context["pilot"] = pilot
    context["pilot_page"] = selectors.pilot_page(user=user, pilot=pilot)
    return render_to_string("pilots/_detail.html", context, request=request)


@access(Rule.OBJECT)
@require_safe
def pilot_factsheet(request: HttpRequest, slug: str) -> HttpResponse:
    """One A4 page for a council meeting, with what the viewer may see of the pilot."""
    pilot = selectors.pilot_for_viewer(request.user, slug=slug)
    pdf = factsheet_pdf(pilot=pilot, user=request.user)
    return pdf_download(pdf, filename=f"steckbrief-{pilot.slug}.pdf")
