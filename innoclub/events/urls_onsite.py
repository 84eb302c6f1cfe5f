"""URL patterns, joined in urls.py / urls_office.py."""

from django.urls import URLPattern

patterns: list[URLPattern] = []
