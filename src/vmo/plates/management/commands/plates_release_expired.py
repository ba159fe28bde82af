"""Release reserved numbers not used at registration in time, and remind the holders of those
about to be released. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vmo.plates import services


class Command(BaseCommand):
    help = "Release expired plate-number reservations and send the reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        released = services.reservations_expire()
        reminded = services.reservation_reminders_send()
        self.stdout.write(f"released {released}, reminded {reminded}")
