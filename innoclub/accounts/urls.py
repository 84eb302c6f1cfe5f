from django.urls import path

from innoclub.accounts.views import account, erasure, personal_data

app_name = "accounts"

urlpatterns = [
    path("", account.account, name="account"),
    path("anmelden/", account.login_view, name="login"),
    path("anmelden/bestaetigen/", account.login_verify, name="login_verify"),
    path("abmelden/", account.logout_view, name="logout"),
    path("zwei-faktor/", account.two_factor, name="two_factor"),
    path("zwei-faktor/ausschalten/", account.two_factor_disable, name="two_factor_disable"),
    path("passwort-aendern/", account.password_change, name="password_change"),
    path("passwort-aendern/fertig/", account.password_change_done, name="password_change_done"),
    path("passwort-vergessen/", account.password_reset, name="password_reset"),
    path("passwort-vergessen/gesendet/", account.password_reset_done, name="password_reset_done"),
    path(
        "passwort-neu/<uidb64>/<token>/",
        account.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("passwort-neu/fertig/", account.password_reset_complete, name="password_reset_complete"),
    path("loeschen/", erasure.account_erase_view, name="erase"),
    path("geloescht/", erasure.account_erased, name="erased"),
    path("datenexport/", personal_data.data_export_request, name="data_export_request"),
    path(
        "datenexport/<str:token>/",
        personal_data.data_export_download,
        name="data_export_download",
    ),
]
