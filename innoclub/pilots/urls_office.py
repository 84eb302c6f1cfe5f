"""The office's transfer overview under /geschaeftsstelle/transfer/."""

from django.urls import path

from innoclub.pilots.views import transfer

app_name = "transfer_office"

urlpatterns = [
    path("", transfer.office_overview, name="overview"),
]
