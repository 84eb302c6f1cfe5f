from django.urls import path

from innoclub.news.views import site

app_name = "site"

urlpatterns = [
    path("robots.txt", site.robots_txt, name="robots"),
    path("sitemap.xml", site.sitemap_xml, name="sitemap"),
]
