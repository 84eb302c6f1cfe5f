"""Factories for the program tests (h1): speakers in sessions."""

from __future__ import annotations

import factory

from innoclub.events.models import SessionSpeaker, SpeakerRole
from tests.factories import SessionFactory, SpeakerFactory


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    role = SpeakerRole.SPEAKER
