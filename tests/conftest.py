"""Shared fixtures: the four personas every test speaks of, and a client for each."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from innoclub.accounts.models import User
from tests.factories import PASSWORD, GuestFactory, MemberFactory, StaffFactory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that commits (``transaction=True``) restores the database by
    serialisation, as the browser tests do.

    Django empties the tables after such a test. Without ``serialized_rollback``
    it then re-creates content types and permissions, and the next test with
    ``serialized_rollback`` would load its saved copy of them on top: a
    duplicate key, depending only on which tests one process happened to run
    in which order. With it, the tables stay empty until the next test loads
    the saved copy.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = {**marker.kwargs, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests; one e-mail test uses the real worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "email"],
        }
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached sections (core/sections.py) and
    rendered texts of one test must not be what another test reads."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests hash hundreds of passwords.

    ``tests/test_accounts_login.py`` checks that the real settings use Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request):
    """The audit log refuses DELETE (``innoclub/audit/triggers.py``), but Django
    empties SQLite's tables with DELETE after each transactional test. Such a
    test drops the triggers at its end, just before that flush; every test
    that uses the database finds them in place (PostgreSQL flushes with
    TRUNCATE, which the row triggers do not see)."""
    uses_db = request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("db")  # set up first, so torn down (flushed) after this
    from django.db import connection

    from innoclub.audit import triggers

    if connection.vendor != "sqlite":
        yield
        return
    triggers.install(connection)
    yield
    if not connection.in_atomic_block:
        triggers.remove(connection)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def member(db):
    return MemberFactory(email="mitglied@example.org", first_name="Thomas", last_name="Berger")


@pytest.fixture
def guest(db):
    return GuestFactory(email="gast@example.org", first_name="Miriam", last_name="Yilmaz")


@pytest.fixture
def staff(db):
    return StaffFactory(email="office@example.org", first_name="Katrin", last_name="Albers")


def login_client(user: User) -> Client:
    """A client logged in as ``user``, with a verified second factor for staff."""
    client = Client()
    client.force_login(user)
    if user.is_staff:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def member_client(member) -> Client:
    return login_client(member)


@pytest.fixture
def guest_client(guest) -> Client:
    return login_client(guest)


@pytest.fixture
def staff_client(staff) -> Client:
    return login_client(staff)


@pytest.fixture
def anon_client() -> Client:
    return Client()
