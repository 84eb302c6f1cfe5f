"""The demo dataset: idempotent, demo mode only, real places."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.api.models import ApiToken
from innoclub.audit.models import Action, AuditEvent
from innoclub.network.models import (
    FederalState,
    Municipality,
    Nomination,
    NominationState,
    Profile,
    Topic,
)

pytestmark = pytest.mark.django_db


def test_seed_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="INNOCLUB_DEMO_MODE"):
        call_command("seed_demo")

    assert User.objects.count() == 0


def test_seed_twice_gives_the_same_data(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), Municipality.objects.count())

    call_command("seed_demo", verbosity=0)

    assert (User.objects.count(), Municipality.objects.count()) == counts
    assert (
        User.objects.filter(
            email__in=[
                "geschaeftsstelle@demo.innoclub.de",
                "mitglied@demo.innoclub.de",
                "gast@demo.innoclub.de",
            ]
        ).count()
        == 3
    )
    # The demo member's API tokens show every state, once.
    now = timezone.now()
    tokens = ApiToken.objects.filter(user__email="mitglied@demo.innoclub.de")
    assert sorted(
        "revoked" if t.revoked_at else "expired" if t.expires_at <= now else "active"
        for t in tokens
    ) == ["active", "expired", "revoked"]


def test_the_demo_audit_log_shows_every_kind_of_entry_once(settings, staff_client):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    entries = AuditEvent.objects.count()
    call_command("seed_demo", verbosity=0)

    assert AuditEvent.objects.count() == entries
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        Action.LOGIN,
        Action.LOGOUT,
        Action.LOGIN_FAILED,
        Action.LOCKOUT,
        Action.STAGE_CHANGED,
        Action.REGISTRATION_OVERRIDDEN,
        Action.EXPORT,
        Action.PERSONAL_DATA_EXPORTED,
    }
    # Only addresses reserved for documentation (RFC 5737); the test's own login aside.
    demo = AuditEvent.objects.exclude(actor_label="office@example.org")
    networks = {
        str(address).rsplit(".", 1)[0] for address in demo.values_list("ip_address", flat=True)
    }
    assert networks == {"192.0.2", "198.51.100", "203.0.113"}
    lockout = staff_client.get("/geschaeftsstelle/protokoll/?aktion=lockout").content.decode()
    assert "mitglied@demo.innoclub.de" in lockout
    assert "nach 5 Fehlversuchen" in lockout


def test_demo_places_are_real_municipalities_in_every_state(settings):
    call_command("seed_demo", force=True, verbosity=0)
    places = Municipality.objects.all()

    assert {p.state for p in places} == set(FederalState.values)
    munich = places.get(name="München")
    assert (munich.state, munich.population > 1_000_000) == (FederalState.BY, True)
    assert places.get(name="Berlin").state == FederalState.BE
    assert places.get(ags="09162000").name == "München"
    assert places.get(ags="05382").kind == "landkreis"
    assert not places.filter(name__in=["Neukölln", "Altona", "Munich", "Nippes"]).exists()
    for place in places:
        place.full_clean()  # every key is well-formed and lies in its Land


def test_demo_accounts_log_in_with_the_published_password(settings):
    settings.DEMO_MODE = True
    settings.INNOCLUB_REQUIRE_STAFF_2FA = False
    call_command("seed_demo", verbosity=0)

    roles = {}
    for email in ("geschaeftsstelle", "mitglied", "gast"):
        client = Client()
        response = client.post(
            "/konto/anmelden/",
            {"username": f"{email}@demo.innoclub.de", "password": "innoclub-demo"},
        )
        assert response.status_code == 302
        roles[email] = client.get("/konto/").context["user"].role

    assert roles == {"geschaeftsstelle": Role.STAFF, "mitglied": Role.MEMBER, "gast": Role.GUEST}
    assert User.objects.get(email="mitglied@demo.innoclub.de").municipality.name == "Heidelberg"


def test_demo_network_is_realistic(settings):
    call_command("seed_demo", force=True, verbosity=0)

    members = Profile.objects.filter(user__role=Role.MEMBER)
    current = members.filter(user__is_active=True, left_on__isnull=True)
    founding = members.filter(member_since__year=2004)

    assert 110 <= current.count() <= 130
    assert founding.count() == 35
    assert {p.user.municipality.state for p in current.select_related("user__municipality")} == set(
        FederalState.values
    )
    assert Profile.objects.filter(user__role=Role.GUEST).count() == 12
    assert 10 <= Topic.objects.count() <= 14
    assert set(Nomination.objects.values_list("state", flat=True)) == set(NominationState.values)
