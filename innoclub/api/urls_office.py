"""The office's exports under /geschaeftsstelle/exporte/: each as CSV and XLSX."""

from django.urls import path

from innoclub.api import views_data
from innoclub.api.exports import EXPORTS, FORMATS

app_name = "exports"

urlpatterns = [
    path("", views_data.exports_page, name="page"),
    *(
        path(
            f"{slug}.{fmt}",
            views_data.export_file,
            {"slug": slug, "fmt": fmt},
            name=f"{slug}_{fmt}",
        )
        for slug in EXPORTS
        for fmt in FORMATS
    ),
]
