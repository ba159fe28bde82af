"""The office's Ed25519 signing keys for electronic licences, kept as files outside the database.

A directory (settings.VMO_CREDENTIAL_KEY_DIR, default var/credential-keys, git-ignored) holds one
private JWK per key id and an index saying which key signs now. Rotating adds a key and marks the
old one retired: retired keys stay in the published key set, so a credential they signed minutes
ago still verifies until it expires; `credential_keys remove` drops one once that is over.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from joserfc.jwk import OKPKey

from vmo.core import clock
from vmo.core.services import key_change_record

INDEX = "index.json"
KEY_KIND = "credentials.signingkey"  # the history's name for these keys


@dataclass(frozen=True)
class KeyInfo:
    kid: str
    created: str
    status: str  # "active" signs new credentials, "retired" only verifies


def key_dir() -> Path:
    return Path(
        getattr(settings, "VMO_CREDENTIAL_KEY_DIR", "")
        or Path(settings.VAR_DIR) / "credential-keys"
    )


def _read_index() -> list[KeyInfo]:
    path = key_dir() / INDEX
    if not path.is_file():
        return []
    return [KeyInfo(**row) for row in json.loads(path.read_text())]


def _write_index(rows: list[KeyInfo]) -> None:
    path = key_dir() / INDEX
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([row.__dict__ for row in rows], indent=2))
    tmp.replace(path)  # atomic: a reader never sees half an index


def _new_kid() -> str:
    return clock.now().strftime("vmo-%Y%m%d-%H%M%S")


def keys_list() -> list[KeyInfo]:
    return _read_index()


def key_create(*, via: str = "command") -> KeyInfo:
    """Create a signing key; it becomes the active one and every other key is retired. The
    history records it: a first key as created, any later one as a rotation."""
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    rows = _read_index()
    kid = _new_kid()
    while any(r.kid == kid for r in rows):
        kid += "x"
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid}, private=True)
    path = directory / f"{kid}.jwk"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private: owner only
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(key.as_dict(private=True)))
    info = KeyInfo(kid=kid, created=clock.now().isoformat(), status="active")
    _write_index([KeyInfo(r.kid, r.created, "retired") for r in rows] + [info])
    retiring = [r.kid for r in rows if r.status == "active"]
    key_change_record(
        kind=KEY_KIND,
        key_id=kid,
        action="credential_key.rotate" if rows else "credential_key.create",
        via=via,
        before={"active": retiring} if rows else None,
        after={"active": kid, "retired": retiring, "alg": "EdDSA"},
    )
    return info


def key_remove(kid: str) -> bool:
    rows = _read_index()
    if not any(r.kid == kid and r.status == "retired" for r in rows):
        return False
    _write_index([r for r in rows if r.kid != kid])
    (key_dir() / f"{kid}.jwk").unlink(missing_ok=True)
    key_change_record(
        kind=KEY_KIND,
        key_id=kid,
        action="credential_key.remove",
        via="command",
        before={"status": "retired"},
        after={"status": "removed"},
    )
    return True


def _load(kid: str) -> OKPKey:
    return OKPKey.import_key(json.loads((key_dir() / f"{kid}.jwk").read_text()))


def signing_key() -> OKPKey:
    """The active key; on a machine with none yet (the embedded default) one is created."""
    active = [r for r in _read_index() if r.status == "active"]
    info = active[-1] if active else key_create(via="first_use")
    return _load(info.kid)


def public_jwks() -> dict[str, Any]:
    """The published key set: public halves only, each marked active or retired."""
    keys = []
    for row in _read_index():
        public = _load(row.kid).as_dict(private=False)
        public.update({"kid": row.kid, "use": "sig", "alg": "EdDSA", "status": row.status})
        keys.append(public)
    return {"keys": keys}
