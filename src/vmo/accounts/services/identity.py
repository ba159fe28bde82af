"""Identity proofing: an account is linked to a person's records only once it has proved control
of something the office already trusts (the phone on record, an online face / ID-card check, or
the ID card shown to an officer at a service hall). Until then it sees nothing of the registry.
Linking never changes the registry's phone: that is the contact-change business.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock, crypto
from vmo.core.services import event_record
from vmo.registry import selectors as registry
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash
from vmo.registry.services import person_create

from ..choices import IdentityCheckStatus, IdentityMethod
from ..models import IdentityCheck, IdentityClaim, User
from ..permissions import officer_can
from ..selectors import claim_data, pending_claim
from ..verification import (
    FAILURE_REASONS,
    CallbackError,
    CallbackResult,
    ProviderUnavailable,
    get_verifier,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User

    pass

logger = logging.getLogger("vmo.identity")


def _seal(data: dict[str, str]) -> str:
    return crypto.encrypt(json.dumps(data), purpose="identity.claim")


def identity_claim_create(
    *, user: User, name: str, id_number: str, phone: str, method: str = ""
) -> IdentityClaim:
    now = clock.now()
    return IdentityClaim.objects.create(
        user=user,
        sealed=_seal({"name": name, "id_number": id_number, "phone": phone}),
        id_hash=id_lookup_hash(id_number),
        phone_hash=phone_lookup_hash(phone),
        created_at=now,
        method=method,
        verified_at=now if method else None,
    )


def _link_problem(claim: IdentityClaim) -> str:
    """Why the claim cannot be linked to the records (a FAILURE_REASONS code), or ""."""
    data = claim_data(claim)
    person = registry.person_by_id_hash(claim.id_hash)
    if person is None:
        return ""
    if User.objects.filter(person=person).exclude(pk=claim.user_id).exists():
        return "already_registered"
    if person.name != data["name"]:
        return "name_mismatch"
    return ""


def _link(*, claim: IdentityClaim, method: str, actor: User | None) -> User:
    """Link the account to the person (created if the registry has none). Caller checked."""
    data = claim_data(claim)
    user = User.objects.select_for_update().get(pk=claim.user_id)
    person = registry.person_by_id_hash(claim.id_hash)
    linked = person is not None
    if person is None:
        person = person_create(
            actor=actor, name=data["name"], id_number=data["id_number"], phone=data["phone"]
        )
    user.person = person
    user.username = f"c{person.pk}"
    user.save(update_fields=["person", "username"])
    claim.method = method
    claim.verified_at = clock.now()
    claim.verified_by = actor if getattr(actor, "is_officer", False) else None
    claim.save(update_fields=["method", "verified_at", "verified_by"])
    event_record(
        actor=actor or user,
        subject=user,
        action="account.identity_verified",
        after={
            "method": method,
            "person_id": person.pk,
            "person": "linked" if linked else "created",
        },
    )
    return user


# --- Online verification ----------------------------------------------------------------------


def identity_check_start(*, user: User, return_url: str) -> str:
    """Open an online verification with the provider; the URL to send the person to.

    The check is written first and the provider asked after (no transaction is held open while
    it answers); a provider that does not answer fails the check with "unavailable", recorded,
    and the person is told to try again."""
    verifier = get_verifier()
    claim = pending_claim(user)
    if verifier is None or claim is None:
        raise ValidationError(_("There is nothing to verify online for this account."))
    with transaction.atomic():
        check = IdentityCheck.objects.create(
            claim=claim,
            provider=verifier.name,
            reference=secrets.token_urlsafe(24),
            created_at=clock.now(),
        )
        event_record(
            actor=user,
            subject=check,
            action="identity.check_start",
            after={"provider": verifier.name},
        )
    data = claim_data(claim)
    try:
        started = verifier.start(
            reference=check.reference,
            name=data["name"],
            id_number=data["id_number"],
            return_url=return_url,
        )
    except ProviderUnavailable as exc:
        _check_finish(check.pk, CallbackResult(check.reference, False, "unavailable", str(exc)))
        raise ValidationError(str(FAILURE_REASONS["unavailable"])) from exc
    if started.provider_ref:
        IdentityCheck.objects.filter(pk=check.pk).update(provider_ref=started.provider_ref[:100])
    return started.url


def _check_finish(check_id: int, result: CallbackResult) -> IdentityCheck | None:
    """Apply a provider's result to a check still pending, once (under a row lock)."""
    with transaction.atomic():
        check = (
            IdentityCheck.objects.select_for_update()
            .select_related("claim")
            .filter(pk=check_id)
            .first()
        )
        if check is None or check.status != IdentityCheckStatus.PENDING:
            return check  # a repeated result: answered once
        claim = IdentityClaim.objects.select_for_update().get(pk=check.claim_id)
        reason = result.reason if not result.passed else ""
        checked = result.id_number.strip().upper()
        if result.passed and checked and id_lookup_hash(checked) != claim.id_hash:
            reason = "id_changed"
        if not reason and claim.verified_at is None:
            reason = _link_problem(claim)
        if reason:
            check.status = IdentityCheckStatus.FAILED
            check.reason = reason if reason in FAILURE_REASONS else "photo_unclear"
            check.detail = result.detail[:200]
        else:
            check.status = IdentityCheckStatus.PASSED
            if claim.verified_at is None:
                _link(claim=claim, method=IdentityMethod.ONLINE, actor=None)
        check.completed_at = clock.now()
        check.save(update_fields=["status", "reason", "detail", "completed_at"])
        event_record(
            actor=None,
            subject=check,
            action="identity.check_result",
            after={"status": check.status, "reason": check.reason},
        )
    return check


