"""The club office's account pages under /geschaeftsstelle/konten/."""

from django.urls import path

from innoclub.accounts.views import erasure

app_name = "accounts_office"

urlpatterns = [
    path("<int:pk>/loeschen/", erasure.office_account_erase, name="erase"),
]
