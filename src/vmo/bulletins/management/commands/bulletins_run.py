"""All scheduled work of announcements and publications, for the embedded default (no Celery
beat): publish and expire announcements, draft those generated from the records, build due
publications. Safe to run as often as you like, e.g. every few minutes from cron."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vmo.bulletins import services


class Command(BaseCommand):
    help = "Publish due announcements, draft record announcements, build due publications."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day", type=date.fromisoformat, help="Build as on this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published, expired = services.announcements_publish_due()
        drafts = services.announcement_drafts_generate(day=options.get("day"))
        tables = services.publications_generate(day=options.get("day"))
        self.stdout.write(
            f"published={published} expired={expired} drafts={len(drafts)} "
            f"publications={len(tables)}"
        )
