"""The pilot's fact sheet ("Steckbrief"): one A4 page as PDF for a council meeting.

It shows what the viewer may see of the pilot (contact people as on the
page) and shortens the long texts so that everything fits one page. It is
rendered by ``core.pdf``, which fetches nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from innoclub.core.access import AnyUser
from innoclub.core.markdown import render_markdown
from innoclub.core.pdf import html_to_pdf
from innoclub.pilots import selectors
from innoclub.pilots.models import PilotProject

STYLESHEET = Path(__file__).parent / "static" / "pilots" / "factsheet.css"
# What fits one page; the rest is on the pilot's page. Texts are cut to characters
# rather than words, so that a long list in Markdown cannot push the indicators off.
MAX_INDICATORS = 6
MAX_PARTICIPANTS = 10
MAX_CONTACTS = 3
MAX_FUNDING = 4
SUMMARY_CHARS = 600
RESULTS_CHARS = 400
LESSONS_CHARS = 400


def excerpt(markdown: str, limit: int) -> str:
    """The text of ``markdown`` without formatting, cut at a word before ``limit`` characters.

    Paragraphs and list items become sentences, so a list does not run together.
    """
    blocks = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", render_markdown(markdown))
    lines = (" ".join(line.split()) for line in html.unescape(strip_tags(blocks)).splitlines())
    sentences = [line if line[-1] in ".!?:;" else f"{line}." for line in lines if line]
    return Truncator(" ".join(sentences)).chars(limit)


def factsheet_context(*, pilot: PilotProject, user: AnyUser) -> dict[str, Any]:
    page = selectors.pilot_page(user=user, pilot=pilot)
    return {
        "pilot": pilot,
        "page": page,
        "summary": excerpt(pilot.summary, SUMMARY_CHARS),
        "results": excerpt(pilot.results, RESULTS_CHARS),
        "lessons_learned": excerpt(pilot.lessons_learned, LESSONS_CHARS),
        "participants": page.participants[:MAX_PARTICIPANTS],
        "more_participants": max(0, len(page.participants) - MAX_PARTICIPANTS),
        "contacts": page.contacts[:MAX_CONTACTS],
        "funding_sources": page.funding_sources[:MAX_FUNDING],
        "indicators": page.indicators[:MAX_INDICATORS],
        "more_indicators": max(0, len(page.indicators) - MAX_INDICATORS),
        "adopters": selectors.adopting_municipalities(pilot),
        "url": settings.SITE_URL.rstrip("/") + reverse("pilots:detail", args=[pilot.slug]),
    }


def factsheet_pdf(*, pilot: PilotProject, user: AnyUser) -> bytes:
    html = render_to_string("pilots/factsheet.html", factsheet_context(pilot=pilot, user=user))
    return html_to_pdf(html, stylesheet=STYLESHEET)
