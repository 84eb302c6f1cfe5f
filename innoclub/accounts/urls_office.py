"""The club office's account pages under /geschaeftsstelle/konten/."""

from django.urls import path

from innoclub.accounts import views_erasure

app_name = "accounts_office"

urlpatterns = [
    path("<int:pk>/loeschen/", views_erasure.office_account_erase, name="erase"),
]
