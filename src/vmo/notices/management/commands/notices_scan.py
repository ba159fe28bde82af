"""Run the daily notice scans (the embedded default's stand-in for Celery beat)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.core import clock
from vmo.notices import kinds
from vmo.notices.delivery import messages_dispatch
from vmo.notices.scans import scans_run


class Command(BaseCommand):
    help = "Run the notice scans for a day (default today), then queue what they wrote."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD (default: today, office time)")
        parser.add_argument("--scan", action="append", help="only this scan (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the scans and stop")
        parser.add_argument(
            "--no-dispatch", action="store_true", help="write the outbox only; the sweeper sends"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for code in kinds.all_scans():
                self.stdout.write(code)
            return
        try:
            day = date.fromisoformat(options["day"]) if options["day"] else clock.today()
        except ValueError as exc:
            raise CommandError("--day must be YYYY-MM-DD") from exc
        unknown = set(options["scan"] or []) - set(kinds.all_scans())
        if unknown:
            raise CommandError(f"unknown scans: {', '.join(sorted(unknown))}")
        started = time.monotonic()
        results = scans_run(day=day, codes=options["scan"], publish=False)
        for code, count in results.items():
            self.stdout.write(f"{code}: {count}")
        self.stdout.write(f"total {sum(results.values())} in {time.monotonic() - started:.1f}s")
        if not options["no_dispatch"]:
            self.stdout.write(f"queued {messages_dispatch()}")
