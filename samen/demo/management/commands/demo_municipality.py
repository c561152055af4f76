"""``manage.py demo_municipality``: generate the synthetic municipality "Gemeente Voorbeeldstad".

Deterministic (``--seed``), idempotent (a second run prints "already loaded" and creates nothing)
and fit for scale (``--households 100000``). Synthetic data only: in production mode (a demo
server, the benchmark) it warns that the demo accounts share a published password.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from samen.core.progress import Progress
from samen.demo.generator import DEFAULT_HOUSEHOLDS, DEFAULT_SEED
from samen.demo.services import DemoConflict, demo_municipality_load


class Command(BaseCommand):
    help = "Generate the synthetic demo municipality (organisations, professionals, households, demo logins)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
        parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS, help=f"default {DEFAULT_HOUSEHOLDS}")
        parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    def handle(self, *args, seed: int, households: int, quiet: bool, **options):
        verbose = not quiet and options["verbosity"] > 0
        started = time.monotonic()

        def progress_for(total: int) -> Progress:
            return Progress(total, stream=self.stderr, label="Households", enabled=verbose)

        try:
            result = demo_municipality_load(seed=seed, households=households, progress_for=progress_for)
        except (ValueError, DemoConflict) as error:
            raise CommandError(str(error)) from error
        if result.status != "already_loaded":
            # Planner statistics for the new rows (SQLite gathers none by itself; PostgreSQL would, later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if not verbose:
            return
        if result.status == "already_loaded":
            self.stdout.write(
                f"Demo municipality already loaded (seed {result.seed}, {result.households:,} households)."
            )
            return
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Production mode: the demo accounts share a published password. Use this only on a server "
                    "that exists to show the demo, never next to real households."
                )
            )
        seconds = time.monotonic() - started
        verb = "generated" if result.status == "generated" else "extended"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality {verb} (seed {result.seed}): {result.created_households:,} households with "
                f"{result.created_members:,} members"
                + (
                    f", {result.organisations} organisations, {result.professionals} professionals"
                    if result.status == "generated"
                    else ""
                )
                + f", {result.teams:,} teams with {result.team_members:,} members"
                + f", {result.grants:,} consent grants and {result.notes:,} notes"
                + f" in {seconds:.1f} s."
            )
        )
