"""Organisations registered by the office, their API keys and the log of every call they make
to the check API (docs/checks.md, "Organisations and the check API").

A key is shown once and stored as a hash, with the same function as the accounts' API tokens
(`vmo.accounts.selectors.api_token_hash`); each key names the check scopes it may run. The
check itself is `services.code_check`, with the organisation's registered name as the checker
and the key as what the attempt limits count by.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vmo.accounts import services as account_services
from vmo.accounts.selectors import api_token_hash
from vmo.core import clock
from vmo.core.requestctx import current_request_id
from vmo.core.services import event_record
from vmo.registry import validators

from . import org_selectors, services
from .models import (
    Organisation,
    OrganisationCall,
    OrganisationKey,
    OrganisationKind,
    RefusalReason,
    RefusedKeyCall,
    Scope,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User

# Keys start with this, so a key pasted in the wrong place is recognisable (and scannable).
KEY_PREFIX = "vmoc_"
API_SCREEN = "checks.api"
# The per-address limit of refused key calls (accounts.services.ADDRESS_LIMITS).
KEY_ACTION = "checks-key"
KEY_PREFIX_LENGTH = len(KEY_PREFIX) + 6


class KeyRefused(Exception):
    """The call has no live key: reason is a RefusalReason value; wait, the seconds to wait
    when the address is over the limit."""

    def __init__(self, reason: str, wait: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def organisation_register(
    *, actor: User, name: str, kind: str, uscc: str, contact: str = ""
) -> Organisation:
    name, contact, uscc = name.strip(), contact.strip(), validators.normalise_uscc(uscc)
    errors: dict[str, list[Any]] = {}
    if not 2 <= len(name) <= 120:
        errors["name"] = [_("Enter the organisation's registered name (2 to 120 characters).")]
    elif org_selectors.organisations().filter(name=name).exists():
        errors["name"] = [_("An organisation with this name is already registered.")]
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    try:
        validators.validate_uscc(uscc)
    except ValidationError as exc:
        errors["uscc"] = list(exc.messages)
    else:
        if org_selectors.organisations().filter(uscc=uscc).exists():
            errors["uscc"] = [_("An organisation with this code is already registered.")]
    if len(contact) > 200:
        errors["contact"] = [_("Keep the contact to 200 characters.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            row = Organisation.objects.create(
                name=name,
                kind=kind,
                uscc=uscc,
                contact=contact,
                registered_at=clock.now(),
                registered_by_id=actor.pk,
            )
            event_record(
                actor=actor,
                subject=row,
                action="checks.organisation_registered",
                after={"name": name, "kind": kind, "uscc": uscc},
            )
    except IntegrityError:  # registered by someone else a moment ago
        raise ValidationError(
            {"name": [_("An organisation with this name or code is already registered.")]}
        ) from None
    return row


def key_issue(
    *, actor: User, organisation_id: int, label: str, scopes: Collection[str]
) -> tuple[OrganisationKey, str]:
    """A new key for the organisation; returns the row and the key, which is never stored."""
    label = label.strip()
    errors: dict[str, list[Any]] = {}
    if not 1 <= len(label) <= 60:
        errors["label"] = [_("Give the key a label of 1 to 60 characters.")]
    chosen = [s for s in Scope.values if s in set(scopes)]
    if not chosen or set(scopes) - set(Scope.values):
        errors["scopes"] = [_("Choose at least one kind of check the key may run.")]
    if errors:
        raise ValidationError(errors)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        organisation = org_selectors.organisation_get(pk=organisation_id)
        row = OrganisationKey.objects.create(
            organisation=organisation,
            label=label,
            key_hash=api_token_hash(raw),
            prefix=raw[: len(KEY_PREFIX) + 6],
            scopes=",".join(chosen),
            created_at=clock.now(),
            created_by_id=actor.pk,
        )
        event_record(
            actor=actor,
            subject=row,
            action="checks.key_issued",
            after={"organisation": organisation.pk, "prefix": row.prefix, "scopes": chosen},
        )
    return row, raw


def key_revoke(*, actor: User, organisation_id: int, key_id: int) -> OrganisationKey:
    with transaction.atomic():
        row = org_selectors.key_of_organisation_for_update(
            organisation_id=organisation_id, key_id=key_id
        )
        if row.revoked_at is None:
            row.revoked_at = clock.now()
            row.revoked_by_id = actor.pk
            row.save(update_fields=["revoked_at", "revoked_by_id"])
            event_record(
                actor=actor,
                subject=row,
                action="checks.key_revoked",
                before={"revoked": False},
                after={"revoked": True},
            )
    return row


def call_record(
    *,
    key: OrganisationKey,
    outcome: str,
    client_address: str,
    purpose: str = "",
    scope: str = "",
    holder_ref: int | None = None,
) -> OrganisationCall:
    """One row of the append-only call log."""
    return OrganisationCall.objects.create(
        called_at=clock.now(),
        organisation_id=key.organisation_id,
        key=key,
        scope=scope,
        purpose=purpose.strip()[:200],
        outcome=outcome,
        holder_ref=holder_ref,
        client_address=client_address[:64],
        request_id=current_request_id.get(),
    )


def _shown_prefix(raw: str) -> str:
    # What is stored of a refused key: its first signs, printable ASCII only, so the log shows
    # neither a usable key nor whatever bytes a client put in the header.
    head = raw[:KEY_PREFIX_LENGTH]
    return "".join(c if 32 < ord(c) < 127 else "?" for c in head)


def refused_call_record(*, raw: str, reason: str, client_address: str) -> RefusedKeyCall:
    """One row of the append-only log of calls refused before any organisation was known."""
    return RefusedKeyCall.objects.create(
        called_at=clock.now(),
        client_address=client_address[:64],
        key_prefix=_shown_prefix(raw),
        reason=reason,
        request_id=current_request_id.get(),
    )


def key_refusal_limit() -> tuple[int, int]:
    """(refused calls, window in seconds) allowed per address."""
    return account_services.ADDRESS_LIMITS[KEY_ACTION]


def key_for_call(*, raw: str, client_address: str) -> OrganisationKey:
    """The live key a call was made with, or KeyRefused. Every refusal is logged and counted
    against the client's address; once the address is over the limit, no key is even looked
    up until the window ends, so a right guess cannot be told from a wrong one."""
    _limit, window = key_refusal_limit()
    if account_services.address_attempts_exhausted(action=KEY_ACTION, client_ip=client_address):
        refused_call_record(raw=raw, reason=RefusalReason.THROTTLED, client_address=client_address)
        raise KeyRefused(RefusalReason.THROTTLED, wait=window)
    row = org_selectors.key_for_raw(raw)
    if row is not None and row.revoked_at is None:
        return row
    reason = RefusalReason.UNKNOWN_KEY if row is None else RefusalReason.KEY_REVOKED
    if row is not None:  # the organisation's own log shows it too
        call_record(key=row, outcome="key_revoked", client_address=client_address)
    refused_call_record(raw=raw, reason=reason, client_address=client_address)
    # Counted after the lookup: a concurrent burst may pass the check above together, and
    # this is then what refuses it.
    if not account_services.address_attempt_record(action=KEY_ACTION, client_ip=client_address):
        raise KeyRefused(RefusalReason.THROTTLED, wait=window)
    raise KeyRefused(reason)


def api_check(
    *, key: OrganisationKey, code: str, licence_tail: str, purpose: str, client_address: str
) -> services.CheckResult:
    """A check through the API with a live key: the same rules and attempt limits as the public
    page, counted per key; the registered name is the checker. Every outcome is logged."""
    try:
        result = services.code_check(
            code=code,
            licence_tail=licence_tail,
            organisation=key.organisation.name,
            purpose=purpose,
            client_address=f"key:{key.pk}",
            allowed_scopes=key.scope_list,
            screen=API_SCREEN,
        )
    except services.CheckError as exc:
        row = exc.row
        call_record(
            key=key,
            outcome=exc.code,
            client_address=client_address,
            purpose=purpose,
            scope=row.scope if row else "",
            holder_ref=row.holder_person_id if row else None,
        )
        raise
    call_record(
        key=key,
        outcome="ok",
        client_address=client_address,
        purpose=purpose,
        scope=result.scope,
        holder_ref=result.holder_person_id,
    )
    return result
