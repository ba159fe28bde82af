"""Telling owners about new camera records (RP Art 20: by app, SMS or post, within 5 days).

Each new record of a vehicle owned, at the time of the offence, by a person with a citizen
account puts one message in that account's in-app inbox, written in the transaction that loads the record and keyed by the record
id, so a delivery sent twice never tells anyone twice. A company's vehicle is told to everyone who
acts for the company that day (its legal representative, its agents whose authorisation runs:
R164 Art 86, `registry.people_acting_paths`), each with an account once per record however many
ways they act for it (the key names the record and the person).

No SMS is sent per record: a delivery of a million records would send up to a million texts,
and Art 20 is met by the app. Owners (with or without an account) get one SMS a day for the
records of the day before: the "violations.new_digest" scan (notice_scans.py). The text is the
registered kind "violation.new" (notice_kinds.py), in each owner's chosen language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vmo.accounts import selectors as account_selectors
from vmo.accounts.choices import AccountKind
from vmo.core import clock
from vmo.core.money import format_fen
from vmo.notices.services import Recipient, notices_post
from vmo.registry import ownership_selectors as ownership
from vmo.registry import selectors as registry
from vmo.registry.ownership_selectors import Owner

from .models import ViolationCode

KIND_NEW = "violation.new"
# Owner ids per lookup (well under SQLite's limit on query parameters).
LOOKUP_BATCH = 2000
# Whom a new record is told: (account id, None) for the owning person's own account, (account
# id, person id) for each person acting for the owning company; empty when nobody has an account.
Told = tuple[tuple[int, int | None], ...]


@dataclass(frozen=True)
class NewRecord:
    record_id: str
    owner: Owner  # at the time of the offence, as the record keeps it
    plate_number: str
    occurred_at: datetime
    place: str
    code: ViolationCode
    fine_fen: int


def dedup_key(record_id: str, person_id: int | None = None) -> str:
    """The owner's key is the record's; a person acting for a company has their own."""
    key = f"{KIND_NEW}:{record_id}"
    return key if person_id is None else f"{key}:p{person_id}"


def owner_accounts(owners: set[Owner], known: dict[Owner, Told]) -> dict[Owner, Told]:
    """Fill `known` with owner -> whom its new records are told (``Told``), looking up only the
    owners it does not have yet: a few queries per batch, one for the people's accounts and one
    per way of acting for a company (today's)."""
    missing = owners - known.keys()
    found: dict[Owner, set[tuple[int, int | None]]] = {owner: set() for owner in missing}
    people = sorted({person for person, _c in missing if person is not None})
    companies = sorted({company for person, company in missing if person is None and company})
    for start in range(0, len(people), LOOKUP_BATCH):
        for person_id, user_id in (
            account_selectors.users()
            .filter(
                kind=AccountKind.CITIZEN,
                is_active=True,
                person_id__in=people[start : start + LOOKUP_BATCH],
            )
            .values_list("person_id", "id")
        ):
            found[(person_id, None)].add((user_id, None))
    today = clock.today()
    for start in range(0, len(companies), LOOKUP_BATCH):
        part = companies[start : start + LOOKUP_BATCH]
        for acting, person in registry.people_acting_paths("", on=today):
            # The way of acting and the account in one filter(): they share the join.
            rows = (
                ownership.companies()
                .filter(
                    acting,
                    pk__in=part,
                    **{
                        f"{person}__account__kind": AccountKind.CITIZEN,
                        f"{person}__account__is_active": True,
                    },
                )
                .values_list("pk", f"{person}__account__id", f"{person}_id")
            )
            for company_id, user_id, person_id in rows:
                found[(None, company_id)].add((user_id, person_id))
    known.update({owner: tuple(sorted(told, key=str)) for owner, told in found.items()})
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
    *, records: Sequence[NewRecord], accounts: dict[Owner, Told] | None = None
) -> int:
    """Post an in-app message for each new record to its owner's account, or to each account of
    a person acting for the owning company; returns how many.

    Call it in the transaction that loads the records: the notices are written in it. Each in
    its owner's chosen language, not the caller's (an API client's Accept-Language must not
    choose the language of a citizen's inbox). `accounts` caches the owners' accounts from
    one call to the next (one delivery's chunks).
    """
    if not records:
        return 0
    accounts = {} if accounts is None else accounts
    owner_accounts({r.owner for r in records}, accounts)
    recipients = [
        Recipient(
            dedup_key=dedup_key(record.record_id, person_id),
            context=_context(record),
            user_id=user_id,
        )
        for record in records
        for user_id, person_id in accounts.get(record.owner, ())
    ]
    # In-app only (the kind's one channel): nothing to queue, the daily digest sends the SMS.
    return notices_post(kind=KIND_NEW, recipients=recipients, publish=False)
