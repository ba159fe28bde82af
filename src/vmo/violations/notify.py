"""Telling owners about new camera records (RP Art 20: by app, SMS or post, within 5 days).

Each new record on a vehicle owned by a person with a citizen account puts one message in that
account's in-app inbox, written in the transaction that loads the record and keyed by the record
id, so a delivery sent twice never tells anyone twice.

No SMS is sent per record: a delivery of a million records would send up to a million texts,
and Art 20 is met by the app. Owners (with or without an account) get one SMS a day for the
records of the day before: the "violations.new_digest" scan (notice_scans.py). The text is the
registered kind "violation.new" (notice_kinds.py), in each owner's chosen language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from vmo.accounts import selectors as account_selectors
from vmo.accounts.choices import AccountKind
from vmo.core import clock
from vmo.core.money import format_fen
from vmo.notices.services import Recipient, notices_post

from .models import ViolationCode

if TYPE_CHECKING:
    pass

KIND_NEW = "violation.new"
# Vehicle ids per owner lookup (well under SQLite's limit on query parameters).
LOOKUP_BATCH = 2000


@dataclass(frozen=True)
class NewRecord:
    record_id: str
    vehicle_id: int
    plate_number: str
    occurred_at: datetime
    place: str
    code: ViolationCode
    fine_fen: int


def dedup_key(record_id: str) -> str:
    return f"{KIND_NEW}:{record_id}"


def owner_accounts(vehicle_ids: set[int], known: dict[int, int | None]) -> dict[int, int | None]:
    """Fill `known` with vehicle id -> the owner's active citizen account (None: no account,
    or not a person's vehicle), looking up only the vehicles it does not have yet."""
    ids = sorted(vehicle_ids - known.keys())
    for start in range(0, len(ids), LOOKUP_BATCH):
        part = ids[start : start + LOOKUP_BATCH]
        known.update(dict.fromkeys(part))
        known.update(
            account_selectors.users()
            .filter(kind=AccountKind.CITIZEN, is_active=True, person__vehicles__in=part)
            .values_list("person__vehicles__id", "id")
        )
    return known


def _context(record: NewRecord) -> Callable[[str], dict[str, Any]]:
    def context(language: str) -> dict[str, Any]:
        code = record.code
        return {
            "plate": record.plate_number,
            "time": clock.local(record.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "place": record.place,
            "offence": code.description_en if language == "en" else code.description_zh,
            "code": code.code,
            "points": code.points,
            "fine": format_fen(record.fine_fen),
            "record": record.record_id,
        }

    return context


def violations_notify_new(
    *, records: Sequence[NewRecord], accounts: dict[int, int | None] | None = None
) -> int:
    """Post an in-app message for each new record whose owner has an account; returns how many.

    Call it in the transaction that loads the records: the notices are written in it. Each in
    its owner's chosen language, not the caller's (an API client's Accept-Language must not
    choose the language of a citizen's inbox). `accounts` caches the owners' accounts by
    vehicle from one call to the next (one delivery's chunks).
    """
    if not records:
        return 0
    accounts = {} if accounts is None else accounts
    owner_accounts({r.vehicle_id for r in records}, accounts)
    recipients = [
        Recipient(
            dedup_key=dedup_key(record.record_id),
            context=_context(record),
            user_id=accounts[record.vehicle_id],
        )
        for record in records
        if accounts.get(record.vehicle_id) is not None
    ]
    # In-app only (the kind's one channel): nothing to queue, the daily digest sends the SMS.
    return notices_post(kind=KIND_NEW, recipients=recipients, publish=False)
