from django.urls import path

from innoclub.core import metrics, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.legal_page, {"slug": "impressum"}, name="impressum"),
    path("datenschutz/", views.legal_page, {"slug": "datenschutz"}, name="datenschutz"),
    path("kontakt/", views.legal_page, {"slug": "kontakt"}, name="kontakt"),
    path("barrierefreiheit/", views.accessibility, name="barrierefreiheit"),
    path("barrierefreiheit/danke/", views.feedback_thanks, name="feedback_thanks"),
    path("sprache/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("metrics", metrics.metrics, name="metrics"),
    path("geschaeftsstelle/", views.office_home, name="office_home"),
    path(
        "geschaeftsstelle/rechtstexte/<slug:slug>/",
        views.legal_page_edit,
        name="legal_page_edit",
    ),
    path(
        "geschaeftsstelle/rueckmeldungen/<int:pk>/erledigt/",
        views.feedback_handled,
        name="feedback_handled",
    ),
]