def identity_callback_process(
    *, provider: str, body: bytes, headers: Mapping[str, str]
) -> IdentityCheck | None:
    """Apply a provider's signed result once; None (and nothing changed) if it is not trusted."""
    verifier = get_verifier()
    if verifier is None or verifier.name != provider:
        return None
    try:
        result = verifier.verify_callback(body, headers)
    except CallbackError:
        return None
    check = IdentityCheck.objects.filter(reference=result.reference, provider=provider).first()
    if check is None:
        return None
    return _check_finish(check.pk, result)


# A FaceID BizToken can be asked for its result for three days; a check nobody finished is
# closed as "expired" well before that.
CHECK_LIFETIME = timedelta(hours=2)


def identity_check_refresh(*, check: IdentityCheck) -> IdentityCheck:
    """Ask the provider for the result of a pending check (providers that answer queries); the
    check as it then is. A provider that does not answer leaves it pending for the next ask."""
    verifier = get_verifier()
    if (
        check.status != IdentityCheckStatus.PENDING
        or verifier is None
        or verifier.name != check.provider
        or not check.provider_ref
    ):
        return check
    try:
        result = verifier.fetch_result(reference=check.reference, provider_ref=check.provider_ref)
    except (ProviderUnavailable, CallbackError) as exc:
        logger.warning("identity result not fetched check=%s error=%s", check.pk, exc)
        result = None
    if result is None and clock.now() - check.created_at > CHECK_LIFETIME:
        result = CallbackResult(check.reference, False, "expired")
    if result is None:
        return check
    return _check_finish(check.pk, result) or check


def identity_checks_poll(*, limit: int = 200) -> int:
    """The periodic ask for every pending check of a provider that answers queries (the person
    may never come back to our page); returns how many were finished."""
    pending = IdentityCheck.objects.filter(status=IdentityCheckStatus.PENDING).exclude(
        provider_ref=""
    )
    finished = 0
    for check in list(pending.order_by("created_at")[:limit]):
        if identity_check_refresh(check=check).status != IdentityCheckStatus.PENDING:
            finished += 1
    return finished


# --- At a service hall ------------------------------------------------------------------------


@transaction.atomic
def identity_verify_at_hall(*, actor: User, claim_id: int) -> User:
    """The officer saw the person's ID card at the counter and confirms the account is theirs."""
    if not officer_can(actor, "identity.verify"):
        raise PermissionDenied
    claim = IdentityClaim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None or claim.verified_at is not None:
        raise ValidationError(_("This account is not waiting for verification."))
    problem = _link_problem(claim)
    if problem:
        raise ValidationError(str(FAILURE_REASONS[problem]))
    return _link(claim=claim, method=IdentityMethod.HALL, actor=actor)
