"""Applications of the last three years, as the engine leaves them (applications/services).

A share of the drivers with an account applied for a licence business (renewal, replacement,
class change...): most are completed (accepted, decided by a reviewer, done), a few withdrawn,
and the recent ones still open (submitted, under review or approved) with the due date the
engine counts in working days. The form answers are empty and encrypted as the model stores
them; the fee, where the business has one, is marked paid at submission.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from vmo.applications.choices import ApplicationStatus as S
from vmo.applications.models import Application
from vmo.catalog.businesses import BUSINESSES
from vmo.catalog.businesses.base import Subject
from vmo.core import crypto

from .bulkwrite import Allocator, existing
from .officers import reviewer

APPLICATION_SHARE = 0.12  # of the drivers with an account, over three years
DAYS_BACK = 3 * 365
RECENT_SHARE = 0.12
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # applications/services/_engine.py

APPLICATION_COLUMNS = (
    "reference",
    "business_code",
    "applicant_id",
    "status",
    "person_id",
    "licence_id",
    "data_json",
    "idempotency_key",
    "fee_fen",
    "paid_at",
    "created_at",
    "submitted_at",
    "accepted_at",
    "due_on",
    "decided_at",
    "completed_at",
    "decided_by_id",
)


def _reference(k: int, day: date) -> str:
    # The generator's references start with 9 after the date; the rest is the counter.
    tail = []
    for _ in range(7):
        k, r = divmod(k, 32)
        tail.append(_REF_ALPHABET[r])
    return f"SQ{day:%Y%m%d}9{''.join(tail)}"


class Applications:
    def __init__(
        self,
        rng: random.Random,
        today: date,
        now: datetime,
        add_working_days: Callable[[date, int], date],
    ) -> None:
        self.add_working_days = add_working_days
        self.rng, self.today, self.now = rng, today, now
        self.businesses = [
            b
            for b in BUSINESSES.values()
            if b.subject == Subject.LICENCE and b.via_engine and b.time_limit_days
        ]
        self.purpose = str(Application._meta.get_field("data_json").purpose)
        self.references = Allocator(
            start=Application.objects.count(),
            make=_reference,
            taken=lambda values: existing(Application, "reference", values),
        )
        self.reviewer_pk = reviewer().pk if self.businesses else None
        self._due: dict[tuple[date, int], date] = {}

    def _due_on(self, day: date, limit: int) -> date:
        key = (day, limit)
        if key not in self._due:
            self._due[key] = self.add_working_days(day, limit)
        return self._due[key]

    def rows(
        self, accounts: list[tuple[int, int]], *, licence_of: dict[int, int]
    ) -> list[tuple[Any, ...]]:
        """accounts: (user pk, person pk) of the batch; licence_of: person pk -> licence pk."""
        rng, now = self.rng, self.now
        if not self.businesses:
            return []
        drawn = []
        for user_pk, person_pk in accounts:
            licence_pk = licence_of.get(person_pk)
            if licence_pk is None or rng.random() >= APPLICATION_SHARE:
                continue
            business = rng.choice(self.businesses)
            # The office's current work: a share submitted within the business's time limit.
            days = business.time_limit_days if rng.random() < RECENT_SHARE else DAYS_BACK
            submitted = now - timedelta(seconds=rng.random() * days * 86400 + 600)
            drawn.append((user_pk, person_pk, licence_pk, business, submitted))
        references = self.references.values([d[4].date() for d in drawn])
        rows = []
        for (user_pk, person_pk, licence_pk, business, submitted), ref in zip(
            drawn, references, strict=True
        ):
            limit = business.time_limit_days
            due = self._due_on(submitted.date(), limit)
            age_days = (now - submitted).days
            decided = completed = None
            decided_by = None
            if age_days > 2 * limit + 10:
                status = S.WITHDRAWN if rng.random() < 0.05 else S.COMPLETED
            else:
                status = rng.choice((S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.COMPLETED))
            if status in (S.APPROVED, S.COMPLETED):
                span = max((now - submitted).total_seconds() - 60, 60)
                decided = submitted + timedelta(seconds=min(span, rng.random() * limit * 86400))
                decided_by = self.reviewer_pk
                if status == S.COMPLETED:
                    completed = decided + timedelta(
                        seconds=min((now - decided).total_seconds(), 3600)
                    )
            accepted = None if status == S.WITHDRAWN else submitted
            rows.append(
                (
                    ref,
                    business.code,
                    user_pk,
                    status,
                    person_pk,
                    licence_pk,
                    crypto.encrypt("{}", purpose=self.purpose),
                    f"generated-{ref}",
                    business.fee_fen,
                    submitted if business.fee_fen else None,
                    submitted - timedelta(minutes=rng.randint(2, 30)),
                    submitted,
                    accepted,
                    due if accepted else None,
                    decided,
                    completed,
                    decided_by,
                )
            )
        return rows
