"""The REST API v1: one NinjaAPI instance with routers per resource."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI

from innoclub.api import problems
from innoclub.api.auth import PerAddress, PerToken
from innoclub.api.common import PROBLEM_CODES, RENDERER
from innoclub.api.endpoints import adoptions, events, ideas, network, news, pilots


class InnoclubAPI(NinjaAPI):
    _schemas: dict[str, Any] = {}

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Problem responses are declared as ``application/problem+json``,
        which is what the error handlers send. Building the document takes
        over a second and it only changes with the code: once per process."""
        key = repr((args, sorted(kwargs.items())))
        if key not in self._schemas:
            self._schemas[key] = self._build_schema(*args, **kwargs)
        return copy.deepcopy(self._schemas[key])

    def _build_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) in PROBLEM_CODES and "application/json" in content:
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = InnoclubAPI(
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
    renderer=RENDERER,
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
        # Answers depend on who calls; shared caches must not mix them up, and
        # clients revalidate with the ETag rather than trust a stale copy.
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, no_cache=True)
        return response

    return wrapped


# ETag on every GET answer and 304 for a matching If-None-Match.
api.add_decorator(conditional_page, mode="view")
api.add_decorator(_limit_body, mode="view")

for _endpoints in (network, events, ideas, pilots, adoptions, news):
    api.add_router("/", _endpoints.router)


def urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns. django-ninja answers a method an address does not
    take before any operation runs, as an HTML page; here it becomes a problem."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _method_problem(pattern.callback)
    return patterns, app_name, namespace


def _method_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != problems.PROBLEM_TYPE:
            allowed = response.get("Allow", "")
            response = problems.problem(405, _("This address does not accept this method."))
            response["Allow"] = allowed
        return response

    return wrapped
