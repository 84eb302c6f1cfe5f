"""STUB: to be written (idea forge issue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from innoclub.core.access import Rule, access


@access(Rule.PUBLIC)
def idea_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def similar_ideas(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def idea_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def attachment_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def attachment_download(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def attachment_delete(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError
