from django.urls import path

from innoclub.news.views import public, publications

app_name = "news"

urlpatterns = [
    path("aktuelles/", public.article_list, name="list"),
    path("aktuelles/feed/", public.feed, name="feed"),
    path("aktuelles/<slug:slug>/", public.article_detail, name="detail"),
    path("aktuelles/<slug:slug>/bild/", public.article_image, name="image"),
    path("publikationen/", publications.publication_list, name="publications"),
    path("publikationen/<slug:slug>/", publications.publication_detail, name="publication"),
    path(
        "publikationen/<slug:slug>/datei/", publications.publication_file, name="publication_file"
    ),
    path(
        "publikationen/<slug:slug>/titelbild/",
        publications.publication_cover,
        name="publication_cover",
    ),
]
