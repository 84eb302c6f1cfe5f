"""The list of pilot projects at /pilotprojekte/ with its filters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access, is_staff
from innoclub.pilots import selectors


@access(Rule.PUBLIC)
@require_safe
def pilot_list(request: HttpRequest) -> HttpResponse:
    """Pilots the viewer may see, filtered and sorted by the query string.

    htmx asks for the results only (the filter form pushes its state into the
    address); without JavaScript the form reloads the whole page. Fixed
    queries: count, page, topics, and the topics of the filter form.
    """
    filters = selectors.PilotFilters.from_query(request.GET.dict())
    context = {
        "page": selectors.pilot_list(user=request.user, filters=filters),
        "filters": filters,
        "may_create": is_staff(request.user),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.history_restore_request:
        response = render(request, "pilots/_list_results.html", context)
    else:
        context["options"] = selectors.filter_options(user=request.user)
        response = render(request, "pilots/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
