"""Schemathesis drives every API operation from its own OpenAPI schema.

For each operation it generates valid and invalid input (path, query, body)
and calls the application anonymously and with a member's read-and-write
token. Every answer must be free of server errors and conform to the schema:
status code declared, content type declared, body valid against its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from innoclub.api.api import api
from innoclub.api.tokens import token_create
from innoclub.wsgi import application
from tests.factories import (
    ArticleFactory,
    EventFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    PublicationFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import CommentFactory, IdeaFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

# Loaded from the API object, not over HTTP: at collection time the test
# environment (its allowed hosts) is not set up yet. Calls go to the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _keep_connection():
    """Calls go through the real WSGI handler, which closes the database
    connection after each request; Django's test client suspends that too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db, settings, _keep_connection):
    """A little of everything, so that generated ids and slugs sometimes hit."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.API_RATE_PER_ADDRESS = "100000/m"
    settings.API_RATE_PER_USER = "100000/m"
    cache.clear()
    town = MunicipalityFactory()
    member = MemberFactory(municipality=town)
    ProfileFactory(user=member)
    topic = TopicFactory()
    idea = IdeaFactory()
    idea.topics.add(topic)
    CommentFactory(idea=idea)
    pilot = PilotFactory()
    AdoptionFactory(pilot=pilot)
    event = EventFactory()
    SessionFactory(event=event)
    ArticleFactory()
    PublicationFactory()
    _token, plain = token_create(user=member, name="schemathesis", scope="write", days=30)
    return plain


@schema.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_anonymous_calls_conform_to_the_schema(case, api_world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_token_calls_conform_to_the_schema(case, api_world):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world}"}, checks=CHECKS)
