"""The search page at /suche/ and the suggestions under the header's search box.

Both read the query string defensively: the query is text whatever it holds
(the engine makes it safe), a filter value that cannot be one is dropped, a
page number that is not one is page 1. Nothing a visitor types leads to an
error page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.core.querystring import query_value
from innoclub.core.sections import SECTION_SECONDS
from innoclub.network.models import FederalState
from innoclub.search.models import Kind
from innoclub.search.query import PER_PAGE, FacetValue, Filters, Results, search, suggest

SUGGESTIONS = 6
# Longer queries are cut: no German question needs more, and the page repeats the query.
MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
# A facet shows its values with the most results; the rest folds away behind "show all".
FACET_SHOWN = 8
_SLUG = re.compile(r"[-a-z0-9_]{1,80}")
_YEAR = re.compile(r"(19|20)\d\d")

# Query-string names (German, as on the other list pages) of the facets, in page order.
PARAMS = {"kind": "art", "topic": "thema", "stage": "phase", "land": "land", "year": "jahr"}
FACET_HEADINGS = {
    "kind": _("Kind"),
    "topic": _("Topic"),
    "stage": _("Stage"),
    "land": _("Federal state"),
    "year": _("Year"),
}


def clean_query(raw: str) -> str:
    """The query as text: control characters (NUL included) become spaces, runs of space one."""
    text = "".join(" " if unicodedata.category(c) in {"Cc", "Cs"} else c for c in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def read_filters(query: QueryDict) -> Filters:
    """The facet filters of the query string; a value that cannot be valid is left out."""
    topic = query_value(query, "thema")
    stage = query_value(query, "phase")
    year = query_value(query, "jahr")
    return Filters(
        kind=query_value(query, "art", Kind.values),
        topic=topic if _SLUG.fullmatch(topic) else "",
        stage=stage if _SLUG.fullmatch(stage) else "",
        land=query_value(query, "land", FederalState.values),
        year=int(year) if _YEAR.fullmatch(year) else None,
    )


def read_page(query: QueryDict) -> int:
    value = query_value(query, "seite")
    if not value.isascii() or not value.isdigit():
        return 1
    return min(max(int(value), 1), MAX_PAGE)


@dataclass(frozen=True)
class FacetLink:
    value: FacetValue
    href: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    heading: str
    links: list[FacetLink]

    @property
    def shown(self) -> list[FacetLink]:
        return self.links[:FACET_SHOWN]

    @property
    def more(self) -> list[FacetLink]:
        return self.links[FACET_SHOWN:]

    @property
    def more_selected(self) -> bool:
        return any(link.value.selected for link in self.more)


@dataclass(frozen=True)
class ActiveFilter:
    heading: str
    label: str
    href: str


def _address(query: str, filters: dict[str, str]) -> str:
    """/suche/?… for a query and filters (page 1: a changed filter starts over)."""
    params = [("q", query)] + [(PARAMS[name], value) for name, value in filters.items() if value]
    return "?" + urlencode(params)


def _filter_values(filters: Filters) -> dict[str, str]:
    return {
        "kind": filters.kind,
        "topic": filters.topic,
        "stage": filters.stage,
        "land": filters.land,
        "year": str(filters.year) if filters.year else "",
    }


def facet_groups(results: Results) -> tuple[list[FacetGroup], list[ActiveFilter]]:
    """Each facet's values as links that set (or, when selected, remove) the filter,
    and the selected filters with the link that removes each."""
    current = _filter_values(results.filters)
    groups: list[FacetGroup] = []
    active: list[ActiveFilter] = []
    for name, heading in FACET_HEADINGS.items():
        links = []
        for value in results.facets.get(name, []):
            changed = {**current, name: "" if value.selected else value.value}
            href = _address(results.query, changed)
            links.append(FacetLink(value=value, href=href))
            if value.selected:
                active.append(ActiveFilter(heading=str(heading), label=value.label, href=href))
        if links:
            groups.append(FacetGroup(name=name, heading=str(heading), links=links))
    return groups, active


def _page(results: Results) -> Page[int]:
    """A paginator page standing in for the results, for the shared pagination links."""
    paginator = Paginator(range(results.total), PER_PAGE)
    return paginator.get_page(results.page)


@access(Rule.PUBLIC)
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Results for ``q`` that the viewer may see, with facets and pages.

    The facet and page links ask htmx for the results region only (facets
    included, as their counts change) and push the address; without
    JavaScript they load the whole page.
    """
    query = clean_query(request.GET.get("q", ""))
    filters = read_filters(request.GET)
    results = search(
        query, user=request.user, filters=filters, page=read_page(request.GET), per_page=PER_PAGE
    )
    groups, active = facet_groups(results)
    context = {
        "query": query,
        "results": results,
        "page": _page(results),
        "facet_groups": groups,
        "active_filters": active,
        "clear_filters": _address(query, {}),
        "first_page": _address(query, _filter_values(results.filters)),
    }
    context["results_html"] = _results_html(request, context)
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and htmx.target == "ergebnisse" and not htmx.history_restore_request:
        response = HttpResponse(context["results_html"])
    else:
        response = render(request, "search/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    response["X-Robots-Tag"] = "noindex"
    return response


def _results_html(request: HttpRequest, context: dict[str, Any]) -> str:
    """The results region; rendered once for a search that is kept
    (``Results.kept_as``) and then kept beside it."""
    results: Results = context["results"]
    if not results.kept_as:
        return render_to_string("search/_results.html", context, request=request)
    return cast(
        str,
        cache.get_or_set(
            f"{results.kept_as}:html",
            lambda: render_to_string("search/_results.html", context, request=request),
            SECTION_SECONDS,
        ),
    )


@access(Rule.PUBLIC)
@require_safe
def search_suggestions(request: HttpRequest) -> HttpResponse:
    """Up to six hits for what has been typed so far (the last word as a prefix)."""
    query = clean_query(request.GET.get("q", ""))
    hits = suggest(query, user=request.user, limit=SUGGESTIONS) if query else []
    response = render(request, "search/_suggestions.html", {"query": query, "hits": hits})
    response["X-Robots-Tag"] = "noindex"
    return response
