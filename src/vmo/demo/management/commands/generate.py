"""manage.py generate --people N: a prefecture of N synthetic people, for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.demo.generate import generate


class Command(BaseCommand):
    help = "Generate N people with licences, vehicles, plates and violations (COPY on PostgreSQL). Re-runnable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="How many people to add.")
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed of the random draws (names, dates, statuses).",
        )
        parser.add_argument(
            "--batch", type=int, default=20_000, help="People written per transaction."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1 or options["batch"] < 1:
            raise CommandError("--people and --batch must be positive.")
        totals = generate(
            people=options["people"],
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(f"Done: {totals.line()}"))
