"""What every endpoint shares: pages with totals, whitelisted ordering, the
declared error responses and strict input schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer
from pydantic import BaseModel, ConfigDict, Field

from innoclub.api.problems import Problem
from innoclub.core import sections

T = TypeVar("T")
M = TypeVar("M", bound=Model)

MAX_LIMIT = 100


class Renderer(JSONRenderer):
    # German text as it is (ä, not \u00e4): shorter, and readable in a terminal.
    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


RENDERER = Renderer()


def cached_page(
    request: HttpRequest,
    name: str,
    schema: type[BaseModel],
    compute: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A list call's answer as JSON, built once per audience, address and
    language and then read from the cache until the data ``name`` changes
    (core/sections.py); ``compute()`` returns the page as ``page_of`` does
    and ``schema`` is the operation's response schema. The answer is the
    same as django-ninja would give for ``compute()``'s result."""

    def render() -> str:
        data = schema.model_validate(compute()).model_dump()
        return RENDERER.render(request, data, response_status=200)

    # The page's links to the next and previous page name the host and the query.
    address = sections.digest(request.build_absolute_uri())
    content = sections.cached(name, ("api", sections.audience(request.user), address), render)
    return HttpResponse(content, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")


class Input(Schema):
    """Base of every request body: unknown fields are refused (422)."""

    model_config = ConfigDict(extra="forbid")


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Items per page (1–100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class Page(Schema, Generic[T]):
    count: int = Field(description="All items that match, on every page.")
    limit: int
    offset: int
    next: str | None = Field(None, description="Address of the next page, if there is one.")
    previous: str | None = None
    items: list[T]


def _page_url(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(
    request: HttpRequest,
    queryset: QuerySet[M],
    page: PageParams,
    item: Callable[[M], Any] | None = None,
    items: Callable[[list[M]], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """One page of ``queryset`` (two queries: count and slice). ``item`` turns
    each object into its output; ``items`` does so for the whole page at once
    (to fetch related data for all of them in one query)."""
    count = queryset.count()
    rows = list(queryset[page.offset : page.offset + page.limit]) if page.offset < count else []
    if items is not None:
        out = list(items(rows))
    elif item is not None:
        out = [item(row) for row in rows]
    else:
        out = rows
    end = page.offset + page.limit
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "next": _page_url(request, end) if end < count else None,
        "previous": _page_url(request, max(page.offset - page.limit, 0)) if page.offset else None,
        "items": out,
    }


def ordered(queryset: QuerySet[M], ordering: str, fields: dict[str, str]) -> QuerySet[M]:
    """Order by one whitelisted public name (``title`` or ``-title``); ``fields``
    maps public names to model fields. The schema's ``Literal`` already refused
    anything else with 422, so an unknown name cannot reach the database."""
    descending = ordering.startswith("-")
    field = fields[ordering.lstrip("-")]
    return queryset.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")


# Every problem an operation can answer with (see innoclub.api.problems);
# django-ninja's own ``codes_4xx`` leaves out 413 and 422.
PROBLEM_CODES = frozenset({400, 401, 403, 404, 405, 409, 413, 415, 422, 429})


def responses(ok: Any, status: int = 200) -> dict[Any, Any]:
    """The declared responses of an operation: its result and problem details."""
    return {status: ok, PROBLEM_CODES: Problem}
