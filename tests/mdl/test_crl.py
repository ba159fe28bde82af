"""The IACA's revocation list for document signers: published at the URL every certificate
names, revoked by a command, applied by the verifier and by verify_mdoc; bad input refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.mdl.test_issue_verify import NOW, _root_pem, licence  # noqa: F401  (fixture)
from vmo.core import clock
from vmo.mdl import crl, keys, services
from vmo.mdl.verify import Refused, verify_document

pytestmark = pytest.mark.django_db


def _served(client) -> x509.CertificateRevocationList:
    response = client.get("/mdl/iaca.crl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    assert "public" in response["Cache-Control"]
    return x509.load_der_x509_crl(response.content)


@time_machine.travel(NOW, tick=False)
def test_the_list_is_at_the_url_the_certificates_name_and_signed_by_the_root(client, mdl_keys):
    listed = _served(client)
    root, _ = keys.root()
    assert listed.is_signature_valid(root.public_key()) and listed.issuer == root.subject
    assert len(listed) == 0 and listed.next_update_utc == clock.now() + timedelta(days=7)
    signer = keys.current_signer().cert
    point = signer.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert point[0].full_name[0].value.endswith("/mdl/iaca.crl")


def test_a_revoked_signer_is_refused_with_the_list_and_a_new_one_signs(
    client,
    licence,  # noqa: F811
    mdl_keys,
    tmp_path,
    capsys,  # noqa: F811
):
    with time_machine.travel(NOW, tick=False):
        document = services.issue_document(person=licence.holder)
        serial = f"{keys.current_signer().cert.serial_number:x}"
    with time_machine.travel("2026-12-03 09:00:00+08:00", tick=False):
        call_command("mdl_keys", "revoke-signer", serial, "--reason", "key_compromise")
        assert "issue-signer" in capsys.readouterr().out
        assert keys.current_signer_or_none() is None  # its private key is gone
        listed = _served(client)
        entry = listed.get_revoked_certificate_by_serial_number(int(serial, 16))
        assert entry is not None
        assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == (
            x509.ReasonFlags.key_compromise
        )
        crl_file = tmp_path / "iaca.crl"
        crl_file.write_bytes(client.get("/mdl/iaca.crl").content)
        with pytest.raises(Refused, match="revoked"):
            verify_document(document, _root_pem(mdl_keys), crl_der=crl_file.read_bytes())
        # Without the list (offline, never fetched) only the signature and dates are judged.
        assert verify_document(document, _root_pem(mdl_keys)).elements
        (tmp_path / "d.mdoc").write_bytes(document)
        args = [str(tmp_path / "d.mdoc"), "--root", str(mdl_keys / "iaca.pem")]
        with pytest.raises(CommandError, match="REFUSED: the document signer's certificate is"):
            call_command("verify_mdoc", *args, "--crl", str(crl_file))
        call_command("mdl_keys", "issue-signer")
        fresh = services.issue_document(person=licence.holder)
        assert verify_document(fresh, _root_pem(mdl_keys), crl_der=crl_file.read_bytes())
        call_command("mdl_keys", "list")
        assert f"signer {serial} revoked" in capsys.readouterr().out


@time_machine.travel(NOW, tick=False)
def test_bad_revocations_are_refused_and_change_nothing(mdl_keys):
    keys.ensure_embedded_keys()
    serial = f"{keys.current_signer().cert.serial_number:x}"
    for args, message in [
        ([], "Give the serial"),
        (["abc123"], "No document signer abc123"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("mdl_keys", "revoke-signer", *args)
    with pytest.raises(CommandError):
        call_command("mdl_keys", "revoke-signer", serial, "--reason", "because")
    assert crl.revocations() == [] and keys.current_signer_or_none() is not None
    call_command("mdl_keys", "revoke-signer", serial)
    with pytest.raises(CommandError, match="revoked already"):
        call_command("mdl_keys", "revoke-signer", serial)
    assert len(crl.revocations()) == 1


def test_a_list_from_another_root_or_not_a_list_is_refused(licence, mdl_keys, settings, tmp_path):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        document = services.issue_document(person=licence.holder)
        settings.VMO_MDL_KEY_DIR = tmp_path / "other"
        keys.create_root()
        foreign = crl.publish().public_bytes(serialization.Encoding.DER)
        settings.VMO_MDL_KEY_DIR = mdl_keys
        with pytest.raises(Refused, match="not signed by this IACA root"):
            verify_document(document, _root_pem(mdl_keys), crl_der=foreign)
        with pytest.raises(Refused, match="not a DER"):
            verify_document(document, _root_pem(mdl_keys), crl_der=b"not a crl")


def test_a_list_past_its_next_update_is_signed_again_when_served(client, mdl_keys):
    with time_machine.travel(NOW, tick=False):
        first = _served(client)
    with time_machine.travel("2026-12-12 10:00:00+08:00", tick=False):
        again = _served(client)
        assert again.next_update_utc > clock.now() > first.next_update_utc
