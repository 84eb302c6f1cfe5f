"""Seed a dataset about a hundred times the demo: ``manage.py seed_large [--scale 1.0]``.

What it holds and which special cases the benchmark finds: ``innoclub.core.large``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innoclub.core import demo_mode, large, planner, sections
from innoclub.search import index as search_index


class Command(BaseCommand):
    help = (
        "Seed the demo, then add a dataset about a hundred times its size and rebuild the "
        "search index (demo mode only; does nothing when the large data is already there)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every count (1.0: 50,000 ideas, 10,000 members, …).",
        )
        parser.add_argument("--seed", type=int, default=12, help="Seed of the random generator.")
        demo_mode.add_force_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        demo_mode.refuse_outside_demo_mode(what="The large dataset", force=options["force"])
        try:
            counts = large.counts_for(options["scale"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if large.is_seeded():
            self.stdout.write("The large dataset is already there; nothing to do.")
            return
        started = time.perf_counter()
        call_command("seed_demo", force=options["force"], stdout=self.stdout)
        timings = {"demo dataset": time.perf_counter() - started}
        self.stdout.write(f"Adding the large dataset: {counts}")
        built = large.build(scale=options["scale"], seed=options["seed"], log=self.stdout.write)
        timings.update(built.timings)
        # Bulk writes send no signals: cached sections must not outlive the new data.
        sections.changed_all()
        begun = time.perf_counter()
        indexed = search_index.rebuild()
        timings["search index"] = time.perf_counter() - begun
        self.stdout.write(
            f"search index: {sum(indexed.values()):,} documents in {timings['search index']:.1f} s"
        )
        begun = time.perf_counter()
        # The planner's statistics were taken on the small demo; bulk inserts don't renew them.
        planner.analyze()
        timings["planner statistics"] = time.perf_counter() - begun
        self._report(built.models, timings, time.perf_counter() - started)

    def _report(self, models: list[Any], timings: dict[str, float], total: float) -> None:
        self.stdout.write("\nRows per table (whole table, demo included):")
        for model in models:
            count = model._default_manager.count()
            self.stdout.write(f"  {model._meta.db_table:<36} {count:>10,}")
        self.stdout.write("\nSeconds per phase:")
        for phase, seconds in timings.items():
            self.stdout.write(f"  {phase:<36} {seconds:>10.1f}")
        self.stdout.write(f"  {'total':<36} {total:>10.1f}")
        self.stdout.write(
            "\nSpecial cases for the benchmark (innoclub.core.large.benchmark_targets()):"
        )
        for name, url in large.benchmark_targets().items():
            self.stdout.write(f"  {name:<20} {url}\n  {'':<20} {large.TARGETS[name]}")
        self.stdout.write(self.style.SUCCESS("The large dataset is ready."))
