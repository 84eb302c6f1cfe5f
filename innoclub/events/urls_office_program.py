"""The office's overview of all events and its program planning (/geschaeftsstelle/foren/…)."""

from django.urls import URLPattern, path

from innoclub.events.views import office_program

patterns: list[URLPattern] = [
    path("", office_program.event_list, name="list"),
    path("<slug:slug>/programm/", office_program.event_program, name="program"),
]
