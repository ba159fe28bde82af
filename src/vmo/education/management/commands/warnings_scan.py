"""Run the targeted warning rules and the full-score assignment once: `manage.py warnings_scan`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vmo.education.services import full_score_scan, warnings_scan


class Command(BaseCommand):
    help = "Find targeted safety warnings (and full scores) and notify; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = warnings_scan()
        full = full_score_scan()
        for rule, count in sorted(counts.items()):
            self.stdout.write(f"{rule}: {count}")
        self.stdout.write(f"full score: opened {full['opened']}, closed {full['closed']}")
