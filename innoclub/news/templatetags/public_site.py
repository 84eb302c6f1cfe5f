"""Addresses for sharing and search engines, built from SITE_URL (never the Host header)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    """This page's address without its query string, except the page number of a list."""
    request = context.get("request")
    if request is None:
        return absolute_url("/")
    url = absolute_url(request.path)
    page = request.GET.get("seite", "")
    if page.isdigit() and int(page) > 1:
        url += "?" + urlencode({"seite": int(page)})
    return url
