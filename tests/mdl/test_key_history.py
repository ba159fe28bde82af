"""The mDL keys' changes are in the append-only history (issue 17): the IACA root created, a
document signer issued, rotated (whose private keys were deleted) and revoked with its reason,
each with when, how and by which system account; `mdl_keys history` prints them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from vmo.core.models import Event
from vmo.mdl import keys

pytestmark = pytest.mark.django_db


def _events() -> list[Event]:
    return list(
        Event.objects.filter(subject_type__in=["mdl.iaca", "mdl.documentsigner"]).order_by("id")
    )


def test_root_signers_rotation_and_revocation_are_recorded(capsys):
    call_command("mdl_keys", "create-root")
    call_command("mdl_keys", "issue-signer")
    first = keys.serial_of(keys.current_signer().cert)
    call_command("mdl_keys", "rotate-signer")
    second = keys.serial_of(keys.current_signer().cert)
    call_command("mdl_keys", "revoke-signer", first, "--reason", "superseded")
    root, issued, rotated, revoked = _events()
    root_serial = keys.serial_of(keys.root()[0])
    assert (root.subject_type, root.subject_id, root.action) == (
        "mdl.iaca",
        root_serial,
        "mdl_key.root_create",
    )
    assert root.after["not_after"] == keys.root()[0].not_valid_after_utc.isoformat()
    assert (issued.subject_id, issued.action, issued.after["root"]) == (
        first,
        "mdl_key.signer_issue",
        root_serial,
    )
    assert (rotated.subject_id, rotated.action) == (second, "mdl_key.signer_rotate")
    assert rotated.before == {"current": [first]}
    assert rotated.after["private_keys_deleted"] == [first]
    assert (revoked.subject_id, revoked.action) == (first, "mdl_key.signer_revoke")
    assert revoked.after["reason"] == "superseded"
    # The rotation had deleted its private key already.
    assert revoked.after["private_key_deleted"] is False
    assert all(e.after["via"] == "command" and e.actor_label == "system" for e in _events())
    capsys.readouterr()
    call_command("mdl_keys", "history")
    actions = [line.split("\t")[1] for line in capsys.readouterr().out.splitlines()]
    assert actions == [
        "mdl_key.root_create",
        "mdl_key.signer_issue",
        "mdl_key.signer_rotate",
        "mdl_key.signer_revoke",
    ]


def test_a_refused_revocation_records_nothing():
    keys.ensure_embedded_keys()
    assert [e.after["via"] for e in _events()] == ["first_use", "first_use"]
    with pytest.raises(Exception, match="No document signer"):
        call_command("mdl_keys", "revoke-signer", "abc")
    assert len(_events()) == 2
