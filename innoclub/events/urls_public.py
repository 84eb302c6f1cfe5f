"""Forums, their program, sessions and speakers for everyone (/foren/…)."""

from django.urls import URLPattern, path

from innoclub.events.views import public

patterns: list[URLPattern] = [
    path("", public.event_list, name="list"),
    path("referierende/<slug:slug>/", public.speaker_detail, name="speaker"),
    path("referierende/<slug:slug>/foto/", public.speaker_photo, name="speaker_photo"),
    path("<slug:slug>/", public.event_detail, name="detail"),
    path("<slug:slug>/programm/<slug:session_slug>/", public.session_detail, name="session"),
    path(
        "<slug:slug>/programm/<slug:session_slug>/agenda/",
        public.agenda_toggle,
        name="agenda_toggle",
    ),
]
