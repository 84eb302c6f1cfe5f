"""The office's registrations and invitations of one event."""

from django.urls import URLPattern, path

from innoclub.events.views import office_registration as views

patterns: list[URLPattern] = [
    path("<slug:slug>/anmeldungen/", views.registrations, name="registrations"),
    path("<slug:slug>/anmeldungen/export.csv", views.registrations_csv, name="registrations_csv"),
    path("<slug:slug>/anmeldungen/plaetze/", views.capacity_change, name="capacity"),
    path(
        "<slug:slug>/anmeldungen/<int:pk>/bestaetigen/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "<slug:slug>/anmeldungen/<int:pk>/teilnahme/",
        views.registration_move,
        name="registration_move",
    ),
    path(
        "<slug:slug>/anmeldungen/<int:pk>/stornieren/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("<slug:slug>/einladungen/", views.invitations, name="invitations"),
]
