from django.contrib import admin

from innoclub.network.models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ("name", "state", "population")
    list_filter = ("state",)
    search_fields = ("name",)
