"""A person's registration: /foren/<slug>/anmeldung/, its cancellation and the participants."""

from django.urls import URLPattern, path

from innoclub.events.views import registration

patterns: list[URLPattern] = [
    path("<slug:slug>/anmeldung/", registration.register, name="register"),
    path("<slug:slug>/anmeldung/stornieren/", registration.cancel, name="cancel"),
    path("<slug:slug>/teilnehmende/", registration.participants, name="participants"),
]
