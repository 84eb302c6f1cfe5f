from django.urls import path

from innoclub.api import views
from innoclub.api.api import urls

urlpatterns = [
    # Before the API's own patterns, which would answer anything under v1/ as JSON.
    path("v1/docs/", views.docs, name="api_docs"),
    path("v1/", urls()),
]
