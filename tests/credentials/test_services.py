"""Issuing and verifying credentials: every answer the verifier gives, with a frozen clock."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey

from vmo.core import clock
from vmo.credentials import keys, selectors, services
from vmo.credentials.verify import (
    EXPIRED,
    FUTURE,
    NOT_CREDENTIAL,
    REVOKED,
    TAMPERED,
    TYP,
    UNKNOWN_KEY,
    VALID,
    verify_text,
)

pytestmark = pytest.mark.django_db


def _licence_text(user) -> str:
    return services.credential_issue_licence(card=selectors.licence_card(user.person))


def _check(text: str, *, online: bool = True) -> str:
    revoked = selectors.revoked_online if online else None
    return verify_text(text, keys.public_jwks(), now=clock.now(), revoked=revoked).outcome


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_a_licence_credential_carries_only_what_a_checker_needs(holder, frozen):
    user, licence, _car = holder
    verdict = verify_text(_licence_text(user), keys.public_jwks(), now=clock.now())
    assert verdict.outcome == VALID
    claims = verdict.claims
    assert claims["doc"] == "dl" and claims["cls"] == ["C1"] and claims["st"] == "A"
    assert claims["name"] == user.person.name
    assert user.person.id_number not in json.dumps(claims)  # masked, never whole
    assert licence.file_number not in json.dumps(claims)
    assert claims["exp"] - claims["iat"] == 300
    assert claims["status"] == {"list": "dl", "idx": licence.pk}


def test_a_vehicle_credential_states_plate_and_validity(holder, frozen):
    user, _licence, car = holder
    card = selectors.vehicle_card(user.person, pk=car.pk)
    verdict = verify_text(
        services.credential_issue_vehicle(card=card), keys.public_jwks(), now=clock.now()
    )
    assert verdict.outcome == VALID
    assert verdict.claims["plate"] == card.info.plate and verdict.claims["vtype"] == "K33"
    assert verdict.claims["insp"] == car.inspection_valid_until.isoformat()
    assert car.vin not in json.dumps(verdict.claims)


def test_nobody_gets_a_card_for_someone_elses_vehicle(holder, frozen):
    user, _licence, _car = holder
    from tests.factories import VehicleFactory

    other = VehicleFactory()
    assert selectors.vehicle_card(user.person, pk=other.pk) is None


def test_the_lifetime_is_configurable(holder, frozen, settings):
    settings.VMO_CREDENTIAL_SECONDS = 60
    text = _licence_text(holder[0])
    frozen.shift(timedelta(seconds=59))
    assert _check(text) == VALID
    frozen.shift(timedelta(seconds=1))
    assert _check(text) == EXPIRED


def test_a_replayed_screenshot_stops_working_after_five_minutes(holder, frozen):
    text = _licence_text(holder[0])
    frozen.shift(timedelta(minutes=4, seconds=59))
    assert _check(text) == VALID
    assert _check(text) == VALID  # stateless: the same code twice inside its life is fine
    frozen.shift(timedelta(seconds=1))
    assert _check(text) == EXPIRED


def test_a_credential_dated_in_the_future_is_refused(holder, frozen):
    frozen.shift(timedelta(minutes=2))
    text = _licence_text(holder[0])
    frozen.shift(timedelta(minutes=-2))
    assert _check(text) == FUTURE
    frozen.shift(timedelta(minutes=2) - timedelta(seconds=20))  # within the leeway
    assert _check(text) == VALID


@pytest.mark.parametrize(
    "garbage",
    ["", "hello", "a.b.c", "a.b", "…….", "x" * 5000, "eyJhbGciOiJub25lIn0.e30.", "{}"],
)
def test_malformed_input_is_not_a_credential(holder, frozen, garbage):
    _licence_text(holder[0])  # a key exists
    assert _check(garbage) == NOT_CREDENTIAL


def test_a_truncated_credential_is_refused(holder, frozen):
    text = _licence_text(holder[0])
    assert _check(text[:-10]) in (TAMPERED, NOT_CREDENTIAL)
    assert _check(text[: len(text) // 2]) == NOT_CREDENTIAL


def test_a_changed_claim_breaks_the_signature(holder, frozen):
    text = _licence_text(holder[0])
    header, payload, signature = text.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["cls"] = ["A1", "B1"]
    assert _check(f"{header}.{_b64(claims)}.{signature}") == TAMPERED


def _resign(text: str, key: OKPKey, kid: str) -> str:
    payload = base64.urlsafe_b64decode(text.split(".")[1] + "==")
    header = {"alg": "EdDSA", "typ": TYP, "kid": kid}
    return jws.serialize_compact(header, payload, key, algorithms=["EdDSA"])


def test_resigned_with_another_key_under_the_office_key_id_is_tampered(holder, frozen):
    text = _licence_text(holder[0])
    forger = OKPKey.generate_key("Ed25519", private=True)
    kid = keys.keys_list()[0].kid
    assert _check(_resign(text, forger, kid)) == TAMPERED


def test_signed_by_a_key_the_office_does_not_publish_is_unknown(holder, frozen):
    text = _licence_text(holder[0])
    forger = OKPKey.generate_key("Ed25519", private=True)
    assert _check(_resign(text, forger, "forged-1")) == UNKNOWN_KEY


def test_another_algorithm_in_the_header_is_refused(holder, frozen):
    text = _licence_text(holder[0])
    _header, payload, signature = text.split(".")
    kid = keys.keys_list()[0].kid
    forged = _b64({"alg": "HS256", "typ": TYP, "kid": kid})
    assert _check(f"{forged}.{payload}.{signature}") == NOT_CREDENTIAL


def test_rotation_keeps_old_credentials_valid_until_the_retired_key_is_removed(holder, frozen):
    old = _licence_text(holder[0])
    old_kid = keys.keys_list()[0].kid
    frozen.shift(timedelta(seconds=1))
    new_kid = keys.key_create().kid
    assert [(k.kid, k.status) for k in keys.keys_list()] == [
        (old_kid, "retired"),
        (new_kid, "active"),
    ]
    new = _licence_text(holder[0])
    assert json.loads(base64.urlsafe_b64decode(new.split(".")[0] + "=="))["kid"] == new_kid
    assert _check(old) == VALID and _check(new) == VALID
    assert keys.key_remove(new_kid) is False  # the active key cannot be removed
    assert keys.key_remove(old_kid) is True
    assert _check(old) == UNKNOWN_KEY and _check(new) == VALID


def test_a_suspended_licence_is_issued_as_not_ok_and_refused(holder, frozen):
    user, licence, _car = holder
    licence.flags = "D"  # suspended by a decision
    licence.status = "D"
    licence.save()
    text = _licence_text(user)
    assert _check(text, online=False) == REVOKED


def test_a_licence_revoked_after_issue_is_refused_online_at_once(holder, frozen):
    user, licence, _car = holder
    text = _licence_text(user)
    assert _check(text) == VALID
    selectors.status_list("dl")  # cached while still normal
    licence.flags = licence.status = "F"  # revoked
    licence.save()
    selectors.status_lists_changed()
    assert _check(text) == REVOKED
    assert _check(text, online=False) == VALID  # offline it is good until it expires


def test_the_status_list_sets_exactly_the_refused_rows(holder, frozen):
    from tests.factories import LicenceFactory

    _user, licence, _car = holder
    full = LicenceFactory(status="B")
    bits = selectors.decode_bits(str(selectors.status_list("dl")["encodedList"]))
    assert selectors.bit_set(bits, full.pk) and not selectors.bit_set(bits, licence.pk)
    assert len(bits) >= 16384  # padded so the size does not tell how many licences exist


def test_the_status_list_is_computed_once_per_minute(holder, frozen, django_assert_num_queries):
    selectors.status_list("vl")
    with django_assert_num_queries(0):
        for _ in range(5):
            selectors.status_list("vl")
