"""A person's notifications from the idea forge, under /konto/benachrichtigungen/."""

from django.urls import path

from innoclub.ideas.views import notifications

app_name = "idea_notifications"

urlpatterns = [
    path("", notifications.notification_list, name="list"),
]
