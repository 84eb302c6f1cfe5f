"""The audit log for the office under /geschaeftsstelle/protokoll/."""

from django.urls import path

from innoclub.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_log_csv, name="csv"),
]
