"""Load a pool batch from a file (one number a line, or CSV with the number first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.plates import services
from vmo.plates.choices import PoolPlateType


class Command(BaseCommand):
    help = (
        "Load a batch of plate numbers released for selection; nothing is loaded if a line is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--type", dest="plate_type", choices=PoolPlateType.values, default="02")
        parser.add_argument("--note", default="")

    def handle(self, *args: Any, path: Path, plate_type: str, note: str, **options: Any) -> None:
        try:
            batch = services.pool_batch_load(
                actor=None, plate_type=plate_type, text=path.read_text("utf-8"), note=note
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"loaded {batch.size} numbers (batch {batch.pk})")
