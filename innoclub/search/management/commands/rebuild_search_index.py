"""Rebuild the search index from scratch: ``manage.py rebuild_search_index``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from innoclub.search.index import rebuild


class Command(BaseCommand):
    help = "Empty the search index and index every searchable object again."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = rebuild()
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{sum(counts.values())} documents indexed in {time.perf_counter() - started:.1f} s."
            )
        )
