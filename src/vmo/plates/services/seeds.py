"""The day seeds: committed before the day's draws, revealed after, so anyone can verify a draw."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .. import fairness
from ..models import DaySeed

if TYPE_CHECKING:
    from vmo.accounts.models import User

    pass


def seed_commit(*, day: date, actor: User | None = None) -> DaySeed:
    """Create the day's seed and publish its hash; run the day before. A second run keeps the
    first seed: a commitment, once published, never changes."""
    seed = secrets.token_bytes(32)
    with transaction.atomic():
        row, created = DaySeed.objects.get_or_create(
            day=day,
            defaults={
                "seed_hex": seed.hex(),
                "commitment": fairness.seed_commitment(seed),
                "committed_at": clock.now(),
            },
        )
        if created:
            event_record(
                actor=actor,
                subject=row,
                action="plates.seed_committed",
                after={"day": day.isoformat(), "commitment": row.commitment},
            )
    return row


def _reveal(row: DaySeed, actor: User | None) -> None:
    row.revealed_at = clock.now()
    row.save(update_fields=["revealed_at"])
    event_record(
        actor=actor,
        subject=row,
        action="plates.seed_revealed",
        after={"day": row.day.isoformat(), "seed": row.seed_hex},
    )


def seed_reveal(*, seed: DaySeed, actor: User) -> DaySeed:
    with transaction.atomic():
        row = DaySeed.objects.select_for_update().get(pk=seed.pk)
        if row.day >= clock.today():
            raise ValidationError(
                _("A day's seed is revealed only after the day has ended."), code="too_early"
            )
        if row.revealed_at is None:
            _reveal(row, actor)
    return row


def seeds_reveal(*, actor: User | None = None) -> int:
    """Reveal the seeds of every day that has ended (the periodic task)."""
    count = 0
    with transaction.atomic():
        for row in DaySeed.objects.select_for_update().filter(
            day__lt=clock.today(), revealed_at__isnull=True
        ):
            _reveal(row, actor)
            count += 1
    return count
