"""Compute an event's workshop allocation from the command line and print the
rank distribution next to first come, first served."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.events.models import Event
from innoclub.workshops import services
from innoclub.workshops.compute import Run, allocation_compute
from innoclub.workshops.errors import AllocationError
from innoclub.workshops.models import WorkshopAllocation

REASONS = {
    "slot_full": "fewer places than participants in this slot",
    "no_fitting_seat": "every free place is a workshop the person already attends",
}


class Command(BaseCommand):
    help = (
        "Compute the workshop allocation of an event as a preview (stored unless --dry-run) "
        "and print how many people got their 1st, 2nd, … choice, next to first come, first "
        "served. --publish publishes the stored preview and e-mails the participants."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event", help="The event's short name (slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Compute and print; store nothing."
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Break ties with this seed (default: stored)."
        )
        parser.add_argument(
            "--publish",
            metavar="STAFF_EMAIL",
            default=None,
            help="After computing, publish in the name of this staff account.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"No event with the short name {options['event']!r}.")
        allocation = WorkshopAllocation.objects.filter(event=event).first()
        if allocation is None:
            raise CommandError(f"{event.title} has no workshop allocation; set it up first.")
        if options["seed"] is not None and options["seed"] < 0:
            raise CommandError("The seed must be 0 or more.")
        publisher = None
        if options["publish"]:
            if options["dry_run"]:
                raise CommandError("--dry-run and --publish exclude each other.")
            publisher = User.objects.filter(
                email=options["publish"], role=Role.STAFF, is_active=True
            ).first()
            if publisher is None:
                raise CommandError(f"No staff account {options['publish']!r}.")
        try:
            if options["dry_run"]:
                run = allocation_compute(allocation=allocation, seed=options["seed"])
            else:
                run = services.allocation_preview(allocation=allocation, seed=options["seed"])
        except AllocationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._report(event, run)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing stored.")
        elif publisher is not None:
            try:
                told = services.allocation_publish(allocation=allocation, user=publisher)
            except AllocationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"Published; {told} participant(s) will get an e-mail.")
        else:
            self.stdout.write("Preview stored; the office reviews and publishes it.")

    def _report(self, event: Event, run: Run) -> None:
        figures = run.figures
        mode = "for the whole event" if figures["repeating"] else "per time slot"
        self.stdout.write(
            f"{event.title}: {figures['people']} participant(s), "
            f"{len(run.workshops.sessions)} workshop session(s) in {figures['slots']} slot(s), "
            f"{figures['seats']} places, {figures['choices']} choice(s) {mode}, "
            f"{figures['ranked']} gave wishes."
        )
        method = {"flow": "min-cost flow", "milp": "integer program"}.get(
            figures["method"], figures["method"]
        )
        proof = "proven optimal" if figures["optimal"] else "NOT proven optimal"
        self.stdout.write(f"{method}, {proof}, {figures['seconds']} s, seed {figures['seed']}.")
        ours, fcfs = figures["allocation"], figures["fcfs"]
        choices = figures["choices"]
        width = 22
        self.stdout.write("")
        self.stdout.write(f"{'':<{width}}{'allocation':>16}{'first come':>16}")
        rows = [(f"choice {rank}", str(rank)) for rank in range(1, choices + 1)]
        rows.append(("outside the wishes", str(choices + 1)))
        rows.append(("no wishes given", "0"))
        for label, key in rows:
            self.stdout.write(
                f"{label:<{width}}{_cell(ours['histogram'].get(key, 0), ours['placed']):>16}"
                f"{_cell(fcfs['histogram'].get(key, 0), fcfs['placed']):>16}"
            )
        self.stdout.write(f"{'not placed':<{width}}{ours['unplaced']:>16}{fcfs['unplaced']:>16}")
        self.stdout.write(
            f"{'worst rank':<{width}}{ours['worst_rank'] or '-'!s:>16}"
            f"{fcfs['worst_rank'] or '-'!s:>16}"
        )
        for item in figures["unplaced"]:
            registration = run.registrations[item["registration"]]
            when = timezone.localtime(datetime.datetime.fromisoformat(item["slot"]))
            self.stdout.write(
                f"Not placed: {registration.user.get_full_name()} at {when:%d.%m.%Y %H:%M}: "
                f"{REASONS.get(item['reason'], item['reason'])}"
            )
        for session_id in figures["cancelled"]:
            self.stdout.write(f"Cancelled (too few): {run.workshops.by_id()[session_id].title}")


def _cell(count: int, placed: int) -> str:
    share = f"{100 * count / placed:.1f} %" if placed else "-"
    return f"{count} ({share})"
