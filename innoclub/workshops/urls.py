"""A participant's workshop wishes and seats: /foren/<slug>/workshops/."""

from django.urls import path

from innoclub.workshops.views import participant

app_name = "workshops"

urlpatterns = [
    path("<slug:slug>/workshops/", participant.ranking, name="ranking"),
]
