"""Recompute a draw from its public inputs and say whether it matches what was offered.

    manage.py plates_verify_draw 20250301-7f3a9c2e41d0b865

Exit status 0 when the draw is confirmed, 1 when it does not match, 2 when the day's seed is
not revealed yet. The algorithm is documented in vmo.plates.fairness (and on /plates/verify/).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.plates import selectors
from vmo.plates.models import Draw


class Command(BaseCommand):
    help = "Recompute a plate-number draw from the revealed seed and the stored pool snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_id")

    def handle(self, *args: Any, draw_id: str, **options: Any) -> None:
        try:
            v = selectors.draw_verification(draw_id)
        except Draw.DoesNotExist:
            raise CommandError(f"no draw {draw_id}") from None
        out = self.stdout.write
        out(f"draw:              {v.draw.public_id} ({v.draw.created_at.isoformat()})")
        out(f"day:               {v.seed.day.isoformat()}")
        out(f"seed commitment:   {v.seed.commitment}")
        out(f"published at:      {v.seed.committed_at.isoformat()} (in advance: {v.in_advance})")
        out(f"snapshot:          {v.draw.snapshot_size} numbers, SHA-256 {v.draw.snapshot_hash}")
        out(f"snapshot hash ok:  {v.snapshot_ok}")
        if v.seed_hex is None:
            out("seed:              not revealed yet (revealed after the day ends)")
            raise SystemExit(2)
        out(f"seed:              {v.seed_hex}")
        out(f"commitment ok:     {v.commitment_ok}")
        out(f"candidates:        {' '.join(v.recomputed or [])}")
        if v.matches:
            out(self.style.SUCCESS("MATCHES: the draw is confirmed."))
            return
        out(self.style.ERROR("DOES NOT MATCH"))
        raise SystemExit(1)
