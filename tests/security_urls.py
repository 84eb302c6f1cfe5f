"""The site's URLs plus one view that fails, to see the 500 page as a visitor would."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from innoclub.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("kaputt/", broken), *urlpatterns]
