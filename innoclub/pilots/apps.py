from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "innoclub.pilots"
    verbose_name = _("Pilot projects")
