from django.urls import path

from innoclub.network.views import statistics

app_name = "statistics"

urlpatterns = [
    path("", statistics.statistics_page, name="page"),
    path("<slug:table>.csv", statistics.statistics_csv, name="csv"),
]
