"""Open data under /offene-daten/: stable addresses, one per dataset and format."""

from django.urls import path

from innoclub.api import views_data
from innoclub.api.opendata import DATASETS

app_name = "opendata"

urlpatterns = [
    path("", views_data.opendata_page, name="page"),
    *(
        path(
            f"{dataset}.{fmt}",
            views_data.opendata_file,
            {"dataset": dataset, "fmt": fmt},
            name=f"{dataset}_{fmt}",
        )
        for dataset in DATASETS
        for fmt in ("json", "csv")
    ),
]
