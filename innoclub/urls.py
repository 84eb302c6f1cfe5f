from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.views.account import admin_login

admin.site.site_header = _("innoclub administration")
admin.site.site_title = "innoclub"
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("innoclub.core.urls")),
    path("konto/benachrichtigungen/", include("innoclub.ideas.urls_account")),
    path("konto/api-tokens/", include("innoclub.api.urls_account")),
    path("konto/", include("innoclub.accounts.urls")),
    path("geschaeftsstelle/konten/", include("innoclub.accounts.urls_office")),
    path("", include("innoclub.network.urls")),
    path("", include("innoclub.network.urls_recruitment")),
    path("geschaeftsstelle/statistik/", include("innoclub.network.urls_statistics")),
    path("", include("innoclub.news.urls")),
    path("geschaeftsstelle/aktuelles/", include("innoclub.news.urls_office")),
    path("", include("innoclub.news.urls_site")),
    path("foren/", include("innoclub.workshops.urls")),
    path("foren/", include("innoclub.events.urls")),
    path("geschaeftsstelle/foren/", include("innoclub.workshops.urls_office")),
    path("geschaeftsstelle/foren/", include("innoclub.events.urls_office")),
    path("ideen/", include("innoclub.ideas.urls")),
    path("geschaeftsstelle/ideen/", include("innoclub.ideas.urls_office")),
    path("pilotprojekte/", include("innoclub.pilots.urls")),
    path("transfer/", include("innoclub.pilots.urls_transfer")),
    path("suche/", include("innoclub.search.urls")),
    path("geschaeftsstelle/transfer/", include("innoclub.pilots.urls_office")),
    path("api/", include("innoclub.api.urls")),
    path("offene-daten/", include("innoclub.api.urls_opendata")),
    path("geschaeftsstelle/exporte/", include("innoclub.api.urls_office")),
    path("geschaeftsstelle/protokoll/", include("innoclub.audit.urls")),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

handler400 = "innoclub.core.views.bad_request"
handler403 = "innoclub.core.views.permission_denied"
handler404 = "innoclub.core.views.page_not_found"
handler500 = "innoclub.core.views.server_error"
