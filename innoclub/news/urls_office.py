from django.urls import path

from innoclub.news.views import office

app_name = "news_office"

urlpatterns = [
    path("", office.article_office_list, name="list"),
    path("neu/", office.article_create, name="create"),
    path("<int:pk>/", office.article_edit, name="edit"),
    path("<int:pk>/veroeffentlichen/", office.article_publish, name="publish"),
    path("<int:pk>/zurueckziehen/", office.article_unpublish, name="unpublish"),
]
