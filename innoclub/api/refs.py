"""What several resources share: checked identifiers from the caller, and the
short references by which one resource names another.

Identifiers and search text are checked before they reach the database:
PostgreSQL fails on a NUL character and both databases on an id beyond 64 bits
(each a 500); such input is invalid (422) instead. A reference schema is
defined once: two schema classes of the same name would silently replace each
other in the OpenAPI document (tests/test_api_access.py checks the names).
"""

from __future__ import annotations

from typing import Annotated

from django.urls import reverse
from ninja import Path, Schema
from pydantic import Field

from innoclub.network.models import Municipality, Topic
from innoclub.pilots.models import PilotProject

ID_MAX = 2**63 - 1
SLUG = r"^[-a-zA-Z0-9_]*$"
TEXT = r"^[^\x00]*$"
Id = Annotated[int, Path(ge=1, le=ID_MAX)]
Slug = Annotated[str, Path(max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")]
Text = Annotated[str, Field(pattern=TEXT)]


class TopicRef(Schema):
    """A topic named by another resource."""

    slug: str
    name: str
    url: str


def topic_ref(topic: Topic) -> TopicRef:
    return TopicRef(
        slug=topic.slug, name=topic.name, url=reverse("network:topic", args=[topic.slug])
    )


class MunicipalityRef(Schema):
    """A municipality named by another resource."""

    ags: str = Field(description="Amtlicher Gemeindeschlüssel")
    name: str
    state: str = Field(description="Bundesland: the two digits the AGS begins with (09 = Bayern)")
    url: str


def municipality_ref(municipality: Municipality) -> MunicipalityRef:
    return MunicipalityRef(
        ags=municipality.ags,
        name=municipality.name,
        state=municipality.state,
        url=reverse("network:municipality", args=[municipality.ags]),
    )


class PilotRef(Schema):
    """A pilot project named by another resource."""

    slug: str
    title: str
    url: str


def pilot_ref(pilot: PilotProject) -> PilotRef:
    return PilotRef(
        slug=pilot.slug, title=pilot.title, url=reverse("pilots:detail", args=[pilot.slug])
    )


class PersonOut(Schema):
    name: str
    url: str = Field(description="Profile page, empty when the caller may not open it")
