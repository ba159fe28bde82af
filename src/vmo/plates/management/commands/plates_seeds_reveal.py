"""Reveal the seeds of every day that has ended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vmo.plates import services


class Command(BaseCommand):
    help = "Reveal the draw seeds of the days that have ended."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"revealed {services.seeds_reveal()}")
