"""The office's workshop allocation: /geschaeftsstelle/foren/<slug>/workshops/…"""

from django.urls import path

from innoclub.workshops.views import office

app_name = "workshops_office"

urlpatterns = [
    path("<slug:slug>/workshops/", office.overview, name="overview"),
    path("<slug:slug>/workshops/einstellungen/", office.setup, name="setup"),
    path("<slug:slug>/workshops/berechnen/", office.compute, name="compute"),
    path("<slug:slug>/workshops/umsetzen/", office.move, name="move"),
    path("<slug:slug>/workshops/festlegen/<int:pk>/", office.lock, name="lock"),
    path("<slug:slug>/workshops/veroeffentlichen/", office.publish, name="publish"),
    path("<slug:slug>/workshops/nachruecken/", office.place_late, name="place_late"),
]
