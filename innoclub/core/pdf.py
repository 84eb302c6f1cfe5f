"""PDF documents rendered from HTML with WeasyPrint (name badges, fact sheets).

WeasyPrint fetches nothing: every image is a ``data:`` address and the fetcher
refuses anything else, so no text in a document can make the server request a
URL.
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponse
from django.utils.cache import patch_cache_control


def html_to_pdf(html: str, *, stylesheet: Path) -> bytes:
    """The PDF of ``html`` styled by the CSS file ``stylesheet``."""
    # Imported here: WeasyPrint takes half a second to load, which no other page should pay.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    css = CSS(string=stylesheet.read_text(encoding="utf-8"))
    return bytes(document.write_pdf(stylesheets=[css]))


def pdf_download(content: bytes, *, filename: str) -> HttpResponse:
    """A generated PDF as a download that no browser sniffs or caches."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
