"""Citizens' accounts and their in-app inbox, as the services leave them.

An account is what identity linking makes (accounts/services/identity.py): a citizen user
named c<person pk>, linked to the person; the generated ones cannot sign in with a password
(unusable, as for an account made without one). The inbox holds what notices/services/notify.py
writes in-app for the decisions and payments of the last year: the message rendered in the
recipient's language, its values kept as data, both encrypted as the model stores them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import translation

from vmo.core import crypto
from vmo.core.money import format_fen
from vmo.notices import kinds, values
from vmo.notices.choices import Channel, MessageStatus
from vmo.notices.models import Message

ACCOUNT_SHARE_OF_DRIVERS = 0.8  # most drivers handle their records in the app
ACCOUNT_SHARE_OF_OTHERS = 0.1
INBOX_DAYS = 365  # messages older than this were cleared from the inbox

USER_COLUMNS = (
    "id",
    "password",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_superuser",
    "is_staff",
    "is_active",
    "date_joined",
    "last_login",
    "kind",
    "person_id",
    "role",
    "session_salt",
)
MESSAGE_COLUMNS = (
    "channel",
    "kind",
    "user_id",
    "recipient",
    "recipient_hash",
    "subject",
    "body",
    "context",
    "link",
    "dedup_key",
    "language",
    "status",
    "created_at",
    "sent_at",
    "read_at",
)


def _purpose(name: str) -> str:
    return str(Message._meta.get_field(name).purpose)  # type: ignore[union-attr]


class Inbox:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.language = settings.LANGUAGE_CODE
        self.body_purpose, self.context_purpose = _purpose("body"), _purpose("context")
        self.texts: dict[str, tuple[str, str]] = {}
        with translation.override(self.language):
            for code in ("violation.decision", "violation.fine_paid"):
                kind = kinds.get(code)
                self.texts[code] = (str(kind.subject), str(kind.body))

    def user_row(self, pk: int, person_pk: int, joined: datetime) -> tuple[Any, ...]:
        rng = self.rng
        return (
            pk,
            f"!{rng.getrandbits(160):040x}",  # unusable: no password was ever set
            f"c{person_pk}",
            "",
            "",
            "",
            False,
            False,
            True,
            joined,
            None,
            "citizen",
            person_pk,
            "",
            f"{rng.getrandbits(128):032x}",
        )

    def _message(
        self, kind: str, user: int, context: dict[str, Any], key: str, at: datetime
    ) -> tuple[Any, ...]:
        subject, body = self.texts[kind]
        read = None
        if (self.now - at).days > 14 and self.rng.random() < 0.85:
            read = at + timedelta(hours=1 + self.rng.random() * 72)
        return (
            Channel.IN_APP,
            kind,
            user,
            "",
            "",
            (subject % context)[:200],
            crypto.encrypt(body % context, purpose=self.body_purpose),
            crypto.encrypt(values.encode(context), purpose=self.context_purpose),
            "",
            f"{kind}:{key}:{Channel.IN_APP}",
            self.language,
            MessageStatus.SENT,
            at,
            at,
            read,
        )

    def messages(
        self,
        decisions: Sequence[tuple[Any, ...]],
        violations: dict[int, tuple[Any, ...]],
        paid_by: dict[int, int],
        out: list[tuple[Any, ...]],
    ) -> None:
        """In-app messages of the decisions made online in the last year (to who handled
        them) and of their fines paid online (to who paid). Decision rows as records.py
        makes them; violations by pk; paid_by: decision pk -> the payer's user pk."""
        since = self.now - timedelta(days=INBOX_DAYS)
        for d in decisions:
            pk, number, violation_pk, _lic, by, decided, points, fine, due, channel = d[:10]
            paid_at, paid_fen = d[10], d[11]
            if channel == "online" and decided >= since:
                plate = violations[violation_pk][3]
                context = {
                    "plate": plate,
                    "number": number,
                    "points": points,
                    "fine": format_fen(fine),
                    "due": due.isoformat(),
                }
                out.append(self._message("violation.decision", by, context, str(pk), decided))
            payer = paid_by.get(pk)
            if payer is not None and paid_at >= since:
                context = {"amount": format_fen(paid_fen), "number": number}
                out.append(self._message("violation.fine_paid", payer, context, str(pk), paid_at))
