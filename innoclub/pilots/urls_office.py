"""The office's transfer overview under /geschaeftsstelle/transfer/."""

from django.urls import URLPattern

app_name = "transfer_office"

urlpatterns: list[URLPattern] = []
