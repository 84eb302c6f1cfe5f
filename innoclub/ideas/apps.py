from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "innoclub.ideas"
    verbose_name = _("Idea forge")

    def ready(self) -> None:
        from innoclub.accounts.models import User
        from innoclub.core import sections
        from innoclub.events.models import Event, Session
        from innoclub.ideas.models import (
            Comment,
            EvaluationAssignment,
            Follow,
            Idea,
            IdeaAttachment,
            IdeaGroup,
            PilotInterest,
            StageChange,
            Support,
        )
        from innoclub.network.models import Municipality, Profile, Topic

        # The idea list's results, the discussions and the idea pages are cached
        # on these: the ideas with their topics, authors, history, files and
        # the municipalities that would take part, who may see them (groups,
        # evaluators, roles), the counts on their cards, the names they show
        # and how (a profile's sharing choices).
        # The counters are raised with UPDATE and say so themselves
        # (ideas/engagement.py).
        sections.watch(
            "ideas",
            Idea,
            StageChange,
            IdeaAttachment,
            PilotInterest,
            Comment,
            Support,
            IdeaGroup,
            EvaluationAssignment,
            User,
            Profile,
            Municipality,
            Topic,
            Session,
            Event,
        )
        # Whether a person follows an idea shows only on that idea's page.
        sections.watch("follows", Follow)
