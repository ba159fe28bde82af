"""Every change of the credential signing keys is in the append-only history (issue 17): which
key, what (created, rotated, removed), when, how (the command or the embedded default's first
use) and by which system account, as codes and values; `credential_keys history` prints it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from vmo.core.models import Event
from vmo.core.selectors import events_for
from vmo.core.subjects import OffDatabase
from vmo.credentials import keys

pytestmark = pytest.mark.django_db


def _key_events() -> list[Event]:
    return list(Event.objects.filter(subject_type="credentials.signingkey").order_by("id"))


def test_create_rotate_and_remove_are_recorded(capsys):
    call_command("credential_keys", "create")
    call_command("credential_keys", "rotate")
    old, new = (row.kid for row in keys.keys_list())
    call_command("credential_keys", "remove", old)
    created, rotated, removed = _key_events()
    assert (created.action, created.subject_id) == ("credential_key.create", old)
    assert created.after["active"] == old and created.after["via"] == "command"
    assert created.after["os_user"]  # the system account that ran the command
    assert (rotated.action, rotated.subject_id) == ("credential_key.rotate", new)
    assert rotated.before == {"active": [old]}
    assert rotated.after["retired"] == [old] and rotated.after["alg"] == "EdDSA"
    assert (removed.action, removed.subject_id, removed.before) == (
        "credential_key.remove",
        old,
        {"status": "retired"},
    )
    assert all(e.actor_label == "system" and e.actor_id is None for e in _key_events())
    assert [e.action for e in events_for(OffDatabase("credentials.signingkey", old))] == [
        "credential_key.create",
        "credential_key.remove",
    ]
    capsys.readouterr()
    call_command("credential_keys", "history")
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(line[1], line[2], line[3]) for line in lines] == [
        ("credential_key.create", old, "command"),
        ("credential_key.rotate", new, "command"),
        ("credential_key.remove", old, "command"),
    ]


def test_a_refused_change_records_nothing():
    call_command("credential_keys", "create")
    before = len(_key_events())
    active = keys.keys_list()[0].kid
    assert keys.key_remove(active) is False  # the active key is never removed
    assert keys.key_remove("no-such-key") is False
    assert len(_key_events()) == before


def test_the_embedded_defaults_first_key_is_recorded_as_first_use():
    keys.signing_key()
    (event,) = _key_events()
    assert (event.action, event.after["via"]) == ("credential_key.create", "first_use")
    keys.signing_key()  # the key exists now: nothing more happens
    assert len(_key_events()) == 1
