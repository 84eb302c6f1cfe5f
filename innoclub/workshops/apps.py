from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "innoclub.workshops"
    verbose_name = _("Workshop allocation")
