"""Errors as ``application/problem+json`` (RFC 9457), in German or English.

The language follows ``Accept-Language`` (LocaleMiddleware activates it), so a
title or detail is whatever ``gettext`` gives for the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

PROBLEM_TYPE = "application/problem+json"


class FieldProblem(Schema):
    field: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldProblem] = []


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Request body too large"),
        415: _("Unsupported media type"),
        422: _("Invalid input"),
        429: _("Too many requests"),
    }


def problem(
    status: int, detail: str = "", errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    body = Problem(
        title=_titles().get(status, _("Error")),
        status=status,
        detail=detail,
        errors=[FieldProblem(**error) for error in errors or []],
    )
    response = HttpResponse(body.model_dump_json(), status=status, content_type=PROBLEM_TYPE)
    response["Content-Language"] = get_language() or settings.LANGUAGE_CODE
    return response


class Refused(HttpError):
    """A service refused the request; the message is for the user."""

    def __init__(self, message: str, *, status: int = 409, field: str = "") -> None:
        super().__init__(status, message)
        self.field = field


def _location(loc: Any) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or str(loc[-1] if loc else "")


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    if kind == "literal_error" or kind == "enum":
        return _("This value is not one of the allowed values.")
    if kind.startswith(("int_", "float_", "decimal_", "greater_than", "less_than")):
        return _("Please give a number in the allowed range.")
    if kind.startswith(("date", "datetime", "time")):
        return _("Please give a valid date.")
    if kind.startswith(("string_", "str_")):
        return _("Please give text of the allowed length.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind.startswith("bool"):
        return _("Please give true or false.")
    return _("This value is not valid.")


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's error bodies with problem details."""

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _location(error.get("loc", ())), "message": _validation_message(error)}
            for error in exc.errors
        ]
        return problem(422, _("Some of the input is not valid."), errors)

    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return problem(exc.status_code, exc.message, errors)

    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return problem(429, _("Too many requests. Please wait a moment and try again."))

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            401,
            exc.message
            if exc.message != "Unauthorized"
            else _("Please sign in or send a valid API token."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="innoclub"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja's own messages are English fragments ("Forbidden", "CSRF
        # check Failed", "Cannot parse request body"); ours are translated already.
        ours = not (
            exc.message in ("Forbidden", "Not Found") or exc.message.startswith(("CSRF", "Cannot"))
        )
        fallback = {
            400: _("The request could not be read."),
            403: _("You may not do this."),
        }
        detail = exc.message if ours else fallback.get(exc.status_code, _("Error"))
        return problem(exc.status_code, detail)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(404, _("There is nothing here, or you may not see it."))

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(403, str(exc) or _("You may not do this."))

    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(413, _("The request body is too large."))

    def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        messages = exc.messages
        errors = (
            [
                {"field": field, "message": message}
                for field, field_messages in exc.message_dict.items()
                for message in field_messages
            ]
            if hasattr(exc, "error_dict")
            else None
        )
        return problem(422, " ".join(messages), errors)

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ValidationError, validation),
        (Refused, refused),
        (Throttled, throttled),
        (AuthenticationError, unauthenticated),
        (HttpError, http_error),
        (Http404, not_found),
        (ObjectDoesNotExist, not_found),
        (PermissionDenied, forbidden),
        (RequestDataTooBig, too_big),
        (DjangoValidationError, invalid),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
