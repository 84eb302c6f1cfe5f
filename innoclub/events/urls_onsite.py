"""Calendars, the participant's QR code, documentation files and the survey under /foren/.

Fixed paths (``kalender/``) come before the event slug patterns of urls_public.
"""

from django.urls import URLPattern, path

from innoclub.events.views import calendars, documentation, feedback, onsite

patterns: list[URLPattern] = [
    path("kalender/", calendars.calendar_page, name="calendar"),
    # The kwarg is called ``token`` so that the request log masks it.
    path("kalender/<str:token>.ics", calendars.personal_feed, name="feed"),
    path("<slug:slug>/programm.ics", calendars.program_calendar, name="program_ics"),
    path("<slug:slug>/anmeldung/qr.svg", onsite.registration_qr, name="qr"),
    path(
        "<slug:slug>/programm/<slug:session_slug>/dateien/<int:pk>/",
        documentation.file_download,
        name="file",
    ),
    path("<slug:slug>/feedback/", feedback.survey, name="feedback"),
]
