"""Pilot projects under /pilotprojekte/. Fixed paths come before ``<slug>/``."""


from innoclub.pilots.urls_adoption import adoption_patterns

app_name = "pilots"

urlpatterns = [
    *adoption_patterns,
]
