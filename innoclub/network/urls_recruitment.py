"""Recruitment of new members, included at the site root (full paths here)."""

from django.urls import path

from innoclub.network.views import recruitment

app_name = "recruitment"

urlpatterns = [
    path("mitglieder/vorschlagen/", recruitment.nominate, name="nominate"),
    path("mitglieder/vorschlaege/", recruitment.my_nominations, name="my_nominations"),
    path("geschaeftsstelle/aufnahme/", recruitment.pipeline, name="pipeline"),
    path("geschaeftsstelle/aufnahme/<int:pk>/", recruitment.review, name="review"),
    path(
        "geschaeftsstelle/aufnahme/<int:pk>/annehmen/",
        recruitment.accept_nomination,
        name="accept_nomination",
    ),
    path(
        "geschaeftsstelle/aufnahme/<int:pk>/ablehnen/",
        recruitment.decline_nomination,
        name="decline_nomination",
    ),
    path(
        "geschaeftsstelle/aufnahme/<int:pk>/einladung-senden/",
        recruitment.invitation_send,
        name="invitation_send",
    ),
    path(
        "geschaeftsstelle/aufnahme/<int:pk>/einladung-erneut-senden/",
        recruitment.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "geschaeftsstelle/aufnahme/<int:pk>/einladung-zurueckziehen/",
        recruitment.invitation_revoke,
        name="invitation_revoke",
    ),
    path("einladung/<str:token>/", recruitment.accept, name="accept"),
]
