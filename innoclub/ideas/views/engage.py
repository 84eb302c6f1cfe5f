"""STUB: to be written (idea forge issue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from innoclub.core.access import Rule, access


@access(Rule.PUBLIC)
def comment_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def comment_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def support(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def interest(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def follow(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError
