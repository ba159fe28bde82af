"""Create a day's secret seed and publish its SHA-256 (run the day before; default tomorrow)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vmo.core import clock
from vmo.plates import services


class Command(BaseCommand):
    help = "Commit to a day's draw seed by publishing its SHA-256 (default: tomorrow)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, day: date | None, **options: Any) -> None:
        day = day or clock.today() + timedelta(days=1)
        row = services.seed_commit(day=day)
        self.stdout.write(f"{row.day.isoformat()} {row.commitment}")
