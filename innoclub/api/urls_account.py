"""The account's API tokens, under /konto/api-tokens/."""

from django.urls import path

from innoclub.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/widerrufen/", views.token_revoke_view, name="revoke"),
]
