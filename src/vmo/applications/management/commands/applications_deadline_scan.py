"""Daily: warn officers of applications due within one working day or overdue. Safe to run
again the same day: `manage.py applications_deadline_scan`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vmo.applications.tasks import deadline_scan


class Command(BaseCommand):
    help = "Notify officers of undecided applications due within one working day or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deadline notices: {deadline_scan()}")
