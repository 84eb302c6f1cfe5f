"""No workshop overfills: late registrants and the office's moves race for the last
seats at the same time. Runs on the configured database with one connection per
thread, so the lock on the allocation row is what keeps the count right."""

from __future__ import annotations

import pytest
from django.utils import timezone

from innoclub.workshops import services
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.models import Placement
from tests.factories import RegistrationFactory
from tests.test_events_concurrency import _run_in_threads
from tests.workshops_factories import WorkshopAllocationFactory, workshop_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_late_placements_and_moves_never_overfill_a_workshop():
    event, grid = workshop_event(slots=1, per_slot=2, capacity=4)
    allocation = WorkshopAllocationFactory(event=event, published_at=timezone.now())
    wanted, other = grid[0]
    late = [RegistrationFactory(event=event) for _ in range(12)]
    movers, rankers = late[:6], late[6:]

    def act(registration) -> None:
        try:
            if registration in movers:
                services.placement_move(
                    allocation=allocation, registration=registration, session=wanted
                )
            else:
                services.choices_save(
                    allocation=allocation,
                    registration=registration,
                    choices={"z1": [wanted.pk, other.pk]},
                )
        except AllocationError:
            pass  # "full" is the expected answer for most of them

    errors = _run_in_threads(late, act)

    assert errors == []
    assert Placement.objects.filter(session=wanted).count() == 4
    assert Placement.objects.filter(session=other).count() <= 4
    # Nobody holds two seats in the one slot, and nobody who ranked is left out while
    # their second wish has room.
    per_person = [Placement.objects.filter(registration=r).count() for r in late]
    assert max(per_person) == 1
    if Placement.objects.filter(session=other).count() < 4:
        assert all(Placement.objects.filter(registration=r).exists() for r in rankers)
