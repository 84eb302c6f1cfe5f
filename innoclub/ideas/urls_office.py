"""The club office's idea pages under /geschaeftsstelle/ideen/."""

from django.urls import path

from innoclub.ideas.views import office

app_name = "ideas_office"

urlpatterns = [
    path("", office.pipeline, name="pipeline"),
    path("bewertung/", office.evaluation_overview, name="evaluations"),
]
