"""The office on site and after the forum: check-in, badges, documentation, survey results."""

from django.urls import URLPattern, path

from innoclub.events.views import documentation, feedback, onsite

patterns: list[URLPattern] = [
    path("<slug:slug>/check-in/", onsite.checkin, name="checkin"),
    path("<slug:slug>/check-in/<int:pk>/", onsite.checkin_toggle, name="checkin_toggle"),
    path("<slug:slug>/check-in/code/<uuid:code>/", onsite.checkin_code, name="checkin_code"),
    path("<slug:slug>/namensschilder.pdf", onsite.badges, name="badges"),
    path(
        "<slug:slug>/programm/<slug:session_slug>/dokumentation/",
        documentation.office_documentation,
        name="documentation",
    ),
    path(
        "<slug:slug>/programm/<slug:session_slug>/dokumentation/dateien/<int:pk>/loeschen/",
        documentation.office_file_delete,
        name="documentation_file_delete",
    ),
    path("<slug:slug>/feedback/", feedback.office_results, name="feedback"),
]
