"""The search page and the header's suggestions under /suche/."""

from django.urls import path

from innoclub.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("vorschlaege/", views.search_suggestions, name="suggest"),
]
