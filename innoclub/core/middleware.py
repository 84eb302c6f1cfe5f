from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from innoclub.core.logging import request_id_var
from innoclub.core.metrics import observe_request

logger = logging.getLogger("innoclub.request")

# A request id handed in by a reverse proxy is kept only if it looks harmless.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# The search reads control characters in a query as spaces (its bad-input
# contract: any text is a query) and never hands them to the database.
_READS_NUL_AS_SPACE = ("/suche/",)


class RefuseNulMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a
    query would end in a database error (500). Forms refuse NUL themselves
    (Django's ProhibitNullCharactersValidator); addresses and filters are
    refused here, once for every view and the API.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if request.path.startswith(_READS_NUL_AS_SPACE) and "\x00" not in request.path:
            return self.get_response(request)
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                from innoclub.api.problems import problem

                return problem(400, _("The address contains a character that is not allowed."))
            return bad_request(request, SuspiciousOperation("NUL in the address"))
        return self.get_response(request)


# Browser features no page of ours uses, switched off for our pages and for any
# frame or script that might sneak in; interest-cohort opts out of FLoC tracking.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` on every response (pages, API, files, errors)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestLogMiddleware:
    """Give every request an id (``X-Request-ID``) and log one line when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            elapsed = time.perf_counter() - started
            observe_request(request.method, response.status_code, elapsed)
            user = getattr(request, "user", None)
            path = _masked_path(request)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# URL parts that open something by themselves (invitation and password-reset
# links); whoever reads the logs must not be able to use them.
_SECRET_URL_KWARGS = ("token", "uidb64")


def _masked_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in _SECRET_URL_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), "[verborgen]")
    return path
