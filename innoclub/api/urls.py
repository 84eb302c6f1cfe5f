from django.urls import path

from innoclub.api.api import api

urlpatterns = [
    path("v1/", api.urls),
]
