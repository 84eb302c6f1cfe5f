from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "innoclub.pilots"
    verbose_name = _("Pilot projects")

    def ready(self) -> None:
        from innoclub.accounts.models import User
        from innoclub.core import sections
        from innoclub.network.models import Municipality, Profile, Topic
        from innoclub.pilots.models import (
            Adoption,
            AdoptionStateChange,
            DocumentVersion,
            FundingSource,
            Indicator,
            Milestone,
            PilotDocument,
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
        # A pilot's page is cached on those, on these parts of it and the people
        # it names as contacts, and on the ideas of its chain (pilots/views/detail.py).
        sections.watch(
            "pilot-pages",
            Milestone,
            FundingSource,
            PilotDocument,
            DocumentVersion,
            Indicator,
            User,
            Profile,
        )
