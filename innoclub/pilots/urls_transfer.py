"""The transfer views under /transfer/."""

from django.urls import path

from innoclub.pilots.views import transfer

app_name = "transfer"

urlpatterns = [
    path("", transfer.overview, name="overview"),
    path("wer-hat-das-schon-gemacht/", transfer.finder, name="finder"),
]
