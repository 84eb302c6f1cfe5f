"""Seed the demo dataset. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from innoclub.accounts.models import Role, User
from innoclub.accounts.services import user_create
from innoclub.api.demo import seed_tokens
from innoclub.audit.demo import seed_audit
from innoclub.core import demo_mode, sections
from innoclub.core.models import LegalPage
from innoclub.events.demo import seed_events
from innoclub.ideas.demo import seed_ideas
from innoclub.network.demo import seed_municipalities
from innoclub.network.demo_people import seed_people
from innoclub.network.models import Municipality
from innoclub.news.demo import seed_news
from innoclub.pilots.demo import seed_pilots
from innoclub.search import index as search_index
from innoclub.workshops.demo import seed_workshops

DEMO_PASSWORD = "innoclub-demo"  # noqa: S105 - published in PRODUCT.md, demo mode only


class DemoUser(TypedDict):
    email: str
    first_name: str
    last_name: str
    role: Role
    municipality: str | None


DEMO_USERS: list[DemoUser] = [
    {
        "email": "geschaeftsstelle@demo.innoclub.de",
        "first_name": "Katrin",
        "last_name": "Albers",
        "role": Role.STAFF,
        "municipality": None,
    },
    {
        "email": "mitglied@demo.innoclub.de",
        "first_name": "Thomas",
        "last_name": "Berger",
        "role": Role.MEMBER,
        "municipality": "Heidelberg",
    },
    {
        "email": "gast@demo.innoclub.de",
        "first_name": "Dr. Miriam",
        "last_name": "Yilmaz",
        "role": Role.GUEST,
        "municipality": None,
    },
]

DEMO_IMPRESSUM = """\
## Angaben gemäß § 5 DDG

**Innovators Club – Geschäftsstelle** (Demo)
Musterstraße 1
10115 Berlin

Dies ist eine Demonstration. Alle Personen, Kommunen-Zuordnungen und Inhalte sind erfunden.

## Kontakt

E-Mail: geschaeftsstelle@demo.innoclub.de
"""

DEMO_KONTAKT = """\
**Geschäftsstelle des Innovators Club** (Demo)
Musterstraße 1, 10115 Berlin

E-Mail: geschaeftsstelle@demo.innoclub.de
Telefon: 030 123456-0 (Montag bis Donnerstag, 9 bis 16 Uhr)

Sie möchten Mitglied werden? Neue Mitglieder kommen auf Vorschlag eines Mitglieds in den Club.
Schreiben Sie uns gern, wenn Sie den Club kennenlernen möchten.
"""


class Command(BaseCommand):
    help = "Create the demo accounts and a realistic dataset (demo mode only, idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        demo_mode.add_force_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        demo_mode.refuse_outside_demo_mode(what="Demo data", force=options["force"])
        # The seeds write in bulk, past the model signals: the index is built once at the end.
        with transaction.atomic(), search_index.paused():
            created, updated = seed_municipalities()
            self.stdout.write(f"Municipalities: {created} created, {updated} updated.")
            users = self._seed_users()
            self.stdout.write(f"Demo accounts: {users} created.")
            people = seed_people(
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
                demo_guest=User.objects.get(email="gast@demo.innoclub.de"),
            )
            self.stdout.write(f"Members and partners: {people} created.")
            self._seed_legal_pages()
            articles, publications = seed_news(
                author=User.objects.get(email="geschaeftsstelle@demo.innoclub.de")
            )
            self.stdout.write(f"News: {articles} articles, {publications} publications created.")
            events = seed_events(
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
                demo_guest=User.objects.get(email="gast@demo.innoclub.de"),
            )
            self.stdout.write(f"Events: {events} created.")
            allocations = seed_workshops(
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
                staff=User.objects.get(email="geschaeftsstelle@demo.innoclub.de"),
            )
            self.stdout.write(f"Workshop allocations: {allocations} created.")
            ideas = seed_ideas(
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
                demo_guest=User.objects.get(email="gast@demo.innoclub.de"),
                staff=User.objects.get(email="geschaeftsstelle@demo.innoclub.de"),
            )
            self.stdout.write(f"Ideas: {ideas} created.")
            pilots, adoptions = seed_pilots(
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
                staff=User.objects.get(email="geschaeftsstelle@demo.innoclub.de"),
            )
            self.stdout.write(f"Pilot projects: {pilots} filled in, {adoptions} adoptions created.")
            tokens = seed_tokens(demo_member=User.objects.get(email="mitglied@demo.innoclub.de"))
            self.stdout.write(f"API tokens: {tokens} created.")
            entries = seed_audit(
                staff=User.objects.get(email="geschaeftsstelle@demo.innoclub.de"),
                demo_member=User.objects.get(email="mitglied@demo.innoclub.de"),
            )
            self.stdout.write(f"Audit log: {entries} entries created.")
            documents = sum(search_index.rebuild().values())
            self.stdout.write(f"Search index: {documents} documents.")
            # Bulk writes send no signals: cached sections must not outlive the new data.
            sections.changed_all()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _seed_users(self) -> int:
        created = 0
        for spec in DEMO_USERS:
            if User.objects.filter(email=spec["email"]).exists():
                continue
            municipality = (
                Municipality.objects.filter(name=spec["municipality"]).first()
                if spec["municipality"]
                else None
            )
            user_create(
                email=spec["email"],
                password=DEMO_PASSWORD,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                role=spec["role"],
                municipality=municipality,
            )
            created += 1
        return created

    def _seed_legal_pages(self) -> None:
        # Only pages nobody has edited yet get the demo operator's details.
        for slug, body in (("impressum", DEMO_IMPRESSUM), ("kontakt", DEMO_KONTAKT)):
            LegalPage.objects.filter(slug=slug, updated_by__isnull=True).update(body=body)
