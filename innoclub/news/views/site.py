"""robots.txt and sitemap.xml: how search engines find the public pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.news.sitemaps import SITEMAPS

# Members' areas, the office and personal links stay out of search engines
# (they need a login anyway; this keeps crawlers from knocking).
ROBOTS_DISALLOW = ["/mitglieder/", "/konto/", "/geschaeftsstelle/", "/admin/", "/einladung/"]


@access(Rule.PUBLIC)
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {settings.SITE_URL.rstrip('/')}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@access(Rule.PUBLIC)
@require_safe
def sitemap_xml(request: HttpRequest) -> TemplateResponse:
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)
