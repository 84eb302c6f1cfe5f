from django.urls import path

from innoclub.accounts import views, views_erasure, views_personal_data

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("anmelden/", views.login_view, name="login"),
    path("anmelden/bestaetigen/", views.login_verify, name="login_verify"),
    path("abmelden/", views.logout_view, name="logout"),
    path("zwei-faktor/", views.two_factor, name="two_factor"),
    path("zwei-faktor/ausschalten/", views.two_factor_disable, name="two_factor_disable"),
    path("passwort-aendern/", views.password_change, name="password_change"),
    path("passwort-aendern/fertig/", views.password_change_done, name="password_change_done"),
    path("passwort-vergessen/", views.password_reset, name="password_reset"),
    path("passwort-vergessen/gesendet/", views.password_reset_done, name="password_reset_done"),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("passwort-neu/fertig/", views.password_reset_complete, name="password_reset_complete"),
    path("loeschen/", views_erasure.account_erase_view, name="erase"),
    path("geloescht/", views_erasure.account_erased, name="erased"),
    path("datenexport/", views_personal_data.data_export_request, name="data_export_request"),
    path(
        "datenexport/<str:token>/",
        views_personal_data.data_export_download,
        name="data_export_download",
    ),
]
