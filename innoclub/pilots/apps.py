from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "innoclub.pilots"
    verbose_name = _("Pilot projects")

    def ready(self) -> None:
        from innoclub.core import sections
        from innoclub.network.models import Municipality, Topic
        from innoclub.pilots.models import (
            Adoption,
            AdoptionStateChange,
            PilotParticipant,
            PilotProject,
        )

        # The transfer pages' figures and the start page's pilots are cached on these.
        sections.watch(
            "pilots",
            PilotProject,
            PilotParticipant,
            Adoption,
            AdoptionStateChange,
            Municipality,
            Topic,
        )
