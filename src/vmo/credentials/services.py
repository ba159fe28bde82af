"""Issuing the signed, short-lived credential that the e-licence pages show as a QR code.

Issuing changes no record (it is a read signed by the office), so it writes no event; it only
needs the active key. The claims carry what a checker needs and nothing more: masked numbers,
the name, classes or plate, the status letters and whether they allow driving, the validity.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from joserfc import jws

from vmo.core import clock

from . import keys
from .selectors import LICENCE_LIST, VEHICLE_LIST, LicenceCard, VehicleCard
from .verify import ALG, TYP


def credential_lifetime() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "VMO_CREDENTIAL_SECONDS", 300)))


def issuer() -> str:
    return str(getattr(settings, "VMO_PUBLIC_BASE_URL", "")).rstrip("/")


def _sign(claims: dict[str, Any]) -> str:
    key = keys.signing_key()
    now = clock.now()
    claims = {
        "iss": issuer(),
        "iat": int(now.timestamp()),
        "exp": int((now + credential_lifetime()).timestamp()),
        **claims,
    }
    header = {"alg": ALG, "typ": TYP, "kid": key.kid}
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":"))
    return jws.serialize_compact(header, payload.encode(), key, algorithms=[ALG])


def credential_issue_licence(*, card: LicenceCard) -> str:
    info = card.info
    return _sign(
        {
            "doc": "dl",
            "sub": card.id_number,
            "fn": card.file_number,
            "name": card.name,
            "sex": card.sex,
            "cls": [c.code for c in info.classes],
            "st": "".join(w.code for w in info.statuses),
            "ok": card.ok,
            "vf": info.valid_from.isoformat(),
            "vt": info.valid_to.isoformat() if info.valid_to else None,
            "status": {"list": LICENCE_LIST, "idx": card.index},
        }
    )


def credential_issue_vehicle(*, card: VehicleCard) -> str:
    info = card.info
    return _sign(
        {
            "doc": "vl",
            "sub": card.vin,
            "plate": info.plate,
            "vtype": card.vehicle_type_code,
            "name": card.owner,
            "st": "".join(w.code for w in info.statuses),
            "ok": card.ok and not info.inspection_overdue,
            "insp": info.inspection_valid_until.isoformat(),
            "insu": info.insurance_valid_until.isoformat() if info.insurance_valid_until else None,
            "status": {"list": VEHICLE_LIST, "idx": card.index},
        }
    )
