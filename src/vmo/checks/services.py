"""Creating, using and revoking check codes. Every rule of docs/checks.md lives here."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from vmo.core import clock, crypto
from vmo.core.services import data_access_record_by_checker, event_record
from vmo.notices.services import notify
from vmo.registry import selectors as registry
from vmo.status.selectors import status_for_person

from . import selectors
from .models import CheckAttempt, CheckCode, Scope

# 31 signs that a reader does not mistake for one another: no 0/O, 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
MIN_LIFETIME = timedelta(hours=1)
MAX_LIFETIME = timedelta(days=21)
MIN_USES, MAX_USES = 1, 20
TAIL_LENGTH = 6
# Limits on failed attempts: per client address in a sliding window, and per code for ever.
ADDRESS_FAILURES_PER_WINDOW = 10
ADDRESS_WINDOW = timedelta(hours=1)
CODE_FAILURES_MAX = 5


class CheckError(Exception):
    """A refused request; ``messages`` name every problem, ``code`` is stable for the API."""

    def __init__(
        self,
        code: str,
        messages: list[Any],
        *,
        row: CheckCode | None = None,
        fields: list[str | None] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages
        self.fields = fields or [None] * len(messages)  # which input each message is about
        self.row = row  # the code entered, when it matched one (for the organisations' call log)


@dataclass
class CheckResult:
    scope: str
    holder_name: str
    licence: Any = None
    vehicle: Any = None
    holder_person_id: int | None = None


def _hash(code: str) -> str:
    return crypto.keyed_hash(code, purpose="check-code")


def _normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def code_create(
    *, user: Any, scope: str, lifetime: timedelta, max_uses: int, vehicle_id: int | None = None
) -> tuple[CheckCode, str]:
    """Returns the row and the plain code, which is shown once and never stored."""
    person = user.person
    problems: list[Any] = []
    if scope not in Scope.values:
        problems.append(_("Choose what the checker may see."))
    if not MIN_LIFETIME <= lifetime <= MAX_LIFETIME:
        problems.append(_("The code must last between one hour and 21 days."))
    if not MIN_USES <= max_uses <= MAX_USES:
        problems.append(_("The code may be used between 1 and 20 times."))
    plate = ""
    if scope == Scope.VEHICLE:
        vehicle = registry.vehicles_of(person).filter(pk=vehicle_id).first() if vehicle_id else None
        if vehicle is None:
            problems.append(_("Choose one of your vehicles."))
        else:
            plate = registry.plate_label(vehicle)
    if registry.licence_of(person) is None:
        # The checker proves they hold the card by its file number: no licence, no check.
        problems.append(_("You have no driving licence to show."))
    if problems:
        raise CheckError("invalid", problems)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = clock.now()
    with transaction.atomic():
        row = CheckCode.objects.create(
            holder_person_id=person.pk,
            holder_user_id=user.pk,
            code_hash=_hash(code),
            code_hint=code[-3:],
            scope=scope,
            vehicle_id=vehicle_id if scope == Scope.VEHICLE else None,
            vehicle_plate=plate,
            created_at=now,
            expires_at=now + lifetime,
            max_uses=max_uses,
        )
        event_record(actor=user, subject=row, action="checks.created", after=_state(row))
    return row, code


def _state(row: CheckCode) -> dict[str, Any]:
    return {
        "scope": row.scope,
        "expires_at": row.expires_at.isoformat(),
        "max_uses": row.max_uses,
        "uses": row.uses,
        "revoked": row.revoked_at is not None,
    }


def code_revoke(*, user: Any, pk: int) -> CheckCode:
    with transaction.atomic():
        row = selectors.code_of_holder_for_update(user=user, pk=pk)  # 404 for other people's
        if row.revoked_at is None:
            before = _state(row)
            row.revoked_at = clock.now()
            row.save(update_fields=["revoked_at"])
            event_record(
                actor=user, subject=row, action="checks.revoked", before=before, after=_state(row)
            )
    return row


REFUSED = _(
    "The code and licence characters do not match a code that can be used now. Check both with"
    " the holder; they can make a new code."
)


SCOPE_REFUSED = _(
    "Your organisation's key may not run this kind of check. Ask the office to issue a key with"
    " this scope; the code was not used."
)


def code_check(
    *,
    code: str,
    licence_tail: str,
    organisation: str,
    purpose: str,
    client_address: str,
    allowed_scopes: Collection[str] | None = None,
    screen: str = "checks.check",
) -> CheckResult:
    """The checker's view of the scope, or CheckError. A failure says the same thing whether
    the code is unknown, expired, used up, revoked or the licence characters are wrong.

    `allowed_scopes` (a registered organisation's key) refuses a code of another scope only once
    the code and licence characters are right, so the refusal tells nothing to a guesser; it
    counts no use and no failure. `client_address` is whatever the attempt limits count by."""
    organisation, purpose = organisation.strip()[:120], purpose.strip()[:200]
    problems: dict[str, Any] = {}
    if not organisation:
        problems["organisation"] = _("Enter the name of your organisation.")
    if not purpose:
        problems["purpose"] = _("Enter why you are checking.")
    if not _normalise_code(code):
        problems["code"] = _("Enter the check code.")
    if len(licence_tail.strip()) != TAIL_LENGTH:
        problems["licence_tail"] = _("Enter the last 6 characters of the licence file number.")
    if problems:  # nothing tried: no attempt is counted
        raise CheckError("invalid", list(problems.values()), fields=list(problems))
    now = clock.now()
    since = now - ADDRESS_WINDOW
    if selectors.failures_from(client_address, since=since) >= ADDRESS_FAILURES_PER_WINDOW:
        raise CheckError(
            "throttled", [_("Too many failed checks from here. Try again in an hour.")]
        )
    with transaction.atomic():
        row = selectors.code_by_hash_for_update(_hash(_normalise_code(code)))
        reason = _refusal(row, licence_tail.strip().upper(), now)
        scoped_out = (
            allowed_scopes is not None and row is not None and row.scope not in allowed_scopes
        )
        if not reason and scoped_out:
            raise CheckError("scope_not_allowed", [SCOPE_REFUSED], row=row)
        attempt = {"attempted_at": now, "client_address": client_address, "code": row}
        attempt |= {"organisation": organisation, "purpose": purpose}
        if reason:
            if row is not None:
                CheckCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
            CheckAttempt.objects.create(succeeded=False, reason=reason, **attempt)
        else:
            assert row is not None
            CheckCode.objects.filter(pk=row.pk).update(uses=F("uses") + 1)
            CheckAttempt.objects.create(succeeded=True, reason="ok", **attempt)
            data_access_record_by_checker(
                organisation=organisation,
                person_id=row.holder_person_id,
                screen=screen,
                purpose=purpose,
            )
            _tell_holder(row, organisation, purpose, now)
    if reason or row is None:
        raise CheckError("refused", [REFUSED], row=row)
    return _result(row)


def _refusal(row: CheckCode | None, tail: str, now: Any) -> str:
    if row is None:
        return "unknown"
    if row.revoked_at is not None:
        return "revoked"
    if now >= row.expires_at:
        return "expired"
    if row.uses >= row.max_uses:
        return "used_up"
    if row.failed_attempts >= CODE_FAILURES_MAX:
        return "locked"
    licence = registry.licence_of(registry.person_get(pk=row.holder_person_id))
    if licence is None or licence.file_number[-TAIL_LENGTH:].upper() != tail:
        return "wrong_licence"
    return ""


def _tell_holder(row: CheckCode, organisation: str, purpose: str, now: Any) -> None:
    user = selectors.holder_user(row)
    notify(
        kind="checks.code_used",
        context={
            "organisation": organisation,
            "purpose": purpose,
            "time": f"{clock.local(now):%Y-%m-%d %H:%M}",
        },
        dedup_key=f"checks.code_used:{row.pk}:{row.uses + 1}",
        user=user,
        link="/me/data-access/",
    )


def _result(row: CheckCode) -> CheckResult:
    status = status_for_person(registry.person_get(pk=row.holder_person_id))
    result = CheckResult(
        scope=row.scope, holder_name=status.name, holder_person_id=row.holder_person_id
    )
    if row.scope in (Scope.LICENCE, Scope.POINTS):
        result.licence = status.licence
    else:
        result.vehicle = next((v for v in status.vehicles if v.id == row.vehicle_id), None)
    return result
