from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "innoclub.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from innoclub.core import sections
        from innoclub.events.models import (
            Event,
            EventInvitation,
            Registration,
            Session,
            SessionSpeaker,
            Speaker,
        )
        from innoclub.network.models import Topic

        # A forum's program is cached on these: as everyone but its participants
        # sees it, and for its participants per agenda (events/views/public.py).
        sections.watch("program", Event, Session, SessionSpeaker, Speaker, Topic)
        # Who may see which forum besides its level: a member's kept searches
        # (search/query.py) are kept on these.
        sections.watch("registrations", Registration, EventInvitation)
