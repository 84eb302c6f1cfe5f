"""STUB: to be written (idea forge issue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from innoclub.core.access import Rule, access


@access(Rule.PUBLIC)
def notification_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError
