from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "innoclub.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from innoclub.accounts.models import User
        from innoclub.core import sections
        from innoclub.network.models import Municipality, Profile, Topic

        # The directory's results are cached on these: people, their profiles
        # with topics, and the names of their municipalities and topics.
        sections.watch("people", User, Profile, Municipality, Topic)
