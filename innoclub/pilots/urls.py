"""Pilot projects under /pilotprojekte/. Fixed paths come before ``<slug>/``
(``services.RESERVED_SLUGS`` keeps a pilot from taking their names)."""

from django.urls import path

from innoclub.pilots.urls_adoption import adoption_patterns
from innoclub.pilots.views import browse, detail, documents, edit

app_name = "pilots"

urlpatterns = [
    path("", browse.pilot_list, name="list"),
    path("neu/", edit.pilot_create, name="create"),
    path("<slug:slug>/", detail.pilot_detail, name="detail"),
    path("<slug:slug>/steckbrief.pdf", detail.pilot_factsheet, name="factsheet"),
    path("<slug:slug>/bearbeiten/", edit.pilot_edit, name="edit"),
    path("<slug:slug>/bearbeiten/beteiligte/", edit.participants_edit, name="participants"),
    path("<slug:slug>/bearbeiten/meilensteine/", edit.milestones_edit, name="milestones"),
    path("<slug:slug>/bearbeiten/finanzierung/", edit.funding_edit, name="funding"),
    path("<slug:slug>/bearbeiten/indikatoren/", edit.indicators_edit, name="indicators"),
    path("<slug:slug>/dokumente/neu/", documents.document_create, name="document_create"),
    path("<slug:slug>/dokumente/<int:document_id>/", documents.document_detail, name="document"),
    path(
        "<slug:slug>/dokumente/<int:document_id>/neue-version/",
        documents.version_create,
        name="version_create",
    ),
    path(
        "<slug:slug>/dokumente/<int:document_id>/datei/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<slug:slug>/dokumente/<int:document_id>/v<int:number>/",
        documents.version_download,
        name="version_download",
    ),
    *adoption_patterns,
]
