"""The list of ideas at /ideen/ with its filters."""

from __future__ import annotations

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from innoclub.core import sections
from innoclub.core.access import AnyUser, Rule, access, is_member, may_see
from innoclub.ideas import selectors
from innoclub.ideas.models import Idea


def _mark_origins(page: Page[Idea], user: AnyUser) -> None:
    """Name an idea's forum session only where the viewer may see the forum.

    A public idea can come from a members' forum; its card then says nothing
    about the session rather than link to a page that answers 404.
    """
    for idea in page.object_list:
        session = idea.origin_session
        idea.shown_origin = (  # type: ignore[attr-defined]
            session if session is not None and may_see(user, session.event) else None
        )


@access(Rule.PUBLIC)
@require_safe
def idea_list(request: HttpRequest) -> HttpResponse:
    """Ideas the viewer may see, filtered and sorted by the query string.

    htmx asks for the results only (the filter form pushes its state into the
    address); without JavaScript the form reloads the whole page. The results
    and the filter form are rendered once per audience and address and then
    read from the cache until an idea, its counts or a name on its card
    change (core/sections.py). Fixed queries when they are not cached: count,
    page, topics, authors, and the two filter lists (kept per audience).
    """
    filters = selectors.IdeaFilters.from_query(request.GET.dict())
    # The pagination's links repeat the address's other parameters.
    address = sections.digest(request.GET.urlencode())
    results_html, filters_html = sections.cached(
        "ideas",
        ("idea-list", sections.audience(request.user), address),
        lambda: (_results_html(request, filters), _filters_html(request, filters)),
    )
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.history_restore_request:
        response = HttpResponse(results_html)
    else:
        context = {"filters": filters, "results_html": results_html, "filters_html": filters_html}
        response = render(request, "ideas/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _filters_html(request: HttpRequest, filters: selectors.IdeaFilters) -> str:
    # The choices are the same for every address of an audience.
    options = sections.cached(
        "ideas",
        ("idea-filter-options", sections.audience(request.user)),
        lambda: selectors.filter_options(user=request.user),
    )
    context = {"filters": filters, "options": options}
    return render_to_string("ideas/_list_filters.html", context, request=request)


def _results_html(request: HttpRequest, filters: selectors.IdeaFilters) -> str:
    page = selectors.idea_list(user=request.user, filters=filters)
    _mark_origins(page, request.user)
    context = {
        "page": page,
        "filters": filters,
        # Names are for the club; the public and guests see the municipality only.
        "show_authors": is_member(request.user),
    }
    return render_to_string("ideas/_list_results.html", context, request=request)
