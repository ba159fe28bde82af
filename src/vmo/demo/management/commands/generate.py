"""manage.py generate --people N: a prefecture of N synthetic people, for benchmarks."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.demo.generate import generate


class Command(BaseCommand):
    help = (
        "Generate N people with accounts, licences, vehicles, five years of violations with their"
        " decisions, points, payments and messages, and applications (COPY on PostgreSQL)."
        " Re-runnable."
    )

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

        parser.add_argument(
            "--defer-indexes",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Set the secondary indexes aside during the load and build them at the end"
            " (PostgreSQL; by default from 100,000 people).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1 or options["batch"] < 1:
            raise CommandError("--people and --batch must be positive.")
        totals = generate(
            people=options["people"],
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
            defer_indexes=options["defer_indexes"],
        )
        self.stdout.write(self.style.SUCCESS(f"Done: {totals.line()}"))
