"""The REST API v1: one NinjaAPI instance with routers per resource."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI

from innoclub.api import problems
from innoclub.api.auth import PerAddress, PerToken
from innoclub.api.endpoints import events, ideas, network, news, pilots

api = NinjaAPI(
    title="innoclub API",
    version="1",
    description=(
        "Read the network's public data without an account; with a personal API token "
        "(created on /konto/api-tokens/) or the browser session, read and change what "
        "the account may see and do on the web pages. Errors are problem details "
        "(RFC 9457) in German or English, following Accept-Language."
    ),
    urls_namespace="api",
    docs_url=None,
    throttle=[PerAddress(), PerToken()],
)
problems.install(api)


def _limit_body(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse bodies beyond API_MAX_BODY_BYTES before reading them (413)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problems.problem(400, _("The request could not be read."))
        if length > settings.API_MAX_BODY_BYTES:
            return problems.problem(413, _("The request body is too large."))
        response = view(request, *args, **kwargs)
        # Answers depend on who calls; shared caches must not mix them up.
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
        return response

    return wrapped


# ETag on every GET answer and 304 for a matching If-None-Match.
api.add_decorator(conditional_page, mode="view")
api.add_decorator(_limit_body, mode="view")

for _endpoints in (network, events, ideas, pilots, news):
    api.add_router("/", _endpoints.router)
