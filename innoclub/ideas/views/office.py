"""STUB: to be written (idea forge issue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from innoclub.core.access import Rule, access


@access(Rule.PUBLIC)
def comment_hide(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def comment_restore(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def idea_move(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def evaluator_assign(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def pipeline(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


@access(Rule.PUBLIC)
def evaluation_overview(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError
