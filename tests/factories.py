from __future__ import annotations

import factory

from innoclub.accounts.models import Role, User
from innoclub.network.models import FederalState, Municipality

PASSWORD = "korrekt-Pferd-Batterie-42"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    state = FederalState.HE
    population = 42000
    latitude = 50.5
    longitude = 8.7


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(UserFactory):
    role = Role.MEMBER
    municipality = factory.SubFactory(MunicipalityFactory)


class GuestFactory(UserFactory):
    role = Role.GUEST


class StaffFactory(UserFactory):
    role = Role.STAFF
