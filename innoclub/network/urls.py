from django.urls import path

from innoclub.network.views import people, places

app_name = "network"

urlpatterns = [
    path("mitglieder/", people.directory, name="directory"),
    path("mitglieder/export.csv", people.directory_export, name="directory_export"),
    path("mitglieder/<int:pk>/", people.profile_detail, name="profile"),
    path("mitglieder/<int:pk>/foto/", people.profile_photo, name="profile_photo"),
    path("konto/profil/", people.profile_edit, name="profile_edit"),
    path("kommunen/", places.municipality_list, name="municipalities"),
    path("kommunen/<str:ags>/", places.municipality_detail, name="municipality"),
    path("themen/", places.topic_list, name="topics"),
    path("themen/<slug:slug>/", places.topic_detail, name="topic"),
]
