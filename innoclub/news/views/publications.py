"""Publications: list, detail, cover image and the PDF as a download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from innoclub.core.access import Rule, access
from innoclub.core.images import image_response
from innoclub.news import selectors


@access(Rule.PUBLIC)
@require_safe
def publication_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "news/publication_list.html", {"publications": selectors.publication_list()}
    )


@access(Rule.PUBLIC)
@require_safe
def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = selectors.publication_get(slug=slug)
    return render(request, "news/publication_detail.html", {"publication": publication})


@access(Rule.PUBLIC)
@require_safe
def publication_file(request: HttpRequest, slug: str) -> FileResponse:
    """The PDF as a download: never shown inline, never sniffed as something else."""
    publication = selectors.publication_files_get(slug=slug)
    if not publication.file:
        raise Http404
    response = FileResponse(
        publication.file.open("rb"),
        as_attachment=True,
        filename=f"{publication.slug}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@access(Rule.PUBLIC)
@require_safe
def publication_cover(request: HttpRequest, slug: str) -> FileResponse:
    publication = selectors.publication_files_get(slug=slug)
    if not publication.cover:
        raise Http404
    return image_response(publication.cover, public=True)
